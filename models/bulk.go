package models

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// ErrNotEmpty: a bulk load was asked of a database that already holds data.
var ErrNotEmpty = errors.New("the database is not empty")

// bulkTables are the tables a bulk load may write, and the column that names each row.
var bulkTables = map[string]string{"regions": "code", "indicators": "code", "items": "", "delegations": "", "evidence": "", "reviews": ""}

// BulkLoad lets a synthetic data set (the national benchmark set, the demo's verified
// history) write many rows at once,
// around the store and without audit events — which is why it is refused unless the database
// had no regions, periods or users when the load began. Finish recomputes every standing.
type BulkLoad struct {
	db *DB
}

// StartBulkLoad begins a bulk load, or returns ErrNotEmpty.
func (db *DB) StartBulkLoad(ctx context.Context) (*BulkLoad, error) {
	for _, table := range []string{"regions", "periods", "users"} {
		var n int64
		if err := db.read(ctx).Table(table).Count(&n).Error; err != nil {
			return nil, err
		}
		if n > 0 {
			return nil, fmt.Errorf("%w (%s has %d rows)", ErrNotEmpty, table, n)
		}
	}
	return &BulkLoad{db: db}, nil
}

// Insert writes rows into a table in one transaction, as multi-row INSERT statements of at
// most batch rows each. rows calls add once per row with the columns' values.
func (b *BulkLoad) Insert(ctx context.Context, table string, columns []string, batch int, rows func(add func(values ...any) error) error) error {
	if _, ok := bulkTables[table]; !ok {
		return fmt.Errorf("bulk loads do not write %s", table)
	}
	return b.db.conn.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		ins := newInserter(tx, table, columns, batch)
		if err := rows(ins.add); err != nil {
			return err
		}
		return ins.flush()
	})
}

// IDs returns the IDs of a table's rows by the column that names them (regions by code; a
// period's indicators by code when periodID is set).
func (b *BulkLoad) IDs(ctx context.Context, table string, periodID int64) (map[string]int64, error) {
	column := bulkTables[table]
	if column == "" {
		return nil, fmt.Errorf("bulk loads do not name %s's rows", table)
	}
	var rows []struct {
		ID   int64
		Name string
	}
	q := b.db.read(ctx).Table(table).Select("id, " + column + " AS name")
	if periodID != 0 {
		q = q.Where("period_id = ?", periodID)
	}
	if err := q.Scan(&rows).Error; err != nil {
		return nil, err
	}
	ids := make(map[string]int64, len(rows))
	for _, r := range rows {
		ids[r.Name] = r.ID
	}
	return ids, nil
}

// ItemIDs returns the IDs of a period's items by region and indicator ID.
func (b *BulkLoad) ItemIDs(ctx context.Context, periodID int64) (map[[2]int64]int64, error) {
	var rows []struct{ ID, RegionID, IndicatorID int64 }
	if err := b.db.read(ctx).Table("items").Select("id, region_id, indicator_id").Where("period_id = ?", periodID).Scan(&rows).Error; err != nil {
		return nil, err
	}
	ids := make(map[[2]int64]int64, len(rows))
	for _, r := range rows {
		ids[[2]int64{r.RegionID, r.IndicatorID}] = r.ID
	}
	return ids, nil
}

// Finish creates and computes every period's standings from the loaded rows.
func (b *BulkLoad) Finish(ctx context.Context) error {
	return b.db.tx(ctx, func(tx *gorm.DB) error {
		err := tx.Exec("INSERT INTO standings (period_id, region_id, revision) SELECT periods.id, regions.id, 1 " +
			"FROM periods CROSS JOIN regions WHERE true ON CONFLICT (period_id, region_id) DO NOTHING").Error
		if err != nil {
			return err
		}
		if err := tx.Exec("UPDATE periods SET revision = revision + 1").Error; err != nil {
			return err
		}
		return b.db.restateAll(tx)
	})
}

// inserter gathers rows into multi-row INSERT statements of at most max rows each.
type inserter struct {
	tx     *gorm.DB
	head   string
	tuple  string
	max    int
	rows   int
	sql    strings.Builder
	values []any
}

func newInserter(tx *gorm.DB, table string, columns []string, max int) *inserter {
	tuple := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(columns)), ", ") + ")"
	return &inserter{tx: tx, head: "INSERT INTO " + table + " (" + strings.Join(columns, ", ") + ") VALUES ", tuple: tuple, max: max}
}

func (in *inserter) add(values ...any) error {
	if in.rows == 0 {
		in.sql.WriteString(in.head)
	} else {
		in.sql.WriteString(", ")
	}
	in.sql.WriteString(in.tuple)
	in.values = append(in.values, values...)
	in.rows++
	if in.rows >= in.max {
		return in.flush()
	}
	return nil
}

func (in *inserter) flush() error {
	if in.rows == 0 {
		return nil
	}
	err := in.tx.Exec(in.sql.String(), in.values...).Error
	in.sql.Reset()
	in.values, in.rows = in.values[:0], 0
	return err
}
