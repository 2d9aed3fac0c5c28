package api

import (
	"bytes"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/crypto/ocsp"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/modelstest"
)

// cmCertificate is the caller's signing certificate, from GET /me/signing-key.
func cmCertificate(t *testing.T, e *env, who models.Role) *x509.Certificate {
	t.Helper()
	var k struct {
		CertificatePEM string `json:"certificate_pem"`
	}
	e.mustOK(e.call("GET", "/api/v1/me/signing-key", who, nil)).decode(t, &k)
	blk, _ := pem.Decode([]byte(k.CertificatePEM))
	if blk == nil {
		t.Fatalf("no certificate: %q", k.CertificatePEM)
	}
	cert, err := x509.ParseCertificate(blk.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}

// TestDelegationAndVoid: the coordinator records a deputy's delegation with its document (who
// may read it, and what is refused), the deputy then signs "a.n."; the coordinator voids the
// commitment (a signatory or reviewer may not), after which acting on it is a conflict, and
// the public checks answer void with the reason and, once made, the replacement's code.
func TestDelegationAndVoid(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		cmSigning(t, e)
		cmSignatory(t, e, "wabup", "Irawan")
		e.mustOK(e.call("PUT", "/api/v1/me/signing-key", "wabup", map[string]string{"passphrase": "frasa-wabup-rahasia"}))
		var cm cmJSON
		e.mustOK(e.call("POST", "/api/v1/commitments", models.RoleCoordinator, map[string]any{"region_code": "62.08", "year": 2019})).decode(t, &cm)
		base := fmt.Sprintf("/api/v1/commitments/%d", cm.ID)
		letter := samplePDF(t, "Surat Perintah Bupati Seruyan Nomor 800/12/2019")
		good := map[string]string{"kind": "an", "reference": "800/12/2019"}
		delegate := func(role models.Role, fields map[string]string, name string, file []byte) *response {
			return e.form("PUT", base+"/signatories/regent/delegation", role, fields, name, file)
		}

		e.expect(delegate(models.RoleCoordinator, good, "sp.pdf", letter), 422, "validation_failed") // nobody assigned yet
		e.mustOK(e.call("PUT", base+"/signatories/regent", models.RoleCoordinator, map[string]string{"user_email": "wabup@sign.pantau.id", "name": "Irawan", "title": "Wakil Bupati Seruyan"}))
		e.expect(delegate("wabup", good, "sp.pdf", letter), 403, "forbidden")
		e.expect(delegate(models.RoleCoordinator, good, "sp.txt", []byte("hanya teks")), 415, "unsupported_media_type")
		r := delegate(models.RoleCoordinator, map[string]string{"kind": "lisan", "reference": ""}, "", nil)
		e.expect(r, 422, "validation_failed")
		if f := r.fields(t); f["kind"] == "" || f["reference"] == "" || f["file"] == "" {
			t.Fatalf("fields: %v", f)
		}
		e.expect(e.form("PUT", base+"/signatories/nope/delegation", models.RoleCoordinator, good, "sp.pdf", letter), 404, "not_found")
		e.expect(e.call("PUT", base+"/signatories/regent/delegation", models.RoleCoordinator, map[string]string{"kind": "an"}), 400, "bad_request")
		e.expect(e.call("GET", base+"/signatories/regent/delegation", models.RoleCoordinator, nil), 404, "not_found")

		var after struct {
			Signatories []struct {
				Slot, Capacity string
				Delegation     *struct{ Kind, Reference, Filename string }
			}
		}
		e.mustOK(delegate(models.RoleCoordinator, good, "surat perintah.pdf", letter)).decode(t, &after)
		if s := after.Signatories[0]; s.Slot != "regent" || s.Capacity != "delegated" || s.Delegation == nil || s.Delegation.Reference != "800/12/2019" {
			t.Fatalf("after the delegation: %+v", after.Signatories[0])
		}
		doc := e.mustOK(e.call("GET", base+"/signatories/regent/delegation", "wabup", nil))
		if !bytes.Equal(doc.Body, letter) || doc.Header.Get("Content-Type") != "application/pdf" || !strings.Contains(doc.Header.Get("Content-Disposition"), "surat perintah.pdf") {
			t.Fatalf("the delegation's document: %v", doc.Header)
		}
		e.expect(e.call("GET", base+"/signatories/regent/delegation", asOperator2, nil), 404, "not_found")
		e.mustOK(e.call("GET", base+"/signatories/regent/delegation", models.RoleOperator, nil))

		var signed cmJSON
		e.mustOK(e.call("POST", base+"/signatories/regent/sign", "wabup", map[string]string{"mode": "sign", "passphrase": "frasa-wabup-rahasia"})).decode(t, &signed)
		if signed.slot("regent") != "signed" {
			t.Fatalf("the delegated signature: %+v", signed)
		}
		pdf := e.mustOK(e.call("GET", base+"/document.pdf", models.RoleCoordinator, nil)).Body

		// Void.
		e.expect(e.call("POST", base+"/void", "wabup", map[string]string{"reason": "x"}), 403, "forbidden")
		e.expect(e.call("POST", base+"/void", models.RoleReviewer, map[string]string{"reason": "x"}), 403, "forbidden")
		r = e.call("POST", base+"/void", models.RoleCoordinator, map[string]string{"reason": " "})
		e.expect(r, 422, "validation_failed")
		if r.fields(t)["reason"] == "" {
			t.Fatalf("void without a reason: %s", r.Body)
		}
		e.expect(e.call("POST", base+"/void", models.RoleCoordinator, map[string]any{"reason": "Nomor salah", "replacement_id": cm.ID}), 422, "validation_failed")
		var void cmJSON
		e.mustOK(e.call("POST", base+"/void", models.RoleCoordinator, map[string]string{"reason": "Nama Ketua DPRD salah ketik"})).decode(t, &void)
		if void.Status != "void" {
			t.Fatalf("voided: %+v", void)
		}
		req, _ := http.NewRequest("POST", e.srv.URL+base+"/void", strings.NewReader(`{"reason":"lagi"}`))
		req.Header.Set("Authorization", "Bearer "+e.tokens[models.RoleCoordinator])
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept-Language", "en")
		r = e.do(req)
		e.expect(r, 409, "conflict")
		if !strings.Contains(string(r.Body), "This commitment has been voided") {
			t.Fatalf("the conflict's message: %s", r.Body)
		}
		e.expect(e.call("PUT", base+"/signatories/governor", models.RoleCoordinator, map[string]string{"user_email": "wabup@sign.pantau.id", "name": "Irawan"}), 409, "conflict")

		var v struct {
			Status          string
			VoidReason      string  `json:"void_reason"`
			ReplacementCode *string `json:"replacement_code"`
		}
		e.mustOK(e.call("GET", "/api/v1/verify/"+cm.VerificationCode, asAnonymous, nil)).decode(t, &v)
		if v.Status != "void" || v.VoidReason != "Nama Ketua DPRD salah ketik" || v.ReplacementCode != nil {
			t.Fatalf("by code, void: %+v", v)
		}
		var next cmJSON
		e.mustOK(e.call("POST", "/api/v1/commitments", models.RoleCoordinator, map[string]any{"region_code": "62.08", "year": 2019})).decode(t, &next)
		e.mustOK(e.call("GET", "/api/v1/verify/"+cm.VerificationCode, asAnonymous, nil)).decode(t, &v)
		if v.ReplacementCode == nil || *v.ReplacementCode != next.VerificationCode {
			t.Fatalf("by code, replaced: %+v (replacement %s)", v, next.VerificationCode)
		}
		var fc cmFileCheck
		e.mustOK(e.upload("/api/v1/verify", asAnonymous, "komitmen.pdf", pdf)).decode(t, &fc)
		if fc.Valid || fc.Status != "void" || fc.VoidReason == "" || len(fc.Signatures) != 1 || !fc.Signatures[0].Valid {
			t.Fatalf("the void file by upload: %+v", fc)
		}
	})
}

