package models_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/modelstest"
)

// TestExplainZone: the items that pull a region down, with the exact gain of verifying each in
// full, and the fewest that bring it into the next zone up.
func TestExplainZone(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		f := newCatalogueFixture(t, db)
		// Weights: areas A 3, B 1; A.1 1, A.2 2; B.1 3, B.2 1, B.3 2.
		verify := func(code string, pct int64) {
			t.Helper()
			ref := models.ItemRef{Year: 2019, RegionCode: "62.08", IndicatorCode: code}
			p := models.FixedFromInt(pct)
			if _, err := db.ClaimItem(ctx, f.coordinator, ref, models.Claim{Progress: &p}); err != nil {
				t.Fatal(err)
			}
			ev := f.upload(t, f.coordinator, ref, "bukti-"+code)
			if _, err := db.ReviewItem(ctx, f.rv, ref, models.ReviewInput{Decision: models.DecisionApprove, VerifiedProgress: &p, AcceptEvidence: []int64{ev.ID}}); err != nil {
				t.Fatal(err)
			}
		}
		verify("A.1", 100)
		verify("B.1", 50)
		x, err := db.ExplainZone(ctx, 2019, "62.08")
		if err != nil {
			t.Fatal(err)
		}
		// A = 100·1/3, B = 50·3/6 = 25; overall (3·33.33… + 25)/4 = 31.25, red.
		if x.Percent.String() != "31.25" || x.Zone != models.ZoneRed {
			t.Fatalf("standing: %v %s", x.Percent, x.Zone)
		}
		var got []string
		for _, g := range x.Items {
			got = append(got, fmt.Sprintf("%s+%s", g.IndicatorCode, g.Gain))
		}
		// A.2 in full: A = 100, overall 81.25 (+50); B.3: B = 58.33…, 39.58 (+8.33); B.1: B = 50,
		// 37.50 (+6.25); B.2: B = 41.66…, 35.42 (+4.17). A.1 is at 100 already.
		if fmt.Sprint(got) != "[A.2+50 B.3+8.33 B.1+6.25 B.2+4.17]" {
			t.Fatalf("gains: %v", got)
		}
		if x.Next == nil || x.Next.Zone != models.ZoneYellow || fmt.Sprint(x.Next.Items) != "[A.2]" || x.Next.Percent.String() != "81.25" {
			t.Fatalf("next zone: %+v", x.Next)
		}
		// A region at the top has no next zone; an unknown region is not found.
		for _, code := range []string{"A.2", "B.2", "B.3"} {
			verify(code, 100)
		}
		verify("B.1", 100)
		if x, err = db.ExplainZone(ctx, 2019, "62.08"); err != nil || x.Zone != models.ZoneComplete || x.Next != nil || len(x.Items) != 0 {
			t.Fatalf("at 100: %+v %v", x, err)
		}
		if _, err := db.ExplainZone(ctx, 2019, "99"); err != models.ErrNotFound {
			t.Fatalf("unknown region: %v", err)
		}
	})
}
