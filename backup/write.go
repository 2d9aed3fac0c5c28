package backup

import (
	"archive/zip"
	"bufio"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/pantau-id/pantau/models"
)

// ErrIncomplete: the archive was written, but some files the rows refer to were in no store
// (they are named in the manifest's Missing).
var ErrIncomplete = errors.New("the backup is incomplete")

// Write writes a backup of db and of the files in layout to w as a zip archive, and returns
// its manifest. The rows are read in one read-only snapshot (repeatable read on PostgreSQL,
// one read transaction on SQLite), so the server may go on serving and writing meanwhile; the
// files the snapshot's rows refer to are copied after it (a store never changes a file, and
// the sweep removes only files no row refers to and that are over an hour old). It returns
// ErrIncomplete, after writing everything else, when a referenced file is in none of the
// stores.
func Write(ctx context.Context, w io.Writer, db *models.DB, layout Layout, pantauVersion string) (*Manifest, error) {
	pool, err := db.SQL()
	if err != nil {
		return nil, err
	}
	m := &Manifest{Format: Format, PantauVersion: pantauVersion, Database: string(db.Dialect), CreatedAt: db.Now().UTC().Format(time.RFC3339)}
	zw := zip.NewWriter(w)
	aw := &archiveWriter{zw: zw, m: m}
	refs := map[string]bool{}
	if err := dumpDatabase(ctx, pool, db.Dialect, aw, refs); err != nil {
		return nil, err
	}
	if err := aw.copyFiles(layout.Stores, refs); err != nil {
		return nil, err
	}
	for _, s := range layout.Secrets {
		if err := aw.copySecret(s); err != nil {
			return nil, fmt.Errorf("secret %s: %w", s.Name, err)
		}
	}
	mw, err := zw.CreateHeader(&zip.FileHeader{Name: manifestName, Method: zip.Deflate, Modified: time.Now().UTC()})
	if err != nil {
		return nil, err
	}
	enc := json.NewEncoder(mw)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	if len(m.Missing) > 0 {
		return m, fmt.Errorf("%w: %d referenced files are in no store: %s", ErrIncomplete, len(m.Missing), strings.Join(m.Missing, ", "))
	}
	return m, nil
}

// archiveWriter adds entries to the zip, recording each one's SHA-256 and size.
type archiveWriter struct {
	zw *zip.Writer
	m  *Manifest
}

// entry is an open archive entry; close records it in the manifest.
type entry struct {
	aw   *archiveWriter
	path string
	w    io.Writer
	h    hash.Hash
	n    int64
}

func (aw *archiveWriter) create(path string, method uint16) (*entry, error) {
	w, err := aw.zw.CreateHeader(&zip.FileHeader{Name: path, Method: method, Modified: time.Now().UTC()})
	if err != nil {
		return nil, err
	}
	return &entry{aw: aw, path: path, w: w, h: sha256.New()}, nil
}

func (e *entry) Write(p []byte) (int, error) {
	n, err := e.w.Write(p)
	e.h.Write(p[:n])
	e.n += int64(n)
	return n, err
}

// close records the entry and returns its SHA-256.
func (e *entry) close() string {
	sum := hex.EncodeToString(e.h.Sum(nil))
	e.aw.m.Entries = append(e.aw.m.Entries, Entry{Path: e.path, SHA256: sum, Size: e.n})
	return sum
}

// dumpDatabase writes every table's rows, and notes in refs every stored file they refer to.
func dumpDatabase(ctx context.Context, pool *sql.DB, d models.Dialect, aw *archiveWriter, refs map[string]bool) error {
	opts := &sql.TxOptions{ReadOnly: true}
	if d == models.Postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := pool.BeginTx(ctx, opts)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	cat := catalog{d: d, q: tx}
	// The snapshot is taken by the first read, the schema version's.
	if aw.m.SchemaVersion, err = cat.schemaVersion(ctx); err != nil {
		return fmt.Errorf("read the schema version: %w", err)
	}
	tables, err := cat.tables(ctx)
	if err != nil {
		return err
	}
	for _, t := range tables {
		if err := aw.dumpTable(ctx, cat, t, refs); err != nil {
			return fmt.Errorf("table %s: %w", t.Name, err)
		}
	}
	return tx.Commit()
}

