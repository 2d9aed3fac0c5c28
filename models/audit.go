package models

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
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
	ID        int64           `json:"-"`
	Seq       int64           `json:"seq"`
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

// pending collects a transaction's changes.
type pending struct{ changes []change }

// audit records a change made in the current transaction (see DB.tx). before and after are
// encoded as JSON; nil encodes as null.
func audit(tx *gorm.DB, entity, key, action string, before, after any) {
	if p, ok := tx.Statement.Context.Value(pendingKey{}).(*pending); ok {
		p.changes = append(p.changes, change{entity, key, action, before, after})
	}
}

// appendAudit writes a transaction's changes to the chain. Taking the head row's lock makes
// appends from concurrent transactions line up; it is the transaction's last statement, so the
// lock is held only until the commit.
func (db *DB) appendAudit(ctx context.Context, tx *gorm.DB, p *pending) error {
	if len(p.changes) == 0 || db.chainOff {
		return nil
	}
	var head struct {
		Seq  int64
		Hash string
	}
	q := tx.Table("audit_head").Select("seq, hash").Where("id = 1")
	if db.Dialect == Postgres {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	if err := q.Take(&head).Error; err != nil {
		return fmt.Errorf("audit head: %w", err)
	}
	a := actorFrom(ctx)
	at := db.Now().UTC().Truncate(time.Microsecond)
	for _, c := range p.changes {
		before, err := json.Marshal(c.before)
		if err != nil {
			return err
		}
		after, err := json.Marshal(c.after)
		if err != nil {
			return err
		}
		e := AuditEvent{Seq: head.Seq + 1, AtMicros: at.UnixMicro(), ActorID: a.UserID, Actor: a.Email, IP: a.IP,
			Entity: c.entity, EntityKey: c.key, Action: c.action, BeforeJSON: string(before), AfterJSON: string(after), PrevHash: head.Hash}
		e.Hash = e.computeHash()
		if err := tx.Create(&e).Error; err != nil {
			return err
		}
		head.Seq, head.Hash = e.Seq, e.Hash
	}
	return tx.Exec("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", head.Seq, head.Hash).Error
}

// computeHash is SHA-256 over the previous hash and the event's canonical content: its fields
// in a fixed order, each length-prefixed so that no two different events encode alike.
func (e *AuditEvent) computeHash() string {
	h := sha256.New()
	actorID := ""
	if e.ActorID != nil {
		actorID = strconv.FormatInt(*e.ActorID, 10)
	}
	for _, f := range []string{"pantau-audit-v1", e.PrevHash, strconv.FormatInt(e.Seq, 10), strconv.FormatInt(e.AtMicros, 10),
		actorID, e.Actor, e.IP, e.Entity, e.EntityKey, e.Action, e.BeforeJSON, e.AfterJSON} {
		fmt.Fprintf(h, "%d:%s;", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func (e *AuditEvent) fill() {
	e.At = time.UnixMicro(e.AtMicros).UTC()
	e.Before, e.After = json.RawMessage(e.BeforeJSON), json.RawMessage(e.AfterJSON)
}
