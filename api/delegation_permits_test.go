package api

import (
	"slices"
	"testing"

	"github.com/pantau-id/pantau/models"
)

type delegationJSON struct {
	Total      *int64
	Delegated  *int64
	Percent    *float64
	Zone       string
	LegalBasis string `json:"legal_basis"`
	FromList   bool   `json:"from_list"`
	Permits    []models.DelegationPermit
	Version    int64
}

func TestDelegationPermitList(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		path := "/api/v1/periods/2019/regions/62.08/delegation"
		basis := "Peraturan Bupati Seruyan Nomor 16 Tahun 2017"
		permits := []map[string]any{
			{"name": "Izin Mendirikan Bangunan", "delegated": true, "regulation": "Lampiran I angka 1"},
			{"name": "Izin Usaha Perdagangan", "delegated": true, "regulation": "Lampiran I angka 2"},
			{"name": "Izin Lokasi", "delegated": true, "regulation": "Lampiran I angka 3"},
			{"name": "Izin Trayek", "delegated": false},
		}
		var d delegationJSON
		e.mustOK(e.call("PUT", path+"/permits", models.RoleOperator, map[string]any{"permits": permits, "legal_basis": basis, "version": 0})).decode(t, &d)
		if !d.FromList || *d.Total != 4 || *d.Delegated != 3 || *d.Percent != 75 || d.Zone != "green" || len(d.Permits) != 4 ||
			d.Permits[3].Name != "Izin Trayek" || d.Permits[3].Delegated || d.Permits[0].Regulation != "Lampiran I angka 1" || d.LegalBasis != basis {
			t.Fatalf("from the list: %+v", d)
		}
		var got delegationJSON
		e.mustOK(e.call("GET", path, models.RoleReviewer, nil)).decode(t, &got)
		if got.Version != d.Version || len(got.Permits) != 4 || !got.FromList {
			t.Fatalf("read back: %+v", got)
		}
		for _, r := range e.summary("2019").Regions {
			if r.Code == "62.08" && (r.Delegation.Percent == nil || *r.Delegation.Percent != 75 || r.Delegation.Zone != "green") {
				t.Fatalf("summary follows the list: %+v", r.Delegation)
			}
		}

		// The delegation export lists each region's permits on a sheet of its own.
		listed := sheetRows(t, openXLSX(t, e.mustOK(e.call("GET", "/api/v1/periods/2019/export/delegation.xlsx", models.RoleSignatory, nil)).Body), "Daftar izin")
		if len(listed) != 5 || !slices.Equal(listed[4], []string{"62.08", "Kabupaten Seruyan", "4", "Izin Trayek", "Belum"}) ||
			!slices.Equal(listed[1][3:], []string{"Izin Mendirikan Bangunan", "Ya", "Lampiran I angka 1"}) {
			t.Fatalf("permits sheet: %q", listed)
		}

		// Refused, each changing nothing: counts by hand while the list holds, a nameless or twice-named
		// permit (named by its place in the list), no legal basis, a stale version, outside one's region.
		before := e.counts()
		r := e.call("PUT", path, models.RoleCoordinator, map[string]any{"total": 10, "delegated": 10, "legal_basis": basis, "version": d.Version})
		e.expect(r, 422, "validation_failed")
		wantField(t, r, "total")
		r = e.call("PUT", path+"/permits", models.RoleOperator, map[string]any{"legal_basis": basis, "permits": []map[string]any{
			{"name": "Izin Lokasi", "delegated": true}, {"name": "  ", "delegated": true}, {"name": "izin  lokasi", "delegated": false}}})
		e.expect(r, 422, "validation_failed")
		wantField(t, r, "permits.1.name", "permits.2.name")
		e.expect(e.call("PUT", path+"/permits", models.RoleOperator, map[string]any{"permits": permits}), 422, "validation_failed")
		e.expect(e.call("PUT", path+"/permits", models.RoleOperator, map[string]any{"legal_basis": basis}), 422, "validation_failed")
		e.expect(e.call("PUT", path+"/permits", models.RoleOperator, map[string]any{"permits": permits, "legal_basis": basis, "version": d.Version - 1}), 409, "conflict")
		e.expect(e.call("PUT", path+"/permits", asOperator2, map[string]any{"permits": permits, "legal_basis": basis}), 403, "forbidden")
		e.expect(e.call("PUT", path+"/permits", models.RoleReviewer, map[string]any{"permits": permits, "legal_basis": basis}), 403, "forbidden")
		e.expect(e.call("PUT", path+"/permits", models.RoleSignatory, map[string]any{"permits": permits, "legal_basis": basis}), 403, "forbidden")
		e.expect(e.call("PUT", "/api/v1/periods/2019/regions/99/delegation/permits", models.RoleCoordinator, map[string]any{"permits": permits, "legal_basis": basis}), 404, "not_found")
		if after := e.counts(); !equalCounts(before, after) {
			t.Fatalf("refused lists changed the database:\nbefore %v\nafter  %v", before, after)
		}

		// A new year copied forward carries the delegation and its list; the old year keeps its own.
		e.mustOK(e.call("POST", "/api/v1/periods", models.RoleCoordinator, map[string]any{"year": 2020, "name": "Rencana Aksi 2020"}))
		e.mustOK(e.call("POST", "/api/v1/periods/2020/catalogue/copy", models.RoleCoordinator, map[string]any{"from": 2019}))
		var carried delegationJSON
		e.mustOK(e.call("GET", "/api/v1/periods/2020/regions/62.08/delegation", models.RoleOperator, nil)).decode(t, &carried)
		if !carried.FromList || *carried.Percent != 75 || len(carried.Permits) != 4 || carried.Permits[2].Name != "Izin Lokasi" || carried.Version != 1 {
			t.Fatalf("carried forward: %+v", carried)
		}
		// The next year's regulation delegates the last permit too: only that year changes.
		permits[3]["delegated"], permits[3]["regulation"] = true, "Lampiran I angka 4"
		e.mustOK(e.call("PUT", "/api/v1/periods/2020/regions/62.08/delegation/permits", models.RoleOperator,
			map[string]any{"permits": permits, "legal_basis": "Peraturan Bupati Seruyan Nomor 3 Tahun 2020", "version": 1})).decode(t, &carried)
		e.mustOK(e.call("GET", path, models.RoleOperator, nil)).decode(t, &got)
		if *carried.Percent != 100 || carried.Zone != "complete" || *got.Percent != 75 {
			t.Fatalf("2020 %+v, 2019 %+v", carried, got)
		}

		// An empty list removes the list and keeps its counts, which may then be set by hand.
		e.mustOK(e.call("PUT", path+"/permits", models.RoleCoordinator, map[string]any{"permits": []any{}, "version": got.Version})).decode(t, &d)
		if d.FromList || len(d.Permits) != 0 || *d.Total != 4 || *d.Delegated != 3 {
			t.Fatalf("list removed: %+v", d)
		}
		e.mustOK(e.call("PUT", path, models.RoleCoordinator, map[string]any{"total": 10, "delegated": 5, "legal_basis": basis, "version": d.Version}))

		// A closed year's list does not change.
		e.mustOK(e.call("POST", "/api/v1/periods/2019/close", models.RoleCoordinator, map[string]any{}))
		e.expect(e.call("PUT", path+"/permits", models.RoleOperator, map[string]any{"permits": permits, "legal_basis": basis}), 409, "period_closed")
	})
}

// wantField fails unless a validation error names every one of fields.
func wantField(t *testing.T, r *response, fields ...string) {
	t.Helper()
	var body struct {
		Error struct{ Fields map[string]string }
	}
	r.decode(t, &body)
	for _, f := range fields {
		if body.Error.Fields[f] == "" {
			t.Fatalf("no message for %s: %s", f, r.Body)
		}
	}
}
