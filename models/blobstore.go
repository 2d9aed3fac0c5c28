package models

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/gabriel-vasile/mimetype"
)

// Blob describes stored content.
type Blob struct {
	SHA256      string
	Size        int64
	ContentType string
}

// BlobStore keeps files by the SHA-256 of their content: in a directory (the default), or in an
// S3 bucket when Remote is set. Every write is spooled to a temporary file under Dir/tmp,
// checked (size, type by content, SHA-256), and only then stored, so that a file is either
// complete or absent; every read is checked against the SHA-256 it is named by before a byte of
// it is served.
type BlobStore struct {
	// Dir is where the files are kept; with Remote, only where uploads and reads are spooled.
	Dir string
	// MaxSize is the largest file accepted, in bytes.
	MaxSize int64
	// Remote, when set, keeps the files in an S3 bucket instead of Dir.
	Remote *S3Store
}

// Upload errors.
var (
	ErrTooLarge        = errors.New("file too large")
	ErrUnsupportedType = errors.New("unsupported file type")
	ErrEmptyFile       = errors.New("empty file")
	// ErrCorrupt: a stored file's content no longer has the SHA-256 it is named by.
	ErrCorrupt = errors.New("stored file does not match its SHA-256")
)

// allowedTypes are the evidence types accepted, as detected from content (never from the name).
var allowedTypes = map[string]bool{
	"application/pdf": true,
	"image/png":       true,
	"image/jpeg":      true,
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document":   true,
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":         true,
	"application/vnd.openxmlformats-officedocument.presentationml.presentation": true,
	"application/msword":                              true,
	"application/vnd.ms-excel":                        true,
	"application/vnd.ms-powerpoint":                   true,
	"application/x-ole-storage":                       true,
	"application/vnd.oasis.opendocument.text":         true,
	"application/vnd.oasis.opendocument.spreadsheet":  true,
	"application/vnd.oasis.opendocument.presentation": true,
}

// Backend names the kind of store, as the storage metrics label it: "local" or "s3".
func (s *BlobStore) Backend() string {
	if s.Remote != nil {
		return "s3"
	}
	return "local"
}

// Put stores r's content, refusing content over MaxSize, empty content and types outside the
// allow-list. Nothing is left behind when it fails.
func (s *BlobStore) Put(r io.Reader) (Blob, error) {
	defer observeStorage(s.Backend(), "put", time.Now())
	f, err := s.spool()
	if err != nil {
		return Blob{}, err
	}
	defer os.Remove(f.Name()) // a no-op after a rename into place
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(r, s.MaxSize+1))
	if err != nil {
		return Blob{}, err
	}
	if n > s.MaxSize {
		return Blob{}, ErrTooLarge
	}
	if n == 0 {
		return Blob{}, ErrEmptyFile
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return Blob{}, err
	}
	mt, err := mimetype.DetectReader(f)
	if err != nil {
		return Blob{}, err
	}
	ctype, _, _ := strings.Cut(mt.String(), ";")
	if !allowedTypes[ctype] {
		return Blob{}, fmt.Errorf("%w: %s", ErrUnsupportedType, ctype)
	}
	b := Blob{SHA256: hex.EncodeToString(h.Sum(nil)), Size: n, ContentType: ctype}
	return b, s.keep(context.Background(), f, b)
}

// Import stores r's content, which must have the SHA-256 sha, as it is: no size or type check
// (a restore puts back what a store once accepted). It reports whether the store did not
// hold it before.
func (s *BlobStore) Import(ctx context.Context, sha string, r io.Reader) (created bool, err error) {
	defer observeStorage(s.Backend(), "put", time.Now())
	if !shaPattern.MatchString(sha) {
		return false, fmt.Errorf("%q is not a SHA-256", sha)
	}
	if ok, err := s.Has(ctx, sha); err != nil || ok {
		return false, err
	}
	f, err := s.spool()
	if err != nil {
		return false, err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), r)
	if err != nil {
		return false, err
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != sha {
		return false, fmt.Errorf("%w: %s has SHA-256 %s", ErrCorrupt, sha, got)
	}
	return true, s.keep(ctx, f, Blob{SHA256: sha, Size: n, ContentType: "application/octet-stream"})
}

// spool creates a temporary file under Dir/tmp.
func (s *BlobStore) spool() (*os.File, error) {
	tmpDir := filepath.Join(s.Dir, "tmp")
	if err := os.MkdirAll(tmpDir, 0o750); err != nil {
		return nil, err
	}
	return os.CreateTemp(tmpDir, "upload-*")
}

// keep stores a checked, spooled file under its SHA-256: renamed into place in Dir, or
// uploaded to the bucket from the file (streamed; the whole file is never in memory).
func (s *BlobStore) keep(ctx context.Context, f *os.File, b Blob) error {
	if err := f.Sync(); err != nil {
		return err
	}
	if s.Remote != nil {
		return s.Remote.put(ctx, f, b)
	}
	if err := f.Close(); err != nil {
		return err
	}
	final := s.path(b.SHA256)
	if err := os.MkdirAll(filepath.Dir(final), 0o750); err != nil {
		return err
	}
	if err := os.Rename(f.Name(), final); err != nil {
		return err
	}
	return syncDir(filepath.Dir(final))
}

