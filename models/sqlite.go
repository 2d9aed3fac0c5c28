package models

import (
	"database/sql"
	"fmt"

	"github.com/libtnb/sqlite"
	"gorm.io/gorm"
	moderncsqlite "modernc.org/sqlite"

	"github.com/pantau-id/pantau/internal/stmtcache"
)

// sqliteSettings are the connection parameters of every connection to the embedded database:
// writes take the write lock when their transaction begins (so that two writers never deadlock
// upgrading a read), foreign keys are enforced, the journal is a write-ahead log synced at every
// commit, a busy connection waits up to ten seconds, and times are written in SQLite's own text
// form (YYYY-MM-DD HH:MM:SS.fffffffff+HH:MM), the form every row already stored has.
const sqliteSettings = "_txlock=immediate&_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)" +
	"&_pragma=busy_timeout(10000)&_pragma=synchronous(FULL)&_time_format=sqlite"

// sqliteStatements is how many compiled statements each connection keeps: more than the
// distinct statements of a day's work, fewer than a leak could grow to.
const sqliteStatements = 512

// SQLiteDialector opens the embedded database file at path with the settings Pantau's own
// connections use, for tools that need a connection of their own to it (tests that inspect rows).
// Each connection keeps its statements compiled (stmtcache): parsing SQL was a fifth of a
// claim's CPU.
func SQLiteDialector(path string) (gorm.Dialector, error) {
	connector, err := moderncsqlite.NewConnector("file:" + path + "?" + sqliteSettings)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return sqlite.New(sqlite.Config{Conn: sql.OpenDB(stmtcache.New(connector, sqliteStatements))}), nil
}
