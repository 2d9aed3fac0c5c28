package models

import (
	"context"
	"sync"

	"gorm.io/gorm"
)

// writeGroup gathers the write transactions waiting for SQLite's single writer. Whoever gets
// the writer next runs every waiting write in one transaction, each write in a savepoint of its
// own, and commits them together: one commit, and one sync of the log to disk, for the group
// instead of one for each. Each write still sees the writes before it and fails alone: a write
// that returns an error is rolled back to its savepoint and the others go on, as they would
// have one after another. Only the commit is shared: when it fails, every write in the group
// gets its error, and none of them happened.
type writeGroup struct {
	mu      sync.Mutex
	waiting []*groupedWrite
}

// groupedWrite is one write transaction waiting in the group.
type groupedWrite struct {
	ctx context.Context
	fn  func(tx *gorm.DB) error
	p   *pending
	// done and err are set by the writer that ran the group, holding db.writer.
	done bool
	err  error
}

// txGrouped is tx on SQLite: fn joins the writes waiting for the writer, and runs in the
// group of whoever gets it first, perhaps this very call.
func (db *DB) txGrouped(ctx context.Context, fn func(tx *gorm.DB) error) error {
	w := &groupedWrite{ctx: ctx, fn: fn}
	db.group.mu.Lock()
	db.group.waiting = append(db.group.waiting, w)
	db.group.mu.Unlock()

	db.writer.Lock()
	defer db.writer.Unlock()
	if !w.done { // no writer before took it along: take every write waiting, this one included
		db.group.mu.Lock()
		group := db.group.waiting
		db.group.waiting = nil
		db.group.mu.Unlock()
		db.runGroup(group)
	}
	return w.err
}

// runGroup runs the writes of a group in one transaction and commits them. The caller holds
// db.writer.
func (db *DB) runGroup(group []*groupedWrite) {
	alone := len(group) == 1
	ran := make([]*groupedWrite, 0, len(group))
	// The transaction belongs to the whole group: no caller's cancellation may end it. A write
	// whose caller has gone before it starts is skipped; once started, it runs to its end (SQLite
	// rolls back the whole transaction when a write is interrupted).
	err := db.conn.WithContext(context.WithoutCancel(group[0].ctx)).Transaction(func(tx *gorm.DB) error {
		for _, w := range group {
			if w.err = w.ctx.Err(); w.err != nil {
				w.done = true
				continue
			}
			w.p = &pending{}
			wctx := context.WithValue(context.WithoutCancel(w.ctx), pendingKey{}, w.p)
			wtx := tx.WithContext(wctx)
			if alone {
				if err := db.write(wctx, wtx, w.fn, w.p); err != nil {
					return err
				}
				ran = append(ran, w)
				continue
			}
			if err := tx.Exec("SAVEPOINT grouped_write").Error; err != nil {
				return err
			}
			if w.err = db.write(wctx, wtx, w.fn, w.p); w.err != nil {
				w.done = true
				w.err = translate(w.err)
				if err := tx.Exec("ROLLBACK TO grouped_write").Error; err != nil {
					return err
				}
				// A catalogue read by the failed write may have been cached; forget it.
				db.catalogues.reset()
			} else {
				ran = append(ran, w)
			}
			if err := tx.Exec("RELEASE grouped_write").Error; err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.catalogues.reset()
		for _, w := range group {
			if !w.done {
				w.done, w.err = true, translate(err)
			}
		}
		return
	}
	for _, w := range ran {
		w.done = true
		w.err = db.afterCommit(w.ctx, w.p)
	}
}
