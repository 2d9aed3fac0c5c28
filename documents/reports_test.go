package documents_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	rtmetrics "runtime/metrics"
	"strings"
	"testing"
	"time"

	"github.com/pantau-id/pantau/documents"
	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/modelstest"
	"github.com/pantau-id/pantau/models/national"
)

// period gives the desk a 2019 period with one area of two indicators.
func (d *desk) period() {
	d.t.Helper()
	if _, err := d.db.CreatePeriod(d.ctx, models.PeriodInput{Year: 2019, Name: "Rencana Aksi 2019"}, false); err != nil {
		d.t.Fatal(err)
	}
	if _, err := d.db.CreateArea(d.ctx, 2019, models.AreaInput{Code: "PTSP", Name: "Pelayanan Terpadu Satu Pintu"}); err != nil {
		d.t.Fatal(err)
	}
	for _, code := range []string{"I1", "I2"} {
		if _, err := d.db.CreateIndicator(d.ctx, 2019, models.IndicatorInput{Code: code, Area: "PTSP", Title: "Indikator " + code}); err != nil {
			d.t.Fatal(err)
		}
	}
}

// issue asks for the 2019 report of region ("" for all) and reads its bytes.
func (d *desk) issue(region string, fresh bool) (*documents.IssuedReport, []byte) {
	d.t.Helper()
	rep, err := d.docs.IssueProgressReport(d.ctx, documents.ReportRequest{Year: 2019, Region: region, User: d.coordinator,
		GeneratedBy: d.coordinator.Name, Fresh: fresh})
	if err != nil {
		d.t.Fatal(err)
	}
	defer rep.Body.Close()
	b, err := io.ReadAll(rep.Body)
	if err != nil || int64(len(b)) != rep.Size {
		d.t.Fatalf("report body: %d bytes of %d, %v", len(b), rep.Size, err)
	}
	return rep, b
}

// TestIssueProgressReport: a report is rendered with its code and public address, kept under
// its SHA-256, recorded, found again by code and by bytes, handed out again while nothing it
// shows changed, and made anew when something did, when asked fresh, or when its bytes are gone.
func TestIssueProgressReport(t *testing.T) {
	forEachDesk(t, func(t *testing.T, d *desk) {
		d.period()
		rep, pdf := d.issue("", false)
		code := rep.Report.Document.VerificationCode
		sum := sha256.Sum256(pdf)
		if rep.Kept || code == "" || rep.Report.Document.SHA256 != hex.EncodeToString(sum[:]) || rep.Report.Pages < 4 {
			t.Fatalf("issued: kept %v, %+v, %+v", rep.Kept, rep.Report, rep.Report.Document)
		}
		text := pdfText(t, pdf)
		for _, want := range []string{"Kode verifikasi: " + code, "https://pantau.example/verify/" + code, "Kabupaten Seruyan",
			"oleh Koordinator Provinsi"} {
			if !strings.Contains(text, want) {
				t.Errorf("the report lacks %q", want)
			}
		}
		if _, err := d.docs.Store.Open(rep.Report.Document.SHA256); err != nil {
			t.Fatalf("the report's bytes are not kept: %v", err)
		}

		byCode, err := d.docs.VerifyCode(d.ctx, strings.ToLower(code))
		if err != nil || byCode.Kind != models.DocumentReport || byCode.CreatedBy != "Koordinator Provinsi" || len(byCode.Signatures) != 0 {
			t.Fatalf("verify by code: %+v %v", byCode, err)
		}
		byFile, err := d.docs.VerifyFile(d.ctx, pdf)
		if err != nil || !byFile.Valid || byFile.VerificationCode == nil || *byFile.VerificationCode != code {
			t.Fatalf("verify by file: %+v %v", byFile, err)
		}
		altered := append([]byte(nil), pdf...)
		altered[len(altered)/2] ^= 1
		if fc, err := d.docs.VerifyFile(d.ctx, altered); err != nil || fc.Valid || fc.VerificationCode != nil {
			t.Fatalf("an altered report verifies: %+v %v", fc, err)
		}

		again, samePDF := d.issue("", false)
		if !again.Kept || again.Report.Document.VerificationCode != code || string(samePDF) != string(pdf) {
			t.Fatalf("an unchanged report was not handed out again: kept %v", again.Kept)
		}
		if fresh, _ := d.issue("", true); fresh.Kept || fresh.Report.Document.VerificationCode == code {
			t.Fatal("a fresh report was not made anew")
		}
		progress := models.FixedFromInt(40)
		if _, err := d.db.ClaimItem(d.ctx, d.coordinator, models.ItemRef{Year: 2019, RegionCode: "62.08", IndicatorCode: "I1"},
			models.Claim{Progress: &progress}); err != nil {
			t.Fatal(err)
		}
		changed, _ := d.issue("", false)
		if changed.Kept || changed.Report.Document.VerificationCode == code {
			t.Fatal("the report of changed data is the old one")
		}
		if err := os.Remove(filepath.Join(d.docs.Store.Dir, changed.Report.Document.SHA256[:2], changed.Report.Document.SHA256)); err != nil {
			t.Fatalf("remove the kept bytes: %v", err)
		}
		if remade, _ := d.issue("", false); remade.Kept {
			t.Fatal("a report whose bytes are gone was handed out as kept")
		}

		region, regionPDF := d.issue("62.08", false)
		if region.Report.RegionCode != "62.08" || strings.Contains(pdfText(t, regionPDF), "Kota Palangka Raya") {
			t.Fatalf("region report: %+v", region.Report)
		}
		for _, req := range []documents.ReportRequest{{Year: 2031}, {Year: 2019, Region: "99.99"}} {
			if _, err := d.docs.IssueProgressReport(d.ctx, req); !errors.Is(err, models.ErrNotFound) {
				t.Errorf("%+v: %v, want ErrNotFound", req, err)
			}
		}
	})
}

