package models_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/modelstest"
	"github.com/pantau-id/pantau/models/s3test"
)

// storeBackend makes an empty store of one kind and can overwrite a stored file behind its back.
type storeBackend struct {
	name    string
	open    func(t *testing.T, maxSize int64) *models.BlobStore
	corrupt func(t *testing.T, s *models.BlobStore, sha string, content []byte)
}

// storeBackends are the local directory and an S3 bucket on a real SeaweedFS.
func storeBackends(t *testing.T) []storeBackend {
	var weed *s3test.Server
	var bucket string
	return []storeBackend{{
		name: "local",
		open: func(t *testing.T, maxSize int64) *models.BlobStore {
			return &models.BlobStore{Dir: t.TempDir(), MaxSize: maxSize}
		},
		corrupt: func(t *testing.T, s *models.BlobStore, sha string, content []byte) {
			if err := os.WriteFile(blobPath(s.Dir, sha), content, 0o640); err != nil {
				t.Fatal(err)
			}
		},
	}, {
		name: "s3",
		open: func(t *testing.T, maxSize int64) *models.BlobStore {
			weed = s3test.Start(t)
			cfg := weed.Bucket(t)
			bucket = cfg.Bucket
			b, err := models.OpenS3(cfg)
			if err != nil {
				t.Fatal(err)
			}
			return &models.BlobStore{Dir: t.TempDir(), MaxSize: maxSize, Remote: b.Store("evidence")}
		},
		corrupt: func(t *testing.T, s *models.BlobStore, sha string, content []byte) {
			key := "evidence/" + sha[:2] + "/" + sha
			if _, err := weed.Client.PutObject(context.Background(), bucket, key, bytes.NewReader(content), int64(len(content)), minio.PutObjectOptions{}); err != nil {
				t.Fatal(err)
			}
		},
	}}
}

