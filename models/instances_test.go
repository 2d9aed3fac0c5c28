package models_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/modelstest"
)

func mustUser(t *testing.T, db *models.DB, in models.UserInput) *models.User {
	t.Helper()
	u, err := db.CreateUser(context.Background(), in, false)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// heard collects the changes a store's listeners hear.
type heard struct {
	mu      sync.Mutex
	changes []models.Change
}

func listen(db *models.DB) *heard {
	h := &heard{}
	db.OnChange(func(c models.Change) {
		h.mu.Lock()
		h.changes = append(h.changes, c)
		h.mu.Unlock()
	})
	return h
}

func (h *heard) has(c models.Change) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, got := range h.changes {
		if got == c {
			return true
		}
	}
	return false
}

// within polls cond every millisecond for up to d, and says how long it took to hold.
func within(d time.Duration, cond func() bool) (time.Duration, bool) {
	start := time.Now()
	for time.Since(start) < d {
		if cond() {
			return time.Since(start), true
		}
		time.Sleep(time.Millisecond)
	}
	return d, cond()
}

// follow starts db.Follow until the test ends and waits until it listens.
func follow(t *testing.T, db *models.DB) {
	t.Helper()
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { db.Follow(ctx, nil); close(done) }()
	t.Cleanup(func() { stop(); <-done })
	if _, ok := within(5*time.Second, db.Following); !ok {
		t.Fatal("Follow did not start listening")
	}
}

func TestChangesReachThisProcessAndOtherInstances(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		admin := mustUser(t, db, models.UserInput{Email: "admin@x.id", Name: "Admin", Role: models.RoleAdmin, Password: "kata-sandi-panjang"})
		other := mustUser(t, db, models.UserInput{Email: "rev@x.id", Name: "Reviewer", Role: models.RoleReviewer, Password: "kata-sandi-panjang"})
		here := listen(db)
		var there *heard
		var second *models.DB
		if db.Dialect == models.Postgres {
			second = modelstest.Reopen(t, db)
			there = listen(second)
			follow(t, second)
		}
		before := db.Writes()
		publishedBefore, _ := db.FeedCounts()
		name := "Reviewer Dua"
		if _, err := db.UpdateUser(ctx, admin, other.ID, models.UserPatch{Name: &name}); err != nil {
			t.Fatal(err)
		}
		want := models.Change{Topic: models.TopicUser, ID: other.ID}
		if !here.has(want) {
			t.Errorf("this process did not hear %v at commit: %v", want, here.changes)
		}
		if db.Writes() != before+1 {
			t.Errorf("writes went from %d to %d, want one more", before, db.Writes())
		}
		if second == nil {
			return
		}
		lag, ok := within(2*time.Second, func() bool { return there.has(want) })
		if !ok {
			t.Fatalf("the other instance did not hear %v: %v", want, there.changes)
		}
		t.Logf("the other instance heard the change after %v", lag)
		if _, heardBy := second.FeedCounts(); heardBy != 1 {
			t.Errorf("the other instance heard %d notices, want 1", heardBy)
		}
		if published, _ := db.FeedCounts(); published != publishedBefore+1 {
			t.Errorf("this instance published %d notices, want %d", published, publishedBefore+1)
		}
		// A write that announces nothing still moves the other instance's write count, which
		// its caches compare.
		w := second.Writes()
		if _, err := db.CreateRegion(ctx, models.RegionInput{Code: "62", Name: "Kalimantan Tengah", Kind: models.KindProvince}, false); err != nil {
			t.Fatal(err)
		}
		if _, ok := within(2*time.Second, func() bool { return second.Writes() > w }); !ok {
			t.Error("the other instance's write count did not move after a write here")
		}
	})
}

