package models_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/modelstest"
)

// wib is the offices' time zone, in which a deadline day ends.
var wib = time.FixedZone("WIB", 7*60*60)

// TestDeadlineExtensionCloseReopen walks a year's lifecycle on both databases: entries until
// the end of the deadline day (WIB), refused after it unless the region has an extension,
// extensions only from those who write for the region, closing only by a national manager,
// nothing changing in a closed year, and reopening only by an admin with a reason.
func TestDeadlineExtensionCloseReopen(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		f := newCatalogueFixture(t, db)
		kaltara := "65"
		if _, err := db.CreateRegion(ctx, models.RegionInput{Code: "65", Name: "Provinsi Kalimantan Utara", Kind: models.KindProvince}, false); err != nil {
			t.Fatal(err)
		}
		provincial, err := db.CreateUser(ctx, models.UserInput{Email: "koordinator.kaltara@uji.id", Name: "Koordinator Kaltara", Role: models.RoleCoordinator,
			Password: "kata-sandi-uji-123", Province: &kaltara}, false)
		if err != nil {
			t.Fatal(err)
		}
		var now time.Time
		db.Now = func() time.Time { return now.UTC() }
		deadline := "2019-11-30"
		if _, err := db.UpdatePeriod(ctx, 2019, models.PeriodPatch{Deadline: &deadline}); err != nil {
			t.Fatal(err)
		}
		claim := func(region string, v int64) error {
			p := models.FixedFromInt(v)
			_, err := db.ClaimItem(ctx, f.coordinator, models.ItemRef{Year: 2019, RegionCode: region, IndicatorCode: "A.1"}, models.Claim{Progress: &p})
			return err
		}

		now = time.Date(2019, 11, 30, 23, 59, 0, 0, wib)
		if err := claim("62.08", 40); err != nil {
			t.Fatalf("a claim on the deadline day's last minute: %v", err)
		}
		now = time.Date(2019, 12, 1, 0, 1, 0, 0, wib)
		if err := claim("62.08", 50); !errors.Is(err, models.ErrDeadlinePassed) {
			t.Fatalf("a claim after the deadline: %v, want ErrDeadlinePassed", err)
		}
		ext := models.ExtensionInput{Until: "2019-12-07", Reason: "Banjir di Seruyan"}
		if _, err := db.SetExtension(ctx, f.operator, 2019, "62.08", ext); !isForbidden(err) {
			t.Fatalf("an operator grants an extension: %v", err)
		}
		if _, err := db.SetExtension(ctx, provincial, 2019, "62.08", ext); !isForbidden(err) {
			t.Fatalf("another province's coordinator grants an extension: %v", err)
		}
		if _, err := db.SetExtension(ctx, f.coordinator, 2019, "62.08", models.ExtensionInput{Until: "7 Desember", Reason: "x"}); !isInvalid(err, "until") {
			t.Fatalf("an extension without a date: %v", err)
		}
		if _, err := db.SetExtension(ctx, f.coordinator, 2019, "62.08", ext); err != nil {
			t.Fatal(err)
		}
		if err := claim("62.08", 50); err != nil {
			t.Fatalf("a claim within the extension: %v", err)
		}
		if err := claim("62.71", 50); !errors.Is(err, models.ErrDeadlinePassed) {
			t.Fatalf("a region without an extension: %v, want ErrDeadlinePassed", err)
		}
		now = time.Date(2019, 12, 8, 0, 1, 0, 0, wib)
		if err := claim("62.08", 60); !errors.Is(err, models.ErrDeadlinePassed) {
			t.Fatalf("a claim after the extension: %v, want ErrDeadlinePassed", err)
		}
		if exts, err := db.Extensions(ctx, 2019); err != nil || len(exts) != 1 || exts[0].RegionCode != "62.08" || exts[0].Until != "2019-12-07" {
			t.Fatalf("extensions: %+v %v", exts, err)
		}

		if _, err := db.ClosePeriod(ctx, provincial, 2019); !isForbidden(err) {
			t.Fatalf("a provincial coordinator closes the year: %v", err)
		}
		if _, err := db.ClosePeriod(ctx, f.coordinator, 2019); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ClosePeriod(ctx, f.coordinator, 2019); !errors.Is(err, models.ErrPeriodClosed) {
			t.Fatalf("closing twice: %v", err)
		}
		s, err := db.Summary(ctx, 2019, "")
		if err != nil || !s.Final || !s.AsOf.Equal(now.UTC()) {
			t.Fatalf("a closed year's summary: final %v as of %v, %v", s != nil && s.Final, s, err)
		}
		before := dbRows(t, db)
		w := models.FixedFromInt(1)
		for what, err := range map[string]error{
			"claim":     claim("62.08", 70),
			"extension": second(db.SetExtension(ctx, f.coordinator, 2019, "62.71", ext)),
			"area":      second(db.CreateArea(ctx, 2019, models.AreaInput{Code: "C", Name: "Aset", Weight: &w})),
			"indicator": second(db.CreateIndicator(ctx, 2019, models.IndicatorInput{Code: "A.9", Area: "A", Title: "Baru", Weight: &w})),
			"delegation": second(db.SetDelegation(ctx, f.coordinator, 2019, "62.08", models.DelegationInput{Total: ptr(int64(10)), Delegated: ptr(int64(5)),
				LegalBasis: "Perbup"})),
			"deadline": second(db.UpdatePeriod(ctx, 2019, models.PeriodPatch{Deadline: &deadline})),
		} {
			if !errors.Is(err, models.ErrPeriodClosed) {
				t.Errorf("%s in a closed year: %v, want ErrPeriodClosed", what, err)
			}
		}
		if after := dbRows(t, db); after != before {
			t.Errorf("refused writes changed the database: %d rows → %d", before, after)
		}

		if _, err := db.ReopenPeriod(ctx, f.coordinator, 2019, models.ReopenInput{Reason: "Koreksi"}); !isForbidden(err) {
			t.Fatalf("a coordinator reopens: %v", err)
		}
		if _, err := db.ReopenPeriod(ctx, f.admin, 2019, models.ReopenInput{}); !isInvalid(err, "reason") {
			t.Fatalf("reopening without a reason: %v", err)
		}
		if _, err := db.ReopenPeriod(ctx, f.admin, 2019, models.ReopenInput{Reason: "Koreksi data Seruyan"}); err != nil {
			t.Fatal(err)
		}
		deadline = "2019-12-31"
		if _, err := db.UpdatePeriod(ctx, 2019, models.PeriodPatch{Deadline: &deadline}); err != nil {
			t.Fatal(err)
		}
		if err := claim("62.71", 70); err != nil {
			t.Fatalf("a claim after reopening with a later deadline: %v", err)
		}
		events, err := db.AuditEvents(ctx, models.AuditFilter{Entity: "period"})
		if err != nil {
			t.Fatal(err)
		}
		actions := map[string]bool{}
		for _, e := range events {
			actions[e.Action] = true
		}
		if !actions["close"] || !actions["reopen"] {
			t.Errorf("audit lacks the close or the reopen: %v", actions)
		}
	})
}

func second[T any](_ T, err error) error { return err }

func ptr[T any](v T) *T { return &v }

func isForbidden(err error) bool {
	var fe *models.ForbiddenError
	return errors.As(err, &fe)
}

func isInvalid(err error, field string) bool {
	var ve *models.ValidationError
	return errors.As(err, &ve) && ve.Fields[field] != ""
}

// dbRows counts the rows of the tables a year's writes touch.
func dbRows(t *testing.T, db *models.DB) int64 {
	t.Helper()
	var total int64
	for _, table := range []string{"items", "areas", "indicators", "extensions", "delegations", "evidence", "reviews"} {
		var n int64
		if err := modelstest.Raw(t, db).Table(table).Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		total += n
	}
	return total
}
