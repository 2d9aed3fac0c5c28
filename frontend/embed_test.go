package frontend

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

var js = "console.log('" + strings.Repeat("pantau ", 400) + "');"

func built() http.Handler {
	return New(fstest.MapFS{
		"index.html":           {Data: []byte(`<!doctype html><title>Pantau</title><script type="module" src="/assets/index-Ab12.js"></script>`)},
		"assets/index-Ab12.js": {Data: []byte(js)},
		"assets/logo-Cd34.svg": {Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`)},
		"favicon.svg":          {Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`)},
		".gitkeep":             {Data: nil},
		"assets/.hidden":       {Data: []byte("x")},
	})
}

func get(h http.Handler, path string, hdr ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("GET", path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestHashedAssetsCachedForAYear(t *testing.T) {
	rec := get(built(), "/assets/index-Ab12.js")
	if rec.Code != 200 || rec.Body.String() != js {
		t.Fatalf("got %d", rec.Code)
	}
	if cc := rec.Header().Get("Cache-Control"); !strings.Contains(cc, "max-age=31536000") || !strings.Contains(cc, "immutable") {
		t.Errorf("Cache-Control %q", cc)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.Contains(ct, "javascript") {
		t.Errorf("Content-Type %q", ct)
	}
	if cc := get(built(), "/favicon.svg").Header().Get("Cache-Control"); cc != "no-cache" {
		t.Errorf("unhashed file: Cache-Control %q", cc)
	}
}

func TestGzipWhenAccepted(t *testing.T) {
	rec := get(built(), "/assets/index-Ab12.js", "Accept-Encoding", "br, gzip")
	if rec.Header().Get("Content-Encoding") != "gzip" || rec.Header().Get("Vary") != "Accept-Encoding" {
		t.Fatalf("headers %v", rec.Header())
	}
	zr, err := gzip.NewReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := io.ReadAll(zr)
	if string(plain) != js || rec.Body.Len() >= len(js) {
		t.Errorf("gzip body: %d bytes for %d", rec.Body.Len(), len(js))
	}
	if get(built(), "/assets/index-Ab12.js", "Accept-Encoding", "gzip;q=0").Header().Get("Content-Encoding") != "" {
		t.Error("gzip;q=0 got gzip")
	}
	etag := rec.Header().Get("ETag")
	if again := get(built(), "/assets/index-Ab12.js", "Accept-Encoding", "gzip", "If-None-Match", etag); again.Code != http.StatusNotModified {
		t.Errorf("If-None-Match: %d", again.Code)
	}
}

func TestAppRoutesGetIndex(t *testing.T) {
	for _, p := range []string{"/", "/pemda/62.08", "/verify/K7QM-2XPA-9RTD", "/index.html", "/.gitkeep", "/assets/../admin"} {
		rec := get(built(), p)
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), "<title>Pantau</title>") {
			t.Errorf("%s: %d %q", p, rec.Code, rec.Body.String())
		}
		if rec.Header().Get("Cache-Control") != "no-cache" {
			t.Errorf("%s: headers %v", p, rec.Header())
		}
	}
}

func TestMissingAssetIs404(t *testing.T) {
	for _, p := range []string{"/assets/index-Old1.js", "/assets/.hidden"} {
		if rec := get(built(), p); rec.Code != http.StatusNotFound {
			t.Errorf("%s: %d", p, rec.Code)
		}
	}
}

func TestNotBuilt(t *testing.T) {
	h := New(fstest.MapFS{".gitkeep": {Data: nil}})
	rec := get(h, "/pemda/62.08")
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "make build") {
		t.Fatalf("got %d %q", rec.Code, rec.Body.String())
	}
	post := httptest.NewRecorder()
	h.ServeHTTP(post, httptest.NewRequest("POST", "/", nil))
	if post.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d", post.Code)
	}
}

