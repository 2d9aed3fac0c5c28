package models

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Actor is who makes a change: a signed-in user, or the system (a command, a seed).
type Actor struct {
	UserID *int64
	Email  string
	IP     string
}

type actorKey struct{}

// WithActor returns a context whose changes are attributed to a.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

func actorFrom(ctx context.Context) Actor {
	if a, ok := ctx.Value(actorKey{}).(Actor); ok {
		return a
	}
	return Actor{Email: "system"}
}

// AuditEvent is one change in the append-only audit trail.
type AuditEvent struct {
	ID int64 `json:"id"`
	// Seq is the event's place in the hash chain; nil until the sealer has chained it.
	Seq       *int64          `json:"seq"`
	AtMicros  int64           `json:"-"`
	At        time.Time       `json:"at" gorm:"-"`
	ActorID   *int64          `json:"actor_id"`
	Actor     string          `json:"actor"`
	IP        string          `json:"ip"`
	Entity    string          `json:"entity"`
	EntityKey string          `json:"entity_key"`
	Action    string          `json:"action"`
	Before    json.RawMessage `json:"before" gorm:"-"`
	After     json.RawMessage `json:"after" gorm:"-"`
	// BeforeJSON and AfterJSON are Before and After as stored.
	BeforeJSON string `json:"-"`
	AfterJSON  string `json:"-"`
	PrevHash   string `json:"prev_hash"`
	Hash       string `json:"hash"`
}

// TableName is the audit table.
func (AuditEvent) TableName() string { return "audit_events" }

// change is an event recorded during a transaction, appended to the chain just before commit.
type change struct {
	entity, key, action string
	before, after       any
}

type pendingKey struct{}

// pending collects a transaction's changes: those for the audit trail and those announced to
// caches (see announce).
type pending struct {
	changes   []change
	announced []Change
	// leaves are the regions' leaf values this write leaves, for the cache once it commits.
	leaves []leafEntry
}

// audit records a change made in the current transaction (see DB.tx). before and after are
// encoded as JSON; nil encodes as null.
func audit(tx *gorm.DB, entity, key, action string, before, after any) {
	if p, ok := tx.Statement.Context.Value(pendingKey{}).(*pending); ok {
		p.changes = append(p.changes, change{entity, key, action, before, after})
	}
}

// appendAudit writes a transaction's changes as unsealed events, in the same transaction, so
// that a change and its audit record commit or fail together. Writers never wait for each
// other here: SealAudit chains committed events afterwards, one sealer at a time.
func (db *DB) appendAudit(ctx context.Context, tx *gorm.DB, p *pending) error {
	if len(p.changes) == 0 || db.chainOff {
		return nil
	}
	a := actorFrom(ctx)
	at := db.Now().UTC().Truncate(time.Microsecond).UnixMicro()
	args := make([]any, 0, len(p.changes)*auditColumns)
	for _, c := range p.changes {
		before, err := json.Marshal(c.before)
		if err != nil {
			return err
		}
		after, err := json.Marshal(c.after)
		if err != nil {
			return err
		}
		args = append(args, at, a.UserID, a.Email, a.IP, c.entity, c.key, c.action, string(before), string(after))
	}
	return db.insertAuditRows(tx, args)
}

// auditColumns is how many columns insertAuditRows writes per event.
const auditColumns = 9

// insertAuditRows inserts events (auditColumns arguments each) with explicit columns; seq stays
// NULL (unsealed) and the hashes empty until SealAudit. Nothing is returned, so SQLite needs no
// statement journal for an insert of one row: it gets one statement per event, PostgreSQL one
// per batch of rows.
func (db *DB) insertAuditRows(tx *gorm.DB, args []any) error {
	perStatement := 1000
	if db.Dialect == SQLite {
		perStatement = 1
	}
	const row = "(?, ?, ?, ?, ?, ?, ?, ?, ?)"
	for len(args) > 0 {
		n := min(perStatement, len(args)/auditColumns)
		sql := "INSERT INTO audit_events (at_micros, actor_id, actor, ip, entity, entity_key, action, before_json, after_json) VALUES " +
			row + strings.Repeat(", "+row, n-1)
		if err := tx.Exec(sql, args[:n*auditColumns]...).Error; err != nil {
			return err
		}
		args = args[n*auditColumns:]
	}
	return nil
}

// sealStatement seals a batch of events given as a JSON array of {id, seq, prev_hash, hash},
// skipping any sealed meanwhile.
var sealStatement = map[Dialect]string{
	Postgres: "UPDATE audit_events SET seq = s.seq, prev_hash = s.prev_hash, hash = s.hash " +
		"FROM json_to_recordset(?) AS s (id bigint, seq bigint, prev_hash text, hash text) " +
		"WHERE audit_events.id = s.id AND audit_events.seq IS NULL",
	SQLite: "WITH s AS (SELECT value ->> 'id' AS id, value ->> 'seq' AS seq, value ->> 'prev_hash' AS prev_hash, " +
		"value ->> 'hash' AS hash FROM json_each(?)) " +
		"UPDATE audit_events SET seq = s.seq, prev_hash = s.prev_hash, hash = s.hash " +
		"FROM s WHERE audit_events.id = s.id AND +audit_events.seq IS NULL", // +: by id, not by the seq index (one scan of s per event)
}

