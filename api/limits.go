package api

import (
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"runtime"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/sync/semaphore"
)

// Limits bound the work and the memory a request can cost, so that a burst of expensive or
// hostile requests — the public file check above all — cannot take the server down: each kind
// of expensive work runs in a pool of its own, and a request that finds its pool full waits a
// moment and is then answered 503 with Retry-After. Zero values take the defaults.
type Limits struct {
	// Verify is how many uploaded files POST /api/v1/verify reads and checks at once (the body
	// is read only once a slot is free, so bodies waiting never pin memory). Default GOMAXPROCS.
	Verify int
	// VerifyMemory bounds the bytes of the files being checked at once, whatever the number of
	// cores: each check weighs its declared length (the upload limit when it declares none), and
	// checking a file costs a few times its size. Default 64 MiB.
	VerifyMemory int64
	// Reports is how many progress reports are generated at once. Default GOMAXPROCS.
	Reports int
	// Uploads is how many evidence uploads stream to disk at once. Default 16.
	Uploads int
	// Wait is how long a request waits for a slot before the 503. Default 2 s.
	Wait time.Duration
	// JSONBodies bounds the bytes of JSON request bodies being read at once (each counts with
	// its declared length, or the JSON body cap when it declares none). Default 32 MiB.
	JSONBodies int64
}

// Time a request body may take: in all, and between two reads (a client that stops sending
// is cut off after the idle time). Uploads of up to PANTAU_MAX_UPLOAD_MB get ten minutes
// (20 MiB at 300 kbit/s).
const (
	jsonBodyTime    = 15 * time.Second
	jsonBodyIdle    = 10 * time.Second
	uploadBodyTime  = 10 * time.Minute
	uploadBodyIdle  = 30 * time.Second
	defaultWorkWait = 2 * time.Second
)

// pools are the work pools and the JSON body budget of one server.
type pools struct {
	verify, reports, uploads *workPool
	jsonBodies               *semaphore.Weighted
	jsonBudget               int64
	wait                     time.Duration
}

// workPool is a bounded pool of slots for one kind of expensive work.
type workPool struct {
	sem  *semaphore.Weighted
	wait time.Duration
	// bodies, when set, also bounds the request bodies the pool's work holds in memory: each
	// request weighs its declared length, at most the whole budget.
	bodies *semaphore.Weighted
	budget int64
}

func newPools(l Limits) *pools {
	procs := runtime.GOMAXPROCS(0)
	orDefault := func(n, def int) int64 {
		if n > 0 {
			return int64(n)
		}
		return int64(def)
	}
	wait := l.Wait
	if wait <= 0 {
		wait = defaultWorkWait
	}
	budget := l.JSONBodies
	if budget <= 0 {
		budget = 32 << 20
	}
	pool := func(n int64) *workPool { return &workPool{sem: semaphore.NewWeighted(n), wait: wait} }
	verify := pool(orDefault(l.Verify, procs))
	verify.budget = l.VerifyMemory
	if verify.budget <= 0 {
		verify.budget = 64 << 20
	}
	verify.bodies = semaphore.NewWeighted(verify.budget)
	return &pools{verify: verify, reports: pool(orDefault(l.Reports, procs)), uploads: pool(orDefault(l.Uploads, 16)),
		jsonBodies: semaphore.NewWeighted(budget), jsonBudget: budget, wait: wait}
}

// acquire takes n units of sem, waiting at most wait; false when they did not free up.
func acquire(ctx context.Context, sem *semaphore.Weighted, n int64, wait time.Duration) bool {
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	return sem.Acquire(ctx, n) == nil
}

// costly runs the rest of the chain in a slot of the pool (and, for a pool that bounds memory,
// with the request body's weight in its budget), or answers 503 busy.
func (s *Server) costly(p *workPool) gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx := c.Request.Context()
		if !acquire(ctx, p.sem, 1, p.wait) {
			fail(c, errBusy)
			c.Abort()
			return
		}
		defer p.sem.Release(1)
		if p.bodies != nil {
			weight := s.uploadLimit()
			if n := c.Request.ContentLength; n > 0 && n < weight {
				weight = n
			}
			weight = min(weight, p.budget)
			if !acquire(ctx, p.bodies, weight, p.wait) {
				fail(c, errBusy)
				c.Abort()
				return
			}
			defer p.bodies.Release(weight)
		}
		c.Next()
	}
}

// uploadLimit is the most a multipart request body may hold: the largest file and 1 MiB for
// the rest of the form.
func (s *Server) uploadLimit() int64 { return s.blobs.MaxSize + 1<<20 }

// bodyLimits gives every request body a deadline (multipart uploads the upload times, all
// others the JSON times) and counts JSON bodies against the JSON body budget while the
// request runs, so that slow or stalled bodies are cut off and cannot pin memory in numbers.
func (s *Server) bodyLimits() gin.HandlerFunc {
	return func(c *gin.Context) {
		r := c.Request
		if r.Body == nil || r.Body == http.NoBody || r.ContentLength == 0 {
			c.Next()
			return
		}
		total, idle := jsonBodyTime, jsonBodyIdle
		if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
			total, idle = uploadBodyTime, uploadBodyIdle
		} else {
			weight := s.opts.MaxJSONBody
			if r.ContentLength > 0 && r.ContentLength < weight {
				weight = r.ContentLength
			}
			weight = min(weight, s.pools.jsonBudget)
			if !acquire(r.Context(), s.pools.jsonBodies, weight, s.pools.wait) {
				fail(c, errBusy)
				c.Abort()
				return
			}
			defer s.pools.jsonBodies.Release(weight)
		}
		r.Body = &deadlineBody{ReadCloser: r.Body, rc: http.NewResponseController(c.Writer), end: time.Now().Add(total), idle: idle}
		c.Next()
	}
}

// deadlineBody moves the connection's read deadline before each read of a request body: the
// sooner of the body's end time and the idle time from now. At the end of the body the deadline
// is cleared, since the server keeps reading the connection in the background while the
// handler runs, and a deadline passing then would cancel the request.
type deadlineBody struct {
	io.ReadCloser
	rc   *http.ResponseController
	end  time.Time
	idle time.Duration
}

func (b *deadlineBody) Read(p []byte) (int, error) {
	d := time.Now().Add(b.idle)
	if d.After(b.end) {
		d = b.end
	}
	if err := b.rc.SetReadDeadline(d); err != nil && !errors.Is(err, http.ErrNotSupported) {
		return 0, err
	}
	n, err := b.ReadCloser.Read(p)
	if errors.Is(err, io.EOF) {
		b.rc.SetReadDeadline(time.Time{})
	}
	return n, err
}

// NewHTTPServer returns the HTTP server for the handler, with the timeouts Pantau needs:
// request headers within 10 s; bodies by the handler's own deadlines (bodyLimits), so that a
// 20 MiB upload on a slow link is not cut off; responses — a national report is tens of MiB —
// within 10 minutes; idle keep-alive connections closed after a minute.
func NewHTTPServer(h http.Handler) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, WriteTimeout: 10 * time.Minute,
		IdleTimeout: time.Minute, MaxHeaderBytes: 64 << 10}
}
