package models

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrSharedFileDiffers is returned by ShareFiles when a file on this instance's disk differs
// from the one the installation shares: two certificate authorities would sign as one.
var ErrSharedFileDiffers = errors.New("a local file differs from the installation's shared copy")

// ErrSharedFileSeal is returned by ShareFiles when the shared files cannot be opened with the
// key given (another PANTAU_SECRET_KEY sealed them).
var ErrSharedFileSeal = errors.New("the installation's shared files cannot be opened with this key")

// MinSharedKeyLen is the shortest secret accepted for sealing shared files, in bytes.
const MinSharedKeyLen = 32

// sharedFile is one row of shared_files.
type sharedFile struct {
	Name   string
	Sealed string
}

// ShareFiles makes dir hold the same files on every instance that shares this database: the
// installation's certificate authority, its TSA and its unsubscribe key. Under a lock held
// across instances it first writes into dir each shared file missing there (and fails with
// ErrSharedFileDiffers when one present differs), then runs create, which opens the files
// in dir and creates those still missing, and then shares every file of dir not yet shared.
// So the first instance to start creates the CA and every later one signs with it. Files are
// sealed with AES-256-GCM under a key derived from secret (at least MinSharedKeyLen bytes).
func (db *DB) ShareFiles(ctx context.Context, dir string, secret []byte, create func() error) error {
	if len(secret) < MinSharedKeyLen {
		return fmt.Errorf("the key for shared files must be at least %d bytes", MinSharedKeyLen)
	}
	aead, err := sharedFileCipher(secret)
	if err != nil {
		return err
	}
	return db.exclusively(ctx, "shared-files", func() error {
		var rows []sharedFile
		if err := db.read(ctx).Table("shared_files").Order("name").Find(&rows).Error; err != nil {
			return err
		}
		shared := map[string]bool{}
		for _, r := range rows {
			shared[r.Name] = true
			if err := placeSharedFile(aead, dir, r); err != nil {
				return err
			}
		}
		if err := create(); err != nil {
			return err
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			return err
		}
		for _, e := range entries {
			if !e.Type().IsRegular() || shared[e.Name()] {
				continue
			}
			content, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				return err
			}
			nonce := make([]byte, aead.NonceSize())
			rand.Read(nonce)
			sealed := base64.StdEncoding.EncodeToString(aead.Seal(nonce, nonce, content, []byte(e.Name())))
			if err := db.conn.WithContext(ctx).Exec("INSERT INTO shared_files (name, sealed, created_at) VALUES (?, ?, ?)",
				e.Name(), sealed, db.Now()).Error; err != nil {
				return translate(err)
			}
		}
		return nil
	})
}

// placeSharedFile writes a shared file into dir, or checks that the copy there is the same.
func placeSharedFile(aead cipher.AEAD, dir string, r sharedFile) error {
	raw, err := base64.StdEncoding.DecodeString(r.Sealed)
	if err != nil || len(raw) < aead.NonceSize() || filepath.Base(r.Name) != r.Name {
		return fmt.Errorf("%w: %s is malformed", ErrSharedFileSeal, r.Name)
	}
	content, err := aead.Open(nil, raw[:aead.NonceSize()], raw[aead.NonceSize():], []byte(r.Name))
	if err != nil {
		return fmt.Errorf("%w (%s)", ErrSharedFileSeal, r.Name)
	}
	path := filepath.Join(dir, r.Name)
	local, err := os.ReadFile(path)
	switch {
	case err == nil && !bytes.Equal(local, content):
		return fmt.Errorf("%w: %s", ErrSharedFileDiffers, path)
	case err == nil:
		return nil
	case !errors.Is(err, fs.ErrNotExist):
		return err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".shared-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op after the rename
	if _, err := tmp.Write(content); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path) // CreateTemp made it readable by the owner only
}

func sharedFileCipher(secret []byte) (cipher.AEAD, error) {
	key, err := hkdf.Key(sha256.New, secret, nil, "pantau shared files v1", 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}
