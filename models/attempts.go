package models

import (
	"context"
	"sort"
	"time"

	"gorm.io/gorm"
)

// Attempts at a secret (a sign-in password, a signing passphrase) are limited in the database,
// so that every server instance sharing it keeps the same count. An attempt is reserved before
// the secret is checked: a row with pending set, which counts towards the limit at once. After
// the check it becomes a failure (pending cleared) or is removed (the secret was right, or the
// check never ran). Reserving counts and inserts under a lock on the attempt's subjects, so N
// attempts arriving at once can never all see room under the limit: at most the limit is ever
// checked within a window. A reservation left behind by a crash counts until its window passes.

// attemptLockSpace is the first key of the advisory locks on attempt subjects (the second is
// a hash of the subject), apart from the single-key locks of migrations and the audit sealer.
const attemptLockSpace = 7261122

// lockSubjects serialises the transactions that count or settle attempts on the same subjects
// (e.g. "login:email:…"): on PostgreSQL with transaction-scoped advisory locks, taken in one
// order so that two transactions never wait for each other in a cycle; on SQLite every write
// transaction already runs alone.
func (db *DB) lockSubjects(tx *gorm.DB, subjects ...string) error {
	if db.Dialect != Postgres {
		return nil
	}
	sorted := append([]string(nil), subjects...)
	sort.Strings(sorted)
	for _, s := range sorted {
		if err := tx.Exec("SELECT pg_advisory_xact_lock(?, hashtext(?))", attemptLockSpace, s).Error; err != nil {
			return err
		}
	}
	return nil
}

// settleContext is the context an attempt's outcome is recorded with: it survives the caller
// going away, so that a failure an attacker hangs up on is still counted and audited.
func settleContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
}
