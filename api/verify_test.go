package api

import (
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
		doc := &models.Document{Kind: models.DocumentReport, Title: "Laporan Progres 2019", Status: "issued", SHA256: hex.EncodeToString(sum[:]), Size: int64(len(pdf))}
		if err := e.db.CreateDocument(e.db.Gorm, doc); err != nil {
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
