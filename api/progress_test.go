package api

import (
	"testing"
	"time"
)

func TestRadarQueueAndDeadline(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		day := time.Date(2019, 11, 20, 3, 0, 0, 0, time.UTC) // 10:00 WIB
		e.db.Now = func() time.Time { return day }
		var p struct {
			Deadline *string
			Version  int64
		}
		e.expect(e.call("PATCH", "/api/v1/periods/2019", "coordinator", map[string]any{"deadline": "30 November"}), 422, "validation_failed")
		e.expect(e.call("PATCH", "/api/v1/periods/2019", "operator", map[string]any{"deadline": "2019-11-30"}), 403, "forbidden")
		e.mustOK(e.call("PATCH", "/api/v1/periods/2019", "coordinator", map[string]any{"deadline": "2019-11-30", "version": 1})).decode(t, &p)
		if p.Deadline == nil || *p.Deadline != "2019-11-30" || p.Version != 2 {
			t.Fatalf("period: %+v", p)
		}
		e.expect(e.call("PATCH", "/api/v1/periods/2019", "coordinator", map[string]any{"name": "x", "version": 1}), 409, "conflict")

		base := "/api/v1/periods/2019/regions/"
		e.mustOK(e.call("PATCH", base+"62.08/items/I1", "operator", map[string]any{"progress": 50}))
		day = day.Add(72 * time.Hour)
		e.mustOK(e.call("PATCH", base+"62.71/items/I1", asOperator2, map[string]any{"progress": 70}))
		e.mustOK(e.call("PATCH", base+"62.71/items/I2", asOperator2, map[string]any{"progress": 0}))
		e.mustOK(e.call("POST", base+"62.71/items/I2/reviews", "reviewer", map[string]any{"decision": "reject", "comment": "Belum ada bukti"}))

		var radar struct {
			DaysLeft *int `json:"days_left"`
			Totals   struct{ NotStarted, Waiting, Accepted, Rejected int }
			Regions  []struct {
				Code              string
				NotStarted        int `json:"not_started"`
				Waiting, Rejected int
				OldestWaitingDays *int `json:"oldest_waiting_days"`
				Areas             []struct {
					Code       string
					NotStarted int `json:"not_started"`
					Waiting    int
				}
			}
		}
		e.mustOK(e.call("GET", "/api/v1/periods/2019/progress", "coordinator", nil)).decode(t, &radar)
		if radar.DaysLeft == nil || *radar.DaysLeft != 7 {
			t.Fatalf("days left: %v", radar.DaysLeft)
		}
		seruyan, palangka := radar.Regions[1], radar.Regions[2]
		if seruyan.Code != "62.08" || seruyan.Waiting != 1 || seruyan.NotStarted != 1 || seruyan.OldestWaitingDays == nil || *seruyan.OldestWaitingDays != 3 {
			t.Fatalf("seruyan: %+v", seruyan)
		}
		if palangka.Waiting != 1 || palangka.Rejected != 1 || palangka.NotStarted != 0 || *palangka.OldestWaitingDays != 0 {
			t.Fatalf("palangka raya: %+v", palangka)
		}
		if len(seruyan.Areas) != 1 || seruyan.Areas[0].Code != "PTSP" || seruyan.Areas[0].NotStarted != 1 {
			t.Fatalf("areas: %+v", seruyan.Areas)
		}

		var queue []struct {
			RegionCode    string `json:"region_code"`
			IndicatorCode string `json:"indicator_code"`
			AgeDays       int    `json:"age_days"`
		}
		e.mustOK(e.call("GET", "/api/v1/periods/2019/review-queue", "reviewer", nil)).decode(t, &queue)
		if len(queue) != 2 || queue[0].RegionCode != "62.08" || queue[0].AgeDays != 3 || queue[1].RegionCode != "62.71" {
			t.Fatalf("queue, oldest first: %+v", queue)
		}
		e.expect(e.call("GET", "/api/v1/periods/2019/review-queue?limit=0", "reviewer", nil), 422, "validation_failed")
	})
}

func TestLetterhead(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		e.expect(e.call("PUT", "/api/v1/letterhead", "coordinator", map[string]any{"institution": "DPMPTSP"}), 403, "forbidden")
		e.expect(e.call("PUT", "/api/v1/letterhead", "admin", map[string]any{"institution": " "}), 422, "validation_failed")
		e.expect(e.call("PUT", "/api/v1/letterhead", "admin", map[string]any{"institution": "DPMPTSP", "logo": "R0lGODlh"}), 422, "validation_failed")
		png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
		e.mustOK(e.call("PUT", "/api/v1/letterhead", "admin", map[string]any{"government": "Pemerintah Provinsi Kalimantan Tengah",
			"institution": "Dinas Penanaman Modal dan PTSP", "address": "Jl. Tjilik Riwut Km. 5, Palangka Raya", "logo": png}))
		var lh struct {
			Institution string
			Logo        []byte
		}
		e.mustOK(e.call("GET", "/api/v1/letterhead", "signatory", nil)).decode(t, &lh)
		if lh.Institution != "Dinas Penanaman Modal dan PTSP" || string(lh.Logo) != string(png) {
			t.Fatalf("letterhead: %+v", lh)
		}
	})
}

