package models_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/modelstest"
)

func fixed(s string) *models.Fixed {
	f, err := models.ParseFixed(s)
	if err != nil {
		panic(err)
	}
	return &f
}

func text(s string) *string { return &s }

// importCatalogueFixture makes a 2019 period with one area and a parent indicator with a sub-indicator.
func importCatalogueFixture(t *testing.T, db *models.DB) {
	t.Helper()
	ctx := context.Background()
	if _, err := db.CreatePeriod(ctx, models.PeriodInput{Year: 2019}, false); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateArea(ctx, 2019, models.AreaInput{Code: "PTSP", Name: "PTSP"}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateArea(ctx, 2019, models.AreaInput{Code: "PBJ", Name: "Pengadaan"}); err != nil {
		t.Fatal(err)
	}
	for _, in := range []models.IndicatorInput{{Code: "A", Area: "PTSP", Title: "Induk"}, {Code: "A.1", Parent: "A", Title: "Sub"}} {
		if _, err := db.CreateIndicator(ctx, 2019, in); err != nil {
			t.Fatal(err)
		}
	}
}

// TestImportCatalogueTree: sub-indicators may come before their parent in the file; moving a
// parent to another area takes its sub-indicators along; an area may be named without
// indicators; blank cells keep what is there.
func TestImportCatalogueTree(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		importCatalogueFixture(t, db)
		lines := []models.CatalogueLine{
			{RowSource: models.RowSource{Row: 2}, IndicatorCode: "B.1", Parent: "B", Title: "Sub sebelum induknya", Weight: fixed("2")},
			{RowSource: models.RowSource{Row: 3}, AreaCode: "PBJ", IndicatorCode: "B", Title: "Induk baru", AppliesTo: []models.RegionKind{models.KindCity}},
			{RowSource: models.RowSource{Row: 4}, AreaCode: "PBJ", IndicatorCode: "A"},
			{RowSource: models.RowSource{Row: 5}, AreaCode: "APIP", AreaName: "Kapabilitas APIP", AreaWeight: fixed("0.5")},
			{RowSource: models.RowSource{Row: 6}, IndicatorCode: "A.1", Requirement: text("SK")},
		}
		dry, err := db.ImportCatalogue(ctx, 2019, lines, false)
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, r := range dry.Rows {
			actions = append(actions, string(r.Action))
			if len(r.Errors) > 0 {
				t.Errorf("row %d: %+v", r.Row, r.Errors)
			}
		}
		if !slices.Equal(actions, []string{"create", "create", "update", "create", "update"}) {
			t.Fatalf("plan %q", actions)
		}
		if _, err := db.ImportCatalogue(ctx, 2019, lines, true); err != nil {
			t.Fatal(err)
		}
		tree, err := db.Catalogue(ctx, 2019)
		if err != nil {
			t.Fatal(err)
		}
		if len(tree) != 3 || tree[2].Code != "APIP" || tree[2].Weight.String() != "0.5" || len(tree[0].Indicators) != 0 {
			t.Fatalf("areas after the import: %+v", tree)
		}
		pbj := tree[1].Indicators
		if len(pbj) != 2 || pbj[0].Code != "A" || pbj[0].Children[0].Requirement != "SK" || pbj[0].Children[0].Title != "Sub" ||
			pbj[1].Code != "B" || pbj[1].Children[0].Code != "B.1" || pbj[1].Children[0].Weight.String() != "2" ||
			!slices.Equal(pbj[1].AppliesTo, models.KindSet{models.KindCity}) {
			t.Errorf("PBJ after the import: %+v", pbj)
		}
		// The same lines again change nothing.
		again, err := db.ImportCatalogue(ctx, 2019, lines, false)
		if err != nil || again.Totals.Unchanged != 5 {
			t.Errorf("again: %+v %v", again, err)
		}
	})
}

// TestImportCatalogueRefusesConsistently: a sub-indicator cannot move areas on its own or under
// a sub-indicator, an unknown parent is refused, and a refused apply changes nothing.
func TestImportCatalogueRefusesConsistently(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		importCatalogueFixture(t, db)
		lines := []models.CatalogueLine{
			{RowSource: models.RowSource{Row: 2}, AreaCode: "PBJ", IndicatorCode: "A.1"},
			{RowSource: models.RowSource{Row: 3}, AreaCode: "PTSP", IndicatorCode: "A.1.x", Parent: "A.1", Title: "Cucu"},
			{RowSource: models.RowSource{Row: 4}, AreaCode: "PTSP", IndicatorCode: "Z.1", Parent: "Z", Title: "Yatim"},
			{RowSource: models.RowSource{Row: 5}, AreaCode: "PTSP", IndicatorCode: "C", Title: "Baik"},
		}
		res, err := db.ImportCatalogue(ctx, 2019, lines, true)
		if !errors.Is(err, models.ErrImportRefused) || res.Applied {
			t.Fatalf("apply: %+v %v", res, err)
		}
		want := []string{"area_code:parent_area", "parent:parent_is_sub_indicator", "parent:unknown_indicator", ""}
		for i, r := range res.Rows {
			got := ""
			for _, p := range r.Errors {
				got = p.Field + ":" + p.Code
			}
			if got != want[i] {
				t.Errorf("row %d: %q, want %q", r.Row, got, want[i])
			}
		}
		inds, err := db.Indicators(ctx, 2019)
		if err != nil || len(inds) != 2 {
			t.Errorf("a refused import added indicators: %d %v", len(inds), err)
		}
	})
}
