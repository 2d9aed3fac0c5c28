// Package jobstest runs a real job queue for tests, on a database from modelstest.
package jobstest

import (
	"context"
	"testing"
	"time"

	"github.com/pantau-id/pantau/jobs"
	"github.com/pantau-id/pantau/models"
)

// Start migrates River's tables and runs a queue (one instance) on db, looking for jobs every
// 200 ms, until the test ends.
func Start(tb testing.TB, db *models.DB, cfg jobs.Config) *jobs.Queue {
	tb.Helper()
	ctx := context.Background()
	if _, err := jobs.Migrate(ctx, db); err != nil {
		tb.Fatal(err)
	}
	cfg.DB, cfg.FetchPoll = db, 200*time.Millisecond
	q, err := jobs.New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	if err := q.Start(ctx); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		stop, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := q.Stop(stop); err != nil {
			tb.Errorf("stop the queue: %v", err)
		}
	})
	return q
}
