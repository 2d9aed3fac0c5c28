package stmtcache

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"path/filepath"
	"sync/atomic"
	"testing"

	"modernc.org/sqlite"
)

// counting wraps a real SQLite connector and counts the statements its connections prepare
// and close, to see what the cache does with them.
type counting struct {
	driver.Connector
	prepared, closed *atomic.Int64
}

func (c counting) Connect(ctx context.Context) (driver.Conn, error) {
	dc, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return countingConn{baseConn: dc.(baseConn), c: c}, nil
}

type countingConn struct {
	baseConn
	c counting
}

func (cc countingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	s, err := cc.baseConn.PrepareContext(ctx, query)
	if err == nil {
		cc.c.prepared.Add(1)
		s = countingStmt{preparedStmt: s.(preparedStmt), closed: cc.c.closed}
	}
	return s, err
}

type countingStmt struct {
	preparedStmt
	closed *atomic.Int64
}

func (s countingStmt) Close() error {
	s.closed.Add(1)
	return s.preparedStmt.Close()
}

// open returns a one-connection pool on a fresh SQLite file whose connection keeps size
// statements, with the counters of what it prepared and closed.
func open(t *testing.T, size int) (db *sql.DB, prepared, closed *atomic.Int64) {
	t.Helper()
	base, err := sqlite.NewConnector("file:" + filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	prepared, closed = new(atomic.Int64), new(atomic.Int64)
	db = sql.OpenDB(New(counting{Connector: base, prepared: prepared, closed: closed}, size))
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{"a", "b", "c"} {
		if _, err := db.Exec("INSERT INTO t (v) VALUES (?)", v); err != nil {
			t.Fatal(err)
		}
	}
	return db, prepared, closed
}

func values(t *testing.T, q interface {
	Query(string, ...any) (*sql.Rows, error)
}, query string, args ...any) []string {
	t.Helper()
	rows, err := q.Query(query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestAStatementIsPreparedOncePerConnection(t *testing.T) {
	db, prepared, _ := open(t, 8)
	before := prepared.Load() // CREATE TABLE and INSERT
	for i := range 50 {
		if _, err := db.Exec("UPDATE t SET v = ? WHERE id = ?", "x", i%3+1); err != nil {
			t.Fatal(err)
		}
		if got := values(t, db, "SELECT v FROM t WHERE id = ?", i%3+1); len(got) != 1 || got[0] != "x" {
			t.Fatalf("read %v", got)
		}
	}
	if n := prepared.Load() - before; n != 2 {
		t.Fatalf("prepared %d statements for 2 distinct ones run 50 times each", n)
	}
}

func TestAQueryRunAgainInsideItsOwnRowsGetsAStatementOfItsOwn(t *testing.T) {
	db, _, _ := open(t, 8)
	tx, err := db.Begin() // one connection for both
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	const q = "SELECT v FROM t WHERE id >= ? ORDER BY id"
	outer, err := tx.Query(q, 1)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for outer.Next() {
		var v string
		if err := outer.Scan(&v); err != nil {
			t.Fatal(err)
		}
		inner := values(t, tx, q, 2)
		got = append(got, v+":"+inner[0]+inner[1])
	}
	if err := outer.Close(); err != nil {
		t.Fatal(err)
	}
	if want := []string{"a:bc", "b:bc", "c:bc"}; len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Fatalf("got %v, want %v", got, want)
	}
	if got := values(t, tx, q, 3); len(got) != 1 || got[0] != "c" {
		t.Fatalf("after the rows closed: %v", got)
	}
}

func TestTheLeastRecentlyUsedStatementLeavesAndAReadingOneWaitsForItsRows(t *testing.T) {
	db, prepared, closed := open(t, 2)
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	reading, err := tx.Query("SELECT v FROM t ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	closedBefore, preparedBefore := closed.Load(), prepared.Load()
	// Two more statements push the reading one out of a cache of two; it stays open for its rows.
	values(t, tx, "SELECT v FROM t WHERE id = 1")
	values(t, tx, "SELECT v FROM t WHERE id = 2")
	if n := closed.Load() - closedBefore; n != 1 { // CREATE/INSERT's leftovers first, then none reading
		t.Fatalf("closed %d statements while one was reading, want 1", n)
	}
	var got []string
	for reading.Next() {
		var v string
		if err := reading.Scan(&v); err != nil {
			t.Fatal(err)
		}
		got = append(got, v)
	}
	if len(got) != 3 {
		t.Fatalf("the evicted statement's rows: %v", got)
	}
	reading.Close()
	if n := closed.Load() - closedBefore; n != 2 {
		t.Fatalf("closed %d statements after the evicted one's rows closed, want 2", n)
	}
	values(t, tx, "SELECT v FROM t ORDER BY id") // evicted: prepared again
	if n := prepared.Load() - preparedBefore; n != 3 {
		t.Fatalf("prepared %d statements, want 3", n)
	}
}

func TestClosingTheConnectionClosesItsStatements(t *testing.T) {
	db, prepared, closed := open(t, 8)
	values(t, db, "SELECT v FROM t")
	db.Close()
	if p, c := prepared.Load(), closed.Load(); p != c || p == 0 {
		t.Fatalf("prepared %d statements, closed %d", p, c)
	}
}