// TestEmbeddedBuild serves whatever this binary embeds: the app when it was built, else the
// "not built" page — either way a page, never a panic or an empty answer.
func TestEmbeddedBuild(t *testing.T) {
	rec := get(Handler(), "/")
	want := http.StatusServiceUnavailable
	if Built() {
		want = http.StatusOK
	}
	if rec.Code != want || !strings.Contains(rec.Body.String(), "<html") {
		t.Errorf("got %d, Built()=%v", rec.Code, Built())
	}
}

func TestRobotsFile(t *testing.T) {
	for name, h := range map[string]http.Handler{"built": built(), "not built": New(fstest.MapFS{})} {
		rec := get(h, "/robots.txt")
		if rec.Code != 200 {
			t.Fatalf("%s: got %d", name, rec.Code)
		}
		if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
			t.Errorf("%s: Content-Type %q", name, ct)
		}
		if body := rec.Body.String(); !strings.HasPrefix(body, "User-agent: *\n") || strings.Contains(body, "<") {
			t.Errorf("%s: body %q", name, body)
		}
	}
}

func TestInlineDataInThePage(t *testing.T) {
	page := `<!doctype html><html><head><title>Pantau</title></head><body></body></html>`
	h := New(fstest.MapFS{"index.html": {Data: []byte(page)}},
		Inline{ID: "pantau-labels", Value: map[string]string{"red": "Merah", "evil": "</script><script>alert(1)</script>"}})
	body := get(h, "/pemda/62.08").Body.String()
	want := `<script type="application/json" id="pantau-labels">{"evil":"\u003c/script\u003e\u003cscript\u003ealert(1)\u003c/script\u003e","red":"Merah"}</script>` + "\n</head>"
	if !strings.Contains(body, want) {
		t.Fatalf("page %q\nwants %q", body, want)
	}
	if strings.Count(body, "</script>") != 1 {
		t.Errorf("a value closed the data block: %q", body)
	}
	// without inline data the page is served as built
	if plain := get(New(fstest.MapFS{"index.html": {Data: []byte(page)}}), "/").Body.String(); plain != page {
		t.Errorf("page changed: %q", plain)
	}
}

func TestInlineDataForACookie(t *testing.T) {
	page := `<!doctype html><html><head><title>Pantau</title></head><body></body></html>`
	h := New(fstest.MapFS{"index.html": {Data: []byte(page)}},
		Inline{ID: "labels", Value: 1},
		Inline{ID: "signed", Value: true, IfCookie: "pantau_session"})
	block := `<script type="application/json" id="signed">true</script>`
	signedOut := get(h, "/pemda/62.08")
	if b := signedOut.Body.String(); strings.Contains(b, block) || !strings.Contains(b, `id="labels"`) {
		t.Errorf("page without the cookie: %q", b)
	}
	for _, hdr := range [][]string{{"Cookie", "pantau_session="}, {"Cookie", "other=x"}} {
		if b := get(h, "/", hdr...).Body.String(); strings.Contains(b, block) {
			t.Errorf("%v: page %q", hdr, b)
		}
	}
	signedIn := get(h, "/pemda/62.08", "Cookie", "a=b; pantau_session=tok")
	if b := signedIn.Body.String(); !strings.Contains(b, block+"\n</head>") || !strings.Contains(b, `id="labels"`) {
		t.Errorf("page with the cookie: %q", b)
	}
	for _, rec := range []*httptest.ResponseRecorder{signedOut, signedIn} {
		if !strings.Contains(strings.Join(rec.Header().Values("Vary"), ","), "Cookie") {
			t.Errorf("Vary %q", rec.Header().Values("Vary"))
		}
	}
	if signedOut.Header().Get("ETag") == signedIn.Header().Get("ETag") {
		t.Error("both pages have one ETag")
	}
	// an asset does not vary by cookie, nor does a page whose data never depends on one
	if v := get(built(), "/").Header().Values("Vary"); strings.Contains(strings.Join(v, ","), "Cookie") {
		t.Errorf("Vary %q", v)
	}
}
