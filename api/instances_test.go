package api

import (
	"context"
	"log/slog"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/modelstest"
	"github.com/pantau-id/pantau/models/s3test"
)

// twoInstancesEnv, set to "1", makes every test server on PostgreSQL two instances of Pantau on
// one database and one S3 bucket (a SeaweedFS shared by the package's tests), each with its own
// store, caches, change feed (models.DB.Follow) and spool directory, with requests alternating
// between them: the contract tests then run as a load-balanced deployment would serve them.
// scripts/test.sh runs the contract's tests this way.
const twoInstancesEnv = "PANTAU_TEST_TWO_INSTANCES"

// twins serves each request on the other instance than the last. Before an instance serves, it
// has heard every write notice the other sent (models.DB.FeedCounts): what a client that
// waits a moment between requests sees. The longest wait is kept, for the figures.
type twins struct {
	t       testing.TB
	dbs     [2]*models.DB
	servers [2]*Server
	hs      [2]http.Handler
	// base is each instance's (published, heard) when both began to follow.
	base   [2][2]int64
	next   atomic.Int64
	maxLag atomic.Int64 // nanoseconds
}

// newTwins starts a second instance beside the first (s serving h) and returns a handler
// alternating between them; both follow each other's writes until the test ends.
func newTwins(t testing.TB, s *Server, h http.Handler, blobs *models.BlobStore, opts Options) *twins {
	t.Helper()
	second := modelstest.Reopen(t, s.db)
	second.Now = func() time.Time { return s.db.Now() }                                      // one clock, which tests may set
	own := &models.BlobStore{Dir: t.TempDir(), MaxSize: blobs.MaxSize, Remote: blobs.Remote} // its own disk, the same bucket
	s2, h2, err := New(second, own, slog.New(slog.NewTextHandler(testLogOutput(), nil)), models.DefaultLoginPolicy, opts)
	if err != nil {
		t.Fatal(err)
	}
	tw := &twins{t: t, dbs: [2]*models.DB{s.db, second}, servers: [2]*Server{s, s2}, hs: [2]http.Handler{h, h2}}
	for _, d := range tw.dbs {
		ctx, stop := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { d.Follow(ctx, nil); close(done) }()
		t.Cleanup(func() { stop(); <-done })
		deadline := time.Now().Add(5 * time.Second)
		for !d.Following() {
			if time.Now().After(deadline) {
				t.Fatal("an instance did not start following the other")
			}
			time.Sleep(time.Millisecond)
		}
	}
	for i, d := range tw.dbs {
		tw.base[i][0], tw.base[i][1] = d.FeedCounts()
	}
	t.Cleanup(func() {
		if lag := time.Duration(tw.maxLag.Load()); lag > 0 {
			t.Logf("two instances: the longest wait for the other's writes was %v", lag)
		}
	})
	return tw
}

func (tw *twins) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	i := int(tw.next.Add(1) % 2)
	tw.caughtUp(i)
	tw.hs[i].ServeHTTP(w, r)
}

// caughtUp waits until instance i has heard every write notice of the other, failing the test
// after two seconds.
func (tw *twins) caughtUp(i int) {
	published, _ := tw.dbs[1-i].FeedCounts()
	published -= tw.base[1-i][0]
	start := time.Now()
	for {
		if _, heard := tw.dbs[i].FeedCounts(); heard-tw.base[i][1] >= published {
			break
		}
		if time.Since(start) > 2*time.Second {
			tw.t.Errorf("instance %d has not heard the other's writes after 2 s", i+1)
			return
		}
		time.Sleep(100 * time.Microsecond)
	}
	if lag := int64(time.Since(start)); lag > tw.maxLag.Load() {
		tw.maxLag.Store(lag)
	}
}

// twoInstances says whether test servers on db run as two instances.
func twoInstances(db *models.DB) bool {
	return db.Dialect == models.Postgres && os.Getenv(twoInstancesEnv) == "1"
}

// twinStorage is the SeaweedFS the two-instance runs keep their files in, started by the first
// test that needs it and stopped by TestMain.
var twinStorage struct {
	once   sync.Once
	server *s3test.Server
	err    error
}

