package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/pantau-id/pantau/backup"
)

// layout names the installation's stores and secrets as the server keeps them: evidence and
// reports in the evidence directory, signed documents, drawn signatures and delegation scans
// under DATA_DIR/documents, the certificate authority (and the local TSA's key) in the CA
// directory, and the demo logins beside the database.
func (c *config) layout() backup.Layout {
	return backup.Layout{
		Stores:  []backup.Store{{Name: "evidence", Blobs: c.blobs()}, {Name: "documents", Blobs: c.documents()}},
		Secrets: []backup.Place{{Name: "ca", Path: c.CADir}, {Name: "demo-logins.txt", Path: demoLoginsPath(c)}},
	}
}

// backupCmd runs "pantau backup -o FILE".
func backupCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var cfg config
	fs := newFlags("backup", "Write a backup of the installation while it keeps serving: every table's rows read in one\n"+
		"consistent snapshot, every evidence file, report and signed document they refer to, and the\n"+
		"certificate authority, in one zip archive with a manifest of SHA-256s. Restore it with\n"+
		"\"pantau restore\", into either database.", stderr)
	cfg.dbFlags(fs, getenv)
	out := fs.String("o", "", "the archive to write (required); written beside it under a temporary name, then renamed")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		fmt.Fprintln(stderr, "pantau backup: say where to write the archive with -o FILE")
		return errUsage
	}
	db, err := cfg.openValid()
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	tmp, err := os.CreateTemp(filepath.Dir(*out), "."+filepath.Base(*out)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op after the rename
	defer tmp.Close()
	m, err := backup.Write(ctx, tmp, db, cfg.layout(), version)
	if err != nil && !errors.Is(err, backup.ErrIncomplete) {
		return err
	}
	if serr := tmp.Sync(); serr != nil {
		return serr
	}
	if rerr := os.Rename(tmp.Name(), *out); rerr != nil {
		return rerr
	}
	fmt.Fprintf(stdout, "wrote %s: schema %d, %d tables, %d rows, %d entries in %s\n", *out, m.SchemaVersion, len(m.Tables), m.Rows(),
		len(m.Entries), time.Since(start).Round(time.Millisecond))
	return err
}

// restoreCmd runs "pantau restore FILE".
func restoreCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var cfg config
	fs := newFlags("restore", "Fill an empty installation from a backup: migrate the schema, load every row in one transaction,\n"+
		"write the files and the certificate authority. Every entry's SHA-256 is checked against the\n"+
		"manifest; on any mismatch nothing is kept and the command exits 1 naming the entry. A database\n"+
		"that already holds data is refused, unchanged. Stop the server of the target first.\n\n"+
		"Usage: pantau restore [flags] FILE", stderr)
	cfg.dbFlags(fs, getenv)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "pantau restore: name the one archive to restore")
		return errUsage
	}
	db, err := cfg.openValid()
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	m, err := backup.Restore(ctx, fs.Arg(0), db, cfg.layout())
	if err != nil && !errors.Is(err, backup.ErrIncomplete) {
		return err
	}
	fmt.Fprintf(stdout, "restored %s (Pantau %s, %s, schema %d, taken %s): %d rows, %d entries, every SHA-256 matched, in %s\n",
		fs.Arg(0), m.PantauVersion, m.Database, m.SchemaVersion, m.CreatedAt, m.Rows(), len(m.Entries), time.Since(start).Round(time.Millisecond))
	return err
}
