package api

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/pantau-id/pantau/documents"
	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/modelstest"
)

// pdfTool runs a PDF tool (poppler-utils, qpdf, zbar-tools; scripts/deps.sh installs them).
func pdfTool(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		t.Fatalf("%s %v: %v %s", name, args, err, out)
	}
	return string(out)
}

// readPDF checks a PDF with qpdf and returns its page count and its text with white space
// collapsed.
func readPDF(t *testing.T, pdf []byte) (path string, pages int, text string) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	if out := pdfTool(t, "qpdf", "--check", path); !strings.Contains(out, "No syntax or stream encoding errors found") {
		t.Fatalf("qpdf --check: %s", out)
	}
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindStringSubmatch(pdfTool(t, "pdfinfo", path))
	if m == nil {
		t.Fatal("pdfinfo: no page count")
	}
	pages, _ = strconv.Atoi(m[1])
	text = strings.Join(strings.Fields(pdfTool(t, "pdftotext", "-enc", "UTF-8", path, "-")), " ")
	return path, pages, text
}

// pdfQR decodes the QR code in the footer corner of a page.
func pdfQR(t *testing.T, path string, page int) string {
	t.Helper()
	dir := t.TempDir()
	p := strconv.Itoa(page)
	pdfTool(t, "pdftoppm", "-png", "-r", "150", "-f", p, "-l", p, "-x", "1030", "-y", "1560", "-W", "150", "-H", "150", "-singlefile", path, filepath.Join(dir, "qr"))
	return strings.TrimSpace(pdfTool(t, "zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", filepath.Join(dir, "qr.png")))
}

// reportData gives the test period a claim verified with evidence and a delegation.
func reportData(e *env) {
	var ev struct{ ID int64 }
	e.mustOK(e.upload("/api/v1/periods/2019/regions/62.08/items/I2/evidence", models.RoleOperator, "sop.pdf", samplePDF(e.t, "sop"))).decode(e.t, &ev)
	e.mustOK(e.call("PATCH", "/api/v1/periods/2019/regions/62.08/items/I2", models.RoleOperator, map[string]any{"progress": 90}))
	e.mustOK(e.call("POST", "/api/v1/periods/2019/regions/62.08/items/I2/reviews", models.RoleReviewer,
		map[string]any{"decision": "approve", "verified_progress": 87.5, "comment": "SOP sudah terbit dan dipublikasikan", "accept_evidence": []int64{ev.ID}}))
	e.mustOK(e.call("PUT", "/api/v1/periods/2019/regions/62.08/delegation", models.RoleOperator,
		map[string]any{"total": 120, "delegated": 104, "legal_basis": "Peraturan Bupati Seruyan Nomor 16 Tahun 2017"}))
}

