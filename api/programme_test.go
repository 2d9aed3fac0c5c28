package api

import (
	"strings"
	"testing"

	"github.com/pantau-id/pantau/models"
)

// TestProgrammeDepthOverHTTP walks issue 11's loop through the API on both databases: a
// sub-indicator with its requirement, the catalogue tree, an item marked outside the Pemda's
// authority and confirmed, the catalogue copied forward, an extension, closing (409
// period_closed in the caller's language), the final summary, and reopening.
func TestProgrammeDepthOverHTTP(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		e.mustOK(e.call("POST", "/api/v1/periods/2019/indicators", models.RoleCoordinator, map[string]any{"code": "I2.a", "area": "PTSP",
			"parent": "I2", "title": "Izin usaha daring", "weight": 1, "requirement": "Tangkapan layar OSS", "applies_to": []string{"regency", "city"}}))
		var tree []struct {
			Code       string
			Indicators []struct {
				Code     string
				Children []struct {
					Code        string
					Requirement string
					AppliesTo   []string `json:"applies_to"`
				}
			}
		}
		e.mustOK(e.call("GET", "/api/v1/periods/2019/catalogue", models.RoleSignatory, nil)).decode(t, &tree)
		if len(tree) != 1 || len(tree[0].Indicators) != 2 || len(tree[0].Indicators[1].Children) != 1 ||
			tree[0].Indicators[1].Children[0].Requirement != "Tangkapan layar OSS" || len(tree[0].Indicators[1].Children[0].AppliesTo) != 2 {
			t.Fatalf("catalogue tree: %+v", tree)
		}

		// Claims attach to leaves: I2 has a sub-indicator now.
		e.expect(e.call("PATCH", "/api/v1/periods/2019/regions/62.71/items/I2", asOperator2, map[string]any{"progress": 10}), 404, "not_found")
		item := "/api/v1/periods/2019/regions/62.08/items/I1"
		e.expect(e.call("PUT", item+"/applicability", models.RoleOperator, map[string]any{"applicable": false}), 422, "validation_failed")
		var marked struct{ Status, Applicability string }
		e.mustOK(e.call("PUT", item+"/applicability", models.RoleOperator, map[string]any{"applicable": false, "reason": "Kewenangan provinsi"})).decode(t, &marked)
		if marked.Status != "not_applicable_pending" || marked.Applicability != "pending" {
			t.Fatalf("marked: %+v", marked)
		}
		e.mustOK(e.call("POST", item+"/reviews", models.RoleReviewer, map[string]any{"decision": "approve", "comment": "Benar"}))
		e.expect(e.call("PATCH", item, models.RoleOperator, map[string]any{"progress": 50}), 422, "validation_failed")

		e.mustOK(e.call("POST", "/api/v1/periods", models.RoleCoordinator, map[string]any{"year": 2020, "name": "Rencana Aksi 2020"}))
		e.mustOK(e.call("POST", "/api/v1/periods/2020/catalogue/copy", models.RoleCoordinator, map[string]any{"from": 2019}))
		e.expect(e.call("POST", "/api/v1/periods/2020/catalogue/copy", models.RoleCoordinator, map[string]any{"from": 2019}), 409, "conflict")
		var copied []struct{ Code string }
		e.mustOK(e.call("GET", "/api/v1/periods/2020/indicators", models.RoleReviewer, nil)).decode(t, &copied)
		if len(copied) != 3 {
			t.Fatalf("copied indicators: %+v", copied)
		}

		e.mustOK(e.call("PUT", "/api/v1/periods/2019/regions/62.71/extension", models.RoleCoordinator, map[string]any{"until": "2020-01-31", "reason": "Banjir"}))
		var exts []struct {
			RegionCode string `json:"region_code"`
			Until      string
		}
		e.mustOK(e.call("GET", "/api/v1/periods/2019/extensions", models.RoleOperator, nil)).decode(t, &exts)
		if len(exts) != 1 || exts[0].RegionCode != "62.71" || exts[0].Until != "2020-01-31" {
			t.Fatalf("extensions: %+v", exts)
		}

		e.mustOK(e.call("POST", "/api/v1/periods/2019/close", models.RoleCoordinator, nil))
		r := e.call("PATCH", "/api/v1/periods/2019/regions/62.71/items/I2.a", asOperator2, map[string]any{"progress": 40})
		e.expect(r, 409, "period_closed")
		if !strings.Contains(string(r.Body), "sudah ditutup") {
			t.Errorf("the closed period's message: %s", r.Body)
		}
		var sum struct {
			Final bool
			AsOf  string `json:"as_of"`
		}
		e.mustOK(e.call("GET", "/api/v1/periods/2019/summary", models.RoleReviewer, nil)).decode(t, &sum)
		if !sum.Final || sum.AsOf == "" {
			t.Errorf("the closed year's summary: %+v", sum)
		}
		e.expect(e.call("POST", "/api/v1/periods/2019/reopen", models.RoleCoordinator, map[string]any{"reason": "Koreksi"}), 403, "forbidden")
		e.mustOK(e.call("POST", "/api/v1/periods/2019/reopen", models.RoleAdmin, map[string]any{"reason": "Koreksi data Palangka Raya"}))
		e.mustOK(e.call("PATCH", "/api/v1/periods/2019/regions/62.71/items/I2.a", asOperator2, map[string]any{"progress": 40}))
	})
}
