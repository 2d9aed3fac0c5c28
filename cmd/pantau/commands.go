package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/demo"
	"github.com/pantau-id/pantau/models/national"
)

func migrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var cfg config
	fs := newFlags("migrate", "Apply every pending database migration, each in its own transaction, and exit.\n"+
		"With --dry-run, list the pending migrations (version and name) and change nothing.", stderr)
	cfg.dbFlags(fs, getenv)
	dryRun := fs.Bool("dry-run", false, "list the pending migrations and exit 0, changing nothing (not even creating the database)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := cfg.validate(); err != nil {
		return err
	}
	if *dryRun {
		return listPending(ctx, &cfg, stdout)
	}
	db, err := cfg.open(nil)
	if err != nil {
		return err
	}
	defer db.Close()
	applied, err := db.Migrate(ctx)
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		fmt.Fprintln(stdout, "schema is up to date")
	}
	for _, v := range applied {
		fmt.Fprintf(stdout, "applied migration %04d\n", v)
	}
	return migrateJobs(ctx, db, stdout)
}

func user(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		fmt.Fprintln(stderr, "usage: pantau user add --email E --name N --role R [--region CODE] (password on standard input)")
		return errUsage
	}
	var cfg config
	var in models.UserInput
	var region, role string
	fs := newFlags("user add", "Add a user. The password is read from the first line of standard input, never from an argument.", stderr)
	cfg.dbFlags(fs, getenv)
	fs.StringVar(&in.Email, "email", "", "e-mail address (the sign-in name)")
	fs.StringVar(&in.Name, "name", "", "full name")
	fs.StringVar(&role, "role", "", "admin, coordinator, operator, reviewer or signatory")
	fs.StringVar(&region, "region", "", "the operator's region code, e.g. 62.08")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	in.Role = models.Role(role)
	if err := cfg.validate(); err != nil {
		return err
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && err != io.EOF {
		return fmt.Errorf("read password: %w", err)
	}
	in.Password = strings.TrimRight(line, "\r\n")
	if region != "" {
		in.RegionCode = &region
	}
	db, err := openMigrated(ctx, &cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	u, err := db.CreateUser(models.WithActor(ctx, models.Actor{Email: "cli:user-add"}), in, false)
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(stdout, "added %s (%s, id %d)\n", u.Email, u.Role, u.ID)
	return nil
}

// describe turns a validation error into a sentence for the terminal.
func describe(err error) error {
	if v, ok := err.(*models.ValidationError); ok {
		return fmt.Errorf("invalid input: %s", strings.TrimPrefix(v.Error(), "validation failed: "))
	}
	if err == models.ErrConflict {
		return fmt.Errorf("a user with this e-mail already exists")
	}
	return err
}

func seed(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var cfg config
	fs := newFlags("seed", "Load a data set into an empty database: --demo or --national.", stderr)
	cfg.dbFlags(fs, getenv)
	withDemo := fs.Bool("demo", false, "the Central Kalimantan demo data set (passwords from PANTAU_DEMO_PASSWORD, or random)")
	withNational := fs.Bool("national", false, "the synthetic national data set for benchmarks: 546 Pemda, periods 2023–2025, 100 indicators, about 164,000 items")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *withDemo == *withNational {
		fmt.Fprintln(stderr, "pantau seed: say which data set, exactly one of --demo or --national")
		return errUsage
	}
	if err := cfg.validate(); err != nil {
		return err
	}
	db, err := openMigrated(ctx, &cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if *withNational {
		return seedNational(ctx, db, stdout)
	}
	return seedDemo(ctx, &cfg, db, env(getenv, "PANTAU_DEMO_PASSWORD", ""), stdout)
}

// seedNational loads the synthetic national data set, drawing its progress on stdout. It
// creates no users: a server started on it creates the first admin from PANTAU_ADMIN_EMAIL.
func seedNational(ctx context.Context, db *models.DB, stdout io.Writer) error {
	start := time.Now()
	if err := national.Seed(ctx, db, stdout); err != nil {
		return fmt.Errorf("national data: %w", err)
	}
	fmt.Fprintf(stdout, "loaded the synthetic national data set in %s\n", time.Since(start).Round(time.Millisecond))
	return nil
}

// seedDemo loads the demo set and keeps its logins in DATA_DIR/demo-logins.txt (mode 0600) so
// that later starts can show them again.
func seedDemo(ctx context.Context, cfg *config, db *models.DB, password string, stdout io.Writer) error {
	logins, err := demo.Seed(ctx, db, cfg.blobs(), password)
	if err != nil {
		return fmt.Errorf("demo data: %w", err)
	}
	var b strings.Builder
	fmt.Fprintln(&b, "Demo logins (demo data, not for production):")
	for _, l := range logins {
		region := ""
		if l.RegionCode != "" {
			region = " " + l.RegionCode
		}
		fmt.Fprintf(&b, "  %-12s %-36s %s%s\n", l.Role, l.Email, l.Password, region)
	}
	if err := os.WriteFile(demoLoginsPath(cfg), []byte(b.String()), 0o600); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "loaded the demo data set (%d Pemda, year %d)\n%s", len(demo.Regions), demo.Year, b.String())
	return nil
}

func demoLoginsPath(cfg *config) string { return filepath.Join(cfg.DataDir, "demo-logins.txt") }

// openMigrated opens the database and applies pending migrations.
func openMigrated(ctx context.Context, cfg *config) (*models.DB, error) {
	db, err := cfg.open(slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return nil, err
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}