// twinBucket returns a fresh bucket's evidence store on the shared SeaweedFS.
func twinBucket(t testing.TB) *models.S3Store {
	t.Helper()
	twinStorage.once.Do(func() { twinStorage.server, twinStorage.err = s3test.StartShared() })
	if twinStorage.err != nil {
		t.Fatal(twinStorage.err)
	}
	bucket, err := models.OpenS3(twinStorage.server.Bucket(t))
	if err != nil {
		t.Fatal(err)
	}
	return bucket.Store("evidence")
}

func stopTwinStorage() {
	if twinStorage.server != nil {
		twinStorage.server.Stop()
	}
}

// TestWritesOnOneInstanceSeenOnTheOther: two instances on one PostgreSQL, each with warm caches.
// A write on the first reaches the second through the change feed: the summary and the item
// move, a signed-out session and a deactivated user are refused, and a login locked out on one
// is locked out on the other. A third instance that does not follow keeps serving a revoked
// session from its cache, which is what the feed prevents.
func TestWritesOnOneInstanceSeenOnTheOther(t *testing.T) {
	db := modelstest.Open(t, models.Postgres)
	opts := Options{SessionCacheTTL: time.Hour} // only the feed can make a cached session stale
	one := newEnvWith(t, db, opts)
	tw := newTwins(t, one.server, one.engine, &models.BlobStore{Dir: t.TempDir(), MaxSize: 256 << 10}, opts)
	deaf, deafHandler, err := New(modelstest.Reopen(t, db), &models.BlobStore{Dir: t.TempDir(), MaxSize: 256 << 10},
		slog.New(slog.NewTextHandler(testLogOutput(), nil)), models.DefaultLoginPolicy, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []*Server{one.server, tw.servers[1], deaf} {
		s.summary.revalidate = time.Hour // only the feed can make a cached summary stale
	}
	two := one.on(newTestServer(t, tw.hs[1]))
	three := one.on(newTestServer(t, deafHandler))
	waitFor := func() { tw.caughtUp(1) }

	// Warm the second instance's caches.
	summary := func(e *env) float64 { return seruyanClaimed(t, e) }
	progress := func(e *env) float64 {
		var items []struct {
			IndicatorCode string  `json:"indicator_code"`
			Progress      float64 `json:"progress"`
		}
		e.mustOK(e.call("GET", "/api/v1/periods/2019/regions/62.08/items", models.RoleOperator, nil)).decode(t, &items)
		for _, it := range items {
			if it.IndicatorCode == "I2" {
				return it.Progress
			}
		}
		t.Fatal("I2 is not among 62.08's items")
		return 0
	}
	before := summary(two)
	progress(two)
	three.mustOK(three.call("GET", "/api/v1/me", models.RoleReviewer, nil))

	one.mustOK(one.call("PATCH", "/api/v1/periods/2019/regions/62.08/items/I2", models.RoleOperator, map[string]any{"progress": 60}))
	waitFor()
	if after := summary(two); after == before {
		t.Errorf("the second instance's summary still says %v%% claimed after a claim on the first", after)
	}
	if p := progress(two); p != 60 {
		t.Errorf("the second instance sees the item at %v%%, want 60", p)
	}

	// A session signed out on the first is refused on the second at once, while an instance
	// that does not follow still accepts it from its cache.
	two.mustOK(two.call("GET", "/api/v1/me", models.RoleReviewer, nil))
	if r := one.call("POST", "/api/v1/auth/logout", models.RoleReviewer, nil); r.Status != http.StatusNoContent {
		t.Fatalf("logout: %d %s", r.Status, r.Body)
	}
	waitFor()
	if r := two.call("GET", "/api/v1/me", models.RoleReviewer, nil); r.Status != http.StatusUnauthorized {
		t.Errorf("a signed-out session on the second instance: %d, want 401", r.Status)
	}
	if r := three.call("GET", "/api/v1/me", models.RoleReviewer, nil); r.Status != http.StatusOK {
		t.Errorf("the instance without the feed answered %d; the control expects its stale cache (200)", r.Status)
	}

	// A user deactivated on the first is refused on the second.
	two.mustOK(two.call("GET", "/api/v1/me", models.RoleSignatory, nil))
	one.mustOK(one.call("PATCH", "/api/v1/users/"+itoa(one.users[models.RoleSignatory].ID), models.RoleAdmin, map[string]any{"active": false}))
	waitFor()
	if r := two.call("GET", "/api/v1/me", models.RoleSignatory, nil); r.Status != http.StatusUnauthorized {
		t.Errorf("a deactivated user on the second instance: %d, want 401", r.Status)
	}

	// Failed sign-ins on the first lock the account on the second.
	email := one.users[models.RoleCoordinator].Email
	for range models.DefaultLoginPolicy.PerAccount {
		one.call("POST", "/api/v1/auth/login", asAnonymous, map[string]string{"email": email, "password": "salah-salah-salah"})
	}
	waitFor()
	if r := two.call("POST", "/api/v1/auth/login", asAnonymous, map[string]string{"email": email, "password": testPassword}); r.Status != http.StatusTooManyRequests {
		t.Errorf("the right password on the second instance after a lock-out on the first: %d, want 429", r.Status)
	}
}

// TestSummaryCheckedInTheBackground: a write the server never hears of (another process on the
// same database, no change feed; this file's tests are not in the two-instance run) does not make a request wait for the state check: the cached
// summary is served and checked in the background, and a later request gets the new figures.
func TestSummaryCheckedInTheBackground(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		e.server.summary.revalidate = time.Millisecond
		_, otherHandler, err := New(modelstest.Reopen(t, db), &models.BlobStore{Dir: t.TempDir(), MaxSize: 256 << 10},
			slog.New(slog.NewTextHandler(testLogOutput(), nil)), models.DefaultLoginPolicy, Options{})
		if err != nil {
			t.Fatal(err)
		}
		other := e.on(newTestServer(t, otherHandler))
		claimed := func() float64 { return seruyanClaimed(t, e) }
		before := claimed()
		other.mustOK(other.call("PATCH", "/api/v1/periods/2019/regions/62.08/items/I2", models.RoleOperator, map[string]any{"progress": 60}))
		time.Sleep(2 * time.Millisecond) // the cached copy is due for a check
		if now := claimed(); now != before {
			t.Errorf("the first request after an unheard write got %v%%, want the cached %v%% while the check runs", now, before)
		}
		deadline := time.Now().Add(10 * time.Second)
		for claimed() == before {
			if time.Now().After(deadline) {
				t.Fatalf("the summary still says %v%% claimed 10 s after another process's claim", before)
			}
			time.Sleep(5 * time.Millisecond)
		}
	})
}