// sealBatch is how many events one sealing transaction chains.
const sealBatch = 2000

// SealAudit chains every committed, unsealed event in the order of its id: each gets the next
// position and a hash over the previous hash and its content, and the head moves on. One
// sealer runs at a time (an advisory lock on PostgreSQL; the write lock on SQLite). It returns
// how many events it sealed.
func (db *DB) SealAudit(ctx context.Context) (int, error) {
	total := 0
	for {
		n, err := db.sealOnce(ctx)
		total += n
		if err != nil || n < sealBatch {
			return total, err
		}
	}
}

func (db *DB) sealOnce(ctx context.Context) (int, error) {
	if db.Dialect == SQLite {
		db.writer.Lock()
		defer db.writer.Unlock()
	}
	sealed := 0
	err := db.conn.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if db.Dialect == Postgres {
			if err := tx.Exec("SELECT pg_advisory_xact_lock(7261121)").Error; err != nil {
				return err
			}
		}
		var head struct {
			Seq  int64
			Hash string
		}
		if err := tx.Table("audit_head").Select("seq, hash").Where("id = 1").Take(&head).Error; err != nil {
			return fmt.Errorf("audit head: %w", err)
		}
		var events []AuditEvent
		if err := tx.Where("seq IS NULL").Order("id").Limit(sealBatch).Find(&events).Error; err != nil {
			return err
		}
		if len(events) == 0 {
			return nil
		}
		// One statement for the batch, its rows as one JSON parameter: a statement per event
		// would cost a round trip each, and a statement per batch size would fill the statement
		// caches.
		type sealedEvent struct {
			ID       int64  `json:"id"`
			Seq      int64  `json:"seq"`
			PrevHash string `json:"prev_hash"`
			Hash     string `json:"hash"`
		}
		rows := make([]sealedEvent, len(events))
		for i := range events {
			e := &events[i]
			seq := head.Seq + 1
			e.Seq, e.PrevHash = &seq, head.Hash
			e.Hash = e.computeHash()
			rows[i] = sealedEvent{e.ID, seq, e.PrevHash, e.Hash}
			head.Seq, head.Hash = seq, e.Hash
		}
		js, err := json.Marshal(rows)
		if err != nil {
			return err
		}
		res := tx.Exec(sealStatement[db.Dialect], string(js))
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != int64(len(events)) {
			return fmt.Errorf("%d of %d audit events were sealed by someone else", int64(len(events))-res.RowsAffected, len(events))
		}
		sealed = len(events)
		return tx.Exec("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", head.Seq, head.Hash).Error
	})
	return sealed, err
}

// sealPause is how long RunSealer waits after a local write before sealing, so that the writes
// committing meanwhile are sealed in the same transaction: under load, one sealing per write
// would cost as many round trips as the write itself.
const sealPause = 100 * time.Millisecond

// RunSealer seals new events shortly after each local write, and every interval for events
// written by other processes, until ctx ends.
func (db *DB) RunSealer(ctx context.Context, interval time.Duration, log *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-db.sealNow:
			select {
			case <-ctx.Done():
				return
			case <-time.After(sealPause):
			}
		case <-t.C:
		}
		if _, err := db.SealAudit(ctx); err != nil && ctx.Err() == nil && log != nil {
			log.Warn("sealing the audit trail failed; will retry", "err", err)
		}
	}
}

// computeHash is SHA-256 over the previous hash and the event's canonical content: its fields
// in a fixed order, each length-prefixed so that no two different events encode alike.
func (e *AuditEvent) computeHash() string {
	h := sha256.New()
	actorID := ""
	if e.ActorID != nil {
		actorID = strconv.FormatInt(*e.ActorID, 10)
	}
	seq := ""
	if e.Seq != nil {
		seq = strconv.FormatInt(*e.Seq, 10)
	}
	for _, f := range []string{"pantau-audit-v1", e.PrevHash, seq, strconv.FormatInt(e.AtMicros, 10),
		actorID, e.Actor, e.IP, e.Entity, e.EntityKey, e.Action, e.BeforeJSON, e.AfterJSON} {
		fmt.Fprintf(h, "%d:%s;", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func (e *AuditEvent) fill() {
	e.At = time.UnixMicro(e.AtMicros).UTC()
	e.Before, e.After = json.RawMessage(e.BeforeJSON), json.RawMessage(e.AfterJSON)
}