func TestZoneChangesAreVersionedWithThePeriod(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		var p struct{ Version int64 }
		e.mustOK(e.call("GET", "/api/v1/periods/2019", "admin", nil)).decode(t, &p)
		e.mustOK(e.call("PUT", "/api/v1/periods/2019/zones/action_plan", "admin", map[string]any{"preset": "kpk", "version": p.Version}))
		e.expect(e.call("PUT", "/api/v1/periods/2019/zones/action_plan", "admin", map[string]any{"preset": "default", "version": p.Version}), 409, "conflict")
		e.expect(e.call("PATCH", "/api/v1/periods/2019", "coordinator", map[string]any{"name": "x", "version": p.Version}), 409, "conflict")
	})
}

func TestCatalogueChangesDuringTheYear(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		item := "/api/v1/periods/2019/regions/62.08/items/"
		var ev struct{ ID int64 }
		e.mustOK(e.upload(item+"I2/evidence", "operator", "bukti.pdf", samplePDF(t, "b"))).decode(t, &ev)
		e.mustOK(e.call("PATCH", item+"I2", "operator", map[string]any{"progress": 80}))
		e.mustOK(e.call("POST", item+"I2/reviews", "reviewer", map[string]any{"decision": "approve", "accept_evidence": []int64{ev.ID}}))
		if v, _, _ := e.summary("2019").region("62.08"); *v != 60 { // (1·0 + 3·80)/4
			t.Fatalf("before: %v", *v)
		}
		var ind struct {
			Area    string
			Weight  float64
			Version int64
		}
		e.expect(e.call("PATCH", "/api/v1/periods/2019/indicators/I2", "operator", map[string]any{"weight": 1}), 403, "forbidden")
		e.expect(e.call("PATCH", "/api/v1/periods/2019/indicators/I2", "coordinator", map[string]any{"weight": 0}), 422, "validation_failed")
		e.expect(e.call("PATCH", "/api/v1/periods/2019/indicators/I2", "coordinator", map[string]any{"area": "NOPE"}), 422, "validation_failed")
		e.expect(e.call("PATCH", "/api/v1/periods/2019/indicators/I9", "coordinator", map[string]any{"weight": 1}), 404, "not_found")
		e.mustOK(e.call("PATCH", "/api/v1/periods/2019/indicators/I2", "coordinator", map[string]any{"weight": 1, "version": 1})).decode(t, &ind)
		if ind.Weight != 1 || ind.Version != 2 || ind.Area != "PTSP" {
			t.Fatalf("indicator: %+v", ind)
		}
		e.expect(e.call("PATCH", "/api/v1/periods/2019/indicators/I2", "coordinator", map[string]any{"title": "x", "version": 1}), 409, "conflict")
		if v, _, _ := e.summary("2019").region("62.08"); *v != 40 { // (0 + 80)/2: the summary follows at once
			t.Fatalf("after re-weighting: %v", *v)
		}
		// A second area, and the indicator moves into it: now two equally weighted areas.
		e.mustOK(e.call("POST", "/api/v1/periods/2019/areas", "coordinator", map[string]any{"code": "PBJ", "name": "Pengadaan"}))
		e.mustOK(e.call("PATCH", "/api/v1/periods/2019/indicators/I2", "coordinator", map[string]any{"area": "PBJ"})).decode(t, &ind)
		if ind.Area != "PBJ" {
			t.Fatalf("moved: %+v", ind)
		}
		var area struct {
			Name    string
			Weight  float64
			Version int64
		}
		e.mustOK(e.call("PATCH", "/api/v1/periods/2019/areas/PBJ", "coordinator", map[string]any{"name": "Pengadaan Barang dan Jasa", "weight": 3})).decode(t, &area)
		if area.Name != "Pengadaan Barang dan Jasa" || area.Weight != 3 || area.Version != 2 {
			t.Fatalf("area: %+v", area)
		}
		e.expect(e.call("PATCH", "/api/v1/periods/2019/areas/PBJ", "coordinator", map[string]any{"name": " "}), 422, "validation_failed")
		if v, _, _ := e.summary("2019").region("62.08"); *v != 60 { // (1·0 + 3·80)/4 over areas
			t.Fatalf("after the area change: %v", *v)
		}
		var hist []struct{ Action string }
		e.mustOK(e.call("GET", "/api/v1/audit?entity=indicator&entity_key=2019/I2", "admin", nil)).decode(t, &struct{ Events *[]struct{ Action string } }{&hist})
		if len(hist) != 3 || hist[1].Action != "update" {
			t.Fatalf("indicator audit: %+v", hist)
		}
	})
}