// seruyanClaimed is Kabupaten Seruyan's claimed percent in 2019's summary, as e's server
// answers a coordinator.
func seruyanClaimed(t *testing.T, e *env) float64 {
	t.Helper()
	var out struct {
		Regions []struct {
			Code       string
			ActionPlan struct {
				ClaimedPercent float64 `json:"claimed_percent"`
			} `json:"action_plan"`
		}
	}
	e.mustOK(e.call("GET", "/api/v1/periods/2019/summary", models.RoleCoordinator, nil)).decode(t, &out)
	for _, r := range out.Regions {
		if r.Code == "62.08" {
			return r.ActionPlan.ClaimedPercent
		}
	}
	t.Fatal("62.08 is not in the summary")
	return 0
}

// TestSessionRenewedInTheBackground: past its ttl a cached session still serves the next request
// while one lookup renews it; a session signed out through another process that this one does
// not hear is refused once that lookup is back.
func TestSessionRenewedInTheBackground(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.DB) {
		const ttl = time.Second
		e := newEnvWith(t, db, Options{SessionCacheTTL: ttl})
		_, otherHandler, err := New(modelstest.Reopen(t, db), &models.BlobStore{Dir: t.TempDir(), MaxSize: 256 << 10},
			slog.New(slog.NewTextHandler(testLogOutput(), nil)), models.DefaultLoginPolicy, Options{})
		if err != nil {
			t.Fatal(err)
		}
		other := e.on(newTestServer(t, otherHandler))
		e.mustOK(e.call("GET", "/api/v1/me", models.RoleReviewer, nil))
		other.mustOK(other.call("POST", "/api/v1/auth/logout", models.RoleReviewer, nil))
		time.Sleep(ttl + 50*time.Millisecond)
		e.mustOK(e.call("GET", "/api/v1/me", models.RoleReviewer, nil)) // stale, served while renewed
		deadline := time.Now().Add(10 * time.Second)
		for {
			r := e.call("GET", "/api/v1/me", models.RoleReviewer, nil)
			if r.Status == http.StatusUnauthorized {
				break
			}
			if r.Status != http.StatusOK || time.Now().After(deadline) {
				t.Fatalf("a signed-out session answers %d %s, want 401 once renewed", r.Status, r.Body)
			}
			time.Sleep(5 * time.Millisecond)
		}
	})
}
