package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/sheets"
)

// export is "pantau export": a table of a period as XLSX or CSV, as the web app's export buttons
// give it.
func export(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var cfg config
	fs := newFlags("export", "Write a table of a period as XLSX or CSV (by the file's extension, or --format): "+
		strings.Join(sheets.Tables, ", ")+".", stderr)
	cfg.dbFlags(fs, getenv)
	year := fs.Int("year", 0, "the period's year, e.g. 2019 (required)")
	table := fs.String("table", "", "the table: "+strings.Join(sheets.Tables, ", ")+" (required)")
	province := fs.String("province", "", "only this province and its regencies and cities, e.g. 62")
	region := fs.String("region", "", "only this Pemda, e.g. 62.08")
	format := fs.String("format", "", "xlsx or csv; by default the extension of -o")
	sep := fs.String("sep", ",", `CSV separator: "," (decimal point) or ";" (decimal comma, for spreadsheet programs set to Indonesian)`)
	out := fs.String("o", "", `the file to write, or "-" for standard output with --format (required)`)
	if err := parse(fs, args); err != nil {
		return err
	}
	if *format == "" {
		*format = strings.TrimPrefix(strings.ToLower(filepath.Ext(*out)), ".")
	}
	switch {
	case *year == 0 || *out == "" || *table == "":
		fmt.Fprintln(stderr, "pantau export: --year, --table and -o are required")
		return errUsage
	case !slices.Contains(sheets.Tables, *table):
		fmt.Fprintf(stderr, "pantau export: unknown table %q; one of %s\n", *table, strings.Join(sheets.Tables, ", "))
		return errUsage
	case *format != "xlsx" && *format != "csv":
		fmt.Fprintln(stderr, "pantau export: the format is xlsx or csv (name the file .xlsx or .csv, or give --format)")
		return errUsage
	case *sep != "," && *sep != ";":
		fmt.Fprintln(stderr, `pantau export: --sep is "," or ";"`)
		return errUsage
	}
	if err := cfg.validate(); err != nil {
		return err
	}
	db, err := openMigrated(ctx, &cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	req := sheets.Request{Year: *year, Table: *table, Filter: models.RegionFilter{Province: *province, Region: *region}}
	tabs, err := sheets.Export(ctx, db, req)
	if err == models.ErrNotFound {
		return fmt.Errorf("no period %d, or no region %q", *year, *region)
	} else if err != nil {
		return err
	}
	total, err := exportSize(ctx, db, req)
	if err != nil {
		return err
	}
	bar := &progressBar{w: stderr, label: "ekspor " + *table, unit: "baris"}
	rows := 0
	for i := range tabs {
		emitRows := tabs[i].Rows
		tabs[i].Rows = func(emit func(...any) error) error {
			return emitRows(func(v ...any) error {
				rows++
				bar.update(rows, max(total, rows))
				return emit(v...)
			})
		}
	}
	err = writeOutput(*out, &sheetReader{tabs: tabs, format: *format, sep: rune((*sep)[0])}, stdout)
	bar.finish()
	if err != nil {
		return err
	}
	msg := stdout
	if *out == "-" {
		msg = stderr
	}
	fmt.Fprintf(msg, "wrote %s: %s, %d rows in %s\n", *out, *table, rows, time.Since(start).Round(time.Millisecond))
	return nil
}

// exportSize is how many rows an export of the items will have (regions × leaves), for the
// progress bar; 0 for the other tables, which are small.
func exportSize(ctx context.Context, db *models.DB, req sheets.Request) (int, error) {
	if req.Table != "items" {
		return 0, nil
	}
	regions, err := db.Regions(ctx)
	if err != nil {
		return 0, err
	}
	inds, err := db.Indicators(ctx, req.Year)
	if err != nil {
		return 0, err
	}
	parents := map[string]bool{}
	for _, ind := range inds {
		if ind.ParentCode != nil {
			parents[*ind.ParentCode] = true
		}
	}
	picked := 0
	for _, r := range regions {
		if (req.Filter.Region == "" || r.Code == req.Filter.Region) && (req.Filter.Province == "" || models.ProvinceOf(r.Code) == req.Filter.Province) {
			picked++
		}
	}
	return picked * (len(inds) - len(parents)), nil
}

// sheetReader writes the sheets into the pipe writeOutput reads.
type sheetReader struct {
	tabs   []sheets.Sheet
	format string
	sep    rune
	pr     *io.PipeReader
}

func (s *sheetReader) Read(p []byte) (int, error) {
	if s.pr == nil {
		pr, pw := io.Pipe()
		s.pr = pr
		go func() {
			if s.format == "csv" {
				pw.CloseWithError(sheets.WriteCSV(pw, s.tabs[0], s.sep))
			} else {
				pw.CloseWithError(sheets.WriteXLSX(pw, s.tabs...))
			}
		}()
	}
	return s.pr.Read(p)
}

// importSheet is "pantau import": the catalogue or claims from a spreadsheet, with a dry run.
func importSheet(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	const usage = `usage:
  pantau import catalogue --year Y [--dry-run] FILE.xlsx|FILE.csv
  pantau import claims --year Y --as EMAIL [--dry-run] FILE.xlsx|FILE.csv`
	if len(args) == 0 || (args[0] != "catalogue" && args[0] != "claims") {
		fmt.Fprintln(stderr, usage)
		return errUsage
	}
	kind := args[0]
	var cfg config
	fs := newFlags("import "+kind, "Import the "+kind+" of a period from an XLSX or CSV file: every row is checked and "+
		"reported (create, update, unchanged, error); without --dry-run the changes are applied in one transaction, or none "+
		"when a row is refused. The columns are those of the web app's import (README, Spreadsheets).", stderr)
	cfg.dbFlags(fs, getenv)
	year := fs.Int("year", 0, "the period's year (required)")
	dry := fs.Bool("dry-run", false, "report what would change, change nothing")
	as := fs.String("as", "", "claims: the e-mail of the user the claims are made as (their regions bound the rows)")
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	file := fs.Arg(0)
	if *year == 0 || fs.NArg() != 1 || (kind == "claims" && *as == "") {
		fmt.Fprintln(stderr, usage)
		return errUsage
	}
	if err := cfg.validate(); err != nil {
		return err
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	db, err := openMigrated(ctx, &cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	layout := sheets.CatalogueLayout
	if kind == "claims" {
		layout = sheets.ClaimsLayout
	}
	fmt.Fprintf(stderr, "membaca %s …\n", file)
	recs, err := sheets.Read(data, layout, sheets.DefaultLimits)
	var missing *sheets.MissingColumnsError
	switch {
	case errors.As(err, &missing):
		return fmt.Errorf("%s: no sheet has the columns %s", file, strings.Join(missing.Missing, ", "))
	case errors.Is(err, sheets.ErrNotSpreadsheet):
		return fmt.Errorf("%s is not an XLSX or CSV file", file)
	case errors.Is(err, sheets.ErrTooLarge):
		return fmt.Errorf("%s exceeds the import limits (%d MiB, %d rows, %d MiB unpacked)", file,
			sheets.DefaultLimits.Bytes>>20, sheets.DefaultLimits.Rows, sheets.DefaultLimits.Unpacked>>20)
	case err != nil:
		return err
	}
	fmt.Fprintf(stderr, "memeriksa %d baris …\n", len(recs))
	var res *models.ImportResult
	if kind == "catalogue" {
		ctx = models.WithActor(ctx, models.Actor{Email: "cli:import"})
		res, err = db.ImportCatalogue(ctx, *year, sheets.CatalogueLines(recs), !*dry)
	} else {
		u, uerr := db.UserByEmail(ctx, *as)
		if uerr != nil {
			return fmt.Errorf("no user %s", *as)
		}
		ctx = models.WithActor(ctx, models.Actor{UserID: &u.ID, Email: u.Email + " (cli:import)"})
		res, err = db.ImportClaims(ctx, u, *year, sheets.ClaimLines(recs), !*dry)
	}
	if res != nil {
		printImport(stdout, res)
	}
	switch {
	case errors.Is(err, models.ErrImportRefused):
		return fmt.Errorf("%d rows refused; nothing was changed", res.Totals.Error)
	case err == models.ErrNotFound:
		return fmt.Errorf("no period %d", *year)
	case err != nil:
		return err
	case *dry && res.Totals.Error > 0:
		return fmt.Errorf("%d rows would be refused", res.Totals.Error)
	}
	how := "applied"
	if *dry {
		how = "dry run, nothing changed"
	}
	fmt.Fprintf(stdout, "%s in %s\n", how, time.Since(start).Round(time.Millisecond))
	return nil
}

// printImport lists the rows that change or are refused, and the totals.
func printImport(w io.Writer, res *models.ImportResult) {
	for _, r := range res.Rows {
		if r.Action == models.ImportUnchanged {
			continue
		}
		where := fmt.Sprintf("%d", r.Row)
		if r.Sheet != "" {
			where = r.Sheet + "!" + where
		}
		var detail []string
		for _, p := range r.Errors {
			detail = append(detail, p.Field+": "+p.Code)
		}
		for _, f := range sortedFields(r.Changes) {
			detail = append(detail, fmt.Sprintf("%s: %v → %v", f, r.Changes[f].From, r.Changes[f].To))
		}
		fmt.Fprintf(w, "%-10s %-12s %s  %s\n", r.Action, where, r.Key, strings.Join(detail, "; "))
	}
	t := res.Totals
	fmt.Fprintf(w, "create %d, update %d, unchanged %d, error %d\n", t.Create, t.Update, t.Unchanged, t.Error)
}

func sortedFields(m map[string]models.RowChange) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
