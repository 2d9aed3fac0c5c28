package backup

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

// staging keeps track of what a restore wrote, so that a failed one leaves nothing behind.
type staging struct {
	created []stored    // stored files put in place
	secrets [][2]string // secrets written aside: temporary path, final path
}

// stored is a file a restore put into a store.
type stored struct {
	store *models.BlobStore
	sha   string
}

// undo removes the stored files put in place and the secrets written aside.
func (s *staging) undo() {
	for _, f := range s.created {
		f.store.Remove(context.Background(), f.sha)
	}
	for _, sec := range s.secrets {
		os.Remove(sec[0])
	}
}

// place moves the secrets into place, replacing what was there.
func (s *staging) place() error {
	for _, sec := range s.secrets {
		if err := os.Rename(sec[0], sec[1]); err != nil {
			return err
		}
	}
	return nil
}

// restoreFile writes a stored file into its store, in a directory or a bucket (as the store
// writes: checked, then put in place whole) once its content matched the manifest and its name.
func (r *restorer) restoreFile(ctx context.Context, e Entry) error {
	storeName, sha, err := parseFileEntry(e.Path)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	store, err := r.store(storeName)
	if err != nil {
		return err
	}
	if e.SHA256 != sha {
		return fmt.Errorf("%w: %s: the manifest gives it SHA-256 %s", ErrDamaged, e.Path, e.SHA256)
	}
	var created bool
	err = r.verified(e, func(rd io.Reader) error {
		created, err = store.Import(ctx, sha, rd)
		if errors.Is(err, models.ErrCorrupt) {
			return nil // the store kept nothing; verified names the mismatch with the manifest
		}
		return err
	})
	if created {
		r.staged.created = append(r.staged.created, stored{store, sha})
	}
	return err
}

// store finds a named store of the layout.
func (r *restorer) store(name string) (*models.BlobStore, error) {
	for _, s := range r.layout.Stores {
		if s.Name == name {
			return s.Blobs, nil
		}
	}
	return nil, fmt.Errorf("the backup has %q, which this installation does not keep", name)
}

// stageSecret writes a secret beside its place, to be moved there when everything else
// has been restored.
func (r *restorer) stageSecret(e Entry) error {
	final, err := r.secretPath(e)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(final), 0o700); err != nil {
		return err
	}
	tmp, err := r.writeAside(e, filepath.Dir(final), "."+filepath.Base(final)+".restore-*", 0o600)
	if err != nil {
		return err
	}
	r.staged.secrets = append(r.staged.secrets, [2]string{tmp, final})
	return nil
}

// writeAside copies an entry, checked against the manifest, into a new file in dir and
// returns its path; on any failure the file is removed.
func (r *restorer) writeAside(e Entry, dir, pattern string, mode fs.FileMode) (string, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", err
	}
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return "", err
	}
	err = r.verified(e, func(rd io.Reader) error {
		if _, err := io.Copy(f, rd); err != nil {
			return err
		}
		return f.Sync()
	})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), mode)
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}
