package api

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/pantau-id/pantau/models"
)

// getEncoded sends a GET as role with the given Accept-Encoding, so that Go's client leaves
// the body as the server sent it.
func (e *env) getEncoded(path string, role models.Role, acceptEncoding string) *response {
	e.t.Helper()
	req, err := http.NewRequest("GET", e.srv.URL+path, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Accept-Encoding", acceptEncoding)
	if role != asAnonymous {
		req.Header.Set("Authorization", "Bearer "+e.tokens[role])
	}
	return e.do(req)
}

func gunzip(t testing.TB, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("gzip body: %v", err)
	}
	return out
}

func varies(r *response) bool {
	for _, v := range r.Header.Values("Vary") {
		for _, f := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(f), "Accept-Encoding") {
				return true
			}
		}
	}
	return false
}

// TestJSONResponsesAreGzipped: JSON over the threshold is gzipped for clients that accept it,
// to the same bytes; small JSON, PDFs and the summary's own gzip are left as they are.
func TestJSONResponsesAreGzipped(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		for _, path := range []string{"/api/v1/audit", "/api/openapi.json"} {
			plain := e.mustOK(e.getEncoded(path, models.RoleAdmin, "identity"))
			if len(plain.Body) < gzipMinSize || plain.Header.Get("Content-Encoding") != "" || !varies(plain) {
				t.Fatalf("%s without gzip: %d bytes, Content-Encoding %q, Vary %q", path, len(plain.Body), plain.Header.Get("Content-Encoding"), plain.Header.Values("Vary"))
			}
			zipped := e.mustOK(e.getEncoded(path, models.RoleAdmin, "br;q=1, gzip;q=0.8"))
			if zipped.Header.Get("Content-Encoding") != "gzip" || !varies(zipped) {
				t.Fatalf("%s with gzip: Content-Encoding %q, Vary %q", path, zipped.Header.Get("Content-Encoding"), zipped.Header.Values("Vary"))
			}
			if path == "/api/openapi.json" && !bytes.Equal(gunzip(t, zipped.Body), plain.Body) {
				t.Fatalf("%s: the gzip body differs from the plain one", path)
			}
			if len(zipped.Body) >= len(plain.Body)/2 {
				t.Errorf("%s: %d bytes gzipped for %d", path, len(zipped.Body), len(plain.Body))
			}
			if r := e.getEncoded(path, models.RoleAdmin, "gzip;q=0"); r.Header.Get("Content-Encoding") != "" {
				t.Errorf("%s: gzip;q=0 got %q", path, r.Header.Get("Content-Encoding"))
			}
		}

		small := e.mustOK(e.getEncoded("/healthz", asAnonymous, "gzip"))
		if small.Header.Get("Content-Encoding") != "" || !varies(small) || !strings.Contains(string(small.Body), `"ok"`) {
			t.Fatalf("small JSON: Content-Encoding %q, Vary %q, %s", small.Header.Get("Content-Encoding"), small.Header.Values("Vary"), small.Body)
		}
		missing := e.getEncoded("/api/v1/nope", models.RoleAdmin, "gzip")
		e.expect(missing, 404, "not_found")

		pdf := e.mustOK(e.getEncoded("/api/v1/periods/2019/reports/progress.pdf", "coordinator", "gzip"))
		if pdf.Header.Get("Content-Encoding") != "" || !bytes.HasPrefix(pdf.Body, []byte("%PDF-")) {
			t.Fatalf("PDF: Content-Encoding %q, starts %q", pdf.Header.Get("Content-Encoding"), pdf.Body[:min(8, len(pdf.Body))])
		}

		sum := e.mustOK(e.getEncoded("/api/v1/periods/2019/summary", "reviewer", "gzip"))
		if sum.Header.Get("Content-Encoding") != "gzip" || !bytes.HasPrefix(gunzip(t, sum.Body), []byte("{")) {
			t.Fatalf("summary: Content-Encoding %q, gzipped once: %q", sum.Header.Get("Content-Encoding"), gunzip(t, sum.Body)[:2])
		}
		if r := e.getEncoded("/api/v1/periods/2019/summary", "reviewer", "gzip;q=0"); r.Header.Get("Content-Encoding") != "" {
			t.Errorf("summary: gzip;q=0 got %q", r.Header.Get("Content-Encoding"))
		}
	})
}

// TestGzipJSONWriter follows bodies written in pieces, flushed early or too small, through
// the middleware alone.
func TestGzipJSONWriter(t *testing.T) {
	piece := strings.Repeat("x", gzipMinSize/2+1)
	r := gin.New()
	r.Use(compressJSON)
	r.GET("/pieces", func(c *gin.Context) {
		c.Header("Content-Type", "application/json")
		c.Header("Content-Length", "9999")
		c.Writer.WriteString(`"` + piece)
		c.Writer.Write([]byte(piece + `"`))
	})
	r.GET("/flushed", func(c *gin.Context) {
		c.Header("Content-Type", "application/json")
		c.Writer.WriteString(`"early`)
		c.Writer.Flush()
		c.Writer.WriteString(piece + piece + `"`)
	})
	r.GET("/tagged", func(c *gin.Context) {
		c.Header("ETag", `"v1"`)
		c.Data(http.StatusOK, "application/json", []byte(`"`+piece+piece+`"`))
	})
	r.GET("/text", func(c *gin.Context) { c.String(http.StatusOK, piece+piece) })
	r.GET("/empty", func(c *gin.Context) { c.Status(http.StatusNoContent) })

	serve := func(path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("GET", path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		r.ServeHTTP(rec, req)
		return rec
	}
	rec := serve("/pieces")
	if rec.Header().Get("Content-Encoding") != "gzip" || rec.Header().Get("Content-Length") != "" {
		t.Fatalf("pieces: Content-Encoding %q, Content-Length %q", rec.Header().Get("Content-Encoding"), rec.Header().Get("Content-Length"))
	}
	if got := string(gunzip(t, rec.Body.Bytes())); got != `"`+piece+piece+`"` {
		t.Fatalf("pieces: %d bytes back, want %d", len(got), 2*len(piece)+2)
	}
	rec = serve("/flushed")
	if rec.Header().Get("Content-Encoding") != "" || rec.Body.String() != `"early`+piece+piece+`"` {
		t.Fatalf("flushed before the threshold: Content-Encoding %q, %d bytes", rec.Header().Get("Content-Encoding"), rec.Body.Len())
	}
	for _, path := range []string{"/tagged", "/text"} {
		if rec = serve(path); rec.Header().Get("Content-Encoding") != "" || rec.Body.Len() != 2*len(piece)+strings.Count(path, "tagged")*2 {
			t.Fatalf("%s: Content-Encoding %q, %d bytes", path, rec.Header().Get("Content-Encoding"), rec.Body.Len())
		}
	}
	if rec = serve("/empty"); rec.Code != http.StatusNoContent || rec.Body.Len() != 0 || rec.Header().Get("Content-Encoding") != "" {
		t.Fatalf("empty: %d, %d bytes, Content-Encoding %q", rec.Code, rec.Body.Len(), rec.Header().Get("Content-Encoding"))
	}
}