// Open returns the stored content for a SHA-256, once its content was checked against it: a
// file whose content does not hash to its name is ErrCorrupt, never served. A SHA-256 the
// store does not hold is an error matching fs.ErrNotExist.
func (s *BlobStore) Open(sha string) (io.ReadSeekCloser, error) {
	if !shaPattern.MatchString(sha) {
		return nil, ErrNotFound
	}
	defer observeStorage(s.Backend(), "get", time.Now())
	if s.Remote != nil {
		return s.openRemote(context.Background(), sha)
	}
	f, err := os.Open(s.path(sha))
	if err != nil {
		return nil, err
	}
	if err := checkContent(f, sha); err != nil {
		f.Close()
		return nil, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// openRemote copies an object into a spooled file, already unlinked (it vanishes when
// closed), checking its SHA-256 on the way. An object a sweep has set aside is found there.
func (s *BlobStore) openRemote(ctx context.Context, sha string) (io.ReadSeekCloser, error) {
	f, err := s.spool()
	if err != nil {
		return nil, err
	}
	os.Remove(f.Name())
	for _, key := range []string{s.Remote.key(sha), s.Remote.asideKey(sha)} {
		if err = s.fetch(ctx, f, key, sha); !errors.Is(err, fs.ErrNotExist) {
			break
		}
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// fetch copies the object under key into f, from f's start, and checks that its SHA-256 is
// sha; f is left at its start.
func (s *BlobStore) fetch(ctx context.Context, f *os.File, key, sha string) error {
	obj, err := s.Remote.get(ctx, key)
	if err != nil {
		return err
	}
	defer obj.Close()
	if err := f.Truncate(0); err != nil {
		return err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(f, h), obj); err != nil {
		return s.Remote.notFound(err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != sha {
		return fmt.Errorf("%w: %s in %s has SHA-256 %s", ErrCorrupt, sha, s.Remote, got)
	}
	_, err = f.Seek(0, io.SeekStart)
	return err
}

// checkContent reads r to its end and says ErrCorrupt unless its SHA-256 is sha.
func checkContent(r io.Reader, sha string) error {
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		return err
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != sha {
		return fmt.Errorf("%w: %s has SHA-256 %s", ErrCorrupt, sha, got)
	}
	return nil
}

// Has says whether the store holds the content with this SHA-256.
func (s *BlobStore) Has(ctx context.Context, sha string) (bool, error) {
	if !shaPattern.MatchString(sha) {
		return false, nil
	}
	if s.Remote != nil {
		return s.Remote.has(ctx, sha)
	}
	_, err := os.Stat(s.path(sha))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

// Remove deletes the content with this SHA-256 (a restore that failed takes back what it wrote).
func (s *BlobStore) Remove(ctx context.Context, sha string) error {
	if !shaPattern.MatchString(sha) {
		return ErrNotFound
	}
	if s.Remote != nil {
		return s.Remote.remove(ctx, sha)
	}
	return os.Remove(s.path(sha))
}

// Ping checks that the store can be reached: the bucket answers, or the directory exists.
func (s *BlobStore) Ping(ctx context.Context) error {
	defer observeStorage(s.Backend(), "ping", time.Now())
	if s.Remote != nil {
		return s.Remote.ping(ctx)
	}
	_, err := os.Stat(s.Dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil // created by the first upload
	}
	return err
}

var shaPattern = regexp.MustCompile(`^[0-9a-f]{64}$`)

func (s *BlobStore) path(sha string) string { return filepath.Join(s.Dir, sha[:2], sha) }

// String names the store in logs: its directory or its bucket and prefix.
func (s *BlobStore) String() string {
	if s.Remote != nil {
		return s.Remote.String()
	}
	return s.Dir
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// ---- Sweeping orphaned files ----

// SweepResult says what a sweep removed.
type SweepResult struct {
	Files int
	Bytes int64
}

// DefaultSweepGrace is how old an unreferenced file must be before a sweep removes it. It must
// be longer than any upload takes from storing its file to committing the row that refers to it.
const DefaultSweepGrace = time.Hour

// Sweep removes the files nothing refers to: stored blobs that no committed row references
// (refused uploads, lost conflicts, crashes between storing and committing) and temporary files,
// once older than grace. It never removes a file a committed row references: a blob is judged
// by its age and the database's references, then moved aside (one atomic rename) and looked at
// again — if an upload stored the same content meanwhile, the file moved aside is that upload's
// fresh one and is put back. Every column whose name contains "sha256" counts as a reference,
// so that a new table that keeps blobs is covered without a change here. Several instances may
// sweep the same directory at once. With Remote, the bucket is swept as sweepRemote says.
func (s *BlobStore) Sweep(ctx context.Context, db *DB, grace time.Duration) (SweepResult, error) {
	defer observeStorage(s.Backend(), "sweep", time.Now())
	if s.Remote != nil {
		return s.sweepRemote(ctx, db, grace)
	}
	return s.sweepDir(ctx, db, grace)
}

// sweepDir sweeps the directory: its stored files and its temporary files (with Remote, only
// the latter are there).
func (s *BlobStore) sweepDir(ctx context.Context, db *DB, grace time.Duration) (SweepResult, error) {
	var res SweepResult
	cutoff := time.Now().Add(-grace)
	var candidates []string
	var leftovers []string // moved aside by a sweep that did not finish
	err := filepath.WalkDir(s.Dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.IsDir() {
			return ctx.Err()
		}
		info, err := d.Info()
		if err != nil || !info.ModTime().Before(cutoff) {
			return nil // gone meanwhile, or too young
		}
		name := d.Name()
		switch {
		case filepath.Base(filepath.Dir(path)) == "tmp" && strings.HasPrefix(name, "sweep-"):
			leftovers = append(leftovers, path)
		case filepath.Base(filepath.Dir(path)) == "tmp":
			if os.Remove(path) == nil {
				res.Files, res.Bytes = res.Files+1, res.Bytes+info.Size()
			}
		case shaPattern.MatchString(name) && path == s.path(name):
			candidates = append(candidates, name)
		}
		return nil
	})
	if err != nil {
		return res, err
	}
	shas := append([]string(nil), candidates...)
	for _, p := range leftovers {
		shas = append(shas, leftoverSHA(p))
	}
	referenced, err := db.referencedBlobs(ctx, shas)
	if err != nil {
		return res, err
	}
	if err := os.MkdirAll(filepath.Join(s.Dir, "tmp"), 0o750); err != nil {
		return res, err
	}
	for _, p := range leftovers {
		s.settleAside(p, referenced[leftoverSHA(p)], cutoff, &res)
	}
	for _, sha := range candidates {
		if referenced[sha] {
			continue
		}
		aside, err := os.CreateTemp(filepath.Join(s.Dir, "tmp"), "sweep-"+sha+"-")
		if err != nil {
			return res, err
		}
		aside.Close()
		if err := os.Rename(s.path(sha), aside.Name()); err != nil {
			os.Remove(aside.Name()) // another sweep took it first
			continue
		}
		s.settleAside(aside.Name(), false, cutoff, &res)
	}
	return res, nil
}

// settleAside decides on a file a sweep moved aside: back into place when it is referenced or
// younger than the cutoff (an upload renamed it into place after the sweep looked), removed
// otherwise.
func (s *BlobStore) settleAside(path string, referenced bool, cutoff time.Time, res *SweepResult) {
	info, err := os.Stat(path)
	if err != nil {
		return
	}
	if referenced || !info.ModTime().Before(cutoff) {
		// Link, not rename: if an upload has stored the same content again meanwhile, keep its
		// file (the content is the same).
		if err := os.Link(path, s.path(leftoverSHA(path))); err != nil && !errors.Is(err, fs.ErrExist) {
			return // keep it aside; the next sweep tries again
		}
	} else {
		res.Files, res.Bytes = res.Files+1, res.Bytes+info.Size()
	}
	os.Remove(path)
}

// leftoverSHA is the SHA-256 in the name of a file a sweep moved aside (tmp/sweep-SHA-random).
func leftoverSHA(path string) string {
	name := strings.TrimPrefix(filepath.Base(path), "sweep-")
	if len(name) < 64 {
		return ""
	}
	return name[:64]
}

// referencedBlobs says which of shas a committed row refers to, in any column whose name
// contains "sha256".
func (db *DB) referencedBlobs(ctx context.Context, shas []string) (map[string]bool, error) {
	out := map[string]bool{}
	if len(shas) == 0 {
		return out, nil
	}
	query := "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND column_name LIKE '%sha256%'"
	if db.Dialect == SQLite {
		query = "SELECT m.name AS table_name, p.name AS column_name FROM sqlite_master m JOIN pragma_table_info(m.name) p " +
			"WHERE m.type = 'table' AND p.name LIKE '%sha256%'"
	}
	var columns []struct{ TableName, ColumnName string }
	if err := db.read(ctx).Raw(query).Scan(&columns).Error; err != nil {
		return nil, err
	}
	if len(columns) == 0 {
		return nil, errors.New("no column refers to stored files: refusing to sweep")
	}
	for start := 0; start < len(shas); start += 500 {
		batch := shas[start:min(start+500, len(shas))]
		for _, c := range columns {
			var found []string
			q := fmt.Sprintf("SELECT DISTINCT %s FROM %s WHERE %s IN ?", c.ColumnName, c.TableName, c.ColumnName)
			if err := db.read(ctx).Raw(q, batch).Scan(&found).Error; err != nil {
				return nil, err
			}
			for _, sha := range found {
				out[sha] = true
			}
		}
	}
	return out, nil
}
