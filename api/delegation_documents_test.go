package api

import (
	"archive/zip"
	"bytes"
	"slices"
	"testing"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/modelstest"
)

type delegationDocJSON struct {
	ID          int64
	Kind        string
	SHA256      string
	Filename    string
	ContentType string `json:"content_type"`
	UploadedBy  string `json:"uploaded_by"`
	UploadedAt  string `json:"uploaded_at"`
	Superseded  bool
	ReplacedBy  *int64 `json:"replaced_by"`
}

// documentCount is how many delegation documents the database holds.
func (e *env) documentCount() int64 {
	e.t.Helper()
	var n int64
	if err := modelstest.Raw(e.t, e.db).Table("delegation_documents").Count(&n).Error; err != nil {
		e.t.Fatal(err)
	}
	return n
}

// wordFile is a minimal Word document: an office file the evidence store takes, but no regulation.
func wordFile(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml"} {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte("<?xml version=\"1.0\"?><x/>"))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestDelegationDocuments: the regulation and its annex are uploaded by those who write the
// region's delegation, replaced with their history kept, downloaded by every role as they were
// stored, refused (changing nothing) when the input is bad, and carried into a copied year.
func TestDelegationDocuments(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		base := "/api/v1/periods/2019/regions/62.08/delegation"
		docs := base + "/documents"
		kind := func(k string) map[string]string { return map[string]string{"kind": k} }

		var first, annex, second delegationDocJSON
		e.mustOK(e.uploadWith(docs, models.RoleOperator, kind("regulation"), "Perbup 16-2017.pdf", samplePDF(t, "perbup 2017"))).decode(t, &first)
		if first.Kind != "regulation" || first.Filename != "Perbup 16-2017.pdf" || first.ContentType != "application/pdf" || first.UploadedBy != "User operator" ||
			first.Superseded || first.ReplacedBy != nil {
			t.Fatalf("uploaded: %+v", first)
		}
		png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde")
		e.mustOK(e.uploadWith(docs, models.RoleCoordinator, kind("annex"), "lampiran.png", png)).decode(t, &annex)
		// A newer regulation replaces the first, which stays listed and downloadable.
		e.mustOK(e.uploadWith(docs, models.RoleAdmin, kind("regulation"), "Perbup 3-2019.pdf", samplePDF(t, "perbup 2019"))).decode(t, &second)

		var listed []delegationDocJSON
		e.mustOK(e.call("GET", docs, models.RoleSignatory, nil)).decode(t, &listed)
		if len(listed) != 3 || listed[0].ID != second.ID || listed[1].ID != annex.ID || listed[2].ID != first.ID ||
			!listed[2].Superseded || listed[2].ReplacedBy == nil || *listed[2].ReplacedBy != second.ID || listed[0].Superseded || listed[1].Superseded {
			t.Fatalf("history: %+v", listed)
		}
		stored := listed[0] // as the database keeps it
		var d struct{ Documents []delegationDocJSON }
		e.mustOK(e.call("GET", base, models.RoleReviewer, nil)).decode(t, &d)
		if len(d.Documents) != 2 || d.Documents[0].ID != second.ID || d.Documents[1].ID != annex.ID {
			t.Fatalf("the delegation's current documents: %+v", d.Documents)
		}
		for _, doc := range []struct {
			id      int64
			content []byte
			ctype   string
		}{{first.ID, samplePDF(t, "perbup 2017"), "application/pdf"}, {annex.ID, png, "image/png"}} {
			r := e.mustOK(e.call("GET", docs+"/"+itoa(doc.id)+"/file", models.RoleReviewer, nil))
			if !bytes.Equal(r.Body, doc.content) || r.Header.Get("Content-Type") != doc.ctype || r.Header.Get("X-Content-Type-Options") != "nosniff" {
				t.Fatalf("download %d: %s %q", doc.id, r.Header, r.Body)
			}
		}
		if r := e.mustOK(e.call("GET", docs+"/"+itoa(first.ID)+"/file", models.RoleSignatory, nil)); r.Header.Get("ETag") != `"`+first.SHA256+`"` {
			t.Fatalf("ETag %q", r.Header.Get("ETag"))
		}
		// A document is served under its own period and region only.
		e.expect(e.call("GET", "/api/v1/periods/2019/regions/62.71/delegation/documents/"+itoa(first.ID)+"/file", models.RoleAdmin, nil), 404, "not_found")
		e.expect(e.call("GET", docs+"/x/file", models.RoleAdmin, nil), 400, "bad_request")

		// Refused, each changing nothing: who may not write, and bad input.
		before, n := e.counts(), e.documentCount()
		pdf := samplePDF(t, "ditolak")
		for _, who := range []models.Role{models.RoleReviewer, models.RoleSignatory, asOperator2} {
			e.expect(e.uploadWith(docs, who, kind("regulation"), "a.pdf", pdf), 403, "forbidden")
		}
		e.expect(e.uploadWith("/api/v1/periods/2019/regions/62.71/delegation/documents", models.RoleOperator, kind("regulation"), "a.pdf", pdf), 403, "forbidden")
		e.expect(e.uploadWith(docs, asAnonymous, kind("regulation"), "a.pdf", pdf), 401, "unauthenticated")
		r := e.form("POST", docs, models.RoleOperator, kind("regulation"), "", nil)
		e.expect(r, 422, "validation_failed")
		wantField(t, r, "file")
		r = e.uploadWith(docs, models.RoleOperator, kind("lampiran"), "a.pdf", pdf)
		e.expect(r, 422, "validation_failed")
		wantField(t, r, "kind")
		r = e.uploadWith(docs, models.RoleOperator, nil, "a.pdf", pdf)
		e.expect(r, 422, "validation_failed")
		wantField(t, r, "kind")
		e.expect(e.uploadWith(docs, models.RoleOperator, kind("regulation"), "kosong.pdf", []byte{}), 422, "validation_failed")
		e.expect(e.uploadWith(docs, models.RoleOperator, kind("regulation"), "catatan.txt", []byte("hanya teks biasa")), 415, "unsupported_media_type")
		r = e.uploadWith(docs, models.RoleOperator, kind("regulation"), "perbup.docx", wordFile(t))
		e.expect(r, 415, "unsupported_media_type")
		if !bytes.Contains(r.Body, []byte("Dokumen pendelegasian harus berupa PDF, PNG atau JPEG.")) {
			t.Fatalf("the refusal should name the types a regulation may have: %s", r.Body)
		}
		e.expect(e.uploadWith(docs, models.RoleOperator, kind("regulation"), "besar.pdf", append([]byte("%PDF-1.4\n"), make([]byte, 300<<10)...)), 413, "too_large")
		e.expect(e.uploadWith(docs, models.RoleOperator, map[string]string{"jenis": "regulation"}, "a.pdf", pdf), 400, "bad_request")
		e.expect(e.call("POST", docs, models.RoleOperator, `{"kind":"regulation"}`), 400, "bad_request")
		e.expect(e.uploadWith("/api/v1/periods/2019/regions/99/delegation/documents", models.RoleCoordinator, kind("regulation"), "a.pdf", pdf), 404, "not_found")
		e.expect(e.uploadWith("/api/v1/periods/2031/regions/62.08/delegation/documents", models.RoleCoordinator, kind("regulation"), "a.pdf", pdf), 404, "not_found")
		if after := e.counts(); !equalCounts(before, after) || e.documentCount() != n {
			t.Fatalf("refused uploads changed the database:\nbefore %v\nafter  %v (documents %d → %d)", before, after, n, e.documentCount())
		}

		// Every upload is in the audit trail.
		var audited struct {
			Events []struct {
				Action    string
				EntityKey string `json:"entity_key"`
			}
		}
		e.mustOK(e.call("GET", "/api/v1/audit?entity=delegation", models.RoleAdmin, nil)).decode(t, &audited)
		uploads := 0
		for _, ev := range audited.Events {
			if ev.Action == "document_upload" && ev.EntityKey == "2019/62.08" {
				uploads++
			}
		}
		if uploads != 3 {
			t.Fatalf("audited uploads: %d of 3 (%+v)", uploads, audited)
		}

		// A new year copied forward carries the current documents (the same files), not the replaced one.
		e.mustOK(e.call("POST", "/api/v1/periods", models.RoleCoordinator, map[string]any{"year": 2020, "name": "Rencana Aksi 2020"}))
		e.mustOK(e.call("POST", "/api/v1/periods/2020/catalogue/copy", models.RoleCoordinator, map[string]any{"from": 2019}))
		var carried []delegationDocJSON
		e.mustOK(e.call("GET", "/api/v1/periods/2020/regions/62.08/delegation/documents", models.RoleOperator, nil)).decode(t, &carried)
		if len(carried) != 2 || carried[0].SHA256 != second.SHA256 || carried[1].SHA256 != annex.SHA256 || carried[0].UploadedAt != stored.UploadedAt ||
			carried[0].Superseded || carried[0].ID == second.ID {
			t.Fatalf("carried: %+v", carried)
		}
		got := e.mustOK(e.call("GET", "/api/v1/periods/2020/regions/62.08/delegation/documents/"+itoa(carried[0].ID)+"/file", models.RoleOperator, nil))
		if !bytes.Equal(got.Body, samplePDF(t, "perbup 2019")) {
			t.Fatalf("carried file: %q", got.Body)
		}
		// Replacing the carried regulation in 2020 leaves 2019's as it was.
		e.mustOK(e.uploadWith("/api/v1/periods/2020/regions/62.08/delegation/documents", models.RoleOperator, kind("regulation"), "Perbup 2020.pdf", samplePDF(t, "perbup 2020")))
		e.mustOK(e.call("GET", docs, models.RoleOperator, nil)).decode(t, &listed)
		if len(listed) != 3 || listed[0].ID != second.ID || listed[0].Superseded {
			t.Fatalf("2019 after 2020's replacement: %+v", listed)
		}

		// A closed year's documents do not change.
		e.mustOK(e.call("POST", "/api/v1/periods/2019/close", models.RoleCoordinator, map[string]any{}))
		e.expect(e.uploadWith(docs, models.RoleOperator, kind("annex"), "a.pdf", pdf), 409, "period_closed")
		ids := []int64{}
		e.mustOK(e.call("GET", docs, models.RoleOperator, nil)).decode(t, &listed)
		for _, l := range listed {
			ids = append(ids, l.ID)
		}
		if !slices.Equal(ids, []int64{second.ID, annex.ID, first.ID}) {
			t.Fatalf("closed year's documents: %v", ids)
		}
	})
}
