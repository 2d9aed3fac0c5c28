// Package frontend serves Pantau's web app: the files Vite builds into frontend/dist, embedded
// in the binary. Hashed assets under /assets/ are cached for a year; /robots.txt is a robots
// file (built in, so that crawlers get one even from a binary without the app); every other path
// that is not a file gets index.html (the single-page app routes it). A clone where `npm run
// build` never ran still compiles — dist/ then holds only the committed .gitkeep placeholder —
// and answers with a page that says how to build the app.
package frontend

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/pantau-id/pantau/internal/negotiate"
)

//go:embed all:dist
var embedded embed.FS

// Handler serves the embedded build of the web app, with data written into its page.
func Handler(inline ...Inline) http.Handler {
	sub, err := fs.Sub(embedded, "dist")
	if err != nil {
		panic(err) // dist is part of the binary; this cannot fail
	}
	return New(sub, inline...)
}

// Inline is data the server writes into index.html once at start, as a JSON data block
// (<script type="application/json" id="ID">), so that the app has it without asking for it:
// one request fewer before the first screen. A data block is never run, so the page's
// Content-Security-Policy need not allow it.
type Inline struct {
	ID    string
	Value any
	// IfCookie, when set, names a cookie: the block is written only into the page sent to a
	// request that carries it (a signed-in browser's session cookie, say: the app may then ask
	// for its first screen's data together with the session instead of after it). The page
	// then varies by Cookie. At most one cookie name may be used.
	IfCookie string
}

// withInline puts the data blocks at the end of the page's head: those without IfCookie, and
// those whose IfCookie is cookie. json.Marshal escapes <, > and &, so no value can close the
// script element.
func withInline(page []byte, inline []Inline, cookie string) []byte {
	var blocks bytes.Buffer
	for _, in := range inline {
		if in.IfCookie != "" && in.IfCookie != cookie {
			continue
		}
		b, err := json.Marshal(in.Value)
		if err != nil {
			panic(err) // the server's own tables; a value that cannot be written is a bug
		}
		fmt.Fprintf(&blocks, "<script type=\"application/json\" id=\"%s\">%s</script>\n", html.EscapeString(in.ID), b)
	}
	i := bytes.Index(page, []byte("</head>"))
	if i < 0 || blocks.Len() == 0 {
		return page
	}
	out := make([]byte, 0, len(page)+blocks.Len())
	out = append(out, page[:i]...)
	out = append(out, blocks.Bytes()...)
	return append(out, page[i:]...)
}

// Built reports whether the embedded build holds the app (index.html), not just the placeholder.
func Built() bool {
	_, err := fs.Stat(embedded, "dist/index.html")
	return err == nil
}

// robotsTxt keeps crawlers out: Pantau's pages are for signed-in users, and a verification page
// is for whoever holds its document's code, not for a search index.
const robotsTxt = "User-agent: *\nDisallow: /\n"

// New serves the app from fsys, whose root holds index.html and assets/, with the inline data
// written into index.html.
func New(fsys fs.FS, inline ...Inline) http.Handler {
	h := &handler{fsys: fsys, robots: newFile("robots.txt", []byte(robotsTxt))}
	for _, in := range inline {
		if in.IfCookie != "" && h.cookie != "" && in.IfCookie != h.cookie {
			panic("frontend: inline data depends on two cookies")
		}
		if in.IfCookie != "" {
			h.cookie = in.IfCookie
		}
	}
	if b, err := fs.ReadFile(fsys, "index.html"); err == nil {
		h.index = newFile("index.html", withInline(b, inline, ""))
		if h.cookie != "" {
			h.indexCookie = newFile("index.html", withInline(b, inline, h.cookie))
		}
	}
	return h
}

type handler struct {
	fsys   fs.FS
	index  *file
	robots *file
	// cookie is the one cookie some inline data depends on ("" when none does); indexCookie
	// is the page sent to a request that carries it.
	cookie      string
	indexCookie *file
	files       sync.Map // path → *file, read (and compressed) once
}

// file is one asset in memory with its gzip form, when that is worth sending.
type file struct {
	name, etag, contentType string
	raw, gz                 []byte
}

