package models

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/gabriel-vasile/mimetype"
)

// Blob describes stored content.
type Blob struct {
	SHA256      string
	Size        int64
	ContentType string
}

// BlobStore keeps files by the SHA-256 of their content under a directory. Writes go to a
// temporary file that is synced and then renamed into place, so a file is either complete or absent.
type BlobStore struct {
	Dir string
	// MaxSize is the largest file accepted, in bytes.
	MaxSize int64
}

// Upload errors.
var (
	ErrTooLarge        = errors.New("file too large")
	ErrUnsupportedType = errors.New("unsupported file type")
	ErrEmptyFile       = errors.New("empty file")
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

// Put stores r's content, refusing content over MaxSize, empty content and types outside the
// allow-list. Nothing is left behind when it fails.
func (s *BlobStore) Put(r io.Reader) (Blob, error) {
	tmpDir := filepath.Join(s.Dir, "tmp")
	if err := os.MkdirAll(tmpDir, 0o750); err != nil {
		return Blob{}, err
	}
	f, err := os.CreateTemp(tmpDir, "upload-*")
	if err != nil {
		return Blob{}, err
	}
	defer os.Remove(f.Name()) // a no-op after the rename
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
	if err := f.Sync(); err != nil {
		return Blob{}, err
	}
	if err := f.Close(); err != nil {
		return Blob{}, err
	}
	b := Blob{SHA256: hex.EncodeToString(h.Sum(nil)), Size: n, ContentType: ctype}
	final := s.path(b.SHA256)
	if err := os.MkdirAll(filepath.Dir(final), 0o750); err != nil {
		return Blob{}, err
	}
	if err := os.Rename(f.Name(), final); err != nil {
		return Blob{}, err
	}
	return b, syncDir(filepath.Dir(final))
}

// Open returns the stored content for a SHA-256.
func (s *BlobStore) Open(sha string) (*os.File, error) {
	if !shaPattern.MatchString(sha) {
		return nil, ErrNotFound
	}
	return os.Open(s.path(sha))
}

var shaPattern = regexp.MustCompile(`^[0-9a-f]{64}$`)

func (s *BlobStore) path(sha string) string { return filepath.Join(s.Dir, sha[:2], sha) }

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
