// Package sheets reads and writes Pantau's spreadsheets: every table as XLSX (streamed, with
// Indonesian headers, a frozen header row, filters and fitting column widths) or CSV (UTF-8 with
// a byte-order mark; with ";" as separator the numbers take a decimal comma, as spreadsheet
// programs set to Indonesian expect), and the catalogue and bulk claims read back from XLSX or
// CSV files that people and other programs made. Text that a spreadsheet program could take for
// a formula is neutralised on the way out; formulas coming in are never evaluated, only the
// values their cells hold are read.
package sheets

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/pantau-id/pantau/models"
)

// Kind is what a column holds, which decides how its cells are written.
type Kind int

// Column kinds.
const (
	// Text is written as a string cell, neutralised when it could read as a formula.
	Text Kind = iota
	// Number is a models.Fixed (or an integer) written as a number.
	Number
	// Percent is a models.Fixed from 0 to 100, written in XLSX as a fraction formatted "0.00%".
	Percent
	// Time is a time.Time, written in WIB as "2006-01-02 15:04" text: it sorts and filters as it
	// should, and reading a large file back stays fast (formatting date cells is what costs most
	// when a workbook is read).
	Time
)

// Column is one column of a sheet: its header and kind.
type Column struct {
	Header string
	Kind   Kind
}

// Sheet is one table: a name (the XLSX tab), its columns and its rows. Rows calls emit once per
// row with one value per column: a string, an int or int64, a models.Fixed or *models.Fixed, a
// time.Time or *time.Time, or nil for a blank cell. Rows may be called once only.
type Sheet struct {
	Name    string
	Columns []Column
	Rows    func(emit func(values ...any) error) error
}

// widthSample is how many rows are held to measure the columns before a sheet is streamed.
const widthSample = 2000

// maxWidth bounds a column's width, in characters.
const maxWidth = 70

// WriteXLSX writes the sheets as one workbook, each streamed row by row (the rows of large
// sheets are kept on disk, not in memory, until the workbook is written).
func WriteXLSX(w io.Writer, sheets ...Sheet) error {
	f := excelize.NewFile()
	defer f.Close()
	styles, err := newStyles(f)
	if err != nil {
		return err
	}
	for i, s := range sheets {
		name := sheetName(s.Name)
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return err
		}
		if err := writeSheet(f, name, s, styles); err != nil {
			return fmt.Errorf("sheet %s: %w", name, err)
		}
	}
	_, err = f.WriteTo(w)
	return err
}

// sheetName makes a valid tab name: at most 31 characters, none of : \ / ? * [ ].
func sheetName(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) {
			return '-'
		}
		return r
	}, s)
	if utf8.RuneCountInString(s) > 31 {
		s = string([]rune(s)[:31])
	}
	return s
}

// styles are a workbook's cell styles.
type styles struct{ header, percent int }

func newStyles(f *excelize.File) (*styles, error) {
	var s styles
	var err error
	if s.header, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE6F0"}},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}}); err != nil {
		return nil, err
	}
	if s.percent, err = f.NewStyle(&excelize.Style{NumFmt: 10}); err != nil { // 0.00%
		return nil, err
	}
	return &s, nil
}

