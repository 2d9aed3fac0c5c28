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
	"path/filepath"
	"sync"
	"testing"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

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

// opened remembers how each test database was opened, so Raw can reach it apart from the store.
var opened sync.Map // *models.DB → models.Options

// Open returns a fresh, migrated database of the given kind, removed when the test ends.
func Open(tb testing.TB, d models.Dialect) *models.DB {
	tb.Helper()
	db := OpenEmpty(tb, d)
	if _, err := db.Migrate(context.Background()); err != nil {
		tb.Fatalf("migrate %s: %v", d, err)
	}
	return db
}

// OpenEmpty returns a fresh database of the given kind without any migration, for tests that
// migrate it step by step; removed when the test ends.
func OpenEmpty(tb testing.TB, d models.Dialect) *models.DB {
	tb.Helper()
	opts := models.Options{DataDir: tb.TempDir()}
	if d == models.Postgres {
		opts.DatabaseURL = postgresSchema(tb)
	}
	db, err := models.Open(opts)
	if err != nil {
		tb.Fatalf("open %s: %v", d, err)
	}
	opened.Store(db, opts)
	tb.Cleanup(func() { opened.Delete(db); db.Close() })
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
	admin := RawOpen(tb, models.Options{DatabaseURL: base})
	if err := admin.Exec("CREATE SCHEMA " + schema).Error; err != nil {
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() { admin.Exec("DROP SCHEMA " + schema + " CASCADE") })
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("parse %s: %v", PostgresURLEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Reopen returns a second store on a database that Open or OpenEmpty made, as another instance
// of the server would have it (its own caches), closed when the test ends.
func Reopen(tb testing.TB, db *models.DB) *models.DB {
	tb.Helper()
	opts, ok := opened.Load(db)
	if !ok {
		tb.Fatal("modelstest.Reopen: the database was not opened by modelstest.Open")
	}
	other, err := models.Open(opts.(models.Options))
	if err != nil {
		tb.Fatalf("reopen: %v", err)
	}
	tb.Cleanup(func() { other.Close() })
	return other
}

// Raw returns a connection of its own to a database that Open or OpenEmpty made, apart from the store and
// its audit trail: for tests that count rows or tamper with them on purpose.
func Raw(tb testing.TB, db *models.DB) *gorm.DB {
	tb.Helper()
	opts, ok := opened.Load(db)
	if !ok {
		tb.Fatal("modelstest.Raw: the database was not opened by modelstest.Open")
	}
	return RawOpen(tb, opts.(models.Options))
}

// RawOpen connects to the database the options name (as pantau serve would find it) apart from
// the store, closing the connection when the test ends.
func RawOpen(tb testing.TB, opts models.Options) *gorm.DB {
	tb.Helper()
	var dialector gorm.Dialector
	if opts.DatabaseURL != "" {
		dialector = postgres.Open(opts.DatabaseURL)
	} else {
		var err error
		if dialector, err = models.SQLiteDialector(filepath.Join(opts.DataDir, "pantau.db")); err != nil {
			tb.Fatalf("raw connection: %v", err)
		}
	}
	g, err := gorm.Open(dialector, &gorm.Config{Logger: logger.Discard})
	if err != nil {
		tb.Fatalf("raw connection: %v", err)
	}
	tb.Cleanup(func() {
		if sqlDB, err := g.DB(); err == nil {
			sqlDB.Close()
		}
	})
	return g
}