// BenchmarkProgressReportNational measures the whole path at national scale on each database:
// reading the data (bulk queries), rendering, and keeping the bytes and record, for the
// synthetic national data set (546 Pemda × 100 indicators, periods 2024 and 2025), and for one
// Pemda of it.
//
//	go test ./documents -run '^$' -bench ProgressReportNational -benchtime 2x
func BenchmarkProgressReportNational(b *testing.B) {
	for _, dialect := range modelstest.Dialects() {
		b.Run(string(dialect), func(b *testing.B) {
			ctx := context.Background()
			db := modelstest.Open(b, dialect)
			start := time.Now()
			if err := national.SeedWith(ctx, db, nil, national.Options{Years: []int{2024, 2025}}); err != nil {
				b.Fatal(err)
			}
			b.Logf("%s: seeded in %s", dialect, time.Since(start).Round(time.Millisecond))
			regions, err := db.Regions(ctx)
			if err != nil {
				b.Fatal(err)
			}
			docs := &documents.Service{DB: db, Store: &models.BlobStore{Dir: b.TempDir(), MaxSize: 20 << 20}}
			b.Run("data", func(b *testing.B) {
				withPeakHeap(b, func() {
					if _, err := db.ProgressReportData(ctx, 2025, models.ReportScope{}); err != nil {
						b.Fatal(err)
					}
				})
			})
			for name, region := range map[string]string{"all": "", "one": regions[1].Code} {
				b.Run(name, func(b *testing.B) {
					var pages int
					withPeakHeap(b, func() {
						rep, err := docs.IssueProgressReport(ctx, documents.ReportRequest{Year: 2025, Region: region, GeneratedBy: "bench", Fresh: true})
						if err != nil {
							b.Fatal(err)
						}
						rep.Body.Close()
						pages = rep.Report.Pages
					})
					b.ReportMetric(float64(pages), "pages")
				})
			}
		})
	}
}

// withPeakHeap runs fn b.N times and reports the peak live heap, sampled every 2 ms.
func withPeakHeap(b *testing.B, fn func()) {
	runtime.GC()
	stop, peak := make(chan struct{}), make(chan uint64)
	go func() {
		s := []rtmetrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		var top uint64
		for t := time.NewTicker(2 * time.Millisecond); ; {
			rtmetrics.Read(s)
			top = max(top, s[0].Value.Uint64())
			select {
			case <-stop:
				t.Stop()
				peak <- top
				return
			case <-t.C:
			}
		}
	}()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		fn()
	}
	b.StopTimer()
	close(stop)
	b.ReportMetric(float64(<-peak)/(1<<20), "peak-heap-MB")
}
