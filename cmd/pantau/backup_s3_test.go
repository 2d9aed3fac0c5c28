package main

import (
	"bytes"
	"context"
	"maps"
	"path/filepath"
	"strings"
	"testing"

	"github.com/minio/minio-go/v7"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/s3test"
)

// TestBackupRestoreOnS3 backs up an installation that keeps its files in a bucket, restores it
// into another installation on another bucket, and finds every file there (none on the local
// disk), the same summary and both documents verifying.
func TestBackupRestoreOnS3(t *testing.T) {
	weed := s3test.Start(t)
	onBucket := func() (map[string]string, string) {
		cfg := weed.Bucket(t)
		env := freshEnv(t, models.SQLite)
		maps.Copy(env, s3test.Env(cfg))
		return env, cfg.Bucket
	}
	src, _ := onBucket()
	if code, _, errOut := cli(t, src, "", "seed", "--demo"); code != 0 {
		t.Fatal(errOut)
	}
	want := openInstallation(t, src).fill()
	archive := filepath.Join(t.TempDir(), "pantau.zip")
	if code, out, errOut := cli(t, src, "", "backup", "-o", archive); code != 0 {
		t.Fatalf("backup: %d %q %q", code, out, errOut)
	}
	m := readArchiveManifest(t, archive)
	var files int
	for _, e := range m.Entries {
		if strings.HasPrefix(e.Path, "files/") {
			files++
		}
	}
	if len(m.Missing) != 0 || !hasEntry(m, "files/documents/") || !hasEntry(m, "files/evidence/") {
		t.Fatalf("manifest: missing %v, %d entries", m.Missing, len(m.Entries))
	}

	dst, bucket := onBucket()
	if code, out, errOut := cli(t, dst, "", "restore", archive); code != 0 || !strings.Contains(out, "every SHA-256 matched") {
		t.Fatalf("restore: %d %q %q", code, out, errOut)
	}
	var objects int
	for o := range weed.Client.ListObjects(context.Background(), bucket, minio.ListObjectsOptions{Recursive: true}) {
		if o.Err != nil {
			t.Fatal(o.Err)
		}
		objects++
	}
	if objects != files {
		t.Fatalf("the bucket holds %d objects, the backup %d files", objects, files)
	}
	for _, store := range []string{"evidence", "documents"} {
		if local, _ := filepath.Glob(filepath.Join(dst["PANTAU_DATA_DIR"], store, "??", "*")); len(local) != 0 {
			t.Fatalf("files landed on the local disk: %v", local)
		}
	}
	got := openInstallation(t, dst)
	summary, reportCheck, signedCheck := got.observe(want)
	if !bytes.Equal(summary, want.summary) || !bytes.Equal(reportCheck, want.reportCheck) || !bytes.Equal(signedCheck, want.signedCheck) {
		t.Fatal("the restored installation does not show what the original did")
	}
}
