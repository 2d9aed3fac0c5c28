package api

import (
	"github.com/pantau-id/pantau/models"

	"bytes"
	"mime/multipart"
	"net/http"
	"testing"
)

// uploadWith posts a file with extra form fields sent before it.
func (e *env) uploadWith(path string, role models.Role, fields map[string]string, filename string, content []byte) *response {
	e.t.Helper()
	return e.form("POST", path, role, fields, filename, content)
}

// form sends a multipart form as a role: its text fields, then the file when content is not nil.
func (e *env) form(method, path string, role models.Role, fields map[string]string, filename string, content []byte) *response {
	e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if content != nil {
		fw, _ := mw.CreateFormFile("file", filename)
		fw.Write(content)
	}
	mw.Close()
	req, _ := http.NewRequest(method, e.srv.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if role != asAnonymous {
		req.Header.Set("Authorization", "Bearer "+e.tokens[role])
	}
	return e.do(req)
}

type evidenceJSON struct {
	ID            int64
	Status        string
	Reason        string
	ReplacesID    *int64  `json:"replaces_id"`
	Superseded    bool    `json:"superseded"`
	EffectiveDate *string `json:"effective_date"`
	Version       int64
}

func TestPerDocumentVerificationAndRevisions(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		item := "/api/v1/periods/2019/regions/62.08/items/I2"
		e.mustOK(e.call("PATCH", item, "operator", map[string]any{"progress": 80}))
		var first evidenceJSON
		e.mustOK(e.uploadWith(item+"/evidence", "operator", map[string]string{"effective_date": "2019-03-01"}, "sk-draft.pdf", samplePDF(t, "draft"))).decode(t, &first)
		if first.Status != "waiting" || first.EffectiveDate == nil || *first.EffectiveDate != "2019-03-01" {
			t.Fatalf("uploaded: %+v", first)
		}
		e.expect(e.uploadWith(item+"/evidence", "operator", map[string]string{"effective_date": "1 Maret"}, "x.pdf", samplePDF(t, "x")), 422, "validation_failed")
		// A misspelt field is refused rather than dropped (a lost "replaces" would file a new
		// document beside the one it revises), and nothing is stored.
		e.expect(e.uploadWith(item+"/evidence", "operator", map[string]string{"replace": "1"}, "x.pdf", samplePDF(t, "x")), 400, "bad_request")
		e.expect(e.uploadWith(item+"/evidence", "operator", map[string]string{"": "1"}, "x.pdf", samplePDF(t, "x")), 400, "bad_request")
		e.expect(e.uploadWith("/api/v1/verify", asAnonymous, map[string]string{"note": "x"}, "x.pdf", samplePDF(t, "x")), 400, "bad_request")
		var listed []itemJSON
		e.mustOK(e.call("GET", "/api/v1/periods/2019/regions/62.08/items", "operator", nil)).decode(t, &listed)
		if len(listed[1].Evidence) != 1 || listed[1].Evidence[0].ID != first.ID {
			t.Fatalf("after refused uploads: %+v", listed[1].Evidence)
		}

		doc := "/api/v1/evidence/" + itoa(first.ID) + "/review"
		e.expect(e.call("PUT", doc, "reviewer", map[string]any{"status": "rejected"}), 422, "validation_failed")
		e.expect(e.call("PUT", doc, "operator", map[string]any{"status": "accepted"}), 403, "forbidden")
		var reviewed evidenceJSON
		e.mustOK(e.call("PUT", doc, "reviewer", map[string]any{"status": "rejected", "reason": "Belum ditandatangani", "version": first.Version})).decode(t, &reviewed)
		if reviewed.Status != "rejected" || reviewed.Reason != "Belum ditandatangani" {
			t.Fatalf("rejected: %+v", reviewed)
		}
		e.expect(e.call("PUT", doc, "reviewer", map[string]any{"status": "accepted", "version": first.Version}), 409, "conflict")
		// A rejected document is not evidence for an approval.
		e.expect(e.call("POST", item+"/reviews", "reviewer", map[string]any{"decision": "approve"}), 422, "validation_failed")

		// The revision replaces it; the old one is kept and still downloadable.
		var second evidenceJSON
		e.mustOK(e.uploadWith(item+"/evidence", "operator", map[string]string{"replaces": itoa(first.ID)}, "sk-final.pdf", samplePDF(t, "final"))).decode(t, &second)
		if second.ReplacesID == nil || *second.ReplacesID != first.ID {
			t.Fatalf("revision: %+v", second)
		}
		e.expect(e.uploadWith(item+"/evidence", "operator", map[string]string{"replaces": itoa(first.ID)}, "again.pdf", samplePDF(t, "again")), 422, "validation_failed")
		e.mustOK(e.call("GET", "/api/v1/evidence/"+itoa(first.ID), "signatory", nil))
		var items []itemJSON
		e.mustOK(e.call("GET", "/api/v1/periods/2019/regions/62.08/items", "reviewer", nil)).decode(t, &items)
		if len(items[1].Evidence) != 1 || items[1].Evidence[0].ID != second.ID {
			t.Fatalf("current evidence: %+v", items[1].Evidence)
		}

		// Approval never accepts a waiting document silently: it is accepted on its own, here
		// with the approval, and the approval records what it rests on.
		var it itemJSON
		e.expect(e.call("POST", item+"/reviews", "reviewer", map[string]any{"decision": "approve"}), 422, "validation_failed")
		e.mustOK(e.call("POST", item+"/reviews", "reviewer", map[string]any{"decision": "approve", "accept_evidence": []int64{second.ID}})).decode(t, &it)
		if it.Status != "approved" || it.VerifiedProgress != 80 {
			t.Fatalf("approved: %+v", it)
		}
		var after evidenceJSON
		e.mustOK(e.call("PUT", "/api/v1/evidence/"+itoa(second.ID)+"/review", "reviewer", map[string]any{"status": "accepted"})).decode(t, &after)
		if after.Version != 3 {
			t.Fatalf("approval should have accepted the document already (version 2 → 3): %+v", after)
		}
		// New evidence on an approved item puts it back up for verification; the approved value keeps counting.
		e.mustOK(e.upload(item+"/evidence", "operator", "foto.pdf", samplePDF(t, "foto")))
		e.mustOK(e.call("GET", "/api/v1/periods/2019/regions/62.08/items", "reviewer", nil)).decode(t, &items)
		if items[1].Status != "submitted" || items[1].VerifiedProgress != 80 {
			t.Fatalf("after new evidence: %+v", items[1])
		}
		var hist []struct{ Action string }
		e.mustOK(e.call("GET", item+"/history", "reviewer", nil)).decode(t, &hist)
		actions := ""
		for _, h := range hist {
			actions += h.Action + " "
		}
		if actions != "claim evidence_upload evidence_review evidence_upload evidence_review review evidence_review evidence_upload " {
			t.Fatalf("history: %s", actions)
		}
	})
}
