package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/pantau-id/pantau/models"
)

func TestVerifyByCodeAndByFile(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		pdf := samplePDF(t, "laporan progres")
		sum := sha256.Sum256(pdf)
		doc := &models.Document{VerificationCode: models.NewVerificationCode(), Title: "Laporan Progres 2019", Status: "issued",
			SHA256: hex.EncodeToString(sum[:]), Size: int64(len(pdf))}
		if err := e.db.SaveReport(context.Background(), &models.Report{Kind: models.ReportProgress, Year: 2019}, doc); err != nil {
			t.Fatal(err)
		}
		var v struct {
			Kind, Title, Status, SHA256 string
			Signatures                  []any
		}
		e.mustOK(e.call("GET", "/api/v1/verify/"+strings.ToLower(strings.ReplaceAll(doc.VerificationCode, "-", "")), asAnonymous, nil)).decode(t, &v)
		if v.Kind != "report" || v.Title != "Laporan Progres 2019" || v.SHA256 != doc.SHA256 || v.Signatures == nil {
			t.Fatalf("verify by code: %+v", v)
		}
		e.expect(e.call("GET", "/api/v1/verify/AAAA-BBBB-CCCC", asAnonymous, nil), 404, "not_found")

		var fc struct {
			Valid            bool
			VerificationCode *string `json:"verification_code"`
		}
		e.mustOK(e.upload("/api/v1/verify", asAnonymous, "laporan.pdf", pdf)).decode(t, &fc)
		if !fc.Valid || fc.VerificationCode == nil || *fc.VerificationCode != doc.VerificationCode {
			t.Fatalf("identical file: %+v", fc)
		}
		altered := append([]byte(nil), pdf...)
		altered[len(altered)/2] ^= 1
		e.mustOK(e.upload("/api/v1/verify", asAnonymous, "laporan.pdf", altered)).decode(t, &fc)
		if fc.Valid || fc.VerificationCode != nil {
			t.Fatalf("altered file: %+v", fc)
		}
		e.expect(e.upload("/api/v1/verify", asAnonymous, "kosong.pdf", nil), 422, "validation_failed")
	})
}

func TestVerificationCodes(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		c := models.NewVerificationCode()
		if len(c) != 14 || c[4] != '-' || c[9] != '-' || strings.ContainsAny(c, "01ILOUV") || seen[c] {
			t.Fatalf("bad or repeated code %q", c)
		}
		seen[c] = true
		if models.NormalizeVerificationCode(strings.ToLower(strings.ReplaceAll(c, "-", " "))) != c {
			t.Fatalf("normalize %q", c)
		}
	}
}

func TestAuditListingAndItemHistory(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		item := "/api/v1/periods/2019/regions/62.08/items/I1"
		e.mustOK(e.call("PATCH", item, "operator", map[string]any{"progress": 40}))
		e.mustOK(e.upload(item+"/evidence", "operator", "sk.pdf", samplePDF(t, "sk")))
		e.mustOK(e.call("POST", item+"/reviews", "reviewer", map[string]any{"decision": "reject", "comment": "SK belum ditandatangani"}))
		var hist []struct {
			Seq           int64
			Actor, Action string
			After         map[string]any
			IP            *string `json:"ip"`
		}
		e.mustOK(e.call("GET", item+"/history", "signatory", nil)).decode(t, &hist)
		if len(hist) != 3 || hist[0].Action != "claim" || hist[1].Action != "evidence_upload" || hist[2].Action != "review" ||
			hist[0].Actor != "operator@test.pantau.id" || hist[2].After["comment"] != "SK belum ditandatangani" || hist[0].IP != nil {
			t.Fatalf("history: %+v", hist)
		}
		e.expect(e.call("GET", "/api/v1/periods/2019/regions/62.08/items/NOPE/history", "signatory", nil), 404, "not_found")

		var page struct {
			Events []struct {
				ID                    int64
				Entity, Action, Actor string
				IP                    string
			}
			NextAfter *int64 `json:"next_after"`
		}
		e.mustOK(e.call("GET", "/api/v1/audit?entity=session&limit=2", "reviewer", nil)).decode(t, &page)
		if len(page.Events) != 2 || page.Events[0].Action != "login" || page.Events[0].IP == "" || page.NextAfter == nil {
			t.Fatalf("audit page: %+v", page)
		}
		first := page.Events[1].ID
		e.mustOK(e.call("GET", "/api/v1/audit?entity=session&limit=2&after="+itoa(*page.NextAfter), "admin", nil)).decode(t, &page)
		if len(page.Events) == 0 || page.Events[0].ID <= first {
			t.Fatalf("second page: %+v", page)
		}
		e.mustOK(e.call("GET", "/api/v1/audit?actor=reviewer@test.pantau.id&entity=item", "admin", nil)).decode(t, &page)
		if len(page.Events) != 1 || page.Events[0].Action != "review" || page.NextAfter != nil {
			t.Fatalf("by actor: %+v", page)
		}
		e.expect(e.call("GET", "/api/v1/audit?from=kemarin&limit=0", "admin", nil), 422, "validation_failed")
		// Failed sign-ins are audited too.
		e.call("POST", "/api/v1/auth/login", asAnonymous, map[string]string{"email": "admin@test.pantau.id", "password": "salah-salah-salah"})
		e.mustOK(e.call("GET", "/api/v1/audit?entity=session&entity_key=admin@test.pantau.id", "admin", nil)).decode(t, &page)
		if page.Events[len(page.Events)-1].Action != "login_failed" {
			t.Fatalf("failed sign-in not audited: %+v", page)
		}
	})
}
