package models_test

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/pantau-id/pantau/models/modelstest"
	"github.com/pantau-id/pantau/models/national"
)

// BenchmarkSummaryNational computes the 2025 summary of the synthetic national data set (546
// Pemda, 54,600 items) on each database. The set is loaded once per database: b.Loop runs the
// benchmark function once and keeps the load out of the timing. PostgreSQL is skipped unless
// PANTAU_TEST_DATABASE_URL names a server.
func BenchmarkSummaryNational(b *testing.B) {
	for _, d := range modelstest.Dialects() {
		b.Run(string(d), func(b *testing.B) {
			db := modelstest.Open(b, d)
			ctx := context.Background()
			start := time.Now()
			if err := national.Seed(ctx, db, io.Discard); err != nil {
				b.Fatalf("seed: %v", err)
			}
			b.Logf("seeded the national set on %s in %s", d, time.Since(start).Round(time.Millisecond))
			b.ReportAllocs()
			for b.Loop() {
				s, err := db.Summary(ctx, 2025, "")
				if err != nil {
					b.Fatal(err)
				}
				if len(s.Regions) != 546 {
					b.Fatalf("summary has %d regions, want 546", len(s.Regions))
				}
			}
		})
	}
}
