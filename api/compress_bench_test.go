package api_test

import (
	"compress/gzip"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/pantau-id/pantau/api"
	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/modelstest"
)

// BenchmarkCompressJSON measures what compressJSON costs and saves on large JSON answers of the
// national data set (a region's items, every region, the radar), taken once from the real
// handlers. Each is then served, with and without gzip, through the whole middleware chain by a
// handler that only writes the body (the web app's slot, reached for any path outside /api), so
// that the database's time does not drown the difference. Compression does not depend on the
// database: SQLite alone holds the data. "level" compresses the largest body alone at BestSpeed
// (the middleware's level) and at the default level, reusing one writer as the middleware does.
func BenchmarkCompressJSON(b *testing.B) {
	h, token := benchHandler(b, models.SQLite)
	bodies := map[string][]byte{}
	var names []string
	for _, p := range []struct{ name, path string }{
		{"items", "/api/v1/periods/2025/regions/62.01/items"},
		{"regions", "/api/v1/regions"},
		{"radar", "/api/v1/periods/2025/progress"},
	} {
		req := httptest.NewRequest(http.MethodGet, p.path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Accept-Encoding", "identity")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("GET %s: %d %s", p.path, rec.Code, rec.Body.String())
		}
		bodies["/"+p.name], names = rec.Body.Bytes(), append(names, p.name)
	}
	ui := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write(bodies[r.URL.Path])
	})
	_, served, err := api.New(modelstest.Open(b, models.SQLite), &models.BlobStore{Dir: b.TempDir()},
		slog.New(slog.NewJSONHandler(io.Discard, nil)), models.DefaultLoginPolicy, api.Options{UI: ui})
	if err != nil {
		b.Fatal(err)
	}
	for _, name := range names {
		for _, enc := range []string{"identity", "gzip"} {
			b.Run(name+"/"+enc, func(b *testing.B) {
				req := httptest.NewRequest(http.MethodGet, "/"+name, nil)
				req.Header.Set("Accept-Encoding", enc)
				var size int
				b.SetBytes(int64(len(bodies["/"+name])))
				b.ReportAllocs()
				for b.Loop() {
					rec := httptest.NewRecorder()
					served.ServeHTTP(rec, req)
					if rec.Code != http.StatusOK || (enc == "gzip") != (rec.Header().Get("Content-Encoding") == "gzip") {
						b.Fatalf("GET /%s (%s): %d, Content-Encoding %q", name, enc, rec.Code, rec.Header().Get("Content-Encoding"))
					}
					size = rec.Body.Len()
				}
				b.ReportMetric(float64(size), "resp-bytes")
			})
		}
	}
	largest := bodies["/radar"]
	for _, level := range []struct {
		name  string
		level int
	}{{"best-speed", gzip.BestSpeed}, {"default", gzip.DefaultCompression}} {
		b.Run("level/"+level.name, func(b *testing.B) {
			zw, _ := gzip.NewWriterLevel(io.Discard, level.level)
			var out countingWriter
			b.SetBytes(int64(len(largest)))
			b.ReportAllocs()
			for b.Loop() {
				out = 0
				zw.Reset(&out)
				zw.Write(largest)
				zw.Close()
			}
			b.ReportMetric(float64(out), "gzip-bytes")
		})
	}
}

// countingWriter counts what is written to it.
type countingWriter int

func (c *countingWriter) Write(p []byte) (int, error) {
	*c += countingWriter(len(p))
	return len(p), nil
}
