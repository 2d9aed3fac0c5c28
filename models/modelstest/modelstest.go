// Package modelstest gives tests a fresh, migrated database of each kind: SQLite in a
// temporary directory, and PostgreSQL in a schema of its own on the server named by
// PANTAU_TEST_DATABASE_URL. No database is ever mocked.
package modelstest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/pantau-id/pantau/models"
)

// PostgresURLEnv names the variable holding the PostgreSQL server used by tests.
const PostgresURLEnv = "PANTAU_TEST_DATABASE_URL"

// RequirePostgresEnv, when "1", makes tests fail instead of skipping PostgreSQL when no server is configured.
const RequirePostgresEnv = "PANTAU_TEST_REQUIRE_POSTGRES"

// Dialects lists the databases tests run on.
func Dialects() []models.Dialect { return []models.Dialect{models.SQLite, models.Postgres} }

// ForEachDB runs fn as a subtest once per database, each with a fresh migrated database.
func ForEachDB(t *testing.T, fn func(t *testing.T, db *models.DB)) {
	t.Helper()
	for _, d := range Dialects() {
		t.Run(string(d), func(t *testing.T) {
			fn(t, Open(t, d))
		})
	}
}

// Open returns a fresh, migrated database of the given kind, removed when the test ends.
func Open(tb testing.TB, d models.Dialect) *models.DB {
	tb.Helper()
	opts := models.Options{DataDir: tb.TempDir()}
	if d == models.Postgres {
		opts.DatabaseURL = postgresSchema(tb)
	}
	db, err := models.Open(opts)
	if err != nil {
		tb.Fatalf("open %s: %v", d, err)
	}
	tb.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		tb.Fatalf("migrate %s: %v", d, err)
	}
	return db
}

// PostgresURL returns a URL for a new, empty schema of its own on the test server (dropped at
// the end of the test), or skips the test when no server is configured.
func PostgresURL(tb testing.TB) string {
	tb.Helper()
	return postgresSchema(tb)
}

func postgresSchema(tb testing.TB) string {
	tb.Helper()
	base := os.Getenv(PostgresURLEnv)
	if base == "" {
		if os.Getenv(RequirePostgresEnv) == "1" {
			tb.Fatalf("%s is not set but %s=1", PostgresURLEnv, RequirePostgresEnv)
		}
		tb.Skipf("PostgreSQL: %s is not set (make test starts a server)", PostgresURLEnv)
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := models.Open(models.Options{DatabaseURL: base})
	if err != nil {
		tb.Fatalf("connect to test PostgreSQL: %v", err)
	}
	if err := admin.Gorm.Exec("CREATE SCHEMA " + schema).Error; err != nil {
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() {
		admin.Gorm.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("parse %s: %v", PostgresURLEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
