package api

import (
	"compress/gzip"
	"io"
	"mime"
	"net/http"
	"sync"

	"github.com/gin-gonic/gin"

	"github.com/pantau-id/pantau/internal/negotiate"
)

// gzipMinSize is the smallest JSON body worth compressing: below it gzip saves a few hundred
// bytes at most, and the body fits in one packet anyway.
const gzipMinSize = 1 << 10

// gzipLevel trades CPU for size; BenchmarkCompressJSON measures both ends.
const gzipLevel = gzip.BestSpeed

// gzipWriters are reused across responses: a fresh gzip.Writer allocates its compressor's
// tables, several hundred kilobytes, on first write.
var gzipWriters = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(io.Discard, gzipLevel)
	return zw
}}

// compressJSON gzips JSON responses of at least gzipMinSize bytes for clients that accept gzip,
// and marks every JSON response Vary: Accept-Encoding. Responses that are not JSON (PDFs,
// images, the web app) and those whose handler chose an encoding or an ETag itself (the
// summary serves its own cached gzip) pass through untouched.
func compressJSON(c *gin.Context) {
	w := &gzipJSONWriter{ResponseWriter: c.Writer, accepts: negotiate.AcceptsGzip(c.Request)}
	c.Writer = w
	defer func() {
		w.finish()
		c.Writer = w.ResponseWriter
	}()
	c.Next()
}

// gzipState is where a gzipJSONWriter stands.
type gzipState int

const (
	gzipUnstarted   gzipState = iota // nothing written yet
	gzipHolding                      // JSON for a gzip client: held until gzipMinSize bytes
	gzipPlain                        // passing through as is
	gzipCompressing                  // writing through zw
)

// gzipJSONWriter decides at the first write, when the handler has set its headers, whether
// the response may be compressed, and holds the body until it is big enough to be worth it.
type gzipJSONWriter struct {
	gin.ResponseWriter
	accepts bool
	state   gzipState
	held    []byte
	zw      *gzip.Writer
}

func (w *gzipJSONWriter) Write(p []byte) (int, error) {
	if w.state == gzipUnstarted {
		w.state = w.start()
	}
	if w.state == gzipHolding {
		if len(w.held)+len(p) < gzipMinSize {
			w.held = append(w.held, p...)
			return len(p), nil
		}
		if err := w.compress(); err != nil {
			return 0, err
		}
	}
	if w.state == gzipCompressing {
		return w.zw.Write(p)
	}
	return w.ResponseWriter.Write(p)
}

func (w *gzipJSONWriter) WriteString(s string) (int, error) {
	return w.Write([]byte(s))
}

// start tells a JSON response that may be compressed from one to pass through.
func (w *gzipJSONWriter) start() gzipState {
	h := w.Header()
	mt, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	if mt != "application/json" || h.Get("Content-Encoding") != "" || h.Get("ETag") != "" {
		return gzipPlain
	}
	h.Add("Vary", "Accept-Encoding")
	if !w.accepts {
		return gzipPlain
	}
	return gzipHolding
}

// compress sends the headers of a gzip response and the body held so far.
func (w *gzipJSONWriter) compress() error {
	h := w.Header()
	h.Set("Content-Encoding", "gzip")
	h.Del("Content-Length")
	w.zw = gzipWriters.Get().(*gzip.Writer)
	w.zw.Reset(w.ResponseWriter)
	w.state = gzipCompressing
	_, err := w.zw.Write(w.held)
	w.held = nil
	return err
}

// release sends a held body as it is: it stayed too small, or must go out now.
func (w *gzipJSONWriter) release() {
	if w.state != gzipHolding {
		return
	}
	w.state = gzipPlain
	if len(w.held) > 0 {
		w.ResponseWriter.Write(w.held)
	}
	w.held = nil
}

// finish ends the response once the handlers are done.
func (w *gzipJSONWriter) finish() {
	w.release()
	if w.state == gzipCompressing {
		w.zw.Close()
		w.zw.Reset(io.Discard)
		gzipWriters.Put(w.zw)
		w.zw = nil
	}
}

// Written counts a held body as written, so that nothing else is written after it.
func (w *gzipJSONWriter) Written() bool {
	return w.state == gzipHolding || w.ResponseWriter.Written()
}

// WriteHeaderNow sends the headers, so a held body can no longer become gzip.
func (w *gzipJSONWriter) WriteHeaderNow() {
	w.release()
	w.ResponseWriter.WriteHeaderNow()
}

// Flush sends what is written so far.
func (w *gzipJSONWriter) Flush() {
	w.release()
	if w.state == gzipCompressing {
		w.zw.Flush()
	}
	w.ResponseWriter.Flush()
}

// Unwrap lets http.ResponseController reach the connection.
func (w *gzipJSONWriter) Unwrap() http.ResponseWriter {
	return w.ResponseWriter
}
