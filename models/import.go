package models

import (
	"context"
	"errors"
	"sort"

	"gorm.io/gorm"
)

// Imports from spreadsheets (the catalogue, bulk claims) work in two steps: a plan that says,
// row by row, what would be created, changed, left unchanged or refused and why; and, when
// asked and no row is refused, the plan applied in the same transaction — all rows or none.
// Blank cells change nothing: an existing entry keeps its value, a new one takes the default.

// ImportAction says what an import does with one row.
type ImportAction string

// What an import does with a row.
const (
	ImportCreate    ImportAction = "create"
	ImportUpdate    ImportAction = "update"
	ImportUnchanged ImportAction = "unchanged"
	ImportError     ImportAction = "error"
)

// ErrImportRefused: some row of an import is refused, so nothing was applied; the result
// returned with it says which rows and why.
var ErrImportRefused = errors.New("the import has refused rows; nothing was applied")

// RowProblem is why a row (or one of its cells) is refused: the column's key and a message key.
type RowProblem struct {
	Field string `json:"field"`
	Code  string `json:"code"`
}

// RowChange is one value a row changes, before and after.
type RowChange struct {
	From any `json:"from"`
	To   any `json:"to"`
}

// RowSource says where an imported row comes from, and what reading its cells found wrong.
type RowSource struct {
	Sheet    string
	Row      int
	Problems []RowProblem
}

// ImportRow is what an import does with one row of the file.
type ImportRow struct {
	Sheet string `json:"sheet,omitempty"`
	// Row is the row's number as the spreadsheet program shows it (the CSV line).
	Row int `json:"row"`
	// Key names what the row is about: an indicator's or area's code, or "62.08/PTSP.1".
	Key     string               `json:"key"`
	Action  ImportAction         `json:"action"`
	Errors  []RowProblem         `json:"errors"`
	Changes map[string]RowChange `json:"changes,omitempty"`
}

// ImportTotals counts the rows by action.
type ImportTotals struct {
	Create    int `json:"create"`
	Update    int `json:"update"`
	Unchanged int `json:"unchanged"`
	Error     int `json:"error"`
}

// ImportResult is an import's answer: every row, and the totals. Applied says the changes were
// made (false for a dry run, and when a row was refused).
type ImportResult struct {
	Rows    []ImportRow  `json:"rows"`
	Totals  ImportTotals `json:"totals"`
	Applied bool         `json:"applied"`
}

// newImportRow starts a row's answer from its source.
func newImportRow(src RowSource, key string) ImportRow {
	return ImportRow{Sheet: src.Sheet, Row: src.Row, Key: key, Action: ImportUnchanged, Errors: append([]RowProblem{}, src.Problems...)}
}

// refuse adds a problem to the row, unless the same field already has one.
func (r *ImportRow) refuse(field, code string) {
	for _, p := range r.Errors {
		if p.Field == field {
			return
		}
	}
	r.Errors = append(r.Errors, RowProblem{Field: field, Code: code})
}

// change records a changed value and makes the row an update (unless it creates something).
func (r *ImportRow) change(field string, from, to any) {
	if r.Changes == nil {
		r.Changes = map[string]RowChange{}
	}
	r.Changes[field] = RowChange{From: from, To: to}
	if r.Action == ImportUnchanged {
		r.Action = ImportUpdate
	}
}

// problemsOf adds a validation error's fields to the row.
func (r *ImportRow) problemsOf(err error) {
	var verr *ValidationError
	if errors.As(err, &verr) {
		keys := make([]string, 0, len(verr.Fields))
		for f := range verr.Fields {
			keys = append(keys, f)
		}
		sort.Strings(keys)
		for _, f := range keys {
			r.refuse(f, verr.Fields[f])
		}
	}
}

// finish settles the rows' actions and counts them.
func (res *ImportResult) finish() {
	res.Totals = ImportTotals{}
	for i := range res.Rows {
		r := &res.Rows[i]
		if len(r.Errors) > 0 {
			r.Action, r.Changes = ImportError, nil
		}
		switch r.Action {
		case ImportCreate:
			res.Totals.Create++
		case ImportUpdate:
			res.Totals.Update++
		case ImportUnchanged:
			res.Totals.Unchanged++
		case ImportError:
			res.Totals.Error++
		}
	}
}

// runImport plans an import in a snapshot (a dry run) or in a transaction (apply), where the
// plan's carryOut then makes the changes — unless a row is refused: the transaction is rolled
// back, and the result comes with ErrImportRefused.
func (db *DB) runImport(ctx context.Context, apply bool, plan func(q *gorm.DB) (*ImportResult, func() error, error)) (*ImportResult, error) {
	var res *ImportResult
	run := func(q *gorm.DB) error {
		r, carryOut, err := plan(q)
		if err != nil {
			return err
		}
		res = r
		switch {
		case !apply:
			return nil
		case res.Totals.Error > 0:
			return ErrImportRefused // rolls back what planning locked
		}
		res.Applied = true
		return carryOut()
	}
	var err error
	if apply {
		err = db.tx(ctx, run)
	} else {
		err = db.snapshot(ctx, run)
	}
	if errors.Is(err, ErrImportRefused) {
		return res, err
	}
	if err != nil {
		return nil, err
	}
	return res, nil
}
