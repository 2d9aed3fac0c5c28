package api

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/sync/singleflight"

	"github.com/pantau-id/pantau/internal/negotiate"
	"github.com/pantau-id/pantau/models"
)

// summaryCache keeps each period's encoded summary (per province filter) until the data it
// was computed from changes (models.SummaryState). A write through this process, or one that
// another instance announces on the change feed, invalidates at once (models.DB.Writes). Every
// revalidate the state is read again, in the background while the cached copy is served, in
// case a change came by another way (a command run against the same database, a feed that was
// down): no request waits for that check.
type summaryCache struct {
	db         *models.DB
	revalidate time.Duration
	flight     singleflight.Group
	mu         sync.Mutex
	entries    map[summaryKey]*summaryEntry
}

// summaryKey names one cached summary: a year, and a province or "" for all regions.
type summaryKey struct {
	year     int
	province string
}

func (k summaryKey) String() string { return strconv.Itoa(k.year) + "/" + k.province }

type summaryEntry struct {
	state   string
	writes  int64 // the process's write count when last checked
	checked time.Time
	body    []byte
	gzipped []byte // body, compressed once for every client that accepts gzip
	etag    string
}

func newSummaryCache(db *models.DB) *summaryCache {
	return &summaryCache{db: db, revalidate: time.Second, entries: map[summaryKey]*summaryEntry{}}
}

// summaryCheckTimeout bounds a background check of a cached summary's state.
const summaryCheckTimeout = 30 * time.Second

func (sc *summaryCache) get(ctx context.Context, key summaryKey) (*summaryEntry, error) {
	writes := sc.db.Writes()
	// A check is shared only by requests that saw the same write count: one that follows a
	// write never gets a state read before it.
	flightKey := key.String() + "@" + strconv.FormatInt(writes, 10)
	sc.mu.Lock()
	e := sc.entries[key]
	current := e != nil && e.writes == writes
	due := current && time.Since(e.checked) >= sc.revalidate
	sc.mu.Unlock()
	if current {
		if due {
			// DoChan joins a check already running; its result reaches the cache, not this request.
			sc.flight.DoChan(flightKey, func() (any, error) {
				ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), summaryCheckTimeout)
				defer cancel()
				return sc.refresh(ctx, key, writes)
			})
		}
		return e, nil
	}
	v, err, _ := sc.flight.Do(flightKey, func() (any, error) { return sc.refresh(ctx, key, writes) })
	if err != nil {
		return nil, err
	}
	return v.(*summaryEntry), nil
}

// refresh reads the summary's state and recomputes only when it moved.
func (sc *summaryCache) refresh(ctx context.Context, key summaryKey, writes int64) (*summaryEntry, error) {
	state, err := sc.db.SummaryState(ctx, key.year)
	if err != nil {
		return nil, err
	}
	sc.mu.Lock()
	e := sc.entries[key]
	if e != nil && e.state == state && e.writes <= writes {
		e.writes, e.checked = writes, time.Now()
		sc.mu.Unlock()
		return e, nil
	}
	sc.mu.Unlock()
	sum, err := sc.db.Summary(ctx, key.year, key.province)
	if err != nil {
		return nil, err
	}
	body, err := json.Marshal(sum)
	if err != nil {
		return nil, err
	}
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	zw.Write(body)
	if err := zw.Close(); err != nil {
		return nil, err
	}
	sha := sha256.Sum256(body)
	e = &summaryEntry{state: sum.State, writes: writes, checked: time.Now(), body: body, gzipped: gz.Bytes(),
		etag: `"` + hex.EncodeToString(sha[:12]) + `"`}
	sc.mu.Lock()
	if cur := sc.entries[key]; cur == nil || cur.writes <= writes { // a slower, older check keeps out
		sc.entries[key] = e
	}
	sc.mu.Unlock()
	return e, nil
}

// provincePattern is a province's code: two digits.
var provincePattern = regexp.MustCompile(`^\d{2}$`)

func (s *Server) getSummary(c *gin.Context) {
	y, ok := year(c)
	if !ok {
		return
	}
	province := c.Query("province")
	if province != "" && !provincePattern.MatchString(province) {
		fail(c, models.Invalid("province", "province_code"))
		return
	}
	e, err := s.summary.get(c.Request.Context(), summaryKey{year: y, province: province})
	if err != nil {
		fail(c, err)
		return
	}
	h := c.Writer.Header()
	h.Set("ETag", e.etag)
	h.Set("Cache-Control", "private, no-cache")
	h.Set("Vary", "Accept-Encoding")
	if c.GetHeader("If-None-Match") == e.etag {
		c.Status(http.StatusNotModified)
		return
	}
	body := e.body
	if negotiate.AcceptsGzip(c.Request) {
		h.Set("Content-Encoding", "gzip")
		body = e.gzipped
	}
	// With its length known the body goes out in one piece instead of in chunks.
	h.Set("Content-Length", strconv.Itoa(len(body)))
	c.Data(http.StatusOK, "application/json; charset=utf-8", body)
}
