package models_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/modelstest"
)

// BenchmarkClaimAndVerify measures claim-then-approve writes (two transactions per op) from 8
// concurrent writers, with the audit chain on (the sealer running as in pantau serve, and the
// last events sealed inside the timing) and off, on each database.
func BenchmarkClaimAndVerify(b *testing.B) {
	for _, d := range modelstest.Dialects() {
		for _, chain := range []bool{true, false} {
			b.Run(fmt.Sprintf("%s/chain=%v", d, chain), func(b *testing.B) {
				db := modelstest.Open(b, d)
				ctx := context.Background()
				const items = 64
				claimant, reviewer := benchFixture(b, db, items)
				models.SetAuditChain(db, chain)
				sealCtx, stopSealer := context.WithCancel(ctx)
				defer stopSealer()
				go db.RunSealer(sealCtx, time.Second, nil) // as pantau serve runs it
				var next atomic.Int64
				b.SetParallelism(4)
				b.ResetTimer() // the fixture is not part of the cost
				start := time.Now()
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						n := next.Add(1)
						ref := models.ItemRef{Year: 2025, RegionCode: "11.01", IndicatorCode: fmt.Sprintf("I%d", n%items)}
						p := models.FixedFromInt(n % 101)
						if _, err := db.ClaimItem(ctx, claimant, ref, models.Claim{Progress: &p}); err != nil {
							b.Error(err)
							return
						}
						_, err := db.ReviewItem(ctx, reviewer, ref, models.ReviewInput{Decision: models.DecisionApprove})
						if err != nil && err != models.ErrConflict { // another writer re-claimed the item in between
							b.Error(err)
							return
						}
					}
				})
				if _, err := db.SealAudit(ctx); err != nil { // the chain's work is part of the cost
					b.Fatal(err)
				}
				b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "ops/s")
			})
		}
	}
}

func benchFixture(b *testing.B, db *models.DB, items int) (claimant, reviewer *models.User) {
	ctx := context.Background()
	check := func(_ any, err error) {
		if err != nil {
			b.Fatal(err)
		}
	}
	check(db.CreateRegion(ctx, models.RegionInput{Code: "11.01", Name: "Kabupaten Bench", Kind: models.KindRegency}, false))
	claimant, err := db.CreateUser(ctx, models.UserInput{Email: "c@bench.id", Name: "C", Role: models.RoleCoordinator, Password: "kata-sandi-panjang"}, false)
	check(claimant, err)
	reviewer, err = db.CreateUser(ctx, models.UserInput{Email: "r@bench.id", Name: "R", Role: models.RoleReviewer, Password: "kata-sandi-panjang"}, false)
	check(reviewer, err)
	check(db.CreatePeriod(ctx, models.PeriodInput{Year: 2025}, false))
	check(db.CreateArea(ctx, 2025, models.AreaInput{Code: "PTSP", Name: "PTSP"}))
	for i := 0; i < items; i++ {
		code := fmt.Sprintf("I%d", i)
		check(db.CreateIndicator(ctx, 2025, models.IndicatorInput{Code: code, Area: "PTSP", Title: "Indikator"}))
		blob := models.Blob{SHA256: fmt.Sprintf("%064x", i+1), Size: 10, ContentType: "application/pdf"}
		ev, err := db.AddEvidence(ctx, claimant, models.ItemRef{Year: 2025, RegionCode: "11.01", IndicatorCode: code}, models.EvidenceUpload{Blob: blob, Filename: "bukti.pdf"})
		check(ev, err)
		check(db.ReviewEvidence(ctx, reviewer, ev.ID, models.EvidenceReview{Status: models.EvidenceAccepted})) // an approval needs reviewed evidence
	}
	return claimant, reviewer
}

// BenchmarkAuditVerify1M walks a chain of 1,000,000 events (inserted in bulk, outside the
// timing) on each database. Run it with -benchtime 1x.
func BenchmarkAuditVerify1M(b *testing.B) {
	for _, d := range modelstest.Dialects() {
		b.Run(string(d), func(b *testing.B) {
			db := modelstest.Open(b, d)
			start := time.Now()
			if err := models.InsertAuditEvents(db, 1_000_000); err != nil {
				b.Fatal(err)
			}
			b.Logf("inserted 1,000,000 events on %s in %s", d, time.Since(start).Round(time.Second))
			for b.Loop() {
				r, err := db.VerifyAudit(context.Background(), nil)
				if err != nil || r.Broken != "" || r.Events != 1_000_000 {
					b.Fatalf("verify: %+v %v", r, err)
				}
			}
		})
	}
}
