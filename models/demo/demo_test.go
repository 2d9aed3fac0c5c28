package demo_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/demo"
	"github.com/pantau-id/pantau/models/modelstest"
)

// TestDemoTellsThePublishedFigures seeds the demo on both databases and checks every figure
// that was published, one assertion each, and that each year's records are dated inside it.
func TestDemoTellsThePublishedFigures(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		blobs := &models.BlobStore{Dir: t.TempDir(), MaxSize: 1 << 20}
		start := time.Now()
		if _, err := demo.Seed(ctx, db, blobs, "kata-sandi-demo"); err != nil {
			t.Fatal(err)
		}
		t.Logf("seeded in %s", time.Since(start).Round(time.Millisecond))
		if _, err := demo.Seed(ctx, db, blobs, ""); err != demo.ErrNotEmpty {
			t.Fatalf("second seed: %v, want ErrNotEmpty", err)
		}

		s := summary(t, db, 2019, "62")
		overall := map[string]string{"62.09": "87", "62.71": "83", "62.02": "79", "62.07": "77", "62.10": "76",
			"62.01": "74", "62.12": "72", "62.08": "62", "62": "91"}
		for code, want := range overall {
			if got := regionOf(t, s, code).ActionPlan.Percent; got == nil || got.String() != want {
				t.Errorf("2019 %s overall = %v, want the published %s", code, got, want)
			}
		}
		if s.Average == nil || s.Average.String() != "69" {
			t.Errorf("2019 average = %v, want the published 69", s.Average)
		}
		ptsp := areaOf(t, s, "PTSP")
		if got := ptsp.Counts[models.ZoneComplete]; got != 1 {
			t.Errorf("2019 PTSP at 100%% = %d, want 1", got)
		}
		if got := regionArea(t, regionOf(t, s, "62.08"), "PTSP").Percent; got == nil || *got != models.Hundred {
			t.Errorf("2019 Seruyan's PTSP = %v, want 100", got)
		}
		if got := ptsp.Counts[models.ZoneGreen]; got != 10 {
			t.Errorf("2019 PTSP green = %d, want 10", got)
		}
		if got := ptsp.Counts[models.ZoneYellow]; got != 4 {
			t.Errorf("2019 PTSP yellow = %d, want 4", got)
		}
		if got := regionOf(t, s, "62").Delegation.Percent; got == nil || *got != models.Hundred {
			t.Errorf("2019 province delegation = %v, want 100", got)
		}
		deleg := map[models.Zone]int{}
		for _, r := range s.Regions {
			if r.Kind != models.KindProvince {
				deleg[r.Delegation.Zone]++
			}
		}
		for zone, want := range map[models.Zone]int{models.ZoneComplete: 7, models.ZoneGreen: 4, models.ZoneLightGreen: 1, models.ZoneYellow: 1, models.ZoneRed: 1} {
			if deleg[zone] != want {
				t.Errorf("2019 regencies and cities with delegation %s = %d, want %d", zone, deleg[zone], want)
			}
		}
		for _, phrase := range []string{"satu Pemda telah mencapai 100% (Kabupaten Seruyan)", "sepuluh Pemda berada di zona hijau", "empat Pemda berada di zona kuning"} {
			if !strings.Contains(ptsp.Narrative, phrase) {
				t.Errorf("the PTSP narrative lacks %q:\n%s", phrase, ptsp.Narrative)
			}
		}
		if !strings.Contains(s.Narrative, "Rata-rata capaian lima belas Pemda adalah 69%") {
			t.Errorf("the narrative lacks the average:\n%s", s.Narrative)
		}
		if !s.Final {
			t.Error("2019 is not final")
		}

		s20 := summary(t, db, 2020, "62")
		if got := regionOf(t, s20, "62").ActionPlan.Percent; got == nil || got.String() != "82.78" {
			t.Errorf("2020 province = %v, want the published 82.78", got)
		}
		if s20.Average == nil || s20.Average.String() != "64" {
			t.Errorf("2020 average = %v, want the published 64", s20.Average)
		}
		if s20.Final {
			t.Error("2020 is final; it should be open")
		}

		national := summary(t, db, 2019, "")
		if len(national.Provinces) != 2 {
			t.Errorf("national view: %d provinces, want 2", len(national.Provinces))
		}
		if trend, err := db.Trend(ctx, "62.08"); err != nil || len(trend) != 3 {
			t.Errorf("Seruyan's trend: %v %v, want three years", trend, err)
		}
		// Every Pemda's regulation is on file each year; Seruyan's 2020 page has the official
		// copy, the annex carried from 2019 and the scan it replaced.
		for _, year := range demo.Years {
			docs, err := db.DocumentLists(ctx, year, models.RegionFilter{})
			if err != nil {
				t.Fatal(err)
			}
			current := map[string]bool{}
			for _, d := range docs {
				if d.Kind == models.DocumentRegulation && !d.Superseded {
					current[d.RegionCode] = true
				}
			}
			if len(current) != len(demo.Regions) {
				t.Errorf("%d: %d Pemda have a current regulation on file, want all %d", year, len(current), len(demo.Regions))
			}
		}
		seruyan, err := db.DelegationDocuments(ctx, 2020, "62.08")
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, d := range seruyan {
			names = append(names, fmt.Sprintf("%s %s superseded=%v", d.Kind, d.Filename, d.Superseded))
		}
		want := []string{"regulation peraturan-bupati-seruyan-nomor-16-tahun-2017-salinan-resmi.pdf superseded=false",
			"annex lampiran-peraturan-bupati-seruyan-nomor-16-tahun-2017.pdf superseded=false",
			"regulation peraturan-bupati-seruyan-nomor-16-tahun-2017.pdf superseded=true"}
		if strings.Join(names, "\n") != strings.Join(want, "\n") {
			t.Errorf("Seruyan's 2020 delegation documents:\n%s\nwant\n%s", strings.Join(names, "\n"), strings.Join(want, "\n"))
		}

		for _, year := range demo.Years {
			var outside int64
			raw := modelstest.Raw(t, db)
			lo, hi := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(year+1, 3, 1, 0, 0, 0, 0, time.UTC)
			if err := raw.Table("reviews").Joins("JOIN items ON items.id = reviews.item_id").Joins("JOIN periods ON periods.id = items.period_id").
				Where("periods.year = ? AND (reviews.created_at < ? OR reviews.created_at >= ?)", year, lo, hi).Count(&outside).Error; err != nil {
				t.Fatal(err)
			}
			if outside != 0 {
				t.Errorf("%d: %d reviews dated outside the year", year, outside)
			}
		}
	})
}

func summary(t *testing.T, db *models.DB, year int, province string) *models.Summary {
	t.Helper()
	s, err := db.Summary(context.Background(), year, province)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func regionOf(t *testing.T, s *models.Summary, code string) models.RegionSummary {
	t.Helper()
	for _, r := range s.Regions {
		if r.Code == code {
			return r
		}
	}
	t.Fatalf("%d: no region %s", s.Year, code)
	return models.RegionSummary{}
}

func areaOf(t *testing.T, s *models.Summary, code string) models.AreaSummary {
	t.Helper()
	for _, a := range s.Areas {
		if a.Code == code {
			return a
		}
	}
	t.Fatalf("%d: no area %s", s.Year, code)
	return models.AreaSummary{}
}

func regionArea(t *testing.T, r models.RegionSummary, code string) models.RegionArea {
	t.Helper()
	for _, a := range r.Areas {
		if a.Code == code {
			return a
		}
	}
	t.Fatalf("%s: no area %s", r.Code, code)
	return models.RegionArea{}
}
