// Package stmtcache keeps the statements a database/sql driver connection runs compiled, so that
// the database parses each distinct statement once per connection instead of at every call.
//
// It wraps a driver.Connector. Each connection the wrapper opens keeps up to a fixed number of
// prepared statements, keyed by their SQL text, the least recently used leaving first. A call
// whose statement is still reading rows on the same connection (a query run again inside the
// loop over its own rows) gets a statement of its own, as without the cache.
//
// database/sql calls one connection from one goroutine at a time, the closing of its rows
// included; the cache relies on that and takes no lock of its own.
package stmtcache

import (
	"container/list"
	"context"
	"database/sql/driver"
	"fmt"
	"reflect"
)

// baseConn is what the wrapped driver's connections must offer: every optional interface
// database/sql uses when present, so that the wrapper hides none of them.
type baseConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

// preparedStmt is what the wrapped driver's statements must offer.
type preparedStmt interface {
	driver.Stmt
	driver.StmtExecContext
	driver.StmtQueryContext
}

// New wraps base so that each connection keeps up to size prepared statements.
func New(base driver.Connector, size int) driver.Connector {
	return &connector{base: base, size: size}
}

type connector struct {
	base driver.Connector
	size int
}

// Connect opens a connection of the wrapped driver and gives it a statement cache.
func (c *connector) Connect(ctx context.Context) (driver.Conn, error) {
	dc, err := c.base.Connect(ctx)
	if err != nil {
		return nil, err
	}
	bc, ok := dc.(baseConn)
	if !ok {
		dc.Close()
		return nil, fmt.Errorf("stmtcache: %T lacks an interface database/sql uses", dc)
	}
	return &conn{baseConn: bc, size: c.size, byQuery: map[string]*list.Element{}, recent: list.New()}, nil
}

// Driver returns the wrapped connector's driver.
func (c *connector) Driver() driver.Driver { return c.base.Driver() }

// conn is a driver connection with its statement cache. Everything but running statements and
// closing is the wrapped connection's own.
type conn struct {
	baseConn
	size    int
	byQuery map[string]*list.Element // of *entry
	recent  *list.List               // most recently used first
}

// entry is one cached statement.
type entry struct {
	query string
	stmt  preparedStmt
	// reading is set while rows read from stmt are open; evicted, once the cache let go of it
	// then, so that the rows' closing closes it.
	reading, evicted bool
}

// Unwrap returns the wrapped connection.
func (c *conn) Unwrap() driver.Conn { return c.baseConn }

// ExecContext runs query with the connection's compiled statement for it.
func (c *conn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	e, err := c.statement(ctx, query)
	if err != nil {
		return nil, err
	}
	if e == nil {
		return c.baseConn.ExecContext(ctx, query, args)
	}
	return e.stmt.ExecContext(ctx, args)
}

// QueryContext runs query with the connection's compiled statement for it; the statement is
// taken until the rows are closed.
func (c *conn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	e, err := c.statement(ctx, query)
	if err != nil {
		return nil, err
	}
	if e == nil {
		return c.baseConn.QueryContext(ctx, query, args)
	}
	rows, err := e.stmt.QueryContext(ctx, args)
	if err != nil {
		return nil, err
	}
	e.reading = true
	return &entryRows{Rows: rows, e: e}, nil
}

// statement returns the cached statement for query, preparing it on first use; nil when the
// cached one is reading rows.
func (c *conn) statement(ctx context.Context, query string) (*entry, error) {
	if el, ok := c.byQuery[query]; ok {
		e := el.Value.(*entry)
		if e.reading {
			return nil, nil
		}
		c.recent.MoveToFront(el)
		return e, nil
	}
	ds, err := c.baseConn.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	ps, ok := ds.(preparedStmt)
	if !ok {
		ds.Close()
		return nil, fmt.Errorf("stmtcache: %T lacks the context methods", ds)
	}
	e := &entry{query: query, stmt: ps}
	c.byQuery[query] = c.recent.PushFront(e)
	for c.recent.Len() > c.size {
		c.evict(c.recent.Back())
	}
	return e, nil
}

// evict drops the entry from the cache and closes its statement, at once or when its rows close.
func (c *conn) evict(el *list.Element) {
	e := c.recent.Remove(el).(*entry)
	delete(c.byQuery, e.query)
	if e.reading {
		e.evicted = true
		return
	}
	e.stmt.Close()
}

// Close closes the cached statements and the connection.
func (c *conn) Close() error {
	for c.recent.Len() > 0 {
		c.evict(c.recent.Back())
	}
	return c.baseConn.Close()
}

// entryRows are rows read with a cached statement; closing them gives the statement back.
type entryRows struct {
	driver.Rows
	e *entry
}

// Close closes the rows and gives their statement back to the cache.
func (r *entryRows) Close() error {
	err := r.Rows.Close()
	if r.e != nil {
		r.e.reading = false
		if r.e.evicted {
			r.e.stmt.Close()
		}
		r.e = nil
	}
	return err
}

// The column-type methods pass on what the wrapped rows say, or database/sql's defaults.

// ColumnTypeDatabaseTypeName returns the column's type as the database names it.
func (r *entryRows) ColumnTypeDatabaseTypeName(index int) string {
	if t, ok := r.Rows.(driver.RowsColumnTypeDatabaseTypeName); ok {
		return t.ColumnTypeDatabaseTypeName(index)
	}
	return ""
}

// ColumnTypeLength returns the column's length, for variable-length types.
func (r *entryRows) ColumnTypeLength(index int) (int64, bool) {
	if t, ok := r.Rows.(driver.RowsColumnTypeLength); ok {
		return t.ColumnTypeLength(index)
	}
	return 0, false
}

// ColumnTypeNullable reports whether the column may be null.
func (r *entryRows) ColumnTypeNullable(index int) (nullable, ok bool) {
	if t, ok := r.Rows.(driver.RowsColumnTypeNullable); ok {
		return t.ColumnTypeNullable(index)
	}
	return false, false
}

// ColumnTypePrecisionScale returns a decimal column's precision and scale.
func (r *entryRows) ColumnTypePrecisionScale(index int) (precision, scale int64, ok bool) {
	if t, ok := r.Rows.(driver.RowsColumnTypePrecisionScale); ok {
		return t.ColumnTypePrecisionScale(index)
	}
	return 0, 0, false
}

// ColumnTypeScanType returns the Go type the column's values scan into.
func (r *entryRows) ColumnTypeScanType(index int) reflect.Type {
	if t, ok := r.Rows.(driver.RowsColumnTypeScanType); ok {
		return t.ColumnTypeScanType(index)
	}
	return reflect.TypeFor[any]()
}
