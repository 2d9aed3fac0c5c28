package sheets_test

import (
	"bytes"
	"context"
	"io"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/modelstest"
	"github.com/pantau-id/pantau/models/national"
	"github.com/pantau-id/pantau/sheets"
)

// nationalDB is a database of each kind holding the synthetic national data set, loaded once
// for every benchmark of the run, and an admin to import as.
func nationalDB(b *testing.B, d models.Dialect) (*models.DB, *models.User) {
	b.Helper()
	ctx := context.Background()
	db := modelstest.Open(b, d)
	start := time.Now()
	if err := national.Seed(ctx, db, io.Discard); err != nil {
		b.Fatalf("seed: %v", err)
	}
	b.Logf("national set on %s loaded in %s", d, time.Since(start).Round(time.Millisecond))
	admin, err := db.CreateUser(ctx, models.UserInput{Email: "bench@example.com", Name: "Bench", Role: models.RoleAdmin, Password: "bench-password-1"}, false)
	if err != nil {
		b.Fatal(err)
	}
	return db, admin
}

// peakHeap samples the live heap every few milliseconds until stop is called, and returns the
// highest value seen.
func peakHeap() (stop func() uint64) {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var peak uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			peak = max(peak, sample[0].Value.Uint64())
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 {
		close(done)
		wg.Wait()
		return peak
	}
}

func exportItems(b *testing.B, db *models.DB, w io.Writer) {
	b.Helper()
	tabs, err := sheets.Export(context.Background(), db, sheets.Request{Year: 2025, Table: "items"})
	if err != nil {
		b.Fatal(err)
	}
	if err := sheets.WriteXLSX(w, tabs...); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkNationalItemsXLSX exports every Pemda's items of 2025 (546 × 100) as XLSX, reporting
// the file's size and the peak live heap while it is made (target: ≤ 5 s, ≤ 200 MiB).
func BenchmarkNationalItemsXLSX(b *testing.B) {
	for _, d := range modelstest.Dialects() {
		b.Run(string(d), func(b *testing.B) {
			db, _ := nationalDB(b, d)
			runtime.GC()
			stop := peakHeap()
			var size int
			for b.Loop() {
				var buf countingWriter
				exportItems(b, db, &buf)
				size = buf.n
			}
			b.ReportMetric(float64(stop())/(1<<20), "peak-heap-MiB")
			b.ReportMetric(float64(size)/(1<<20), "file-MiB")
		})
	}
}

// BenchmarkNationalClaimsDryRun reads the national items file back as a claims import and plans
// it without applying (target: ≤ 10 s): every row unchanged.
func BenchmarkNationalClaimsDryRun(b *testing.B) {
	for _, d := range modelstest.Dialects() {
		b.Run(string(d), func(b *testing.B) {
			db, admin := nationalDB(b, d)
			var file bytes.Buffer
			exportItems(b, db, &file)
			runtime.GC()
			stop := peakHeap()
			var res *models.ImportResult
			for b.Loop() {
				recs, err := sheets.Read(file.Bytes(), sheets.ClaimsLayout, sheets.DefaultLimits)
				if err != nil {
					b.Fatal(err)
				}
				res, err = db.ImportClaims(context.Background(), admin, 2025, sheets.ClaimLines(recs), false)
				if err != nil {
					b.Fatal(err)
				}
			}
			if res.Totals.Unchanged != 54600 || res.Totals.Error+res.Totals.Update != 0 {
				b.Fatalf("the national file read back: %+v", res.Totals)
			}
			b.ReportMetric(float64(stop())/(1<<20), "peak-heap-MiB")
			b.ReportMetric(float64(file.Len())/(1<<20), "file-MiB")
		})
	}
}

// countingWriter counts what is written to it.
type countingWriter struct{ n int }

func (c *countingWriter) Write(p []byte) (int, error) { c.n += len(p); return len(p), nil }
