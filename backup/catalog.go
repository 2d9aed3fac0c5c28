package backup

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/pantau-id/pantau/models"
)

// querier is a transaction or a pool.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

// tableInfo is what the catalogue says about one table.
type tableInfo struct {
	Name    string
	Columns []Column
	// Key orders the rows: the primary key's columns.
	Key []string
	// Refs maps a column to the table its foreign key refers to.
	Refs map[string]string
}

// selfRefs lists the columns whose foreign key refers to the table itself.
func (t *tableInfo) selfRefs() []string {
	var out []string
	for _, c := range t.Columns {
		if t.Refs[c.Name] == t.Name {
			out = append(out, c.Name)
		}
	}
	return out
}

// catalog reads the schema of a database of either dialect.
type catalog struct {
	d models.Dialect
	q querier
}

// ph is the n-th (1-based) placeholder of the dialect.
func (c catalog) ph(n int) string {
	if c.d == models.Postgres {
		return "$" + strconv.Itoa(n)
	}
	return "?"
}

// tableNames lists the tables other than the migrations' own record and the job queue's
// (River's river_* tables: jobs in flight, which the restored installation's own queue
// replaces; serve creates them again), by name.
func (c catalog) tableNames(ctx context.Context) ([]string, error) {
	q := "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations' " +
		"AND name NOT LIKE 'river\\_%' ESCAPE '\\' ORDER BY name"
	if c.d == models.Postgres {
		q = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations' " +
			"AND table_name NOT LIKE 'river\\_%' ESCAPE '\\' ORDER BY table_name"
	}
	return strings1(ctx, c.q, q)
}

// tables reads every table's columns, key and references, in dependency order.
func (c catalog) tables(ctx context.Context) ([]*tableInfo, error) {
	names, err := c.tableNames(ctx)
	if err != nil {
		return nil, err
	}
	var out []*tableInfo
	for _, n := range names {
		t, err := c.table(ctx, n)
		if err != nil {
			return nil, fmt.Errorf("table %s: %w", n, err)
		}
		out = append(out, t)
	}
	return dependencyOrder(out)
}

func (c catalog) table(ctx context.Context, name string) (*tableInfo, error) {
	t := &tableInfo{Name: name, Refs: map[string]string{}}
	colQ := "SELECT name, type, pk FROM pragma_table_info(?) ORDER BY cid"
	refQ := `SELECT "from", "table" FROM pragma_foreign_key_list(?)`
	if c.d == models.Postgres {
		colQ = "SELECT c.column_name, c.data_type, COALESCE(array_position(i.indkey::int2[], a.attnum) - array_lower(i.indkey::int2[], 1) + 1, 0) " +
			"FROM information_schema.columns c JOIN pg_attribute a ON a.attrelid = $1::text::regclass AND a.attname = c.column_name " +
			"LEFT JOIN pg_index i ON i.indrelid = a.attrelid AND i.indisprimary " +
			"WHERE c.table_schema = current_schema() AND c.table_name = $1::text ORDER BY c.ordinal_position"
		refQ = "SELECT a.attname, r.relname FROM pg_constraint k JOIN pg_class r ON r.oid = k.confrelid " +
			"JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1] WHERE k.conrelid = $1::text::regclass AND k.contype = 'f'"
	}
	rows, err := c.q.QueryContext(ctx, colQ, name)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	keys := map[int]string{}
	for rows.Next() {
		var col, typ string
		var pk int
		if err := rows.Scan(&col, &typ, &pk); err != nil {
			return nil, err
		}
		k, err := kindOf(typ)
		if err != nil {
			return nil, fmt.Errorf("column %s: %w", col, err)
		}
		t.Columns = append(t.Columns, Column{Name: col, Kind: k})
		if pk > 0 {
			keys[pk] = col
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := 1; i <= len(keys); i++ {
		t.Key = append(t.Key, keys[i])
	}
	refs, err := c.q.QueryContext(ctx, refQ, name)
	if err != nil {
		return nil, err
	}
	defer refs.Close()
	for refs.Next() {
		var col, to string
		if err := refs.Scan(&col, &to); err != nil {
			return nil, err
		}
		t.Refs[col] = to
	}
	return t, refs.Err()
}

// dependencyOrder sorts tables so that each comes after the tables it refers to (a table
// referring to itself is loaded in two steps, see loader), by name among equals.
func dependencyOrder(tables []*tableInfo) ([]*tableInfo, error) {
	byName := map[string]*tableInfo{}
	for _, t := range tables {
		byName[t.Name] = t
	}
	done := map[string]bool{}
	var out []*tableInfo
	for len(out) < len(tables) {
		var ready []*tableInfo
		for _, t := range tables {
			if done[t.Name] {
				continue
			}
			ok := true
			for _, to := range t.Refs {
				if to != t.Name && byName[to] != nil && !done[to] {
					ok = false
				}
			}
			if ok {
				ready = append(ready, t)
			}
		}
		if len(ready) == 0 {
			return nil, fmt.Errorf("the tables' foreign keys form a cycle")
		}
		sort.Slice(ready, func(i, j int) bool { return ready[i].Name < ready[j].Name })
		for _, t := range ready {
			done[t.Name] = true
		}
		out = append(out, ready...)
	}
	return out, nil
}

// sequence returns the highest id a table's id sequence has handed out; 0 when it has
// none or handed out nothing.
func (c catalog) sequence(ctx context.Context, table string) (int64, error) {
	if c.d == models.SQLite {
		var seq int64
		err := c.q.QueryRowContext(ctx, "SELECT seq FROM sqlite_sequence WHERE name = ?", table).Scan(&seq)
		if err == sql.ErrNoRows || (err != nil && strings.Contains(err.Error(), "no such table")) {
			return 0, nil
		}
		return seq, err
	}
	name, err := c.sequenceName(ctx, table)
	if err != nil || name == "" {
		return 0, err
	}
	var last int64
	var called bool
	if err := c.q.QueryRowContext(ctx, "SELECT last_value, is_called FROM "+name).Scan(&last, &called); err != nil {
		return 0, err
	}
	if !called {
		last--
	}
	return last, nil
}

// sequenceName is the PostgreSQL sequence behind a table's id column, or "".
func (c catalog) sequenceName(ctx context.Context, table string) (string, error) {
	var name sql.NullString
	err := c.q.QueryRowContext(ctx, "SELECT pg_get_serial_sequence($1::text, 'id') WHERE EXISTS (SELECT 1 FROM information_schema.columns "+
		"WHERE table_schema = current_schema() AND table_name = $1::text AND column_name = 'id')", table).Scan(&name)
	if err == sql.ErrNoRows {
		return "", nil
	}
	return name.String, err
}

// schemaVersion is the last migration applied, 0 when there is none.
func (c catalog) schemaVersion(ctx context.Context) (int, error) {
	var v sql.NullInt64
	if err := c.q.QueryRowContext(ctx, "SELECT MAX(version) FROM schema_migrations").Scan(&v); err != nil {
		return 0, err
	}
	return int(v.Int64), nil
}

// strings1 runs a query returning one text column.
func strings1(ctx context.Context, q querier, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// quote quotes an identifier for either dialect.
func quote(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }
