package models

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"gorm.io/gorm"
)

// Several instances of Pantau may share one PostgreSQL database. Each keeps caches (resolved
// sessions, encoded summaries), so each write transaction tells the others, through
// PostgreSQL's NOTIFY on the schema's channel, that it committed and what it changed that a cache outside
// the database's own revisions would miss. Follow listens; SQLite has one process and no feed.

// changesChannel names the NOTIFY channel of the change feed: one per schema, since NOTIFY
// reaches the whole database and each schema holds an installation of its own.
func changesChannel(g *gorm.DB) (string, error) {
	var schema string
	if err := g.Raw("SELECT current_schema()").Scan(&schema).Error; err != nil {
		return "", fmt.Errorf("read the schema: %w", err)
	}
	channel := "pantau:" + schema
	if len(channel) > 63 { // PostgreSQL's longest identifier
		channel = channel[:63]
	}
	return channel, nil
}

// Topic names a kind of change that a cache outside models must hear of.
type Topic string

// TopicUser is a change to a user's account or sessions (sign-out, password, role, region,
// deactivation): sessions resolved for that user earlier are stale.
const TopicUser Topic = "user"

// Change is one thing a write changed. The zero Change means "anything may have changed":
// listeners hear it after the feed was interrupted and notifications may have been missed.
type Change struct {
	Topic Topic
	ID    int64
}

// maxChangesPerNotice bounds one notification's payload (PostgreSQL allows 8000 bytes); a
// transaction that changed more says "anything may have changed" instead.
const maxChangesPerNotice = 100

// changeFeed is a process's side of the feed: its identity, so that it ignores its own notices,
// its channel, what it sent and heard, and the functions to call on a change.
type changeFeed struct {
	instance string
	channel  string
	// published counts the notices this process sent; heard those it received from others.
	published, heard atomic.Int64
	mu               sync.Mutex
	listeners        []func(Change)
	// queued holds committed transactions' changes not sent yet, done the channels of the
	// writers waiting for them; sending lets one writer send at a time.
	queued  []Change
	done    []chan error
	sending sync.Mutex
}

func newChangeFeed() *changeFeed {
	b := make([]byte, 8)
	rand.Read(b)
	return &changeFeed{instance: hex.EncodeToString(b)}
}

// OnChange registers fn to hear of every change this process makes and, while Follow runs, every
// change another instance makes. fn runs after the change committed; it must be quick.
func (db *DB) OnChange(fn func(Change)) {
	db.feed.mu.Lock()
	db.feed.listeners = append(db.feed.listeners, fn)
	db.feed.mu.Unlock()
}

func (f *changeFeed) tell(changes []Change) {
	f.mu.Lock()
	listeners := f.listeners
	f.mu.Unlock()
	for _, c := range changes {
		for _, fn := range listeners {
			fn(c)
		}
	}
}

// announce records, in a transaction run by DB.tx, a change that listeners hear of once it
// commits.
func announce(tx *gorm.DB, c Change) {
	if p, ok := tx.Statement.Context.Value(pendingKey{}).(*pending); ok {
		p.announced = append(p.announced, c)
	}
}

// notice is the payload of one notification: the sending instance, then the changes of the
// transactions it tells of as topic:id.
func (f *changeFeed) notice(changes []Change) string {
	var b strings.Builder
	b.WriteString(f.instance)
	if len(changes) > maxChangesPerNotice {
		b.WriteString(" *")
		return b.String()
	}
	for _, c := range changes {
		b.WriteString(" " + string(c.Topic) + ":" + strconv.FormatInt(c.ID, 10))
	}
	return b.String()
}

// parseNotice reads a payload made by notice; ok is false for this instance's own notices.
func (f *changeFeed) parseNotice(payload string) (changes []Change, ok bool) {
	fields := strings.Fields(payload)
	if len(fields) == 0 || fields[0] == f.instance {
		return nil, false
	}
	for _, field := range fields[1:] {
		topic, id, found := strings.Cut(field, ":")
		n, err := strconv.ParseInt(id, 10, 64)
		if !found || err != nil {
			changes = append(changes, Change{}) // "*" or a notice from a newer version: assume anything
			continue
		}
		changes = append(changes, Change{Topic: Topic(topic), ID: n})
	}
	return changes, true
}