func shaOf(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// TestStoreBackends runs the same cases on the local directory and on S3: content comes back
// as stored, too large, empty and refused types store nothing, a file whose content no longer
// hashes to its name is an error rather than served, a missing one is fs.ErrNotExist, and the
// sweep removes old orphans only.
func TestStoreBackends(t *testing.T) {
	for _, be := range storeBackends(t) {
		t.Run(be.name, func(t *testing.T) {
			ctx := context.Background()
			store := be.open(t, 64<<10)
			cases := []struct {
				name    string
				content []byte
				want    error
			}{
				{"too large", append(pdfWith(0), make([]byte, 64<<10)...), models.ErrTooLarge},
				{"empty", nil, models.ErrEmptyFile},
				{"type refused", []byte("just some words, not a document"), models.ErrUnsupportedType},
			}
			for _, c := range cases {
				if _, err := store.Put(bytes.NewReader(c.content)); !errors.Is(err, c.want) {
					t.Fatalf("%s: %v, want %v", c.name, err, c.want)
				}
				if ok, err := store.Has(ctx, shaOf(c.content)); ok || err != nil {
					t.Fatalf("%s: stored anyway (%v)", c.name, err)
				}
			}

			content := pdfWith(1)
			b, err := store.Put(bytes.NewReader(content))
			if err != nil {
				t.Fatal(err)
			}
			if b.SHA256 != shaOf(content) || b.Size != int64(len(content)) || b.ContentType != "application/pdf" {
				t.Fatalf("stored as %+v", b)
			}
			f, err := store.Open(b.SHA256)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(f)
			if _, err := f.Seek(9, io.SeekStart); err != nil {
				t.Fatal(err)
			}
			rest, _ := io.ReadAll(f)
			f.Close()
			if !bytes.Equal(got, content) || !bytes.Equal(rest, content[9:]) {
				t.Fatalf("read back %q, then from 9 %q", got, rest)
			}
			if _, err := store.Open(shaOf(pdfWith(99))); !errors.Is(err, fs.ErrNotExist) {
				t.Fatalf("a file never stored: %v", err)
			}

			damaged := pdfWith(2)
			d, err := store.Put(bytes.NewReader(damaged))
			if err != nil {
				t.Fatal(err)
			}
			be.corrupt(t, store, d.SHA256, append(damaged, '!'))
			if f, err := store.Open(d.SHA256); !errors.Is(err, models.ErrCorrupt) {
				if f != nil {
					f.Close()
				}
				t.Fatalf("a damaged file was opened: %v", err)
			}

			large := checkStreaming(t, store)
			checkSweep(t, store, b.SHA256, d.SHA256, large)
			checkSweepRaces(t, store)
			if left, _ := filepath.Glob(filepath.Join(store.Dir, "tmp", "*")); len(left) != 0 {
				t.Fatalf("spooled files left behind: %v", left)
			}
		})
	}
}

// checkSweep refers to kept in a row, lets kept and the orphans grow older than the grace,
// stores a young file, and sweeps: the orphans leave their place, and once the grace has
// passed again a second sweep has removed them (a local sweep at once, an S3 sweep sets them
// aside first, where reads still find them); kept and the young file stay.
func checkSweep(t *testing.T, store *models.BlobStore, kept string, orphans ...string) {
	t.Helper()
	ctx := context.Background()
	db := modelstest.Open(t, models.SQLite)
	now := time.Now().UTC()
	if err := modelstest.Raw(t, db).Exec("INSERT INTO documents (kind, verification_code, title, status, sha256, size, created_at, updated_at) VALUES ('report', 'KODE1', 'Laporan', 'issued', ?, 1, ?, ?)",
		kept, now, now).Error; err != nil {
		t.Fatal(err)
	}
	const grace = 2 * time.Second
	time.Sleep(grace + 1100*time.Millisecond) // S3 keeps whole seconds
	young, err := store.Put(bytes.NewReader(pdfWith(3)))
	if err != nil {
		t.Fatal(err)
	}
	inPlace := func(when string) {
		t.Helper()
		want := map[string]bool{kept: true, young.SHA256: true}
		for _, sha := range orphans {
			want[sha] = false
		}
		for sha, want := range want {
			if ok, err := store.Has(ctx, sha); ok != want || err != nil {
				t.Fatalf("%s, %s in its place: %v (%v), want %v", when, sha, ok, err, want)
			}
		}
	}
	swept := 0
	for i, when := range []string{"after the first sweep", "after the second sweep"} {
		if i > 0 {
			time.Sleep(grace + 1100*time.Millisecond)
			if young, err = store.Put(bytes.NewReader(pdfWith(3))); err != nil { // young again
				t.Fatal(err)
			}
		}
		res, err := store.Sweep(ctx, db, grace)
		if err != nil {
			t.Fatal(err)
		}
		swept += res.Files
		inPlace(when)
		for _, sha := range orphans {
			f, err := store.Open(sha)
			if err == nil {
				f.Close()
			}
			// The damaged orphan is found, and refused for its content.
			if found, want := !errors.Is(err, fs.ErrNotExist), i == 0 && store.Remote != nil; found != want {
				t.Fatalf("%s, orphan %s found: %v (%v), want %v", when, sha, found, err, want)
			}
		}
	}
	if swept != len(orphans) {
		t.Fatalf("the sweeps removed %d files, want the %d orphans only", swept, len(orphans))
	}
}

// checkSweepRaces sweeps again and again while uploads store the very contents of old orphans
// again and commit rows that refer to them: every acknowledged upload can be read at once, its
// file is back in its place once the grace has passed, and the orphans nobody uploaded again
// are gone.
func checkSweepRaces(t *testing.T, store *models.BlobStore) {
	t.Helper()
	ctx := context.Background()
	db := modelstest.Open(t, models.SQLite)
	raw := modelstest.Raw(t, db)
	const grace = 2 * time.Second
	const orphans, uploaders, perUploader = 24, 3, 6
	for i := range orphans {
		if _, err := store.Put(bytes.NewReader(pdfWith(100 + i))); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(grace + 1100*time.Millisecond)
	stop := make(chan struct{})
	var sweeps, swept int
	var sweeper sync.WaitGroup
	sweeper.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			res, err := store.Sweep(ctx, db, grace)
			if err != nil {
				t.Error(err)
				return
			}
			sweeps, swept = sweeps+1, swept+res.Files
		}
	})
	var mu sync.Mutex
	acknowledged := map[string]int{} // SHA-256 → content number
	var wg sync.WaitGroup
	for u := range uploaders {
		wg.Go(func() {
			for i := range perUploader {
				n := 100 + u*perUploader + i // the content of an orphan, stored again
				b, err := store.Put(bytes.NewReader(pdfWith(n)))
				if err != nil {
					t.Error(err)
					return
				}
				now := time.Now().UTC()
				if err := raw.Exec("INSERT INTO documents (kind, verification_code, title, status, sha256, size, created_at, updated_at) VALUES ('report', ?, 'Laporan', 'issued', ?, 1, ?, ?)",
					fmt.Sprintf("RACE%d", n), b.SHA256, now, now).Error; err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				acknowledged[b.SHA256] = n
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	close(stop)
	sweeper.Wait()
	t.Logf("%d sweeps removed %d files while %d uploads were acknowledged", sweeps, swept, len(acknowledged))
	readable := func(sha string, n int) bool {
		f, err := store.Open(sha)
		if errors.Is(err, fs.ErrNotExist) {
			return false
		}
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		got, _ := io.ReadAll(f)
		if !bytes.Equal(got, pdfWith(n)) {
			t.Fatalf("the file of content %d changed", n)
		}
		return true
	}
	for sha, n := range acknowledged {
		if !readable(sha, n) {
			t.Fatalf("acknowledged upload of content %d lost its file", n)
		}
	}
	for range 2 { // what is set aside is settled a grace later; what is left in place is set aside
		time.Sleep(grace + 1100*time.Millisecond)
		if _, err := store.Sweep(ctx, db, grace); err != nil {
			t.Fatal(err)
		}
	}
	for sha, n := range acknowledged {
		if ok, err := store.Has(ctx, sha); !ok || err != nil || !readable(sha, n) {
			t.Fatalf("acknowledged upload of content %d: in its place %v (%v)", n, ok, err)
		}
	}
	for n := 100 + uploaders*perUploader; n < 100+orphans; n++ {
		if readable(shaOf(pdfWith(n)), n) {
			t.Fatalf("orphan %d nobody uploaded again survived", n)
		}
	}
}

// checkStreaming stores and reads back a 20 MiB file and finds that neither held it in memory:
// the process allocated well under its size on each way. It returns the file's SHA-256.
func checkStreaming(t *testing.T, store *models.BlobStore) string {
	t.Helper()
	const size = 20 << 20
	big := *store
	big.MaxSize = 32 << 20
	content := func() io.Reader {
		return io.MultiReader(bytes.NewReader(pdfWith(7)), io.LimitReader(zeros{}, size-int64(len(pdfWith(7)))))
	}
	h := sha256.New()
	io.Copy(h, content())
	var b models.Blob
	allocated := allocatedBy(t, func() {
		var err error
		if b, err = big.Put(content()); err != nil {
			t.Fatal(err)
		}
	})
	if b.SHA256 != hex.EncodeToString(h.Sum(nil)) || allocated > size/4 {
		t.Fatalf("storing 20 MiB allocated %d bytes (as %+v)", allocated, b)
	}
	t.Logf("storing 20 MiB allocated %d KiB", allocated>>10)
	allocated = allocatedBy(t, func() {
		f, err := big.Open(b.SHA256)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if n, err := io.Copy(io.Discard, f); n != size || err != nil {
			t.Fatalf("read back %d bytes (%v)", n, err)
		}
	})
	t.Logf("reading it allocated %d KiB", allocated>>10)
	if allocated > size/4 {
		t.Fatalf("reading 20 MiB allocated %d bytes", allocated)
	}
	return b.SHA256
}

// zeros reads as endless zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// allocatedBy is how many bytes the process allocated while fn ran.
func allocatedBy(t *testing.T, fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestS3ServerThatHangs: a server that takes connections and never answers is unavailable
// once the timeout passes, for a store, a read, a check and the readiness ping alike, instead
// of holding the caller until the transport gives up.
func TestS3ServerThatHangs(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var held []net.Conn
	var mu sync.Mutex
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			held = append(held, c) // read nothing, answer nothing
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range held {
			c.Close()
		}
		mu.Unlock()
	})
	b, err := models.OpenS3(models.S3Config{Endpoint: "http://" + ln.Addr().String(), Bucket: "pantau", Timeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	store := &models.BlobStore{Dir: t.TempDir(), MaxSize: 1 << 20, Remote: b.Store("evidence")}
	ctx := context.Background()
	content := []byte("%PDF-1.4\n% bukti\n")
	// Put has no caller's deadline: only the store's timeout ends it (the transport's own
	// default would wait a minute per attempt).
	put := make(chan error, 1)
	go func() { _, err := store.Put(bytes.NewReader(content)); put <- err }()
	select {
	case err := <-put:
		if !errors.Is(err, models.ErrStorageUnavailable) {
			t.Errorf("Put: %v, want ErrStorageUnavailable", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Put still waits on a server that does not answer, 30 s on with a 100 ms timeout")
	}
	if _, err := store.Open(shaOf(content)); !errors.Is(err, models.ErrStorageUnavailable) {
		t.Errorf("Open: %v, want ErrStorageUnavailable", err)
	}
	if _, err := store.Has(ctx, shaOf(content)); !errors.Is(err, models.ErrStorageUnavailable) {
		t.Errorf("Has: %v, want ErrStorageUnavailable", err)
	}
	if err := store.Ping(ctx); !errors.Is(err, models.ErrStorageUnavailable) {
		t.Errorf("Ping: %v, want ErrStorageUnavailable", err)
	}
}
