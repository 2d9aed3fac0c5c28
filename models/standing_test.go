package models_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/modelstest"
)

// catalogueFixture is a small period: two areas, five indicators, three regions, and a user of
// each role that writes.
type catalogueFixture struct {
	db                               *models.DB
	blobs                            *models.BlobStore
	admin, coordinator, operator, rv *models.User
	regions                          []string
	indicators                       []string
}

func newCatalogueFixture(t *testing.T, db *models.DB) *catalogueFixture {
	t.Helper()
	ctx := context.Background()
	f := &catalogueFixture{db: db, blobs: &models.BlobStore{Dir: t.TempDir(), MaxSize: 1 << 20},
		regions: []string{"62", "62.08", "62.71"}, indicators: []string{"A.1", "A.2", "B.1", "B.2", "B.3"}}
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	for i, code := range f.regions {
		kind := []models.RegionKind{models.KindProvince, models.KindRegency, models.KindCity}[i]
		must(db.CreateRegion(ctx, models.RegionInput{Code: code, Name: "Pemda " + code, Kind: kind}, false))
	}
	must(db.CreatePeriod(ctx, models.PeriodInput{Year: 2019}, false))
	w := func(n int64) *models.Fixed { f := models.FixedFromInt(n); return &f }
	must(db.CreateArea(ctx, 2019, models.AreaInput{Code: "A", Name: "PTSP", Weight: w(3)}))
	must(db.CreateArea(ctx, 2019, models.AreaInput{Code: "B", Name: "Pengadaan", Weight: w(1)}))
	for i, code := range f.indicators {
		must(db.CreateIndicator(ctx, 2019, models.IndicatorInput{Code: code, Area: code[:1], Title: "Indikator " + code, Weight: w(int64(i%3 + 1))}))
	}
	user := func(email string, role models.Role, region *string) *models.User {
		u, err := db.CreateUser(ctx, models.UserInput{Email: email, Name: email, Role: role, Password: "kata-sandi-uji-123", RegionCode: region}, false)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	op := "62.08"
	f.admin = user("admin@uji.id", models.RoleAdmin, nil)
	f.coordinator = user("koordinator@uji.id", models.RoleCoordinator, nil)
	f.operator = user("operator@uji.id", models.RoleOperator, &op)
	f.rv = user("verifikator@uji.id", models.RoleReviewer, nil)
	return f
}

// upload stores a small PDF and attaches it to an item.
func (f *catalogueFixture) upload(t *testing.T, by *models.User, ref models.ItemRef, content string) *models.Evidence {
	t.Helper()
	blob, err := f.blobs.Put(bytes.NewReader([]byte("%PDF-1.4\n% " + content + "\n%%EOF\n")))
	if err != nil {
		t.Fatal(err)
	}
	ev, err := f.db.AddEvidence(context.Background(), by, ref, models.EvidenceUpload{Blob: blob, Filename: content + ".pdf"})
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

// recomputed is a region's verified and claimed percentage computed from its items afresh.
func recomputed(t *testing.T, db *models.DB, region string) (verified, claimed *models.Fixed) {
	t.Helper()
	ctx := context.Background()
	areas, err := db.Areas(ctx, 2019)
	if err != nil {
		t.Fatal(err)
	}
	inds, err := db.Indicators(ctx, 2019)
	if err != nil {
		t.Fatal(err)
	}
	items, err := db.Items(ctx, 2019, region)
	if err != nil {
		t.Fatal(err)
	}
	byCode := map[string]int64{}
	for _, ind := range inds {
		byCode[ind.Code] = ind.ID
	}
	values := map[int64]models.LeafValue{}
	for _, it := range items {
		values[byCode[it.IndicatorCode]] = models.LeafValue{Verified: it.VerifiedProgress, Claimed: it.Progress,
			NotApplicable: it.Applicability == models.ApplicabilityConfirmed}
	}
	r, err := db.RegionByCode(ctx, region)
	if err != nil {
		t.Fatal(err)
	}
	f := models.NewScorer(areas, inds).Figures(r.Kind, values)
	return f.Verified, f.Claimed
}

// TestStandingsFollowEveryWrite: after a random mix of claims, uploads, reviews, catalogue
// changes and a new region, made by two instances in turn, every region's standing in the
// summary equals its percentage computed afresh from its items.
func TestStandingsFollowEveryWrite(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		f := newCatalogueFixture(t, db)
		rng := rand.New(rand.NewPCG(1, 2))
		// Another instance on the same database keeps a summary of its own, which must follow
		// the writes this one makes; both must equal a summary read afresh. It writes too: each
		// instance restates a region from what it knows of the region's items only while the
		// other has not written there since.
		other := modelstest.Reopen(t, db)
		check := func(step string) {
			t.Helper()
			sum, err := db.Summary(ctx, 2019, "")
			if err != nil {
				t.Fatal(err)
			}
			fresh, err := modelstest.Reopen(t, db).Summary(ctx, 2019, "")
			if err != nil {
				t.Fatal(err)
			}
			theirs, err := other.Summary(ctx, 2019, "")
			if err != nil {
				t.Fatal(err)
			}
			want, _ := json.Marshal(fresh)
			for who, s := range map[string]*models.Summary{"this instance": sum, "the other instance": theirs} {
				if got, _ := json.Marshal(s); !bytes.Equal(got, want) {
					t.Fatalf("%s: %s's summary differs from one read afresh:\n%s\n%s", step, who, got, want)
				}
			}
			for _, r := range sum.Regions {
				v, c := recomputed(t, db, r.Code)
				if fmt.Sprint(v) != fmt.Sprint(r.ActionPlan.Percent) || fmt.Sprint(c) != fmt.Sprint(r.ActionPlan.ClaimedPercent) {
					t.Fatalf("%s: %s stands at %v/%v, recomputed %v/%v", step, r.Code, r.ActionPlan.Percent, r.ActionPlan.ClaimedPercent, v, c)
				}
			}
		}
		check("start")
		for step := 0; step < 40; step++ {
			region := f.regions[rng.IntN(len(f.regions))]
			ref := models.ItemRef{Year: 2019, RegionCode: region, IndicatorCode: f.indicators[rng.IntN(len(f.indicators))]}
			p := models.Fixed(rng.IntN(10001))
			writer := []*models.DB{db, other}[rng.IntN(2)]
			if _, err := writer.ClaimItem(ctx, f.coordinator, ref, models.Claim{Progress: &p}); err != nil {
				t.Fatal(err)
			}
			if rng.IntN(2) == 0 {
				ev := f.upload(t, f.coordinator, ref, fmt.Sprintf("bukti-%d", step))
				v := models.Fixed(rng.IntN(int(p) + 1))
				if _, err := []*models.DB{db, other}[rng.IntN(2)].ReviewItem(ctx, f.rv, ref, models.ReviewInput{Decision: models.DecisionApprove, VerifiedProgress: &v,
					AcceptEvidence: []int64{ev.ID}}); err != nil {
					t.Fatal(err)
				}
			}
			switch step {
			case 10:
				w := models.FixedFromInt(7)
				if _, err := db.UpdateIndicator(ctx, 2019, "A.1", models.IndicatorPatch{Weight: &w}); err != nil {
					t.Fatal(err)
				}
			case 20:
				area := "A"
				if _, err := db.UpdateIndicator(ctx, 2019, "B.3", models.IndicatorPatch{Area: &area}); err != nil {
					t.Fatal(err)
				}
			case 25:
				w := models.FixedFromInt(2)
				if _, err := db.UpdateArea(ctx, 2019, "B", models.AreaPatch{Weight: &w}); err != nil {
					t.Fatal(err)
				}
			case 30:
				if _, err := db.CreateRegion(ctx, models.RegionInput{Code: "62.01", Name: "Pemda baru", Kind: models.KindRegency}, false); err != nil {
					t.Fatal(err)
				}
				f.regions = append(f.regions, "62.01")
			case 35:
				w := models.FixedFromInt(1)
				if _, err := db.CreateIndicator(ctx, 2019, models.IndicatorInput{Code: "B.4", Area: "B", Title: "Baru", Weight: &w}); err != nil {
					t.Fatal(err)
				}
			}
			check(fmt.Sprintf("step %d", step))
		}
	})
}

