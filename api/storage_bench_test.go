package api

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"testing"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/modelstest"
	"github.com/pantau-id/pantau/models/s3test"
)

// BenchmarkEvidenceThroughput uploads and downloads evidence through the API, with the files on
// the local disk and in a bucket on SeaweedFS over loopback; the figures are MB/s of file content.
func BenchmarkEvidenceThroughput(b *testing.B) {
	const maxSize = 32 << 20
	backends := map[string]func(b *testing.B) *models.BlobStore{
		"local": func(b *testing.B) *models.BlobStore { return &models.BlobStore{Dir: b.TempDir(), MaxSize: maxSize} },
		"s3": func(b *testing.B) *models.BlobStore {
			weed := s3test.Start(b)
			bucket, err := models.OpenS3(weed.Bucket(b))
			if err != nil {
				b.Fatal(err)
			}
			return &models.BlobStore{Dir: b.TempDir(), MaxSize: maxSize, Remote: bucket.Store("evidence")}
		},
	}
	for _, backend := range []string{"local", "s3"} {
		b.Run(backend, func(b *testing.B) {
			e := newEnvOn(b, modelstest.Open(b, models.SQLite), backends[backend](b), Options{})
			for _, size := range []int{1 << 20, 20 << 20} {
				content := make([]byte, size)
				rand.Read(content)
				copy(content, "%PDF-1.4\n")
				var id int64
				b.Run(fmt.Sprintf("upload/%dMiB", size>>20), func(b *testing.B) {
					b.SetBytes(int64(size))
					for i := 0; b.Loop(); i++ {
						copy(content[9:], fmt.Sprintf("%% %012d\n", i)) // new content, new SHA-256
						id = benchUpload(b, e, content)
					}
				})
				b.Run(fmt.Sprintf("download/%dMiB", size>>20), func(b *testing.B) {
					b.SetBytes(int64(size))
					for b.Loop() {
						benchDownload(b, e, id, size)
					}
				})
			}
		})
	}
}

// benchUpload posts content as evidence of an item and returns its id (outside the contract
// check, which would read the bodies again).
func benchUpload(b *testing.B, e *env, content []byte) int64 {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", "bukti.pdf")
	fw.Write(content)
	mw.Close()
	req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/periods/2019/regions/62.08/items/I1/evidence", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+e.tokens[models.RoleOperator])
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	var ev struct{ ID int64 }
	if err := json.NewDecoder(res.Body).Decode(&ev); err != nil || res.StatusCode != http.StatusCreated {
		b.Fatalf("upload: %d %v", res.StatusCode, err)
	}
	return ev.ID
}

// benchDownload reads evidence whole.
func benchDownload(b *testing.B, e *env, id int64, size int) {
	req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/evidence/"+itoa(id), nil)
	req.Header.Set("Authorization", "Bearer "+e.tokens[models.RoleReviewer])
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	n, err := io.Copy(io.Discard, res.Body)
	if err != nil || res.StatusCode != http.StatusOK || n != int64(size) {
		b.Fatalf("download: %d, %d bytes, %v", res.StatusCode, n, err)
	}
}
