package api

import (
	"testing"

	"github.com/pantau-id/pantau/models"
)

// TestZoneExplanation: a Pemda's page explains its zone — the items that pull it down, with
// their gains, and what reaches the next zone — in the contract's shape, for every role.
func TestZoneExplanation(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		item := "/api/v1/periods/2019/regions/62.08/items/I1"
		e.mustOK(e.call("PATCH", item, models.RoleOperator, map[string]any{"progress": 100}))
		var ev evidenceJSON
		e.mustOK(e.upload(item+"/evidence", models.RoleOperator, "sk.pdf", samplePDF(t, "sk"))).decode(t, &ev)
		e.mustOK(e.call("POST", item+"/reviews", models.RoleReviewer, map[string]any{"decision": "approve", "accept_evidence": []int64{ev.ID}}))
		var x struct {
			Percent *float64
			Zone    string
			Items   []struct {
				IndicatorCode string `json:"indicator_code"`
				Gain          float64
			}
			Next *struct {
				Zone    string
				Items   []string
				Percent float64
			}
		}
		// I1 (weight 1) at 100, I2 (weight 3) at 0: 25%, red; I2 in full would give 100%.
		e.mustOK(e.call("GET", "/api/v1/periods/2019/regions/62.08/explanation", models.RoleSignatory, nil)).decode(t, &x)
		if x.Percent == nil || *x.Percent != 25 || x.Zone != "red" || len(x.Items) != 1 || x.Items[0].IndicatorCode != "I2" || x.Items[0].Gain != 75 ||
			x.Next == nil || x.Next.Zone != "yellow" || len(x.Next.Items) != 1 || x.Next.Percent != 100 {
			t.Fatalf("explanation: %+v %+v", x, x.Next)
		}
		e.expect(e.call("GET", "/api/v1/periods/2019/regions/99/explanation", models.RoleOperator, nil), 404, "not_found")
	})
}
