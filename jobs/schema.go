package jobs

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/pantau-id/pantau/models"
)

// driver is River's driver for the store's database, over the store's own connection pool.
func driver(db *models.DB) (riverdriver.Driver[*sql.Tx], error) {
	pool, err := db.SQL()
	if err != nil {
		return nil, err
	}
	if db.Dialect == models.SQLite {
		return riversqlite.New(pool), nil
	}
	return riverdatabasesql.New(pool), nil
}

// Migrate creates or updates River's tables (river_job, river_leader, …) and returns the River
// schema versions it applied, each in its own transaction (one adds an enum value, which
// PostgreSQL cannot use in the transaction that added it). Concurrent callers on PostgreSQL
// are serialised by an advisory lock, on SQLite by its write lock.
func Migrate(ctx context.Context, db *models.DB) ([]int, error) {
	m, err := migrator(db)
	if err != nil {
		return nil, err
	}
	if db.Dialect == models.Postgres {
		pool, err := db.SQL()
		if err != nil {
			return nil, err
		}
		conn, err := pool.Conn(ctx)
		if err != nil {
			return nil, err
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(7261121)"); err != nil {
			return nil, err
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(7261121)") //nolint:errcheck // closing the session unlocks too
	}
	res, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	if err != nil {
		return nil, fmt.Errorf("river migrations: %w", err)
	}
	var applied []int
	for _, v := range res.Versions {
		applied = append(applied, v.Version)
	}
	return applied, nil
}

// Pending reports whether River's tables are missing or behind.
func Pending(ctx context.Context, db *models.DB) (bool, error) {
	m, err := migrator(db)
	if err != nil {
		return false, err
	}
	res, err := m.Validate(ctx, nil)
	if err != nil {
		return false, err
	}
	return !res.OK, nil
}

func migrator(db *models.DB) (*rivermigrate.Migrator[*sql.Tx], error) {
	d, err := driver(db)
	if err != nil {
		return nil, err
	}
	return rivermigrate.New(d, &rivermigrate.Config{Logger: discard})
}