// TestConcurrentWritesToOneItem: many uploads and claims on one item at once, none naming a
// version, all succeed — only a stale version the caller sent is a conflict — and the region's
// standing counts every one of them.
func TestConcurrentWritesToOneItem(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		f := newCatalogueFixture(t, db)
		ref := models.ItemRef{Year: 2019, RegionCode: "62.08", IndicatorCode: "A.1"}
		const n = 50
		var wg sync.WaitGroup
		errs := make(chan error, 2*n)
		for i := 0; i < n; i++ {
			wg.Add(2)
			go func() {
				defer wg.Done()
				blob, err := f.blobs.Put(bytes.NewReader([]byte(fmt.Sprintf("%%PDF-1.4\n%% %d\n%%%%EOF\n", i))))
				if err == nil {
					_, err = db.AddEvidence(ctx, f.operator, ref, models.EvidenceUpload{Blob: blob, Filename: "b.pdf"})
				}
				errs <- err
			}()
			go func() {
				defer wg.Done()
				p := models.FixedFromInt(int64(i))
				_, err := db.ClaimItem(ctx, f.operator, ref, models.Claim{Progress: &p})
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatalf("a concurrent write failed: %v", err)
			}
		}
		it, err := db.Item(ctx, ref)
		if err != nil {
			t.Fatal(err)
		}
		if len(it.Evidence) != n || it.Version != 2*n {
			t.Fatalf("%d documents, version %d; want %d and %d", len(it.Evidence), it.Version, n, 2*n)
		}
		stale := it.Version - 1
		p := models.FixedFromInt(1)
		if _, err := db.ClaimItem(ctx, f.operator, ref, models.Claim{Progress: &p, Version: &stale}); !errors.Is(err, models.ErrConflict) {
			t.Fatalf("stale version: %v, want ErrConflict", err)
		}
		v, c := recomputed(t, db, "62.08")
		sum, err := db.Summary(ctx, 2019, "")
		if err != nil {
			t.Fatal(err)
		}
		if got := sum.Regions[1]; fmt.Sprint(got.ActionPlan.Percent, got.ActionPlan.ClaimedPercent) != fmt.Sprint(v, c) {
			t.Fatalf("standing %v/%v, recomputed %v/%v", got.ActionPlan.Percent, got.ActionPlan.ClaimedPercent, v, c)
		}
	})
}

