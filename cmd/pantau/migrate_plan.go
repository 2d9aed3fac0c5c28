package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/pantau-id/pantau/models"
)

// listPending is "pantau migrate --dry-run": it prints the migrations "pantau migrate" would
// apply, version and name, and changes nothing. An embedded SQLite database that does not exist
// yet is not created: every migration is pending.
func listPending(ctx context.Context, cfg *config, stdout io.Writer) error {
	pending, err := pendingMigrations(ctx, cfg, stdout)
	if err != nil {
		return err
	}
	if len(pending) == 0 {
		fmt.Fprintln(stdout, "schema is up to date: no pending migrations")
		return nil
	}
	fmt.Fprintf(stdout, "%d pending migrations (run \"pantau migrate\" to apply them):\n", len(pending))
	for _, m := range pending {
		fmt.Fprintf(stdout, "  %04d %s\n", m.Version, m.Name)
	}
	return nil
}

// pendingMigrations reads the pending migrations without creating anything.
func pendingMigrations(ctx context.Context, cfg *config, stdout io.Writer) ([]models.Migration, error) {
	path := filepath.Join(cfg.DataDir, "pantau.db")
	if _, err := os.Stat(path); cfg.DatabaseURL == "" && errors.Is(err, fs.ErrNotExist) {
		fmt.Fprintf(stdout, "no database yet at %s\n", path)
		return models.Migrations()
	}
	db, err := cfg.open(nil)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return db.Pending(ctx)
}