// noticeTimeout bounds sending a committed transaction's notice.
const noticeTimeout = 5 * time.Second

// publish tells other instances, on PostgreSQL, of a transaction that committed, and returns
// once the notice is on its way to them. Writers that commit while a notice is being sent
// queue up, and the next of them sends all their changes in one notice. A notice goes in a
// transaction of its own that does not wait for the disk: a lost notice costs nothing durable,
// since a listener that loses its connection assumes anything changed. (A NOTIFY inside the
// write transaction would hold PostgreSQL's notification lock through that commit's flush,
// lining up every write of the database behind one another's disk writes.)
func (db *DB) publish(ctx context.Context, changes []Change) error {
	if db.Dialect != Postgres {
		return nil
	}
	f := db.feed
	done := make(chan error, 1)
	f.mu.Lock()
	f.queued = append(f.queued, changes...)
	f.done = append(f.done, done)
	f.mu.Unlock()
	f.sending.Lock()
	defer f.sending.Unlock()
	select {
	case err := <-done: // sent by the writer before us
		return err
	default:
	}
	f.mu.Lock()
	batch, waiting := f.queued, f.done
	f.queued, f.done = nil, nil
	f.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), noticeTimeout)
	defer cancel()
	err := db.conn.WithContext(ctx).Exec("SELECT set_config('synchronous_commit', 'off', true), pg_notify(?, ?)",
		f.channel, f.notice(batch)).Error
	if err == nil {
		f.published.Add(1)
	} else {
		err = fmt.Errorf("tell other instances of a committed change: %w", err)
	}
	for _, w := range waiting {
		w <- err
	}
	return <-done
}

// committed tells this process's caches of its own transaction's commit.
func (db *DB) committed(p *pending) {
	for _, e := range p.leaves {
		db.leaves.put(e)
	}
	db.changed(p.announced)
}

// changed counts a commit, of this process or another, wakes the sealer and tells the listeners.
func (db *DB) changed(changes []Change) {
	db.writes.Add(1)
	db.wakeSealer()
	db.feed.tell(changes)
}

// Follow listens, until ctx ends, to the writes of other instances that share this PostgreSQL
// database: each counts as a write of this process (Writes, which caches compare) and wakes
// the sealer, and its announced changes reach the OnChange listeners. A lost connection is
// re-established; since notices may have been missed meanwhile, listeners then hear the zero
// Change. On SQLite it returns at once.
func (db *DB) Follow(ctx context.Context, log *slog.Logger) {
	if db.Dialect != Postgres {
		return
	}
	for wait := time.Duration(0); ctx.Err() == nil; {
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		err := db.followOnce(ctx)
		if ctx.Err() != nil {
			return
		}
		if log != nil {
			log.Warn("following other instances' writes was interrupted; reconnecting", "err", err)
		}
		wait = min(max(2*wait, 100*time.Millisecond), 5*time.Second)
	}
}

// followOnce listens on one connection until it fails or ctx ends.
func (db *DB) followOnce(ctx context.Context) error {
	cfg, err := pgx.ParseConfig(db.url)
	if err != nil {
		return err
	}
	cfg.RuntimeParams["application_name"] = db.followerName()
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{db.feed.channel}.Sanitize()); err != nil {
		return err
	}
	// Whatever happened before this connection listened was not heard.
	db.changed([]Change{{}})
	db.followers.Add(1)
	defer db.followers.Add(-1)
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		if changes, ok := db.feed.parseNotice(n.Payload); ok {
			db.changed(changes)
			db.feed.heard.Add(1)
		}
	}
}

// followerName is the application_name of Follow's connection, as pg_stat_activity shows it.
func (db *DB) followerName() string { return "pantau follow " + db.feed.instance }

// Following reports whether Follow is listening now.
func (db *DB) Following() bool { return db.followers.Load() > 0 }

// FeedCounts returns how many write notices this process has sent to other instances, and
// how many it has heard from them, since it started.
func (db *DB) FeedCounts() (published, heard int64) {
	return db.feed.published.Load(), db.feed.heard.Load()
}
