package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pantau-id/pantau/documents"
	"github.com/pantau-id/pantau/models"
)

const reportUsage = `usage:
  pantau report progress --year Y [--region CODE | --province CODE] -o FILE   a progress report PDF ("-o -" writes to standard output)
  pantau report letterhead --institution I [--government G] [--address A] [--logo FILE.png]
                                                           set the letterhead printed on reports`

// report is "pantau report": progress reports and their letterhead.
func report(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, reportUsage)
		return errUsage
	}
	switch args[0] {
	case "progress":
		return reportProgress(ctx, args[1:], getenv, stdout, stderr)
	case "letterhead":
		return reportLetterhead(ctx, args[1:], getenv, stdout, stderr)
	}
	fmt.Fprintf(stderr, "pantau report: unknown report %q\n%s\n", args[0], reportUsage)
	return errUsage
}

func reportProgress(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var cfg config
	fs := newFlags("report progress", "Write a period's progress report PDF (one Pemda's with --region, one province's with --province; with neither, the whole period, which is a national roll-up when it spans several provinces), recorded with a verification code like the ones the web app makes.", stderr)
	cfg.dbFlags(fs, getenv)
	cfg.publicURLFlag(fs, getenv)
	year := fs.Int("year", 0, "the period's year, e.g. 2019 (required)")
	region := fs.String("region", "", "one Pemda's code, e.g. 62.08")
	province := fs.String("province", "", "one province's code, e.g. 62: its Pemda")
	out := fs.String("o", "", `the PDF file to write, or "-" for standard output (required)`)
	fresh := fs.Bool("fresh", false, "always render a new report, even when an unchanged one is kept")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *year == 0 || *out == "" || *region != "" && *province != "" {
		fmt.Fprintln(stderr, "pantau report progress: --year and -o are required; --region and --province exclude each other")
		return errUsage
	}
	if err := cfg.validate(); err != nil {
		return err
	}
	if err := cfg.checkPublicURL(); err != nil {
		return err
	}
	db, err := openMigrated(ctx, &cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	bar := &progressBar{w: stderr, label: "laporan"}
	start := time.Now()
	docs := &documents.Service{DB: db, Store: cfg.blobs(), PublicURL: cfg.PublicURL}
	rep, err := docs.IssueProgressReport(ctx, documents.ReportRequest{Year: *year, Region: *region, Province: *province,
		GeneratedBy: "Pantau (baris perintah)", Fresh: *fresh, OnSection: bar.update})
	bar.finish()
	if err != nil {
		if err == models.ErrNotFound && *region != "" {
			return fmt.Errorf("no period %d or no region %q", *year, *region)
		} else if err == models.ErrNotFound {
			return fmt.Errorf("no period %d", *year)
		}
		return err
	}
	defer rep.Body.Close()
	if err := writeOutput(*out, rep.Body, stdout); err != nil {
		return err
	}
	how := "generated in " + time.Since(start).Round(time.Millisecond).String()
	if rep.Kept {
		how = "unchanged since " + rep.Report.CreatedAt.Format(time.RFC3339) + ", the kept copy"
	}
	msg := stdout
	if *out == "-" {
		msg = stderr
	}
	fmt.Fprintf(msg, "wrote %s: %d pages, %d bytes, verification code %s (%s)\n", *out, rep.Report.Pages, rep.Size,
		rep.Report.Document.VerificationCode, how)
	return nil
}

// writeOutput writes r to path through a temporary file, so that a failed run leaves no half file.
func writeOutput(path string, r io.Reader, stdout io.Writer) error {
	if path == "-" {
		_, err := io.Copy(stdout, r)
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".report-*.pdf")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Chmod(f.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

func reportLetterhead(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var cfg config
	var in models.LetterheadInput
	fs := newFlags("report letterhead", "Set the letterhead printed at the top of every report (earlier ones are kept).", stderr)
	cfg.dbFlags(fs, getenv)
	fs.StringVar(&in.Government, "government", "", `first line, e.g. "PEMERINTAH PROVINSI KALIMANTAN TENGAH"`)
	fs.StringVar(&in.Institution, "institution", "", `the institution, e.g. "DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU SATU PINTU" (required)`)
	fs.StringVar(&in.Address, "address", "", "address line(s)")
	logo := fs.String("logo", "", "a PNG or JPEG logo file (512 KiB at most)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := cfg.validate(); err != nil {
		return err
	}
	if *logo != "" {
		b, err := os.ReadFile(*logo)
		if err != nil {
			return err
		}
		in.Logo = b
	}
	db, err := openMigrated(ctx, &cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	lh, err := db.SetLetterhead(ctx, nil, in)
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(stdout, "letterhead set: %s\n", strings.Join(nonEmpty(lh.Government, lh.Institution, lh.Address), " / "))
	return nil
}

func nonEmpty(parts ...string) []string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// progressBar draws rendering progress on a terminal line; one-section reports draw nothing.
type progressBar struct {
	w     io.Writer
	label string
	// unit names what is counted; "Pemda" when empty.
	unit  string
	last  int
	drawn bool
}

func (b *progressBar) update(done, total int) {
	if total < 2 {
		return
	}
	pct := done * 100 / total
	if b.drawn && pct == b.last && done != total {
		return
	}
	const width = 30
	fill := done * width / total
	unit := b.unit
	if unit == "" {
		unit = "Pemda"
	}
	fmt.Fprintf(b.w, "\r%s [%s%s] %d/%d %s", b.label, strings.Repeat("#", fill), strings.Repeat(".", width-fill), done, total, unit)
	b.last, b.drawn = pct, true
}

func (b *progressBar) finish() {
	if b.drawn {
		fmt.Fprintln(b.w)
	}
}
