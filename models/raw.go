package models

import (
	"context"
	"database/sql"
)

// SQL returns the connection pool beneath the store, for the backup and restore of the
// installation, which copy every table row by row as it is and so work below the domain's
// methods. Nothing else should write through it: it bypasses the audit chain.
func (db *DB) SQL() (*sql.DB, error) { return db.conn.DB() }

// MigrateTo applies the pending migrations up to and including version, each in its own
// transaction, and returns the versions it applied. A restore brings an empty database to a
// backup's schema with it before loading the backup's rows.
func (db *DB) MigrateTo(ctx context.Context, version int) ([]int, error) {
	return db.migrateUpTo(ctx, version)
}
