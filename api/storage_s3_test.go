package api

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/modelstest"
	"github.com/pantau-id/pantau/models/s3test"
)

// s3Env is a server whose files are kept in a fresh bucket on a real SeaweedFS.
func s3Env(t *testing.T, opts Options) (*env, *s3test.Server, models.S3Config) {
	t.Helper()
	weed := s3test.Start(t)
	cfg := weed.Bucket(t)
	bucket, err := models.OpenS3(cfg)
	if err != nil {
		t.Fatal(err)
	}
	blobs := &models.BlobStore{Dir: t.TempDir(), MaxSize: 256 << 10, Remote: bucket.Store("evidence")}
	return newEnvOn(t, modelstest.Open(t, models.SQLite), blobs, opts), weed, cfg
}

// TestEvidenceOnS3: evidence uploaded to a server on S3 lands in the bucket under its
// SHA-256, downloads whole and by range, and once damaged in the bucket is refused rather
// than served; the storage latency shows in the metrics by backend.
func TestEvidenceOnS3(t *testing.T) {
	e, weed, cfg := s3Env(t, Options{MetricsAddresses: []string{"127.0.0.1"}})
	pdf := samplePDF(t, "bukti di S3")
	up := e.upload("/api/v1/periods/2019/regions/62.08/items/I2/evidence", "operator", "bukti.pdf", pdf)
	if up.Status != 201 {
		t.Fatalf("upload: %d %s", up.Status, up.Body)
	}
	var ev struct {
		ID     int64
		SHA256 string
	}
	up.decode(t, &ev)
	key := "evidence/" + ev.SHA256[:2] + "/" + ev.SHA256
	ctx := context.Background()
	obj, err := weed.Client.GetObject(ctx, cfg.Bucket, key, minio.GetObjectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	stored, err := io.ReadAll(obj)
	obj.Close()
	if err != nil || !bytes.Equal(stored, pdf) {
		t.Fatalf("the bucket holds %d bytes under %s (%v)", len(stored), key, err)
	}
	dl := e.call("GET", "/api/v1/evidence/"+itoa(ev.ID), "reviewer", nil)
	if dl.Status != 200 || !bytes.Equal(dl.Body, pdf) || dl.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("download: %d %v", dl.Status, dl.Header)
	}
	e.expect(e.call("GET", "/api/v1/evidence/"+itoa(ev.ID), asAnonymous, nil), 401, "unauthenticated")
	if r := e.raw("GET", "/api/v1/evidence/"+itoa(ev.ID), "", map[string]string{"Range": "bytes=0-3", "Authorization": "Bearer " + e.tokens["reviewer"]}); r.Status != 206 || string(r.Body) != "%PDF" {
		t.Fatalf("range: %d %q", r.Status, r.Body)
	}

	m := e.call("GET", "/metrics", asAnonymous, nil)
	for _, op := range []string{"put", "get"} {
		if want := `pantau_storage_operation_duration_seconds_count{backend="s3",operation="` + op + `"}`; !strings.Contains(string(m.Body), want) {
			t.Fatalf("metrics lack %s", want)
		}
	}

	damaged := append(append([]byte(nil), pdf...), '%')
	if _, err := weed.Client.PutObject(ctx, cfg.Bucket, key, bytes.NewReader(damaged), int64(len(damaged)), minio.PutObjectOptions{}); err != nil {
		t.Fatal(err)
	}
	r := e.call("GET", "/api/v1/evidence/"+itoa(ev.ID), "reviewer", nil)
	e.expect(r, 500, "internal")
	if bytes.Contains(r.Body, []byte("%PDF")) {
		t.Fatal("the damaged file was served")
	}
}

// TestReadyzFollowsTheObjectStore: with SeaweedFS stopped, /readyz answers 503 within its
// two seconds, naming the file storage, and so do uploads.
func TestReadyzFollowsTheObjectStore(t *testing.T) {
	e, weed, _ := s3Env(t, Options{})
	var ready struct{ Status, Database, Storage string }
	e.mustOK(e.call("GET", "/readyz", asAnonymous, nil)).decode(t, &ready)
	if ready.Storage != "s3" {
		t.Fatalf("readyz: %+v", ready)
	}
	weed.Stop()
	start := time.Now()
	r := e.raw("GET", "/readyz", "", map[string]string{"Accept-Language": "en"})
	e.expect(r, 503, "unavailable")
	if took := time.Since(start); took > 3*time.Second {
		t.Fatalf("readyz took %s", took)
	}
	if !strings.Contains(string(r.Body), "file storage") {
		t.Fatalf("readyz does not name the storage: %s", r.Body)
	}
	e.mustOK(e.call("GET", "/healthz", asAnonymous, nil))
	up := e.upload("/api/v1/periods/2019/regions/62.08/items/I2/evidence", "operator", "bukti.pdf", samplePDF(t, "bukti"))
	e.expect(up, 503, "unavailable")
	if !strings.Contains(string(up.Body), "Penyimpanan berkas") {
		t.Fatalf("the upload's answer does not name the storage: %s", up.Body)
	}
	if n := e.counts()["evidence"]; n != 0 {
		t.Fatalf("%d evidence rows after a refused upload", n)
	}
}