// TestJointCommitmentAndBatch: a joint provincial commitment through the API; the governor
// finds what waits for them and signs it and a regional commitment in one batch; a batch
// with another's slot signs nothing and says why in the caller's language.
func TestJointCommitmentAndBatch(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		cmSigning(t, e)
		cmSignatory(t, e, "gub", "H. Sutan Sabara")
		e.mustOK(e.call("PUT", "/api/v1/me/signing-key", "gub", map[string]string{"passphrase": "frasa-gub-rahasia"}))
		e.expect(e.call("POST", "/api/v1/commitments", models.RoleCoordinator, map[string]any{"region_code": "62.08", "year": 2019, "kind": "joint"}), 422, "validation_failed")
		e.expect(e.call("POST", "/api/v1/commitments", models.RoleCoordinator, map[string]any{"region_code": "62", "year": 2019, "kind": "bersama"}), 422, "validation_failed")
		var joint, regional cmJSON
		e.mustOK(e.call("POST", "/api/v1/commitments", models.RoleCoordinator, map[string]any{"region_code": "62", "year": 2019, "kind": "joint"})).decode(t, &joint)
		if len(joint.Signatories) != 7 || joint.Signatories[1].Slot != "regent_62_08" || joint.Signatories[3].Title != "" {
			t.Fatalf("the joint commitment: %+v", joint.Signatories)
		}
		e.mustOK(e.call("POST", "/api/v1/commitments", models.RoleCoordinator, map[string]any{"region_code": "62.71", "year": 2019})).decode(t, &regional)
		for _, id := range []int64{joint.ID, regional.ID} {
			e.mustOK(e.call("PUT", fmt.Sprintf("/api/v1/commitments/%d/signatories/governor", id), models.RoleCoordinator, map[string]string{"user_email": "gub@sign.pantau.id", "name": "H. Sutan Sabara"}))
		}
		var waiting []cmJSON
		e.mustOK(e.call("GET", "/api/v1/commitments?waiting=true", "gub", nil)).decode(t, &waiting)
		if len(waiting) != 2 {
			t.Fatalf("waiting for the governor: %d", len(waiting))
		}
		var tmpl struct{ Kind, Title string }
		e.mustOK(e.call("GET", "/api/v1/commitment-template?kind=joint", models.RoleCoordinator, nil)).decode(t, &tmpl)
		if tmpl.Kind != "joint" || !strings.Contains(tmpl.Title, "se-{region}") {
			t.Fatalf("the joint template: %+v", tmpl)
		}
		e.expect(e.call("GET", "/api/v1/commitment-template?kind=bersama", models.RoleCoordinator, nil), 422, "validation_failed")

		items := []map[string]any{{"commitment_id": joint.ID, "slot": "governor"}, {"commitment_id": regional.ID, "slot": "governor"}}
		batch := func(role models.Role, items []map[string]any, lang string) *response {
			body, err := json.Marshal(map[string]any{"items": items, "mode": "sign", "passphrase": "frasa-gub-rahasia"})
			if err != nil {
				t.Fatal(err)
			}
			req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/me/sign-batch", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+e.tokens[role])
			req.Header.Set("Accept-Language", lang)
			return e.do(req)
		}
		acts := func() int64 {
			var n int64
			modelstest.Raw(t, e.db).Table("document_signatures").Count(&n)
			return n
		}
		e.expect(batch(models.RoleCoordinator, items, "id"), 403, "forbidden")
		r := batch("gub", append(items[:1:1], map[string]any{"commitment_id": regional.ID, "slot": "regent"}), "en")
		e.expect(r, 422, "validation_failed")
		if got := r.fields(t)["items[1]"]; got != "This signature slot is not assigned to you." {
			t.Fatalf("the refused item: %q", got)
		}
		if acts() != 0 {
			t.Fatal("a refused batch signed something")
		}
		var out struct {
			Results []struct {
				CommitmentID int64 `json:"commitment_id"`
				Slot, Status string
			}
		}
		e.mustOK(batch("gub", items, "id")).decode(t, &out)
		if len(out.Results) != 2 || out.Results[0].CommitmentID != joint.ID || out.Results[1].Status != "signed" || acts() != 2 {
			t.Fatalf("the batch: %+v, %d acts", out, acts())
		}
		r = batch("gub", items, "id")
		e.expect(r, 422, "validation_failed")
		if got := r.fields(t)["items[0]"]; got != "Slot ini sudah ditandatangani." {
			t.Fatalf("signing the batch again: %q", got)
		}
		e.mustOK(e.call("GET", "/api/v1/commitments?waiting=true", "gub", nil)).decode(t, &waiting)
		if len(waiting) != 0 {
			t.Fatalf("still waiting for the governor: %d", len(waiting))
		}
	})
}

