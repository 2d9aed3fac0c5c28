package models

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// AuditFilter narrows an audit listing. Zero values mean no filter.
type AuditFilter struct {
	Entity    string
	EntityKey string
	ActorID   *int64
	Actor     string
	From, To  time.Time
	// Year keeps the events about one period: its own ("2019") and those of everything in it
	// ("2019/…").
	Year int
	// AfterID pages forward: only events after this id.
	AfterID int64
	Limit   int
}

// AuditEvents lists events in the order they were written (sealed or not yet) with filters and
// paging (Limit defaults to 100, at most 1000).
func (db *DB) AuditEvents(ctx context.Context, f AuditFilter) ([]AuditEvent, error) {
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 100
	}
	q := db.read(ctx).Where("id > ?", f.AfterID)
	if f.Entity != "" {
		q = q.Where("entity = ?", f.Entity)
	}
	if f.EntityKey != "" {
		q = q.Where("entity_key = ?", f.EntityKey)
	}
	if f.Year != 0 {
		y := strconv.Itoa(f.Year)
		q = q.Where("(entity_key = ? OR entity_key LIKE ?)", y, y+"/%")
	}
	if f.ActorID != nil {
		q = q.Where("actor_id = ?", *f.ActorID)
	}
	if f.Actor != "" {
		q = q.Where("actor = ?", strings.ToLower(f.Actor))
	}
	if !f.From.IsZero() {
		q = q.Where("at_micros >= ?", f.From.UnixMicro())
	}
	if !f.To.IsZero() {
		q = q.Where("at_micros < ?", f.To.UnixMicro())
	}
	out := []AuditEvent{}
	if err := q.Order("id").Limit(f.Limit).Find(&out).Error; err != nil {
		return nil, err
	}
	for i := range out {
		out[i].fill()
	}
	return out, nil
}

// AuditReport is the outcome of walking the chain.
type AuditReport struct {
	Events int64
	// Sealed is how many pending events were chained before the walk.
	Sealed int
	// Broken is empty when the chain is intact; otherwise it names the first broken event.
	Broken string
	// BrokenSeq is the position of the first broken event (0 when intact).
	BrokenSeq int64
}

// VerifyAudit seals any committed events still pending, then walks the whole chain in order,
// recomputing every hash, and reports the first event that was edited, inserted, deleted or
// moved, or a tail that was cut off. progress, if not nil, is called with the number of events
// checked so far.
func (db *DB) VerifyAudit(ctx context.Context, progress func(checked int64)) (*AuditReport, error) {
	const batch = 5000
	r := &AuditReport{}
	var err error
	if r.Sealed, err = db.SealAudit(ctx); err != nil {
		return nil, fmt.Errorf("seal pending events: %w", err)
	}
	var lastSeq int64
	var lastHash string
	for {
		var events []AuditEvent
		err := db.read(ctx).Where("seq > ?", lastSeq).Order("seq").Limit(batch).Find(&events).Error
		if err != nil {
			return nil, err
		}
		for i := range events {
			e := &events[i]
			seq := *e.Seq
			switch {
			case seq != lastSeq+1:
				return r.broken(seq, fmt.Sprintf("event %d: events %d to %d are missing (deleted)", seq, lastSeq+1, seq-1)), nil
			case e.PrevHash != lastHash:
				return r.broken(seq, fmt.Sprintf("event %d (id %d): does not follow event %d (inserted, reordered, or its predecessor was changed)", seq, e.ID, lastSeq)), nil
			case e.computeHash() != e.Hash:
				return r.broken(seq, fmt.Sprintf("event %d (id %d, %s %s %s): its content does not match its hash (edited)", seq, e.ID, e.Entity, e.EntityKey, e.Action)), nil
			}
			lastSeq, lastHash = seq, e.Hash
			r.Events++
		}
		if progress != nil {
			progress(r.Events)
		}
		if len(events) < batch {
			break
		}
	}
	var head struct {
		Seq  int64
		Hash string
	}
	if err := db.read(ctx).Table("audit_head").Select("seq, hash").Where("id = 1").Take(&head).Error; err != nil {
		return nil, err
	}
	if head.Seq != lastSeq || head.Hash != lastHash {
		return r.broken(lastSeq+1, fmt.Sprintf("the chain ends at event %d but its head says %d (events after %d were deleted, or the head was changed)", lastSeq, head.Seq, lastSeq)), nil
	}
	return r, nil
}

func (r *AuditReport) broken(seq int64, why string) *AuditReport {
	r.BrokenSeq, r.Broken = seq, why
	return r
}
