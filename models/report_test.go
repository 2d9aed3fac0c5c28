package models_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/demo"
	"github.com/pantau-id/pantau/models/modelstest"
)

// TestProgressReportData: the bulk read gives every region the same items, evidence counts,
// last reviews and delegation as the per-region queries, and its state moves with the data.
func TestProgressReportData(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		blobs := &models.BlobStore{Dir: t.TempDir(), MaxSize: 1 << 20}
		if _, err := demo.Seed(ctx, db, blobs, "kata-sandi-demo"); err != nil {
			t.Fatal(err)
		}
		d, err := db.ProgressReportData(ctx, demo.Year, models.ReportScope{Province: "62"})
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Sections) != 15 || len(d.Summary.Regions) != 15 || d.National || d.Previous == nil || d.Previous.Year != demo.Year-1 {
			t.Fatalf("%d sections, %d summary lines, previous year present: %t", len(d.Sections), len(d.Summary.Regions), d.Previous != nil)
		}
		reviewed := 0
		for i, sec := range d.Sections {
			items, err := db.Items(ctx, demo.Year, sec.Region.Code)
			if err != nil {
				t.Fatal(err)
			}
			if len(items) != len(sec.Items) {
				t.Fatalf("%s: %d items, Items() gives %d", sec.Region.Code, len(sec.Items), len(items))
			}
			for j, it := range items {
				got := sec.Items[j]
				if got.Indicator.Code != it.IndicatorCode || got.Progress != it.Progress || got.VerifiedProgress != it.VerifiedProgress ||
					got.Status != it.Status || got.EvidenceCount != len(it.Evidence) || (got.LastReview == nil) != (it.LastReview == nil) {
					t.Fatalf("%s %s: bulk %+v, Items() %+v", sec.Region.Code, it.IndicatorCode, got, it)
				}
				if it.LastReview != nil {
					reviewed++
					if got.LastReview.Comment != it.LastReview.Comment || got.LastReview.Reviewer != it.LastReview.Reviewer {
						t.Fatalf("%s %s: last review %+v, want %+v", sec.Region.Code, it.IndicatorCode, got.LastReview, it.LastReview)
					}
				}
			}
			// Each area's score is the summary's.
			rs := d.Summary.Regions[i]
			if rs.Code != sec.Region.Code {
				t.Fatalf("section %s, summary line %s", sec.Region.Code, rs.Code)
			}
			for _, a := range rs.Areas {
				if got := sec.AreaScores[a.Code]; (got == nil) != (a.Percent == nil) || got != nil && *got != *a.Percent {
					t.Fatalf("%s %s: area score %v, summary %v", sec.Region.Code, a.Code, got, a.Percent)
				}
			}
			del, err := db.DelegationOf(ctx, demo.Year, sec.Region.Code)
			if err != nil {
				t.Fatal(err)
			}
			if del.Zone != sec.Delegation.Zone || del.LegalBasis != sec.Delegation.LegalBasis {
				t.Fatalf("%s: delegation %+v, want %+v", sec.Region.Code, sec.Delegation, del)
			}
		}
		if reviewed == 0 {
			t.Fatal("the demo data has no reviews to compare")
		}

		one, err := db.ProgressReportData(ctx, demo.Year, models.ReportScope{Region: "62.08"})
		if err != nil || len(one.Sections) != 1 || one.Sections[0].Region.Code != "62.08" || len(one.Summary.Regions) != 15 || len(one.Sections[0].Trend) != 2 {
			t.Fatalf("one region: %v %+v", err, one)
		}
		if one.State == d.State {
			t.Fatal("a region's report has the period report's state")
		}
		if _, err := db.ProgressReportData(ctx, demo.Year, models.ReportScope{Region: "99.99"}); err != models.ErrNotFound {
			t.Fatalf("unknown region: %v", err)
		}
		national, err := db.ProgressReportData(ctx, demo.Year, models.ReportScope{})
		if err != nil || !national.National || len(national.Sections) != 0 || len(national.Summary.Provinces) != 2 || national.State == d.State {
			t.Fatalf("the national report: %v", err)
		}
		if _, err := db.ProgressReportData(ctx, 2031, models.ReportScope{}); err != models.ErrNotFound {
			t.Fatalf("unknown year: %v", err)
		}

		// Evidence is counted in the report, so new evidence (in the open year; the published
		// one is closed) moves the state, whether or not it moves the period's revision.
		open := demo.Years[len(demo.Years)-1]
		before, err := db.ProgressReportData(ctx, open, models.ReportScope{Region: "62.08"})
		if err != nil {
			t.Fatal(err)
		}
		u, err := db.UserByEmail(ctx, "operator.seruyan@demo.pantau.id")
		if err != nil {
			t.Fatal(err)
		}
		b, err := blobs.Put(strings.NewReader("%PDF-1.4\n%%EOF\n"))
		if err != nil {
			t.Fatal(err)
		}
		ref := models.ItemRef{Year: demo.Year, RegionCode: "62.08", IndicatorCode: "PTSP.1"}
		if _, err := db.AddEvidence(ctx, u, ref, models.EvidenceUpload{Blob: b, Filename: "tambahan.pdf"}); !errors.Is(err, models.ErrPeriodClosed) {
			t.Fatalf("evidence for the closed year: %v, want ErrPeriodClosed", err)
		}
		ref.Year = open
		if _, err := db.AddEvidence(ctx, u, ref, models.EvidenceUpload{Blob: b, Filename: "tambahan.pdf"}); err != nil {
			t.Fatal(err)
		}
		after, err := db.ProgressReportData(ctx, open, models.ReportScope{Region: "62.08"})
		if err != nil {
			t.Fatal(err)
		}
		count := func(d *models.ProgressData) int {
			for _, it := range d.Sections[0].Items {
				if it.Indicator.Code == "PTSP.1" {
					return it.EvidenceCount
				}
			}
			t.Fatal("no PTSP.1 in the report")
			return 0
		}
		if after.State == before.State || count(after) != count(before)+1 {
			t.Fatalf("state %q → %q, evidence %d → %d", before.State, after.State, count(before), count(after))
		}
		// The delegation's current documents are named in the report (the demo's Seruyan has its
		// regulation and annex on file); filing a new regulation replaces the old one there and
		// moves the state.
		if _, err := db.AddDelegationDocument(ctx, u, open, "62.08", models.DelegationDocumentUpload{Blob: b, Filename: "perbup.pdf", Kind: models.DocumentRegulation}); err != nil {
			t.Fatal(err)
		}
		filed, err := db.ProgressReportData(ctx, open, models.ReportScope{Region: "62.08"})
		if err != nil {
			t.Fatal(err)
		}
		docs, was := filed.Sections[0].Delegation.Documents, after.Sections[0].Delegation.Documents
		if filed.State == after.State || len(docs) != 2 || docs[0].Filename != "perbup.pdf" || docs[1].Kind != models.DocumentAnnex ||
			len(was) != 2 || was[0].Filename == "perbup.pdf" || was[0].Kind != models.DocumentRegulation {
			t.Fatalf("state %q → %q, documents %+v → %+v", after.State, filed.State, was, docs)
		}
	})
}

