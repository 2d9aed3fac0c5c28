package models_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/modelstest"
)

// TestWritesAnswerTheItemAsRead: the item a claim, a review or an applicability change returns
// is, field for field, the item a read returns right after it — for a sub-indicator (with its
// parent's code and title), with evidence and a last review, and marked not applicable.
func TestWritesAnswerTheItemAsRead(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		f := newCatalogueFixture(t, db)
		w := models.FixedFromInt(2)
		if _, err := db.CreateIndicator(ctx, 2019, models.IndicatorInput{Code: "B.3.1", Parent: "B.3", Title: "Sub B.3", Weight: &w,
			Requirement: "Dokumen sub", AppliesTo: []models.RegionKind{models.KindRegency, models.KindCity}}); err != nil {
			t.Fatal(err)
		}
		same := func(what string, ref models.ItemRef, got *models.Item, err error) {
			t.Helper()
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			want, err := db.Item(ctx, ref)
			if err != nil {
				t.Fatal(err)
			}
			g, _ := json.Marshal(got)
			r, _ := json.Marshal(want)
			if string(g) != string(r) {
				t.Fatalf("%s answered\n%s\nbut the item reads\n%s", what, g, r)
			}
		}
		p := models.FixedFromInt(60)
		note := "catatan"
		for _, code := range []string{"A.1", "B.3.1"} {
			ref := models.ItemRef{Year: 2019, RegionCode: "62.08", IndicatorCode: code}
			got, err := db.ClaimItem(ctx, f.operator, ref, models.Claim{Progress: &p, Note: &note})
			same("claim "+code, ref, got, err)
			if got.Parent == nil && code == "B.3.1" {
				t.Fatalf("claim %s: no parent in %+v", code, got)
			}
			ev := f.upload(t, f.operator, ref, "bukti "+code)
			got, err = db.ReviewItem(ctx, f.rv, ref, models.ReviewInput{Decision: models.DecisionApprove, AcceptEvidence: []int64{ev.ID}})
			same("review "+code, ref, got, err)
			if got.LastReview == nil || len(got.Evidence) != 1 {
				t.Fatalf("review %s: last review %v, evidence %v", code, got.LastReview, got.Evidence)
			}
			got, err = db.ClaimItem(ctx, f.operator, ref, models.Claim{Progress: &p})
			same("second claim "+code, ref, got, err)
			no := false
			got, err = db.SetApplicability(ctx, f.operator, ref, models.ApplicabilityInput{Applicable: &no, Reason: "bukan kewenangan"})
			same("applicability "+code, ref, got, err)
		}
	})
}
