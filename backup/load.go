package backup

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/pantau-id/pantau/models"
)

// loader inserts a backup's rows into the tables of the target database, inside the
// restore's transaction.
type loader struct {
	cat    catalog
	tables map[string]*tableInfo
}

// newLoader reads the target's schema and clears the rows its migrations seeded (the
// target was checked to hold nothing else), children before parents.
func newLoader(ctx context.Context, cat catalog) (*loader, error) {
	tables, err := cat.tables(ctx)
	if err != nil {
		return nil, err
	}
	l := &loader{cat: cat, tables: map[string]*tableInfo{}}
	for i := len(tables) - 1; i >= 0; i-- {
		t := tables[i]
		l.tables[t.Name] = t
		if _, err := cat.q.ExecContext(ctx, "DELETE FROM "+quote(t.Name)); err != nil {
			return nil, fmt.Errorf("clear %s: %w", t.Name, err)
		}
	}
	return l, nil
}

// maxParams bounds the placeholders of one INSERT on PostgreSQL (which allows 65535). On
// SQLite a row at a time through one prepared statement is fastest: its driver binds a
// statement's parameters in time quadratic in their number.
const maxParams = 30000

// load inserts one table's rows from its JSON lines. A column referring to the table itself
// is filled in after all the table's rows are in, so that the order of the rows never
// matters; then the table's id sequence is set past both the restored ids and the one the
// backup recorded.
func (l *loader) load(ctx context.Context, t Table, r io.Reader) error {
	target := l.tables[t.Name]
	if target == nil {
		return fmt.Errorf("this installation has no table %s", t.Name)
	}
	if err := checkColumns(target, t.Columns); err != nil {
		return err
	}
	later := map[int]bool{}
	for _, c := range target.selfRefs() {
		for i, bc := range t.Columns {
			if bc.Name == c {
				later[i] = true
			}
		}
	}
	idCol := -1
	for i, c := range t.Columns {
		if c.Name == "id" {
			idCol = i
		}
	}
	if len(later) > 0 && idCol < 0 {
		return fmt.Errorf("table %s refers to itself but has no id column", t.Name)
	}
	ins := newInserter(l.cat, t)
	defer ins.close()
	var fixups [][3]any // id, column index, value
	br := bufio.NewReaderSize(r, 64<<10)
	var n int64
	for {
		line, err := br.ReadBytes('\n')
		if len(line) == 0 && errors.Is(err, io.EOF) {
			break
		} else if err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		var raw []json.RawMessage
		if err := json.Unmarshal(line, &raw); err != nil || len(raw) != len(t.Columns) {
			return fmt.Errorf("%w: row %d is not an array of %d values", ErrDamaged, n+1, len(t.Columns))
		}
		values := make([]any, len(raw))
		for i, c := range t.Columns {
			if values[i], err = decode(c.Kind, raw[i]); err != nil {
				return fmt.Errorf("%w: row %d, column %s: %v", ErrDamaged, n+1, c.Name, err)
			}
			if later[i] && values[i] != nil {
				fixups = append(fixups, [3]any{values[idCol], i, values[i]})
				values[i] = nil
			}
		}
		if err := ins.add(ctx, values); err != nil {
			return err
		}
		n++
	}
	if err := ins.flush(ctx); err != nil {
		return err
	}
	if n != t.Rows {
		return fmt.Errorf("%w: %d rows, the manifest says %d", ErrDamaged, n, t.Rows)
	}
	for _, f := range fixups {
		col := t.Columns[f[1].(int)].Name
		q := fmt.Sprintf("UPDATE %s SET %s = %s WHERE id = %s", quote(t.Name), quote(col), l.cat.ph(1), l.cat.ph(2))
		if _, err := l.cat.q.ExecContext(ctx, q, f[2], f[0]); err != nil {
			return err
		}
	}
	return l.setSequence(ctx, t)
}

