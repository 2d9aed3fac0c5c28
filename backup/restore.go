package backup

import (
	"archive/zip"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/pantau-id/pantau/models"
)

// Restore errors.
var (
	// ErrNotEmpty: the target database already holds data; nothing was changed.
	ErrNotEmpty = errors.New("the installation is not empty")
	// ErrDamaged: the archive is not a whole, unchanged backup; nothing was restored.
	ErrDamaged = errors.New("the backup archive is damaged")
)

// seeded are the tables the migrations themselves fill, with the condition under which a
// row is data rather than that seed: the audit chain's head starts at (0, ”).
var seeded = map[string]string{"audit_head": "seq <> 0 OR hash <> ''"}

// Restore fills an empty installation from the archive at archivePath: it migrates db to the
// backup's schema, loads every table's rows in one transaction (setting PostgreSQL's
// sequences past the restored ids), writes the stored files and the secrets to the places
// layout names, then applies any newer migrations. Every entry's SHA-256 and size are checked
// against the manifest before anything it holds is kept: on a mismatch (ErrDamaged, naming
// the entry) or any other failure the transaction is rolled back and the files written are
// removed. A database that already holds data is refused with ErrNotEmpty, changing nothing.
// A backup that lacked referenced files (see Write) is restored, and ErrIncomplete says so.
func Restore(ctx context.Context, archivePath string, db *models.DB, layout Layout) (*Manifest, error) {
	zr, err := zip.OpenReader(archivePath)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	defer zr.Close()
	m, entries, err := readManifest(&zr.Reader)
	if err != nil {
		return nil, err
	}
	if err := checkSchema(m); err != nil {
		return m, err
	}
	pool, err := db.SQL()
	if err != nil {
		return m, err
	}
	if err := checkEmpty(ctx, catalog{d: db.Dialect, q: pool}, m.SchemaVersion); err != nil {
		return m, err
	}
	if _, err := db.MigrateTo(ctx, m.SchemaVersion); err != nil {
		return m, err
	}
	r := &restorer{m: m, entries: entries, d: db.Dialect, layout: layout}
	if err := r.run(ctx, pool); err != nil {
		return m, err
	}
	if _, err := db.Migrate(ctx); err != nil {
		return m, err
	}
	if len(m.Missing) > 0 {
		return m, fmt.Errorf("%w: the backup lacked %d files its rows refer to: %s", ErrIncomplete, len(m.Missing), strings.Join(m.Missing, ", "))
	}
	return m, nil
}

// readManifest reads the manifest and checks that the archive holds exactly the entries it
// lists.
func readManifest(zr *zip.Reader) (*Manifest, map[string]*zip.File, error) {
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[f.Name] = f
	}
	mf := files[manifestName]
	if mf == nil {
		return nil, nil, fmt.Errorf("%w: it has no %s", ErrDamaged, manifestName)
	}
	rc, err := mf.Open()
	if err != nil {
		return nil, nil, err
	}
	defer rc.Close()
	var m Manifest
	if err := json.NewDecoder(rc).Decode(&m); err != nil {
		return nil, nil, fmt.Errorf("%w: %s: %v", ErrDamaged, manifestName, err)
	}
	if m.Format != Format {
		return nil, nil, fmt.Errorf("%w: format %q, not %q", ErrDamaged, m.Format, Format)
	}
	delete(files, manifestName)
	listed := map[string]bool{}
	for _, e := range m.Entries {
		if files[e.Path] == nil {
			return nil, nil, fmt.Errorf("%w: %s is in the manifest but not in the archive", ErrDamaged, e.Path)
		}
		listed[e.Path] = true
	}
	for name := range files {
		if !listed[name] {
			return nil, nil, fmt.Errorf("%w: %s is in the archive but not in the manifest", ErrDamaged, name)
		}
	}
	return &m, files, nil
}

// checkSchema refuses a backup written by a newer schema than this program knows.
func checkSchema(m *Manifest) error {
	all, err := models.Migrations()
	if err != nil {
		return err
	}
	if latest := all[len(all)-1].Version; m.SchemaVersion > latest || m.SchemaVersion < 1 {
		return fmt.Errorf("the backup's schema version %d is not one this Pantau (up to %d) can restore", m.SchemaVersion, latest)
	}
	return nil
}

