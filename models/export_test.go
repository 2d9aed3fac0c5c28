package models

import (
	"context"

	"gorm.io/gorm"
)

// SetAuditChain turns the audit chain on or off, so benchmarks can measure what it costs.
func SetAuditChain(db *DB, on bool) { db.chainOff = !on }

// InsertAuditEvents appends n synthetic events to the chain in batches, the way appendAudit
// would have, for benchmarking the verifier at scale.
func InsertAuditEvents(db *DB, n int) error {
	var head struct {
		Seq  int64
		Hash string
	}
	if err := db.conn.Table("audit_head").Select("seq, hash").Where("id = 1").Take(&head).Error; err != nil {
		return err
	}
	const batch = 500
	at := db.Now().UnixMicro()
	for done := 0; done < n; {
		rows := make([]AuditEvent, 0, batch)
		for i := 0; i < batch && done < n; i++ {
			seq := head.Seq + 1
			e := AuditEvent{Seq: &seq, AtMicros: at, Actor: "bench@pantau.id", IP: "127.0.0.1", Entity: "item",
				EntityKey: "2025/11.01/I1", Action: "claim", BeforeJSON: `{"progress":10,"status":"draft"}`,
				AfterJSON: `{"progress":20,"status":"submitted"}`, PrevHash: head.Hash}
			e.Hash = e.computeHash()
			head.Seq, head.Hash = seq, e.Hash
			rows = append(rows, e)
			done++
		}
		if err := db.conn.CreateInBatches(rows, 100).Error; err != nil {
			return err
		}
	}
	return db.conn.Exec("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", head.Seq, head.Hash).Error
}

// FollowerName is the application_name of Follow's connection, for tests that cut it.
func FollowerName(db *DB) string { return db.followerName() }

// HoldWriter takes SQLite's writer as a write would, until release: writes meanwhile wait in
// its group.
func HoldWriter(db *DB) (release func()) {
	db.writer.Lock()
	return db.writer.Unlock
}

// WaitingWrites is how many writes wait in the group for SQLite's writer.
func WaitingWrites(db *DB) int {
	db.group.mu.Lock()
	defer db.group.mu.Unlock()
	return len(db.group.waiting)
}

// Write runs fn as a write transaction of the store (DB.tx), for tests of how writes run.
func Write(ctx context.Context, db *DB, fn func(tx *gorm.DB) error) error { return db.tx(ctx, fn) }
