package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/modelstest"
)

// TestMigrateDryRun lists what "pantau migrate" would apply and changes nothing: on a database
// that does not exist yet (SQLite's file is not created; PostgreSQL gets no table), on one two
// migrations behind, and on an up-to-date one.
func TestMigrateDryRun(t *testing.T) {
	all, err := models.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	last := all[len(all)-1]
	for name, env := range envs(t) {
		t.Run(name, func(t *testing.T) {
			code, out, errOut := cli(t, env, "", "migrate", "--dry-run")
			if code != 0 || !strings.Contains(out, fmt.Sprintf("%d pending migrations", len(all))) ||
				!strings.Contains(out, fmt.Sprintf("  %04d %s\n", last.Version, last.Name)) || !strings.Contains(out, "  0001 foundation\n") {
				t.Fatalf("empty database: %d %q %q", code, out, errOut)
			}
			if env["DATABASE_URL"] == "" {
				if _, err := os.Stat(filepath.Join(env["PANTAU_DATA_DIR"], "pantau.db")); !os.IsNotExist(err) {
					t.Fatalf("the dry run created the SQLite database: %v", err)
				}
			} else if modelstest.RawOpen(t, models.Options{DatabaseURL: env["DATABASE_URL"]}).Migrator().HasTable("schema_migrations") {
				t.Fatal("the dry run created schema_migrations")
			}

			db, err := (&config{DatabaseURL: env["DATABASE_URL"], DataDir: env["PANTAU_DATA_DIR"]}).open(nil)
			if err != nil {
				t.Fatal(err)
			}
			behind := all[len(all)-3]
			if _, err := db.MigrateTo(context.Background(), behind.Version); err != nil {
				t.Fatal(err)
			}
			db.Close()
			code, out, errOut = cli(t, env, "", "migrate", "--dry-run")
			want := fmt.Sprintf("2 pending migrations (run \"pantau migrate\" to apply them):\n  %04d %s\n  %04d %s\n",
				all[len(all)-2].Version, all[len(all)-2].Name, last.Version, last.Name)
			if code != 0 || out != want {
				t.Fatalf("two behind: %d %q, want %q; %q", code, out, want, errOut)
			}
			env["PANTAU_MIGRATE"] = "false" // serve refuses a stale schema: the dry run left it stale
			if code, _, errOut := cli(t, env, "", "serve", "--addr", "127.0.0.1:0"); code != 1 || !strings.Contains(errOut, "schema is behind") {
				t.Fatalf("after the dry run, serve on the stale schema: %d %q", code, errOut)
			}
			var versions int64
			if err := modelstest.RawOpen(t, models.Options{DatabaseURL: env["DATABASE_URL"], DataDir: env["PANTAU_DATA_DIR"]}).
				Table("schema_migrations").Count(&versions).Error; err != nil || versions != int64(len(all)-2) {
				t.Fatalf("schema_migrations after the dry run: %d rows (%v), want %d", versions, err, len(all)-2)
			}

			if code, out, _ := cli(t, env, "", "migrate"); code != 0 || !strings.Contains(out, fmt.Sprintf("applied migration %04d", last.Version)) {
				t.Fatalf("migrate: %d %q", code, out)
			}
			if code, out, _ := cli(t, env, "", "migrate", "--dry-run"); code != 0 || out != "schema is up to date: no pending migrations\n" {
				t.Fatalf("up to date: %d %q", code, out)
			}
		})
	}
}