// checkEmpty refuses a database with data in any table, or whose schema is ahead of the
// backup's.
func checkEmpty(ctx context.Context, cat catalog, version int) error {
	names, err := cat.tableNames(ctx)
	if err != nil || len(names) == 0 {
		return err
	}
	for _, n := range names {
		cond := "1 = 1"
		if c, ok := seeded[n]; ok {
			cond = c
		}
		var one int
		err := cat.q.QueryRowContext(ctx, "SELECT 1 FROM "+quote(n)+" WHERE "+cond+" LIMIT 1").Scan(&one)
		if err == nil {
			return fmt.Errorf("%w: table %s has rows; restore into a new database (and data directory)", ErrNotEmpty, n)
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
	}
	have, err := cat.schemaVersion(ctx)
	if err != nil {
		return err
	}
	if have > version {
		return fmt.Errorf("the database's schema (version %d) is newer than the backup's (%d): restore into a new database", have, version)
	}
	return nil
}

// restorer carries one restore's state.
type restorer struct {
	m       *Manifest
	entries map[string]*zip.File
	d       models.Dialect
	layout  Layout
	staged  staging
}

func (r *restorer) run(ctx context.Context, pool *sql.DB) (err error) {
	conn, err := pool.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if r.d == models.SQLite {
		// One large transaction: keep its statement journal and 64 MiB of pages in memory
		// rather than spilling both to disk; the connection gets its defaults back after.
		if err := pragmas(ctx, conn, "temp_store = MEMORY", "cache_size = -65536"); err != nil {
			return err
		}
		defer pragmas(context.WithoutCancel(ctx), conn, "temp_store = DEFAULT", "cache_size = -2000")
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	defer func() {
		if err != nil {
			r.staged.undo()
		}
	}()
	l, err := newLoader(ctx, catalog{d: r.d, q: tx})
	if err != nil {
		return err
	}
	byPath := map[string]Entry{}
	for _, e := range r.m.Entries {
		byPath[e.Path] = e
	}
	for _, t := range r.m.Tables {
		if err := r.verified(byPath[t.Entry], func(rd io.Reader) error { return l.load(ctx, t, rd) }); err != nil {
			return err
		}
	}
	for _, e := range r.m.Entries {
		switch {
		case strings.HasPrefix(e.Path, "files/"):
			err = r.restoreFile(ctx, e)
		case strings.HasPrefix(e.Path, "secrets/"):
			err = r.stageSecret(e)
		}
		if err != nil {
			return err
		}
	}
	if err := r.staged.place(); err != nil {
		return err
	}
	return tx.Commit()
}

// pragmas sets SQLite pragmas on one connection.
func pragmas(ctx context.Context, conn *sql.Conn, settings ...string) error {
	for _, p := range settings {
		if _, err := conn.ExecContext(ctx, "PRAGMA "+p); err != nil {
			return err
		}
	}
	return nil
}

// verified passes an entry's content to fn, reads what fn left, and checks the SHA-256 and
// size against the manifest's, naming the entry when they differ.
func (r *restorer) verified(e Entry, fn func(io.Reader) error) error {
	f := r.entries[e.Path]
	if f == nil || e.Path == "" {
		return fmt.Errorf("%w: an entry the manifest names is missing", ErrDamaged)
	}
	rc, err := f.Open()
	if err != nil {
		return fmt.Errorf("%w: %s: %v", ErrDamaged, e.Path, err)
	}
	defer rc.Close()
	h := sha256.New()
	cr := &countingReader{r: io.TeeReader(rc, h)}
	if err := fn(cr); err != nil {
		if errors.Is(err, zip.ErrChecksum) || errors.Is(err, zip.ErrFormat) {
			return fmt.Errorf("%w: %s: %v", ErrDamaged, e.Path, err)
		}
		return fmt.Errorf("%s: %w", e.Path, err)
	}
	if _, err := io.Copy(io.Discard, cr); err != nil {
		return fmt.Errorf("%w: %s: %v", ErrDamaged, e.Path, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != e.SHA256 || cr.n != e.Size {
		return fmt.Errorf("%w: %s: SHA-256 %s (%d bytes) does not match the manifest's %s (%d bytes)", ErrDamaged, e.Path, got, cr.n, e.SHA256, e.Size)
	}
	return nil
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// place finds a named store or secret of the layout.
func place(places []Place, name string) (string, error) {
	for _, p := range places {
		if p.Name == name {
			return p.Path, nil
		}
	}
	return "", fmt.Errorf("the backup has %q, which this installation does not keep", name)
}

// secretPath is where a secret entry goes.
func (r *restorer) secretPath(e Entry) (string, error) {
	name, rel, err := parseSecretEntry(e.Path)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	base, err := place(r.layout.Secrets, name)
	if err != nil || rel == "" {
		return base, err
	}
	return filepath.Join(base, filepath.FromSlash(rel)), nil
}
