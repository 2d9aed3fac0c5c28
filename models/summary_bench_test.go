package models_test

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/modelstest"
	"github.com/pantau-id/pantau/models/national"
)

// BenchmarkSummaryNational computes the 2025 summary of the synthetic national data set (546
// Pemda, 54,600 items) on each database: again and again (read), and each time after a claim
// in another region (after_write, the claim outside the timing: the first summary a user sees
// after a write). The set is loaded once per database. PostgreSQL is skipped unless
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
			summary := func(b *testing.B) {
				s, err := db.Summary(ctx, 2025, "")
				if err != nil {
					b.Fatal(err)
				}
				if len(s.Regions) != 546 {
					b.Fatalf("summary has %d regions, want 546", len(s.Regions))
				}
			}
			b.Run("read", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					summary(b)
				}
			})
			b.Run("after_write", func(b *testing.B) {
				admin, err := db.CreateUser(ctx, models.UserInput{Email: "bench@uji.id", Name: "Bench", Role: models.RoleAdmin, Password: "kata-sandi-uji-123"}, false)
				if err != nil {
					b.Fatal(err)
				}
				regions, err := db.Regions(ctx)
				if err != nil {
					b.Fatal(err)
				}
				items, err := db.Items(ctx, 2025, regions[0].Code)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				n := 0
				for b.Loop() {
					b.StopTimer()
					p := models.FixedFromInt(int64(n % 101))
					ref := models.ItemRef{Year: 2025, RegionCode: regions[n%len(regions)].Code, IndicatorCode: items[n%len(items)].IndicatorCode}
					if _, err := db.ClaimItem(ctx, admin, ref, models.Claim{Progress: &p}); err != nil {
						b.Fatal(err)
					}
					n++
					b.StartTimer()
					summary(b)
				}
			})
		})
	}
}