// dumpTable writes one table's rows in key order as JSON arrays, one a line.
func (aw *archiveWriter) dumpTable(ctx context.Context, cat catalog, t *tableInfo, refs map[string]bool) error {
	seq, err := cat.sequence(ctx, t.Name)
	if err != nil {
		return err
	}
	names := make([]string, len(t.Columns))
	var shaCols []int
	for i, c := range t.Columns {
		names[i] = quote(c.Name)
		if c.Kind == Text && strings.Contains(c.Name, "sha256") {
			shaCols = append(shaCols, i)
		}
	}
	q := "SELECT " + strings.Join(names, ", ") + " FROM " + quote(t.Name)
	if len(t.Key) > 0 {
		keys := make([]string, len(t.Key))
		for i, k := range t.Key {
			keys[i] = quote(k)
		}
		q += " ORDER BY " + strings.Join(keys, ", ")
	}
	rows, err := cat.q.QueryContext(ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	e, err := aw.create(tableEntry(t.Name), zip.Deflate)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(e, 64<<10)
	raw := make([]any, len(t.Columns))
	ptrs := make([]any, len(t.Columns))
	for i := range raw {
		ptrs[i] = &raw[i]
	}
	out := make([]any, len(t.Columns))
	var n int64
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		for i, c := range t.Columns {
			if out[i], err = encode(c.Kind, raw[i]); err != nil {
				return fmt.Errorf("column %s: %w", c.Name, err)
			}
		}
		for _, i := range shaCols {
			if s, ok := out[i].(string); ok && shaName.MatchString(s) {
				refs[s] = true
			}
		}
		line, err := json.Marshal(out)
		if err != nil {
			return err
		}
		if _, err := bw.Write(append(line, '\n')); err != nil {
			return err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	e.close()
	aw.m.Tables = append(aw.m.Tables, Table{Name: t.Name, Entry: e.path, Columns: t.Columns, Rows: n, Sequence: seq})
	return nil
}

// copyFiles copies every referenced file from the stores that hold it, checking that its
// content still has the SHA-256 it is named by.
func (aw *archiveWriter) copyFiles(stores []Store, refs map[string]bool) error {
	shas := make([]string, 0, len(refs))
	for sha := range refs {
		shas = append(shas, sha)
	}
	sort.Strings(shas)
	for _, sha := range shas {
		found := false
		for _, s := range stores {
			ok, err := aw.copyFile(s, sha)
			if err != nil {
				return err
			}
			found = found || ok
		}
		if !found {
			aw.m.Missing = append(aw.m.Missing, sha)
		}
	}
	return nil
}

// copyFile copies one stored file, reporting false when this store does not hold it.
func (aw *archiveWriter) copyFile(store Store, sha string) (bool, error) {
	f, err := store.Blobs.Open(sha)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	defer f.Close()
	e, err := aw.create(fileEntry(store.Name, sha), zip.Deflate)
	if err != nil {
		return false, err
	}
	if _, err := io.Copy(e, f); err != nil {
		return false, fmt.Errorf("%s: %w", e.path, err)
	}
	if got := e.close(); got != sha {
		return false, fmt.Errorf("%s in %s: the content's SHA-256 is %s, not its name (changed meanwhile)", sha, store.Blobs, got)
	}
	return true, nil
}

// copySecret copies a secret file, or every file in a secret directory; a secret that does
// not exist is skipped (an installation that has not started yet has no CA).
func (aw *archiveWriter) copySecret(s Place) error {
	info, err := os.Stat(s.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	} else if err != nil {
		return err
	}
	if !info.IsDir() {
		return aw.copyPlain(s.Path, secretEntry(s.Name, ""))
	}
	return filepath.WalkDir(s.Path, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		rel, err := filepath.Rel(s.Path, p)
		if err != nil {
			return err
		}
		return aw.copyPlain(p, secretEntry(s.Name, filepath.ToSlash(rel)))
	})
}

func (aw *archiveWriter) copyPlain(src, path string) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	e, err := aw.create(path, zip.Deflate)
	if err != nil {
		return err
	}
	if _, err := io.Copy(e, f); err != nil {
		return err
	}
	e.close()
	return nil
}