// TestOCSPAndCRL: the installation CA's OCSP responder (POST and GET forms) and CRL, before and
// after an admin revokes a signer's key.
func TestOCSPAndCRL(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		sg := cmSigning(t, e)
		cmSignatory(t, e, "gub", "H. Sutan Sabara")
		e.mustOK(e.call("PUT", "/api/v1/me/signing-key", "gub", map[string]string{"passphrase": "frasa-gub-rahasia"}))
		cert := cmCertificate(t, e, "gub")
		query, err := ocsp.CreateRequest(cert, sg.CA.Cert, nil)
		if err != nil {
			t.Fatal(err)
		}
		status := func() (post, get int) {
			t.Helper()
			req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/signing/ocsp", bytes.NewReader(query))
			req.Header.Set("Content-Type", "application/ocsp-request")
			r := e.do(req)
			if r.Status != 200 || r.Header.Get("Content-Type") != "application/ocsp-response" {
				t.Fatalf("OCSP POST: %d %s", r.Status, r.Header)
			}
			a, err := ocsp.ParseResponseForCert(r.Body, cert, sg.CA.Cert)
			if err != nil {
				t.Fatal(err)
			}
			r = e.call("GET", "/api/v1/signing/ocsp/"+url.PathEscape(base64.StdEncoding.EncodeToString(query)), asAnonymous, nil)
			b, err := ocsp.ParseResponseForCert(r.Body, cert, sg.CA.Cert)
			if err != nil {
				t.Fatalf("OCSP GET: %d %v", r.Status, err)
			}
			return a.Status, b.Status
		}
		revoked := func() bool {
			t.Helper()
			r := e.mustOK(e.call("GET", "/api/v1/signing/crl", asAnonymous, nil))
			crl, err := x509.ParseRevocationList(r.Body)
			if err != nil || crl.CheckSignatureFrom(sg.CA.Cert) != nil {
				t.Fatalf("the CRL: %v", err)
			}
			for _, en := range crl.RevokedCertificateEntries {
				if en.SerialNumber.Cmp(cert.SerialNumber) == 0 {
					return true
				}
			}
			return false
		}
		if a, b := status(); a != ocsp.Good || b != ocsp.Good || revoked() {
			t.Fatalf("before the revocation: %d %d", a, b)
		}
		req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/signing/ocsp", strings.NewReader("bukan permintaan"))
		if r := e.do(req); r.Status != http.StatusUnsupportedMediaType {
			t.Fatalf("an OCSP request without its content type: %d %s", r.Status, r.Body)
		}
		req, _ = http.NewRequest("POST", e.srv.URL+"/api/v1/signing/ocsp", strings.NewReader("bukan permintaan"))
		req.Header.Set("Content-Type", "application/ocsp-request")
		if r := e.do(req); r.Status != 200 || !bytes.Equal(r.Body, ocsp.MalformedRequestErrorResponse) {
			t.Fatalf("a malformed OCSP request: %d %x", r.Status, r.Body)
		}
		e.expect(e.call("GET", "/api/v1/signing/ocsp/bukan!base64", asAnonymous, nil), 400, "bad_request")

		revoke := fmt.Sprintf("/api/v1/users/%d/signing-key/revoke", e.users["gub"].ID)
		e.expect(e.call("POST", revoke, models.RoleAdmin, map[string]string{"reason": "lupa"}), 422, "validation_failed")
		if r := e.call("POST", revoke, models.RoleAdmin, map[string]string{"reason": "key_compromise"}); r.Status != http.StatusNoContent {
			t.Fatalf("revoke: %d %s", r.Status, r.Body)
		}
		if a, b := status(); a != ocsp.Revoked || b != ocsp.Revoked || !revoked() {
			t.Fatalf("after the revocation: %d %d", a, b)
		}
		e.expect(e.call("POST", revoke, models.RoleAdmin, map[string]string{"reason": "key_compromise"}), 404, "not_found")
		e.expect(e.call("GET", "/api/v1/me/signing-key", "gub", nil), 404, "not_found")
	})
}
