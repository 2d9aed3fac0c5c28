package sheets

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"github.com/pantau-id/pantau/models"
)

// Errors of reading a file.
var (
	// ErrNotSpreadsheet: the file is neither XLSX nor CSV text (a PDF, an image, an old .xls,
	// some other zip archive).
	ErrNotSpreadsheet = errors.New("not an XLSX or CSV file")
	// ErrTooLarge: the file, what it unpacks to, or its rows exceed the limits. It is
	// models.ErrTooLarge, so that callers answer it as they answer any upload too large.
	ErrTooLarge = models.ErrTooLarge
)

// MissingColumnsError: no sheet of the file has a header row with every required column; it
// names the columns missing from the sheet that came closest.
type MissingColumnsError struct {
	Missing []string
}

func (e *MissingColumnsError) Error() string {
	return "missing columns: " + strings.Join(e.Missing, ", ")
}

// Limits bound what a file may cost to read.
type Limits struct {
	// Bytes is the largest file.
	Bytes int64
	// Unpacked is the most an XLSX file's parts may declare they unpack to, all together: a zip
	// bomb is refused from its directory, before anything is inflated.
	Unpacked int64
	// Rows is the most data rows, over every sheet.
	Rows int
}

// DefaultLimits fit the national items file (546 Pemda × about a hundred items) with room.
var DefaultLimits = Limits{Bytes: 32 << 20, Unpacked: 512 << 20, Rows: 200_000}

// Field is a column an import understands: its key and the header names it is known by.
type Field struct {
	Key      string
	Aliases  []string
	Required bool
}

// Layout is the columns of one kind of import. Other columns are ignored.
type Layout []Field

// Record is one data row: where it is and its cells by field (Cells[i] is Layout[i]'s;
// Present[i] says whether the file has that column at all).
type Record struct {
	Sheet   string
	Row     int
	Cells   []string
	Present []bool
}

// headerScan is how many rows at the top of a sheet are searched for the header row.
const headerScan = 20

// Read reads a file's data rows in the layout's columns. The file may be XLSX or CSV (UTF-8,
// with or without a byte-order mark, or Windows-1252; separated by commas, semicolons or tabs,
// with an optional "sep=" first line). On each sheet the header row is found among the first
// rows (below titles, possibly under a row of merged group headers); blank rows are skipped.
// Cells are read as their values — a formula's last computed value, never the formula.
func Read(data []byte, layout Layout, lim Limits) ([]Record, error) {
	if int64(len(data)) > lim.Bytes {
		return nil, ErrTooLarge
	}
	switch {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return readXLSX(data, layout, lim)
	case looksBinary(data):
		return nil, ErrNotSpreadsheet
	}
	return readCSV(data, layout, lim)
}

// looksBinary reports a file that is not text: a known binary signature, or NUL bytes.
func looksBinary(data []byte) bool {
	for _, magic := range []string{"%PDF", "\x89PNG", "\xFF\xD8\xFF", "GIF8", "\xD0\xCF\x11\xE0", "PK"} {
		if bytes.HasPrefix(data, []byte(magic)) {
			return true
		}
	}
	head := data[:min(len(data), 8192)]
	return bytes.IndexByte(head, 0) >= 0 || len(bytes.TrimSpace(data)) == 0
}

// readXLSX checks the archive's directory against the limits, then reads every sheet.
func readXLSX(data []byte, layout Layout, lim Limits) ([]Record, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, ErrNotSpreadsheet
	}
	var unpacked uint64
	workbook := false
	for _, f := range zr.File {
		unpacked += f.UncompressedSize64
		if unpacked > uint64(lim.Unpacked) || len(zr.File) > 10_000 {
			return nil, ErrTooLarge
		}
		workbook = workbook || strings.EqualFold(f.Name, "xl/workbook.xml")
	}
	if !workbook {
		return nil, ErrNotSpreadsheet
	}
	xml := min(lim.Unpacked, 16<<20)
	book, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: lim.Unpacked, UnzipXMLSizeLimit: xml})
	if err != nil {
		return nil, ErrNotSpreadsheet
	}
	defer book.Close()
	var out []Record
	var closest *MissingColumnsError
	for _, name := range book.GetSheetList() {
		recs, missing, err := readSheet(book, name, layout, lim.Rows-len(out))
		if err != nil {
			return nil, err
		}
		out = append(out, recs...)
		if missing != nil && (closest == nil || len(missing.Missing) < len(closest.Missing)) {
			closest = missing
		}
	}
	return found(out, closest)
}