func newFile(name string, b []byte) *file {
	sum := sha256.Sum256(b)
	f := &file{name: name, raw: b, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
	f.contentType = mime.TypeByExtension(path.Ext(name))
	if f.contentType == "" {
		f.contentType = http.DetectContentType(b)
	}
	if compressible(f.contentType) && len(b) > 1024 {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zw.Write(b)
		zw.Close()
		if buf.Len() < len(b) {
			f.gz = buf.Bytes()
		}
	}
	return f
}

func compressible(ct string) bool {
	for _, p := range []string{"text/", "application/javascript", "application/json", "image/svg+xml", "application/manifest+json"} {
		if strings.HasPrefix(ct, p) {
			return true
		}
	}
	return false
}

// Cache lifetimes: Vite puts a content hash in every name under assets/, so those never change.
const (
	immutable  = "public, max-age=31536000, immutable"
	revalidate = "no-cache"
)

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
		return
	}
	p := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
	if p == "robots.txt" {
		h.send(w, r, h.robots, revalidate)
		return
	}
	if f := h.lookup(p); f != nil {
		cache := revalidate
		if strings.HasPrefix(p, "assets/") {
			cache = immutable
		}
		h.send(w, r, f, cache)
		return
	}
	if strings.HasPrefix(p, "assets/") {
		// A missing hashed asset is an old page asking for a file a newer build replaced:
		// answering with index.html would hand it HTML where it expects JavaScript.
		http.NotFound(w, r)
		return
	}
	if h.index == nil {
		notBuilt(w)
		return
	}
	h.send(w, r, h.page(w, r), revalidate)
}

// page is the index.html a request gets: the one for its cookie when inline data depends on it.
func (h *handler) page(w http.ResponseWriter, r *http.Request) *file {
	if h.cookie == "" {
		return h.index
	}
	w.Header().Add("Vary", "Cookie")
	if c, err := r.Cookie(h.cookie); err == nil && c.Value != "" {
		return h.indexCookie
	}
	return h.index
}

// lookup returns the asset at p, or nil when p is not a servable file (the app's routes,
// directories, dotfiles such as the .gitkeep placeholder, and index.html itself, which is only
// sent through the fallback so that it always carries the page headers).
func (h *handler) lookup(p string) *file {
	if p == "" || p == "index.html" || strings.HasPrefix(p, ".") || strings.Contains(p, "/.") {
		return nil
	}
	if v, ok := h.files.Load(p); ok {
		return v.(*file)
	}
	st, err := fs.Stat(h.fsys, p)
	if err != nil || !st.Mode().IsRegular() {
		return nil
	}
	b, err := fs.ReadFile(h.fsys, p)
	if err != nil {
		return nil
	}
	v, _ := h.files.LoadOrStore(p, newFile(p, b))
	return v.(*file)
}

func (h *handler) send(w http.ResponseWriter, r *http.Request, f *file, cache string) {
	hd := w.Header()
	hd.Set("Cache-Control", cache)
	hd.Set("Content-Type", f.contentType)
	hd.Set("X-Content-Type-Options", "nosniff")
	body, etag := f.raw, f.etag
	if f.gz != nil {
		hd.Add("Vary", "Accept-Encoding")
		if negotiate.AcceptsGzip(r) {
			body, etag = f.gz, strings.TrimSuffix(f.etag, `"`)+`-gz"`
			hd.Set("Content-Encoding", "gzip")
		}
	}
	hd.Set("ETag", etag)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
}

const notBuiltPage = `<!doctype html>
<html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Pantau — aplikasi web belum dibangun</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a}code{background:#eee;padding:.1rem .3rem}</style>
</head><body>
<h1>Aplikasi web belum dibangun</h1>
<p>Server Pantau berjalan dan API tersedia di <code>/api/v1</code>, tetapi berkas aplikasi web tidak ikut dalam program ini.
Jalankan <code>make build</code> (atau <code>make run</code>) untuk membangunnya.</p>
<h2 lang="en">Frontend not built</h2>
<p lang="en">The Pantau server is running and the API answers under <code>/api/v1</code>, but this binary was built without the web app.
Run <code>make build</code> (or <code>make run</code>) to build it.</p>
</body></html>
`

func notBuilt(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusServiceUnavailable)
	w.Write([]byte(notBuiltPage))
}
