package api

import (
	"testing"

	"github.com/pantau-id/pantau/models"
)

// TestSummaryAreasRanksAndProvinces: the summary gives each region its per-area figures, a
// rank shared by equal percentages and the change against the previous year; the top level
// gives the average and each area's counts; ?province= lists one province, and a summary over
// two provinces compares them.
func TestSummaryAreasRanksAndProvinces(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		// 2018 for the change column: Seruyan at 25 (I2 claimed 100 and verified, weight 3 of 4 → 75; I1 0).
		e.mustOK(e.call("POST", "/api/v1/periods", "coordinator", map[string]any{"year": 2018}))
		e.mustOK(e.call("POST", "/api/v1/periods/2018/areas", "coordinator", map[string]any{"code": "PTSP", "name": "PTSP"}))
		e.mustOK(e.call("POST", "/api/v1/periods/2018/indicators", "coordinator", map[string]any{"code": "I1", "area": "PTSP", "title": "Satu"}))
		approve := func(year, region, indicator string, progress int) {
			t.Helper()
			item := "/api/v1/periods/" + year + "/regions/" + region + "/items/" + indicator
			var ev struct{ ID int64 }
			e.mustOK(e.upload(item+"/evidence", "coordinator", "bukti.pdf", samplePDF(t, region+indicator))).decode(t, &ev)
			e.mustOK(e.call("PATCH", item, "coordinator", map[string]any{"progress": progress}))
			e.mustOK(e.call("POST", item+"/reviews", "reviewer", map[string]any{"decision": "approve", "accept_evidence": []int64{ev.ID}}))
		}
		approve("2018", "62.08", "I1", 25)
		approve("2019", "62.08", "I2", 80) // (1·0 + 3·80)/4 = 60
		approve("2019", "62.71", "I2", 80) // 60 as well: a shared rank
		approve("2019", "62", "I1", 100)   // 25
		e.mustOK(e.call("POST", "/api/v1/periods/2019/areas", "coordinator", map[string]any{"code": "EMPTY", "name": "Tanpa indikator"}))

		var s models.Summary
		e.mustOK(e.call("GET", "/api/v1/periods/2019/summary", "signatory", nil)).decode(t, &s)
		byCode := map[string]models.RegionSummary{}
		for _, r := range s.Regions {
			byCode[r.Code] = r
		}
		seruyan, kota, prov := byCode["62.08"], byCode["62.71"], byCode["62"]
		if *seruyan.Rank != 1 || *kota.Rank != 1 || *prov.Rank != 3 {
			t.Fatalf("ranks: %v %v %v", *seruyan.Rank, *kota.Rank, *prov.Rank)
		}
		if seruyan.Change == nil || seruyan.Change.String() != "35" || kota.Change == nil || kota.Change.String() != "60" {
			t.Fatalf("change against 2018: %v %v", seruyan.Change, kota.Change)
		}
		if len(seruyan.Areas) != 2 || seruyan.Areas[0].Code != "PTSP" || seruyan.Areas[0].Percent.String() != "60" ||
			seruyan.Areas[0].ClaimedPercent.String() != "60" || seruyan.Areas[0].Zone != models.ZoneYellow ||
			seruyan.Areas[1].Percent != nil || seruyan.Areas[1].Zone != models.ZoneNoData {
			t.Fatalf("Seruyan's areas: %+v", seruyan.Areas)
		}
		// (60 + 60 + 25)/3 = 48.33
		if s.Average == nil || s.Average.String() != "48.33" {
			t.Fatalf("average: %v", s.Average)
		}
		if len(s.Areas) != 2 || s.Areas[0].Counts[models.ZoneYellow] != 2 || s.Areas[0].Counts[models.ZoneRed] != 1 || s.Areas[0].Average.String() != "48.33" {
			t.Fatalf("areas: %+v", s.Areas)
		}
		if len(s.Provinces) != 0 {
			t.Fatalf("one province needs no comparison: %+v", s.Provinces)
		}

		// A second province: the summary compares them, and ?province= keeps one apart.
		e.mustOK(e.call("POST", "/api/v1/regions", "coordinator", map[string]any{"code": "63", "name": "Provinsi Kalimantan Selatan", "kind": "province"}))
		approve("2019", "63", "I2", 100) // 75
		e.mustOK(e.call("GET", "/api/v1/periods/2019/summary", "reviewer", nil)).decode(t, &s)
		if len(s.Provinces) != 2 || s.Provinces[0].Code != "62" || s.Provinces[0].Average.String() != "48.33" || *s.Provinces[0].Rank != 2 ||
			s.Provinces[1].Name != "Provinsi Kalimantan Selatan" || *s.Provinces[1].Rank != 1 {
			t.Fatalf("provinces: %+v", s.Provinces)
		}
		var only models.Summary
		e.mustOK(e.call("GET", "/api/v1/periods/2019/summary?province=63", "reviewer", nil)).decode(t, &only)
		if only.Province != "63" || len(only.Regions) != 1 || only.Regions[0].Code != "63" || *only.Regions[0].Rank != 1 ||
			only.Counts[models.MetricActionPlan][models.ZoneGreen] != 1 || len(only.Provinces) != 0 {
			t.Fatalf("province 63 alone: %+v", only)
		}
		e.expect(e.call("GET", "/api/v1/periods/2019/summary?province=6", "reviewer", nil), 422, "validation_failed")
		e.expect(e.call("GET", "/api/v1/periods/2019/summary?province=62", asAnonymous, nil), 401, "unauthenticated")
	})
}

// TestLabels: the label table is public and names every zone the summary uses, in both languages.
func TestLabels(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		var table map[string]map[string]map[string]string
		e.mustOK(e.call("GET", "/api/v1/labels", asAnonymous, nil)).decode(t, &table)
		for _, z := range []models.Zone{models.ZoneComplete, models.ZoneGreen, models.ZoneLightGreen, models.ZoneBlue, models.ZoneYellow, models.ZoneRed, models.ZoneNoData} {
			if table["id"]["zone"][string(z)] == "" || table["en"]["zone"][string(z)] == "" || table["id"]["zone"][string(z)] == string(z) {
				t.Errorf("zone %s: %q / %q", z, table["id"]["zone"][string(z)], table["en"]["zone"][string(z)])
			}
		}
		if table["id"]["item_status"][string(models.StatusApproved)] != "Disetujui" || table["en"]["evidence_status"][string(models.EvidenceAccepted)] != "Accepted" {
			t.Errorf("statuses: %v %v", table["id"]["item_status"], table["en"]["evidence_status"])
		}
	})
}