// found answers the rows read, or the missing columns when no sheet had a header.
func found(recs []Record, closest *MissingColumnsError) ([]Record, error) {
	if recs == nil && closest != nil {
		return nil, closest
	}
	if recs == nil {
		recs = []Record{}
	}
	return recs, nil
}

// rowSource gives a sheet's rows one by one: the row's number and its cells; ok false at the end.
type rowSource func() (row int, cells []string, ok bool, err error)

func readSheet(book *excelize.File, name string, layout Layout, room int) ([]Record, *MissingColumnsError, error) {
	rows, err := book.Rows(name)
	if err != nil {
		return nil, nil, ErrNotSpreadsheet
	}
	defer rows.Close()
	n := 0
	next := func() (int, []string, bool, error) {
		if !rows.Next() {
			if err := rows.Error(); err != nil {
				return 0, nil, false, ErrNotSpreadsheet
			}
			return 0, nil, false, nil
		}
		n++
		cells, err := rows.Columns()
		if err != nil {
			return 0, nil, false, ErrNotSpreadsheet
		}
		return n, cells, true, nil
	}
	return readRows(name, next, layout, room)
}

// readRows finds the header among a sheet's first rows and reads the data rows below it; a sheet
// without the header gives no records and the columns it lacked.
func readRows(sheet string, next rowSource, layout Layout, room int) ([]Record, *MissingColumnsError, error) {
	var top [][]string
	var numbers []int
	for len(top) < headerScan {
		row, cells, ok, err := next()
		if err != nil {
			return nil, nil, err
		}
		if !ok {
			break
		}
		top, numbers = append(top, cells), append(numbers, row)
	}
	at, columns, missing := findHeader(top, layout)
	if missing != nil {
		return nil, missing, nil
	}
	var out []Record
	add := func(row int, cells []string) error {
		rec := Record{Sheet: sheet, Row: row, Cells: make([]string, len(layout)), Present: make([]bool, len(layout))}
		blank := true
		for i, col := range columns {
			if col < 0 {
				continue
			}
			rec.Present[i] = true
			if col < len(cells) {
				rec.Cells[i] = Clean(cells[col])
				blank = blank && rec.Cells[i] == ""
			}
		}
		if blank {
			return nil
		}
		if len(out) >= room {
			return ErrTooLarge
		}
		out = append(out, rec)
		return nil
	}
	for i := at + 1; i < len(top); i++ {
		if err := add(numbers[i], top[i]); err != nil {
			return nil, nil, err
		}
	}
	for {
		row, cells, ok, err := next()
		if err != nil {
			return nil, nil, err
		}
		if !ok {
			break
		}
		if err := add(row, cells); err != nil {
			return nil, nil, err
		}
	}
	if out == nil {
		out = []Record{}
	}
	return out, nil, nil
}

// Clean is a cell's text as an import takes it: spaces (also non-breaking ones) trimmed, and the
// apostrophe that neutralises a formula-like text dropped.
func Clean(s string) string {
	space := func(r rune) bool { return unicode.IsSpace(r) || r == '\u00A0' || r == '\uFEFF' }
	s = strings.TrimFunc(s, space)
	if len(s) > 1 && s[0] == '\'' && strings.IndexByte(formulaStarts, s[1]) >= 0 {
		s = strings.TrimFunc(s[1:], space)
	}
	return s
}

// normalHeader is a header as it is compared: lower case, words of letters and digits only.
func normalHeader(s string) string {
	f := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	return strings.Join(f, " ")
}