// TestProgressReportAPI: the provincial report comes from the API for a signed-in role, holds
// the summary's figures and narrative, is kept and verifiable by code and by bytes, and is
// made again once the data changes.
func TestProgressReportAPI(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		reportData(e)
		var sum models.Summary
		e.mustOK(e.call("GET", "/api/v1/periods/2019/summary", models.RoleSignatory, nil)).decode(t, &sum)

		r := e.mustOK(e.call("GET", "/api/v1/periods/2019/reports/progress.pdf", models.RoleSignatory, nil))
		code := r.Header.Get("X-Verification-Code")
		if ct := r.Header.Get("Content-Type"); ct != "application/pdf" || len(code) != 14 {
			t.Fatalf("content type %q, code %q", ct, code)
		}
		path, pages, text := readPDF(t, r.Body)
		if pages != 3+3 {
			t.Errorf("%d pages, want 6 (summary, chart, matrix and a section per Pemda)", pages)
		}
		for _, want := range []string{sum.Narrative, "Kode verifikasi: " + code, "User signatory", "Peraturan Bupati Seruyan Nomor 16 Tahun 2017",
			"SOP sudah terbit dan dipublikasikan", "Periode 2018 tidak ada"} {
			if !strings.Contains(text, want) {
				t.Errorf("report lacks %q", want)
			}
		}
		for _, rs := range sum.Regions {
			if !strings.Contains(text, rs.Name) {
				t.Errorf("report lacks %s", rs.Name)
			}
			for _, v := range []*models.Fixed{rs.ActionPlan.Percent, rs.ActionPlan.ClaimedPercent, rs.Delegation.Percent} {
				if v != nil && !strings.Contains(text, v.Indonesian()+"%") {
					t.Errorf("report lacks %s's %s%%", rs.Name, v.Indonesian())
				}
			}
		}
		if got, want := pdfQR(t, path, pages), documents.DefaultPublicURL+"/verify/"+code; got != want {
			t.Errorf("QR decodes to %q, want %q", got, want)
		}

		var v struct {
			Kind, Title, SHA256 string
			CreatedBy           string `json:"created_by"`
		}
		e.mustOK(e.call("GET", "/api/v1/verify/"+code, asAnonymous, nil)).decode(t, &v)
		sum256 := sha256.Sum256(r.Body)
		if v.Kind != "report" || !strings.Contains(v.Title, "Provinsi Kalimantan Tengah 2019") || v.SHA256 != hex.EncodeToString(sum256[:]) ||
			v.CreatedBy != "User signatory" {
			t.Errorf("verify by code: %+v", v)
		}
		var fc struct {
			Valid            bool
			VerificationCode *string `json:"verification_code"`
		}
		e.mustOK(e.upload("/api/v1/verify", asAnonymous, "laporan.pdf", r.Body)).decode(t, &fc)
		if !fc.Valid || fc.VerificationCode == nil || *fc.VerificationCode != code {
			t.Errorf("verify by file: %+v", fc)
		}

		again := e.mustOK(e.call("GET", "/api/v1/periods/2019/reports/progress.pdf", models.RoleOperator, nil))
		if again.Header.Get("X-Verification-Code") != code || string(again.Body) != string(r.Body) {
			t.Errorf("an unchanged report was made again")
		}
		e.mustOK(e.call("PATCH", "/api/v1/periods/2019/regions/62.71/items/I1", asOperator2, map[string]any{"progress": 40}))
		changed := e.mustOK(e.call("GET", "/api/v1/periods/2019/reports/progress.pdf", models.RoleOperator, nil))
		if changed.Header.Get("X-Verification-Code") == code {
			t.Errorf("a report of changed data kept the old code")
		}
		// One province's report is its own document, kept apart from the whole period's.
		province := e.mustOK(e.call("GET", "/api/v1/periods/2019/reports/progress.pdf?province=62", models.RoleOperator, nil))
		if c := province.Header.Get("X-Verification-Code"); c == "" || c == changed.Header.Get("X-Verification-Code") ||
			!strings.Contains(province.Header.Get("Content-Disposition"), "laporan-progres-2019-62.pdf") {
			t.Errorf("the province's report: %s %s", c, province.Header.Get("Content-Disposition"))
		}
		e.expect(e.call("GET", "/api/v1/periods/2019/reports/progress.pdf?province=6x", models.RoleOperator, nil), 422, "validation_failed")
		var n int64
		modelstest.Raw(t, e.db).Table("reports").Count(&n)
		if n != 3 {
			t.Errorf("%d reports kept, want 3", n)
		}
	})
}

// TestRegionReportAPI: one Pemda's report, and the errors around it.
func TestRegionReportAPI(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		reportData(e)
		e.mustOK(e.call("POST", "/api/v1/periods", models.RoleCoordinator, map[string]any{"year": 2018}))
		r := e.mustOK(e.call("GET", "/api/v1/periods/2019/regions/62.08/reports/progress.pdf", models.RoleReviewer, nil))
		_, _, text := readPDF(t, r.Body)
		for _, want := range []string{"Kabupaten Seruyan, Provinsi Kalimantan Tengah", "87,5%", "90%", "86,67%", "Perubahan dari 2018", "Perizinan daring"} {
			if !strings.Contains(text, want) {
				t.Errorf("region report lacks %q", want)
			}
		}
		if strings.Contains(text, "Kota Palangka Raya") {
			t.Errorf("region report shows another Pemda")
		}
		e.expect(e.call("GET", "/api/v1/periods/2019/regions/99.99/reports/progress.pdf", models.RoleReviewer, nil), 404, "not_found")
		e.expect(e.call("GET", "/api/v1/periods/2031/reports/progress.pdf", models.RoleReviewer, nil), 404, "not_found")
		e.expect(e.call("GET", "/api/v1/periods/tahun/reports/progress.pdf", models.RoleReviewer, nil), 400, "bad_request")
		e.expect(e.call("GET", "/api/v1/periods/2019/reports/progress.pdf", asAnonymous, nil), 401, "unauthenticated")
	})
}
