package models_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/demo"
	"github.com/pantau-id/pantau/models/modelstest"
)

// pdfWith is a small PDF whose content depends on n.
func pdfWith(n int) []byte {
	return []byte(fmt.Sprintf("%%PDF-1.4\n%% bukti %d\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%%%EOF\n", n))
}

// age makes a stored file look written an hour and a half ago.
func age(t *testing.T, path string) {
	t.Helper()
	old := time.Now().Add(-90 * time.Minute)
	if err := os.Chtimes(path, old, old); err != nil {
		t.Fatal(err)
	}
}

func blobPath(dir, sha string) string { return filepath.Join(dir, sha[:2], sha) }

// TestSweepRemovesOnlyOrphans: old files no row refers to (stored blobs and temporary files)
// are removed; referenced files and young files stay.
func TestSweepRemovesOnlyOrphans(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		store := &models.BlobStore{Dir: t.TempDir(), MaxSize: 1 << 20}
		if _, err := demo.Seed(ctx, db, store, "kata-sandi-demo"); err != nil {
			t.Fatal(err)
		}
		var referenced []string
		filepath.WalkDir(store.Dir, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				age(t, p)
				referenced = append(referenced, p)
			}
			return nil
		})
		orphan, err := store.Put(bytes.NewReader(pdfWith(1)))
		if err != nil {
			t.Fatal(err)
		}
		young, err := store.Put(bytes.NewReader(pdfWith(2)))
		if err != nil {
			t.Fatal(err)
		}
		age(t, blobPath(store.Dir, orphan.SHA256))
		tmp := filepath.Join(store.Dir, "tmp", "upload-123")
		os.WriteFile(tmp, []byte("a crashed upload"), 0o600)
		age(t, tmp)

		res, err := store.Sweep(ctx, db, models.DefaultSweepGrace)
		if err != nil {
			t.Fatal(err)
		}
		if res.Files != 2 {
			t.Fatalf("swept %d files, want the orphan and the temporary file", res.Files)
		}
		for _, p := range []string{blobPath(store.Dir, orphan.SHA256), tmp} {
			if _, err := os.Stat(p); !os.IsNotExist(err) {
				t.Fatalf("%s survived the sweep", p)
			}
		}
		for _, p := range append(referenced, blobPath(store.Dir, young.SHA256)) {
			if _, err := os.Stat(p); err != nil {
				t.Fatalf("the sweep removed %s: %v", p, err)
			}
		}
		if len(referenced) < 3 {
			t.Fatalf("the demo stored only %d files", len(referenced))
		}
	})
}

// TestSweepRacesUploads sweeps again and again while uploads store and commit files — among
// them the very contents of old orphans the sweep is removing: no acknowledged upload loses its
// file, and at the end only the orphans nobody uploaded again are gone.
func TestSweepRacesUploads(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		store := &models.BlobStore{Dir: t.TempDir(), MaxSize: 1 << 20}
		if _, err := demo.Seed(ctx, db, store, "kata-sandi-demo"); err != nil {
			t.Fatal(err)
		}
		admin, err := db.UserByEmail(ctx, "admin@demo.pantau.id")
		if err != nil {
			t.Fatal(err)
		}
		const orphans, uploaders, perUploader = 60, 4, 10
		for i := 0; i < orphans; i++ {
			b, err := store.Put(bytes.NewReader(pdfWith(i)))
			if err != nil {
				t.Fatal(err)
			}
			age(t, blobPath(store.Dir, b.SHA256))
		}
		stop := make(chan struct{})
		var sweeps, swept int
		var sweeper sync.WaitGroup
		sweeper.Add(1)
		go func() {
			defer sweeper.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				res, err := store.Sweep(ctx, db, models.DefaultSweepGrace)
				if err != nil {
					t.Error(err)
					return
				}
				sweeps, swept = sweeps+1, swept+res.Files
			}
		}()
		var mu sync.Mutex
		var acknowledged []*models.Evidence
		var wg sync.WaitGroup
		for u := 0; u < uploaders; u++ {
			wg.Add(1)
			go func(u int) {
				defer wg.Done()
				for i := 0; i < perUploader; i++ {
					n := u*perUploader + i // the content of orphan n, stored again
					b, err := store.Put(bytes.NewReader(pdfWith(n)))
					if err != nil {
						t.Error(err)
						return
					}
					// One item per uploader: concurrent changes to one item are another test's matter.
					ref := models.ItemRef{Year: demo.Years[len(demo.Years)-1], RegionCode: demo.Regions[1+u].Code, IndicatorCode: "PTSP.1"}
					ev, err := db.AddEvidence(ctx, admin, ref, models.EvidenceUpload{Blob: b, Filename: "bukti.pdf"})
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					acknowledged = append(acknowledged, ev)
					mu.Unlock()
				}
			}(u)
		}
		wg.Wait()
		close(stop)
		sweeper.Wait()
		final, err := store.Sweep(ctx, db, models.DefaultSweepGrace)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%d sweeps removed %d files while %d uploads were acknowledged; the last sweep removed %d", sweeps, swept, len(acknowledged), final.Files)
		for _, ev := range acknowledged {
			f, err := store.Open(ev.SHA256)
			if err != nil {
				t.Fatalf("acknowledged upload %d lost its file: %v", ev.ID, err)
			}
			h := sha256.New()
			io.Copy(h, f)
			f.Close()
			if hex.EncodeToString(h.Sum(nil)) != ev.SHA256 {
				t.Fatalf("acknowledged upload %d: the file changed", ev.ID)
			}
		}
		for i := uploaders * perUploader; i < orphans; i++ {
			sum := sha256.Sum256(pdfWith(i))
			if _, err := os.Stat(blobPath(store.Dir, hex.EncodeToString(sum[:]))); !os.IsNotExist(err) {
				t.Fatalf("orphan %d survived", i)
			}
		}
		if entries, _ := os.ReadDir(filepath.Join(store.Dir, "tmp")); len(entries) != 0 {
			t.Fatalf("files left aside: %v", entries)
		}
	})
}