// checkColumns refuses a backup column the target lacks or keeps as another kind.
func checkColumns(target *tableInfo, cols []Column) error {
	kinds := map[string]Kind{}
	for _, c := range target.Columns {
		kinds[c.Name] = c.Kind
	}
	for _, c := range cols {
		if k, ok := kinds[c.Name]; !ok {
			return fmt.Errorf("this installation's %s has no column %s", target.Name, c.Name)
		} else if k != c.Kind {
			return fmt.Errorf("column %s.%s is %s here but %s in the backup", target.Name, c.Name, k, c.Kind)
		}
	}
	return nil
}

// setSequence moves the table's id sequence past the highest restored id and the backup's
// recorded position. SQLite's AUTOINCREMENT already follows the inserted ids.
func (l *loader) setSequence(ctx context.Context, t Table) error {
	if l.cat.d == models.SQLite {
		if t.Sequence == 0 {
			return nil
		}
		res, err := l.cat.q.ExecContext(ctx, "UPDATE sqlite_sequence SET seq = ? WHERE name = ? AND seq < ?", t.Sequence, t.Name, t.Sequence)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n > 0 {
			return nil
		}
		_, err = l.cat.q.ExecContext(ctx, "INSERT INTO sqlite_sequence (name, seq) SELECT ?, ? WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ?)", t.Name, t.Sequence, t.Name)
		return err
	}
	seq, err := l.cat.sequenceName(ctx, t.Name)
	if err != nil || seq == "" {
		return err
	}
	_, err = l.cat.q.ExecContext(ctx, fmt.Sprintf("SELECT setval($1::text::regclass, GREATEST(COALESCE((SELECT MAX(id) FROM %s), 0), $2::bigint, 1), "+
		"GREATEST(COALESCE((SELECT MAX(id) FROM %s), 0), $2::bigint) > 0)", quote(t.Name), quote(t.Name)), seq, t.Sequence)
	return err
}

// inserter writes rows as multi-row INSERT statements, full batches through one prepared
// statement.
type inserter struct {
	cat    catalog
	prefix string
	width  int
	batch  int
	args   []any
	full   *sql.Stmt
}

func newInserter(cat catalog, t Table) *inserter {
	names := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		names[i] = quote(c.Name)
	}
	batch := 1
	if cat.d == models.Postgres {
		batch = max(1, min(500, maxParams/max(1, len(t.Columns))))
	}
	return &inserter{cat: cat, prefix: "INSERT INTO " + quote(t.Name) + " (" + strings.Join(names, ", ") + ") VALUES ",
		width: len(t.Columns), batch: batch}
}

func (ins *inserter) add(ctx context.Context, values []any) error {
	ins.args = append(ins.args, values...)
	if len(ins.args)/ins.width >= ins.batch {
		return ins.flush(ctx)
	}
	return nil
}

func (ins *inserter) flush(ctx context.Context) error {
	rows := len(ins.args) / ins.width
	if rows == 0 {
		return nil
	}
	defer func() { ins.args = ins.args[:0] }()
	if rows < ins.batch {
		_, err := ins.cat.q.ExecContext(ctx, ins.statement(rows), ins.args...)
		return err
	}
	if ins.full == nil {
		var err error
		if ins.full, err = ins.cat.q.PrepareContext(ctx, ins.statement(rows)); err != nil {
			return err
		}
	}
	_, err := ins.full.ExecContext(ctx, ins.args...)
	return err
}

// close releases the prepared statement.
func (ins *inserter) close() {
	if ins.full != nil {
		ins.full.Close()
	}
}

// statement is the INSERT of rows rows.
func (ins *inserter) statement(rows int) string {
	var b strings.Builder
	b.WriteString(ins.prefix)
	p := 0
	for r := 0; r < rows; r++ {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := 0; c < ins.width; c++ {
			if c > 0 {
				b.WriteString(", ")
			}
			p++
			b.WriteString(ins.cat.ph(p))
		}
		b.WriteByte(')')
	}
	return b.String()
}
