package models_test

import (
	"context"
	"testing"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/modelstest"
)

// TestOutsideAuthority: a region marks an item outside its authority, which changes nothing
// until a reviewer (never the one who marked it) confirms; then the item leaves numerator and
// denominator, renormalised within its area and exact. A refusal returns the item; the
// catalogue can leave a kind of region out without any claim.
func TestOutsideAuthority(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		f := newCatalogueFixture(t, db)
		ref := func(code string) models.ItemRef {
			return models.ItemRef{Year: 2019, RegionCode: "62.08", IndicatorCode: code}
		}
		verify := func(code string, v int64) {
			t.Helper()
			ev := f.upload(t, f.operator, ref(code), "bukti "+code)
			p := models.FixedFromInt(v)
			if _, err := db.ClaimItem(ctx, f.operator, ref(code), models.Claim{Progress: &p}); err != nil {
				t.Fatal(err)
			}
			if _, err := db.ReviewItem(ctx, f.rv, ref(code), models.ReviewInput{Decision: models.DecisionApprove, AcceptEvidence: []int64{ev.ID}}); err != nil {
				t.Fatal(err)
			}
		}
		standing := func() string {
			t.Helper()
			s, err := db.Summary(ctx, 2019, "")
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range s.Regions {
				if r.Code == "62.08" && r.ActionPlan.Percent != nil {
					return r.ActionPlan.Percent.String()
				}
			}
			return "none"
		}
		status := func(code string) models.ItemStatus {
			t.Helper()
			items, err := db.Items(ctx, 2019, "62.08", code)
			if err != nil || len(items) != 1 {
				t.Fatalf("item %s: %v %v", code, items, err)
			}
			return items[0].Status
		}
		// Area A (weight 3): A.1 (weight 1) at 100, A.2 (weight 2) at 40 → 60; area B (weight 1)
		// has nothing verified → 0; overall (3 × 60 + 0) / 4 = 45.
		verify("A.1", 100)
		verify("A.2", 40)
		if got := standing(); got != "45" {
			t.Fatalf("before: %s, want 45", got)
		}
		no := false
		mark := models.ApplicabilityInput{Applicable: &no, Reason: "Kewenangan provinsi menurut UU 23/2014"}
		if _, err := db.SetApplicability(ctx, f.operator, ref("A.2"), models.ApplicabilityInput{Applicable: &no}); !isInvalid(err, "reason") {
			t.Fatalf("no reason: %v", err)
		}
		other := models.ItemRef{Year: 2019, RegionCode: "62.71", IndicatorCode: "A.2"}
		if _, err := db.SetApplicability(ctx, f.operator, other, mark); !isForbidden(err) {
			t.Fatalf("another region's item: %v", err)
		}
		if _, err := db.SetApplicability(ctx, f.operator, ref("A.2"), mark); err != nil {
			t.Fatal(err)
		}
		if got, s := standing(), status("A.2"); got != "45" || s != models.StatusNotApplicablePending {
			t.Fatalf("pending: %s %s, want 45 and %s", got, s, models.StatusNotApplicablePending)
		}
		if _, err := db.ReviewItem(ctx, f.rv, ref("A.2"), models.ReviewInput{Decision: models.DecisionApprove, Comment: "Benar"}); err != nil {
			t.Fatal(err)
		}
		// A = A.1 alone = 100; overall (3 × 100 + 0) / 4 = 75.
		if got, s := standing(), status("A.2"); got != "75" || s != models.StatusNotApplicable {
			t.Fatalf("confirmed: %s %s, want 75 and %s", got, s, models.StatusNotApplicable)
		}
		p := models.FixedFromInt(80)
		if _, err := db.ClaimItem(ctx, f.operator, ref("A.2"), models.Claim{Progress: &p}); !isInvalid(err, "progress") {
			t.Fatalf("a claim on an item that does not apply: %v", err)
		}
		// B.1 (weight 3 of 6 in B): marked, then refused — back where it stood.
		if _, err := db.SetApplicability(ctx, f.coordinator, ref("B.1"), mark); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ReviewItem(ctx, f.rv, ref("B.1"), models.ReviewInput{Decision: models.DecisionReject, Comment: "Masih kewenangan kabupaten"}); err != nil {
			t.Fatal(err)
		}
		if got, s := standing(), status("B.1"); got != "75" || s != models.StatusDraft {
			t.Fatalf("refused: %s %s, want 75 and draft", got, s)
		}
		// The one who marked an item does not decide it.
		if _, err := db.SetApplicability(ctx, f.admin, ref("B.2"), mark); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ReviewItem(ctx, f.admin, ref("B.2"), models.ReviewInput{Decision: models.DecisionApprove}); !isForbidden(err) {
			t.Fatalf("deciding one's own mark: %v", err)
		}

		// The catalogue leaves cities out of B.3: Palangka Raya's B is B.1 and B.2 alone.
		noCities := []models.RegionKind{models.KindProvince, models.KindRegency}
		if _, err := db.UpdateIndicator(ctx, 2019, "B.3", models.IndicatorPatch{AppliesTo: noCities}); err != nil {
			t.Fatal(err)
		}
		items, err := db.Items(ctx, 2019, "62.71", "B.3")
		if err != nil || len(items) != 1 || items[0].Status != models.StatusNotApplicable || items[0].Applicability != models.ApplicabilityCatalogue {
			t.Fatalf("a city's B.3: %+v %v", items, err)
		}
	})
}