// writeSheet streams one sheet: the first rows are held to measure the columns' widths (which a
// stream must set before its first row), then everything is written.
func writeSheet(f *excelize.File, name string, s Sheet, st *styles) error {
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	widths := make([]int, len(s.Columns))
	for i, c := range s.Columns {
		widths[i] = utf8.RuneCountInString(c.Header)
	}
	var held [][]any
	rows := 1
	started := false
	start := func() error {
		started = true
		for i, w := range widths {
			if err := sw.SetColWidth(i+1, i+1, float64(min(w, maxWidth)+2)); err != nil {
				return err
			}
		}
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return err
		}
		header := make([]any, len(s.Columns))
		for i, c := range s.Columns {
			header[i] = excelize.Cell{StyleID: st.header, Value: c.Header}
		}
		if err := sw.SetRow("A1", header, excelize.RowOpts{Height: 30}); err != nil {
			return err
		}
		for _, r := range held {
			if err := writeRow(sw, &rows, s.Columns, r, st); err != nil {
				return err
			}
		}
		held = nil
		return nil
	}
	emit := func(values ...any) error {
		if len(values) != len(s.Columns) {
			return fmt.Errorf("a row of %d values for %d columns", len(values), len(s.Columns))
		}
		if started {
			return writeRow(sw, &rows, s.Columns, values, st)
		}
		for i, v := range values {
			widths[i] = max(widths[i], utf8.RuneCountInString(display(s.Columns[i].Kind, v, '.')))
		}
		held = append(held, append([]any(nil), values...))
		if len(held) == widthSample {
			return start()
		}
		return nil
	}
	if s.Rows != nil {
		if err := s.Rows(emit); err != nil {
			return err
		}
	}
	if !started {
		if err := start(); err != nil {
			return err
		}
	}
	if rows > 1 {
		last, err := excelize.CoordinatesToCellName(len(s.Columns), rows)
		if err != nil {
			return err
		}
		f := false
		if err := sw.AddTable(&excelize.Table{Range: "A1:" + last, Name: tableName(name), StyleName: "TableStyleLight1",
			ShowRowStripes: &f}); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// tableName makes a table's name from its sheet's: letters, digits and underscores.
func tableName(sheet string) string {
	var b strings.Builder
	b.WriteString("Tabel_")
	for _, r := range sheet {
		if r < utf8.RuneSelf && (r == '_' || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || ('0' <= r && r <= '9')) {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

// writeRow writes one data row below the last.
func writeRow(sw *excelize.StreamWriter, rows *int, cols []Column, values []any, st *styles) error {
	*rows++
	cells := make([]any, len(values))
	for i, v := range values {
		cells[i] = xlsxCell(cols[i].Kind, v, st)
	}
	cell, err := excelize.CoordinatesToCellName(1, *rows)
	if err != nil {
		return err
	}
	return sw.SetRow(cell, cells)
}

// xlsxCell is one value as the stream writer takes it.
func xlsxCell(kind Kind, v any, st *styles) any {
	v = deref(v)
	switch x := v.(type) {
	case nil:
		return nil
	case models.Fixed:
		if kind == Percent {
			return excelize.Cell{StyleID: st.percent, Value: float64(x) / 10000}
		}
		return float64(x) / 100
	case int, int64:
		return x
	case time.Time:
		return x.In(models.WIB).Format(timeLayout)
	case string:
		return Neutralise(x)
	}
	return Neutralise(fmt.Sprint(v))
}

// deref turns the pointers a row may hold into their values (nil for a nil pointer).
func deref(v any) any {
	switch x := v.(type) {
	case *models.Fixed:
		if x == nil {
			return nil
		}
		return *x
	case *time.Time:
		if x == nil {
			return nil
		}
		return *x
	case *string:
		if x == nil {
			return nil
		}
		return *x
	case *int:
		if x == nil {
			return nil
		}
		return *x
	}
	return v
}

// display is a value as CSV writes it; decimal is the decimal separator.
func display(kind Kind, v any, decimal byte) string {
	switch x := deref(v).(type) {
	case nil:
		return ""
	case models.Fixed:
		if decimal == ',' {
			return x.Indonesian()
		}
		return x.String()
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case time.Time:
		return x.In(models.WIB).Format(timeLayout)
	case string:
		return Neutralise(x)
	default:
		return Neutralise(fmt.Sprint(x))
	}
}

// timeLayout is how times are written.
const timeLayout = "2006-01-02 15:04"

// formulaStarts are the characters with which a spreadsheet program may read text as a formula.
const formulaStarts = "=+-@\t\r"

// Neutralise makes text that a spreadsheet program could take for a formula ("=HYPERLINK(…)",
// "+62…", "-1", "@SUM") plain text, by putting an apostrophe before it. Reading a file back
// drops that apostrophe again (see Clean).
func Neutralise(s string) string {
	if s != "" && strings.IndexByte(formulaStarts, s[0]) >= 0 {
		return "'" + s
	}
	return s
}

// CSV options.
const (
	// Comma separates values with "," and writes numbers with a decimal point.
	Comma = ','
	// Semicolon separates values with ";" and writes numbers with a decimal comma, as spreadsheet
	// programs set to Indonesian read them.
	Semicolon = ';'
)

// WriteCSV writes one sheet as CSV in UTF-8 with a byte-order mark, separated by sep (Comma or
// Semicolon), CRLF line ends.
func WriteCSV(w io.Writer, s Sheet, sep rune) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	if _, err := bw.WriteString("\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(bw)
	cw.Comma, cw.UseCRLF = sep, true
	decimal := byte('.')
	if sep == Semicolon {
		decimal = ','
	}
	record := make([]string, len(s.Columns))
	for i, c := range s.Columns {
		record[i] = c.Header
	}
	if err := cw.Write(record); err != nil {
		return err
	}
	if s.Rows != nil {
		err := s.Rows(func(values ...any) error {
			if len(values) != len(s.Columns) {
				return fmt.Errorf("a row of %d values for %d columns", len(values), len(s.Columns))
			}
			for i, v := range values {
				record[i] = display(s.Columns[i].Kind, v, decimal)
			}
			return cw.Write(record)
		})
		if err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}
