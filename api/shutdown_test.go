package api

import (
	"context"
	"testing"
	"time"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/modelstest"
)

// openPostgres opens and migrates the PostgreSQL database at dsn (one more handle on it, as
// another server instance would have), closed when the test ends.
func openPostgres(t *testing.T, dsn string) *models.DB {
	t.Helper()
	db, err := models.Open(models.Options{DatabaseURL: dsn})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}

// TestLostConnectionsAreUnavailable ends the database connections of requests in flight the
// way PostgreSQL's fast shutdown does (pg_terminate_backend: SQLSTATE 57P01), and then closes
// the server's pool: every such request is 503 unavailable in the contract's shape, never 500.
func TestLostConnectionsAreUnavailable(t *testing.T) {
	dsn := modelstest.PostgresURL(t)
	db := openPostgres(t, dsn)
	e := newEnv(t, db)
	locker := modelstest.RawOpen(t, models.Options{DatabaseURL: dsn})

	for _, tc := range []struct {
		table, method, path string
		body                any
	}{
		{"regions", "GET", "/api/v1/regions", nil},
		{"items", "PATCH", "/api/v1/periods/2019/regions/62.08/items/I1", map[string]any{"progress": 40}},
	} {
		// Hold a lock the request needs, so that it waits inside PostgreSQL; then end its backend.
		tx := locker.Begin()
		defer tx.Rollback()
		if err := tx.Exec("LOCK TABLE " + tc.table + " IN ACCESS EXCLUSIVE MODE").Error; err != nil {
			t.Fatal(err)
		}
		done := make(chan *response, 1)
		go func() { done <- e.call(tc.method, tc.path, models.RoleCoordinator, tc.body) }()
		var pid int64
		for deadline := time.Now().Add(10 * time.Second); pid == 0 && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			// Outside the transaction: pg_stat_activity is a snapshot for a transaction's duration.
			locker.Raw("SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' LIMIT 1").Scan(&pid)
		}
		if pid == 0 {
			t.Fatalf("%s %s never waited for the lock", tc.method, tc.path)
		}
		var ok bool
		if err := locker.Raw("SELECT pg_terminate_backend(?)", pid).Scan(&ok).Error; err != nil || !ok {
			t.Fatalf("terminate backend %d: %v", pid, err)
		}
		r := <-done
		tx.Rollback()
		e.expect(r, 503, "unavailable")
		if r.Header.Get("Retry-After") == "" {
			t.Fatal("503 without Retry-After")
		}
	}
	// The server recovers with fresh connections.
	e.mustOK(e.call("GET", "/api/v1/regions", models.RoleReviewer, nil))

	// A closed pool (the server shutting down) is unavailable too.
	db.Close()
	e.expect(e.call("GET", "/api/v1/regions", models.RoleReviewer, nil), 503, "unavailable")
}
