package api

import (
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/pantau-id/pantau/models"
)

// watchPool adds the database connection pool's figures to the metrics: connections open, in
// use and idle, their limit, and how often and how long requests waited for one (go_sql_*,
// labelled db_name="postgres" or "sqlite").
func (m *metrics) watchPool(db *models.DB) error {
	pool, err := db.SQL()
	if err != nil {
		return err
	}
	return m.registry.Register(collectors.NewDBStatsCollector(pool, string(db.Dialect)))
}