// TestLetterheadAndReportRecords: letterheads are validated and versioned; a saved report is
// found by its state and names who generated it.
func TestLetterheadAndReportRecords(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		lh, err := db.Letterhead(ctx)
		if err != nil || lh.ID != 0 {
			t.Fatalf("no letterhead yet: %+v %v", lh, err)
		}
		var verr *models.ValidationError
		_, err = db.SetLetterhead(ctx, nil, models.LetterheadInput{Institution: "Dinas", Logo: []byte("GIF89a")})
		if !asValidation(err, &verr) || verr.Fields["logo"] != "logo_type" {
			t.Fatalf("GIF logo: %v", err)
		}
		if _, err := db.SetLetterhead(ctx, nil, models.LetterheadInput{}); !asValidation(err, &verr) || verr.Fields["institution"] != "required" {
			t.Fatalf("no institution: %v", err)
		}
		logo := []byte("\x89PNG\r\n\x1a\nrest")
		first, err := db.SetLetterhead(ctx, nil, models.LetterheadInput{Institution: " Dinas A ", Logo: logo})
		if err != nil {
			t.Fatal(err)
		}
		second, err := db.SetLetterhead(ctx, nil, models.LetterheadInput{Institution: "Dinas B", Address: "Jl. Imam Bonjol"})
		if err != nil {
			t.Fatal(err)
		}
		lh, err = db.Letterhead(ctx)
		if err != nil || lh.ID != second.ID || lh.ID <= first.ID || lh.Institution != "Dinas B" || len(lh.Logo) != 0 {
			t.Fatalf("current letterhead %+v %v", lh, err)
		}

		u, err := db.CreateUser(ctx, models.UserInput{Email: "koordinator@pantau.id", Name: "Koordinator Provinsi", Role: models.RoleCoordinator, Password: "rahasia-panjang"}, false)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ReportByState(ctx, "k1"); err != models.ErrNotFound {
			t.Fatalf("no report yet: %v", err)
		}
		doc := &models.Document{VerificationCode: models.NewVerificationCode(), Title: "Laporan", Status: "issued", SHA256: strings.Repeat("a", 64), Size: 10, CreatedBy: &u.ID}
		rec := &models.Report{Kind: models.ReportProgress, Year: 2019, StateKey: "k1", Pages: 3, GeneratedBy: &u.ID, GeneratedByName: u.Name}
		if err := db.SaveReport(ctx, rec, doc); err != nil {
			t.Fatal(err)
		}
		got, err := db.ReportByState(ctx, "k1")
		if err != nil || got.Document.VerificationCode != doc.VerificationCode || got.Pages != 3 {
			t.Fatalf("report by state: %+v %v", got, err)
		}
		if name, err := db.DocumentIssuer(ctx, got.Document); err != nil || name != "Koordinator Provinsi" {
			t.Fatalf("issuer %q %v", name, err)
		}
		if err := db.SaveReport(ctx, &models.Report{Kind: models.ReportProgress, StateKey: "k2"}, &models.Document{Title: "x"}); err == nil {
			t.Fatal("a report without its printed code was saved")
		}
	})
}

func asValidation(err error, target **models.ValidationError) bool {
	v, ok := err.(*models.ValidationError)
	*target = v
	return ok
}