// TestApprovalNeverAcceptsSilently: an admin who uploads a document to an item an operator
// claimed cannot get it accepted through the item's approval — neither silently nor by naming
// it — and the item is approved only once someone else has accepted the document.
func TestApprovalNeverAcceptsSilently(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		f := newCatalogueFixture(t, db)
		ref := models.ItemRef{Year: 2019, RegionCode: "62.08", IndicatorCode: "A.1"}
		p := models.FixedFromInt(80)
		if _, err := db.ClaimItem(ctx, f.operator, ref, models.Claim{Progress: &p}); err != nil {
			t.Fatal(err)
		}
		own := f.upload(t, f.admin, ref, "unggahan-admin")
		var verr *models.ValidationError
		if _, err := db.ReviewItem(ctx, f.admin, ref, models.ReviewInput{Decision: models.DecisionApprove}); !errors.As(err, &verr) || verr.Fields["evidence"] != "evidence_unreviewed" {
			t.Fatalf("approval over a waiting document: %v", err)
		}
		var forbidden *models.ForbiddenError
		_, err := db.ReviewItem(ctx, f.admin, ref, models.ReviewInput{Decision: models.DecisionApprove, AcceptEvidence: []int64{own.ID}})
		if !errors.As(err, &forbidden) || forbidden.Reason != "own_evidence" {
			t.Fatalf("accepting one's own upload with the approval: %v", err)
		}
		it, err := db.Item(ctx, ref)
		if err != nil {
			t.Fatal(err)
		}
		if it.Status != models.StatusSubmitted || it.Evidence[0].Status != models.EvidenceWaiting || it.VerifiedProgress != 0 {
			t.Fatalf("after the refusals: %+v", it)
		}
		if _, err := db.ReviewEvidence(ctx, f.rv, own.ID, models.EvidenceReview{Status: models.EvidenceAccepted}); err != nil {
			t.Fatal(err)
		}
		if it, err = db.ReviewItem(ctx, f.admin, ref, models.ReviewInput{Decision: models.DecisionApprove}); err != nil || it.Status != models.StatusApproved {
			t.Fatalf("approval after the reviewer accepted the document: %v %+v", err, it)
		}
	})
}