// findHeader picks, among the top rows, the header row that names the most of the layout's
// required columns (then of all its columns). A column's name may be its cell with the group
// header above it (a merged cell over several columns, read from its first) in either order
// ("Area" over "Kode" is "Kode area"), its own cell, or the group header alone when its own cell
// is empty (merged downwards). It
// returns the header's index and each field's column (-1 when absent), or what is missing.
func findHeader(top [][]string, layout Layout) (int, []int, *MissingColumnsError) {
	names := map[string]int{}
	for i, f := range layout {
		names[normalHeader(f.Key)] = i
		for _, a := range f.Aliases {
			names[normalHeader(a)] = i
		}
	}
	best, bestReq, bestAll := -1, -1, -1
	var bestCols []int
	for r, cells := range top {
		var group []string
		if r > 0 {
			group = fillRight(top[r-1], len(cells))
		}
		if len(group) > len(cells) {
			cells = append(cells, make([]string, len(group)-len(cells))...) // merged downwards past the row's last cell
		}
		cols := make([]int, len(layout))
		for i := range cols {
			cols[i] = -1
		}
		for c, cell := range cells {
			for _, candidate := range headerCandidates(cell, group, c) {
				if i, ok := names[normalHeader(candidate)]; ok && candidate != "" {
					if cols[i] < 0 {
						cols[i] = c
					}
					break
				}
			}
		}
		req, all := 0, 0
		for i, f := range layout {
			if cols[i] >= 0 {
				all++
				if f.Required {
					req++
				}
			}
		}
		if req > bestReq || (req == bestReq && all > bestAll) {
			best, bestReq, bestAll, bestCols = r, req, all, cols
		}
	}
	var missing []string
	for i, f := range layout {
		if f.Required && (bestCols == nil || bestCols[i] < 0) {
			missing = append(missing, f.Key)
		}
	}
	if missing != nil {
		return 0, nil, &MissingColumnsError{Missing: missing}
	}
	return best, bestCols, nil
}

// fillRight repeats each non-empty cell of a group header row over the empty cells to its
// right, as a merged cell spans them.
func fillRight(row []string, n int) []string {
	out := make([]string, max(n, len(row)))
	last := ""
	for i := range out {
		if i < len(row) && strings.TrimSpace(row[i]) != "" {
			last = row[i]
		}
		out[i] = last
	}
	return out
}

func headerCandidates(cell string, group []string, c int) []string {
	g := ""
	if c < len(group) {
		g = group[c]
	}
	if strings.TrimSpace(cell) == "" {
		return []string{g}
	}
	if strings.TrimSpace(g) == "" {
		return []string{cell}
	}
	return []string{g + " " + cell, cell + " " + g, cell}
}

// readCSV decodes the text and reads it with the separator that gives the best header.
func readCSV(data []byte, layout Layout, lim Limits) ([]Record, error) {
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	if !utf8.Valid(data) {
		decoded, err := charmap.Windows1252.NewDecoder().Bytes(data)
		if err != nil {
			return nil, ErrNotSpreadsheet
		}
		data = decoded
	}
	seps := []rune{',', ';', '\t'}
	skip := 0
	if first, _, _ := bytes.Cut(data, []byte("\n")); bytes.HasPrefix(bytes.ToLower(first), []byte("sep=")) {
		if r, _ := utf8.DecodeRune(first[4:]); r != utf8.RuneError && r != '\r' {
			seps, skip = []rune{r}, 1
		}
	}
	var closest *MissingColumnsError
	for _, sep := range seps {
		recs, missing, err := readRows("", csvRows(data, sep, skip), layout, lim.Rows)
		if err != nil {
			return nil, err
		}
		if missing == nil {
			return recs, nil
		}
		if closest == nil || len(missing.Missing) < len(closest.Missing) {
			closest = missing
		}
	}
	return found(nil, closest)
}

// csvRows gives a CSV text's records with their line numbers, after skip lines.
func csvRows(data []byte, sep rune, skip int) rowSource {
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma, r.FieldsPerRecord, r.LazyQuotes, r.ReuseRecord = sep, -1, true, false
	skipped := 0
	return func() (int, []string, bool, error) {
		for {
			rec, err := r.Read()
			if err == io.EOF {
				return 0, nil, false, nil
			}
			if err != nil {
				return 0, nil, false, fmt.Errorf("%w: %v", ErrNotSpreadsheet, err)
			}
			line, _ := r.FieldPos(0)
			if skipped < skip {
				skipped++
				continue
			}
			return line, rec, true, nil
		}
	}
}