// TestConcurrentWritesAllHeard has many writers commit at once: notices sent while others
// queue up carry several transactions' changes, and the other instance hears every one.
func TestConcurrentWritesAllHeard(t *testing.T) {
	db := modelstest.Open(t, models.Postgres)
	ctx := context.Background()
	admin := mustUser(t, db, models.UserInput{Email: "admin@x.id", Name: "Admin", Role: models.RoleAdmin, Password: "kata-sandi-panjang"})
	const n = 40
	users := make([]*models.User, n)
	for i := range users {
		users[i] = mustUser(t, db, models.UserInput{Email: fmt.Sprintf("u%d@x.id", i), Name: "Pengguna", Role: models.RoleReviewer, Password: "kata-sandi-panjang"})
	}
	second := modelstest.Reopen(t, db)
	there := listen(second)
	follow(t, second)
	publishedBefore, _ := db.FeedCounts()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i, u := range users {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := fmt.Sprintf("Pengguna %d", i)
			_, err := db.UpdateUser(ctx, admin, u.ID, models.UserPatch{Name: &name})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, u := range users {
		want := models.Change{Topic: models.TopicUser, ID: u.ID}
		if _, ok := within(2*time.Second, func() bool { return there.has(want) }); !ok {
			t.Fatalf("the other instance did not hear %v", want)
		}
	}
	published, _ := db.FeedCounts()
	if sent := published - publishedBefore; sent < 1 || sent > n {
		t.Errorf("%d writes sent %d notices, want between 1 and %d", n, sent, n)
	}
	if _, heardBy := second.FeedCounts(); heardBy != published-publishedBefore {
		t.Errorf("the other instance heard %d notices of the %d sent", heardBy, published-publishedBefore)
	}
	t.Logf("%d concurrent writes, %d notices", n, published-publishedBefore)
}

// TestFollowReconnects cuts the listening connection: the follower reconnects and, since it
// may have missed notices, tells its listeners that anything may have changed.
func TestFollowReconnects(t *testing.T) {
	db := modelstest.Open(t, models.Postgres)
	second := modelstest.Reopen(t, db)
	follow(t, second)
	there := listen(second) // after the first connection's "anything may have changed"
	var cut int
	if err := modelstest.Raw(t, db).Raw("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = ?",
		models.FollowerName(second)).Scan(&cut).Error; err != nil || cut != 1 {
		t.Fatalf("cut %d connections: %v", cut, err)
	}
	if _, ok := within(5*time.Second, func() bool { return there.has(models.Change{}) }); !ok {
		t.Fatal("the follower's listeners did not hear that anything may have changed")
	}
	mustUser(t, db, models.UserInput{Email: "admin@x.id", Name: "Admin", Role: models.RoleAdmin, Password: "kata-sandi-panjang"})
	if _, ok := within(5*time.Second, func() bool { _, n := second.FeedCounts(); return n >= 1 }); !ok {
		t.Error("the follower hears nothing after reconnecting")
	}
}

func TestLeadOneAtATimeAndTakeOver(t *testing.T) {
	db := modelstest.Open(t, models.Postgres)
	second := modelstest.Reopen(t, db)
	var leading atomic.Int32
	var most atomic.Int32
	lead := func(db *models.DB, ctx context.Context, id int32, who *atomic.Int32) {
		// A check every 100 ms, whose ping has as long to answer: shorter, a machine under load
		// (the race detector, the other suites) makes the leader give up for nothing.
		db.Lead(ctx, "test", 100*time.Millisecond, nil, func(ctx context.Context) {
			n := leading.Add(1)
			if n > most.Load() {
				most.Store(n)
			}
			who.Store(id)
			<-ctx.Done()
			leading.Add(-1)
		})
	}
	var who atomic.Int32
	ctxA, stopA := context.WithCancel(context.Background())
	doneA := make(chan struct{})
	go func() { lead(db, ctxA, 1, &who); close(doneA) }()
	if _, ok := within(5*time.Second, func() bool { return who.Load() == 1 }); !ok {
		t.Fatal("the first instance never led")
	}
	ctxB, stopB := context.WithCancel(context.Background())
	doneB := make(chan struct{})
	go func() { lead(second, ctxB, 2, &who); close(doneB) }()
	defer func() { stopB(); <-doneB }()
	time.Sleep(time.Second) // ten of the second's tries
	if who.Load() != 1 || most.Load() != 1 {
		t.Fatalf("leader %d, at most %d leading at once; want the first alone", who.Load(), most.Load())
	}
	// The leader's connection dies (its process was killed, say): the other takes over.
	var cut int
	if err := modelstest.Raw(t, db).Raw("SELECT count(pg_terminate_backend(pid)) FROM pg_locks WHERE locktype = 'advisory' AND classid = 7261130 " +
		"AND objsubid = 2 AND objid = (hashtext(current_schema() || '/test')::bigint & 4294967295)::text::oid").Scan(&cut).Error; err != nil || cut != 1 {
		t.Fatalf("cut %d leader connections: %v", cut, err)
	}
	took, ok := within(5*time.Second, func() bool { return who.Load() == 2 })
	if !ok {
		t.Fatal("the second instance did not take over")
	}
	t.Logf("taken over %v after the leader's connection died", took)
	stopA()
	<-doneA
	if most.Load() != 1 {
		t.Errorf("%d instances led at once", most.Load())
	}
}

func TestLeadOnSQLiteSimplyRuns(t *testing.T) {
	db := modelstest.Open(t, models.SQLite)
	ran := false
	db.Lead(context.Background(), "test", time.Hour, nil, func(context.Context) { ran = true })
	if !ran {
		t.Fatal("fn did not run")
	}
}

// TestShareFiles: the first instance's CA reaches the second's empty directory, so both sign
// with one CA; a different local CA, or another key, is refused.
func TestShareFiles(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		secret := []byte("0123456789abcdef0123456789abcdef")
		openCA := func(dir string) func() error {
			return func() error { _, err := models.OpenCA(dir, "Pantau", time.Now()); return err }
		}
		dirA, dirB := t.TempDir(), filepath.Join(t.TempDir(), "ca")
		if err := db.ShareFiles(ctx, dirA, secret, openCA(dirA)); err != nil {
			t.Fatal(err)
		}
		second := db
		if db.Dialect == models.Postgres {
			second = modelstest.Reopen(t, db)
		}
		if err := second.ShareFiles(ctx, dirB, secret, openCA(dirB)); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"ca.pem", "ca-key.pem"} {
			a, errA := os.ReadFile(filepath.Join(dirA, name))
			b, errB := os.ReadFile(filepath.Join(dirB, name))
			if errA != nil || errB != nil || !bytes.Equal(a, b) {
				t.Errorf("%s differs between the instances (%v, %v)", name, errA, errB)
			}
			if info, err := os.Stat(filepath.Join(dirB, name)); err != nil || info.Mode().Perm() != 0o600 {
				t.Errorf("%s placed with mode %v (%v), want 0600", name, info.Mode().Perm(), err)
			}
		}
		var rows int64
		modelstest.Raw(t, db).Table("shared_files").Count(&rows)
		if rows != 2 {
			t.Errorf("%d shared files, want 2", rows)
		}
		// A directory holding another CA is refused rather than overwritten.
		dirC := t.TempDir()
		if _, err := models.OpenCA(dirC, "Pantau", time.Now()); err != nil {
			t.Fatal(err)
		}
		if err := db.ShareFiles(ctx, dirC, secret, openCA(dirC)); !errors.Is(err, models.ErrSharedFileDiffers) {
			t.Errorf("another local CA: %v, want ErrSharedFileDiffers", err)
		}
		if err := db.ShareFiles(ctx, t.TempDir(), []byte("another key, long enough to pass.."), func() error { return nil }); !errors.Is(err, models.ErrSharedFileSeal) {
			t.Errorf("another key: %v, want ErrSharedFileSeal", err)
		}
		if err := db.ShareFiles(ctx, t.TempDir(), []byte("short"), func() error { return nil }); err == nil {
			t.Error("a short key was accepted")
		}
	})
}

// TestShareFilesFirstStartTogether: two instances starting at once on an empty database end
// with one CA.
func TestShareFilesFirstStartTogether(t *testing.T) {
	db := modelstest.Open(t, models.Postgres)
	second := modelstest.Reopen(t, db)
	secret := []byte("0123456789abcdef0123456789abcdef")
	dirs := []string{t.TempDir(), t.TempDir()}
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, store := range []*models.DB{db, second} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = store.ShareFiles(context.Background(), dirs[i], secret, func() error {
				_, err := models.OpenCA(dirs[i], "Pantau", time.Now())
				return err
			})
		}()
	}
	wg.Wait()
	if errs[0] != nil || errs[1] != nil {
		t.Fatal(errs)
	}
	a, _ := os.ReadFile(filepath.Join(dirs[0], "ca.pem"))
	b, _ := os.ReadFile(filepath.Join(dirs[1], "ca.pem"))
	if len(a) == 0 || !bytes.Equal(a, b) {
		t.Fatal("the two instances hold different CAs")
	}
}
