package documents_test

import (
	"crypto/x509"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ocsp"

	"github.com/pantau-id/pantau/documents"
	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/reports/pdfsign"
	"github.com/pantau-id/pantau/reports/pdfsign/pdfsigntest"
)

// withTSA makes the desk's signatures timestamped by an independent time-stamping authority
// (OpenSSL's, over HTTP) whose root the service trusts for timestamps.
func (d *desk) withTSA() *pdfsigntest.OpenSSLTSA {
	d.t.Helper()
	tsa := pdfsigntest.NewOpenSSLTSA(d.t)
	d.docs.Signing.Timestamper = pdfsign.TSAClient{URL: tsa.URL}
	d.docs.Signing.TimestampRoots = append(d.docs.Signing.TimestampRoots, tsa.Root.Cert)
	return tsa
}

// act signs or initials a slot as u, whose passphrase is "frasa-" + login.
func (d *desk) act(c *models.Commitment, slot string, u *models.User, login string, mode models.SignMode) (*models.Commitment, error) {
	d.t.Helper()
	return d.docs.Sign(d.ctx, documents.SignRequest{Commitment: c, Slot: slot, User: u, ClientIP: "192.0.2.1",
		Input: documents.SignInput{Mode: mode, Passphrase: "frasa-" + login, SignaturePNG: drawing(d.t)}})
}

func (d *desk) mustAct(c *models.Commitment, slot string, u *models.User, login string, mode models.SignMode) *models.Commitment {
	d.t.Helper()
	out, err := d.act(c, slot, u, login, mode)
	if err != nil {
		d.t.Fatalf("%s %s by %s: %v", mode, slot, login, err)
	}
	return out
}

// TestCeremony runs the seed's ceremony with timestamps from an independent TSA: the vice
// regent, acting for the regent, may only initial; the coordinator then gives the slot to the
// regent, who signs later; the DPRD chair, the governor and both witnesses sign. Every act is
// a PAdES B-LT signature that pdfsig, openssl cms, openssl ts and VerifyFile accept; the
// document shows the paraf beside the regent's signature; and the signatures stay trusted
// after the signers' certificates expire (a simulated clock), while a B-B signature does not.
func TestCeremony(t *testing.T) {
	forEachDesk(t, func(t *testing.T, d *desk) {
		tsa := d.withTSA()
		c := d.prepare()
		wakil, regent := d.signer("wakil", "Iswanto"), d.signer("bupati", "Yulhaidir")
		dprd, governor := d.signer("dprd", "Zuli Eko Prasetyo"), d.signer("gubernur", "Sugianto Sabran")
		wagub, dprdProv := d.signer("wagub", "Habib Ismail"), d.signer("dprdprov", "Wiyatno")
		c, err := d.docs.AssignSlot(d.ctx, c.ID, "regent", models.AssignInput{UserEmail: wakil.Email, Name: wakil.Name, Title: "Wakil Bupati Seruyan"})
		if err != nil {
			t.Fatal(err)
		}
		if s := c.Slot("regent"); s.Capacity == nil || *s.Capacity != models.CapacityDeputy {
			t.Fatalf("the vice regent on the regent's slot: %+v", s)
		}

		// The deputy may not sign, only initial, and only once.
		if _, err := d.act(c, "regent", wakil, "wakil", models.ModeSign); !errors.Is(err, models.ErrDeputyInitialOnly) {
			t.Fatalf("a deputy signs: %v", err)
		}
		c = d.mustAct(c, "regent", wakil, "wakil", models.ModeInitial)
		if s := c.Slot("regent"); s.Status != models.SlotInitialled || c.Status != models.CommitmentPartiallySigned || len(s.Acts) != 1 ||
			s.Acts[0].Title != "Wakil Bupati Seruyan" || s.Acts[0].Capacity != models.CapacityDeputy {
			t.Fatalf("after the paraf: %s %+v", c.Status, s)
		}
		if _, err := d.act(c, "regent", wakil, "wakil", models.ModeInitial); !errors.Is(err, models.ErrSlotInitialled) {
			t.Fatalf("a second paraf: %v", err)
		}

		// The initialled slot stays open: the coordinator gives it to the regent, who signs.
		c = d.assign(c, "regent", regent)
		if _, err := d.act(c, "regent", wakil, "wakil", models.ModeInitial); !errors.Is(err, models.ErrNotYourSlot) {
			t.Fatalf("the deputy after the reassignment: %v", err)
		}
		for _, st := range []struct {
			slot, login string
			u           *models.User
		}{{"regent", "bupati", regent}, {"dprd_chair", "dprd", dprd}, {"governor", "gubernur", governor},
			{"witness_vice_governor", "wagub", wagub}, {"witness_dprd_province", "dprdprov", dprdProv}} {
			if st.slot != "regent" {
				c = d.assign(c, st.slot, st.u)
			}
			c = d.mustAct(c, st.slot, st.u, st.login, models.ModeSign)
		}
		if c.Status != models.CommitmentSigned || len(c.Slot("regent").Acts) != 2 || c.Slot("regent").Acts[1].Name != "Yulhaidir" {
			t.Fatalf("after the ceremony: %s %+v", c.Status, c.Slot("regent"))
		}
		if _, err := d.assign2(c, "regent", wakil); !errors.Is(err, models.ErrSlotSigned) {
			t.Fatalf("reassigning a signed slot: %v", err)
		}
		if tsa.Requests != 6 {
			t.Fatalf("the TSA stamped %d acts, want 6", tsa.Requests)
		}

		pdf := d.commitmentPDF(c)
		t.Logf("a paraf and five signatures at B-LT on %d pages: %d bytes", c.Pages, len(pdf))
		pdfsigntest.QPDFCheck(t, pdf)
		nss := pdfsigntest.NSSDB(t, d.docs.Signing.CA.Cert, tsa.Root.Cert)
		out, sigs := pdfsigntest.Pdfsig(t, pdf, nss)
		if len(sigs) != 6 {
			t.Fatalf("pdfsig sees %d signatures:\n%s", len(sigs), out)
		}
		for i, s := range sigs {
			if s.Validation != "Signature is Valid." || s.Certificate != "Certificate is Trusted." || !strings.Contains(s.Raw, "ETSI.CAdES.detached") {
				t.Fatalf("pdfsig, signature %d:\n%s", i+1, s.Raw)
			}
		}
		if fonts, ok := pdfsigntest.Pdffonts(t, pdf); !ok {
			t.Fatalf("pdffonts on the signed file:\n%s", fonts)
		}

		fc, err := d.docs.VerifyFile(d.ctx, pdf)
		if err != nil || !fc.Valid || fc.Status != string(models.CommitmentSigned) || len(fc.Signatures) != 6 {
			t.Fatalf("VerifyFile: %+v %v", fc, err)
		}
		wantActs := []struct {
			slot string
			mode models.SignMode
			name string
		}{{"regent", models.ModeInitial, "Iswanto"}, {"regent", models.ModeSign, "Yulhaidir"}, {"dprd_chair", models.ModeSign, "Zuli Eko Prasetyo"},
			{"governor", models.ModeSign, "Sugianto Sabran"}, {"witness_vice_governor", models.ModeSign, "Habib Ismail"}, {"witness_dprd_province", models.ModeSign, "Wiyatno"}}
		for i, s := range fc.Signatures {
			w := wantActs[i]
			if s.Slot != w.slot || s.Mode != w.mode || s.Name != w.name || s.Level != pdfsign.LevelBLT || s.Trust != pdfsign.TrustTrusted || !s.Valid ||
				s.TimestampedAt == nil || s.Changes == pdfsign.ChangedOther {
				t.Errorf("signature %d: %+v, want %+v at B-LT", i+1, s, w)
			}
		}
		if fc.Signatures[0].Capacity != "Paraf — Wakil Bupati Seruyan" || fc.Signatures[1].Capacity != "Bupati Seruyan" {
			t.Errorf("capacities: %q, %q", fc.Signatures[0].Capacity, fc.Signatures[1].Capacity)
		}

		// OpenSSL checks each CMS and its timestamp token on its own; the certificate names
		// the signer as printed.
		rep := pdfsign.Verify(pdf, nil)
		for i, s := range rep.Signatures {
			content, cms := pdfsigntest.SignedParts(t, pdf, s.ByteRange)
			if out, ok := pdfsigntest.OpenSSLCMSVerify(t, cms, content, time.Time{}, d.docs.Signing.CA.Cert); !ok {
				t.Fatalf("openssl cms -verify, signature %d: %s", i+1, out)
			}
			token, imprint := pdfsigntest.SignatureToken(t, cms)
			if out, ok := pdfsigntest.OpenSSLTSVerify(t, token, imprint, time.Time{}, tsa.Root.Cert); token == nil || !ok {
				t.Fatalf("openssl ts -verify, signature %d: %s", i+1, out)
			}
			if s.Certificate.Subject.CommonName != wantActs[i].name || models.CertificateTitle(s.Certificate) == "" {
				t.Errorf("signature %d's certificate: %s", i+1, s.Certificate.Subject)
			}
		}

		text := pdfText(t, pdf)
		for _, want := range []string{c.Number, "Paraf", "Iswanto", "Wakil Bupati Seruyan", "Yulhaidir", "pukul"} {
			if !strings.Contains(text, want) {
				t.Errorf("the signed document lacks %q", want)
			}
		}
		renderPNG(t, pdf, "ceremony-"+string(d.db.Dialect))

		// Six years on, every signer certificate (five years) has expired: the timestamps and the
		// validation data keep the signatures trusted, as OpenSSL agrees for the tokens.
		later := time.Now().AddDate(6, 0, 0)
		d.db.Now = func() time.Time { return later }
		if fc, err := d.docs.VerifyFile(d.ctx, pdf); err != nil || !fc.Valid {
			t.Fatalf("VerifyFile after the certificates expired: %+v %v", fc, err)
		}
		for i, s := range rep.Signatures {
			content, cms := pdfsigntest.SignedParts(t, pdf, s.ByteRange)
			if _, ok := pdfsigntest.OpenSSLCMSVerify(t, cms, content, later, d.docs.Signing.CA.Cert); ok {
				t.Fatalf("openssl cms -verify accepts signature %d with an expired certificate: the test proves nothing", i+1)
			}
			token, imprint := pdfsigntest.SignatureToken(t, cms)
			if out, ok := pdfsigntest.OpenSSLTSVerify(t, token, imprint, later, tsa.Root.Cert); !ok {
				t.Fatalf("openssl ts -verify, signature %d, six years on: %s", i+1, out)
			}
		}
	})
}

// assign2 is assign that returns the error.
func (d *desk) assign2(c *models.Commitment, slot string, u *models.User) (*models.Commitment, error) {
	return d.docs.AssignSlot(d.ctx, c.ID, slot, models.AssignInput{UserEmail: u.Email, Name: u.Name})
}

// TestBasicSignatureExpires: without a time-stamping authority a signature is B-B (still with
// the CA's OCSP answer in the file), and once its certificate has expired it is intact but no
// longer trusted.
func TestBasicSignatureExpires(t *testing.T) {
	forEachDesk(t, func(t *testing.T, d *desk) {
		c := d.prepare()
		regent := d.signer("bupati", "Yulhaidir")
		c = d.assign(c, "regent", regent)
		c = d.mustAct(c, "regent", regent, "bupati", models.ModeSign)
		pdf := d.commitmentPDF(c)
		fc, err := d.docs.VerifyFile(d.ctx, pdf)
		if err != nil || !fc.Valid || len(fc.Signatures) != 1 || fc.Signatures[0].Level != pdfsign.LevelBB || fc.Signatures[0].Trust != pdfsign.TrustTrusted {
			t.Fatalf("a B-B signature: %+v %v", fc, err)
		}
		if rep := pdfsign.Verify(pdf, nil); !rep.ValidationData {
			t.Fatal("no validation data after a signature")
		}
		later := time.Now().AddDate(6, 0, 0)
		d.db.Now = func() time.Time { return later }
		fc, err = d.docs.VerifyFile(d.ctx, pdf)
		if err != nil || fc.Valid || fc.Signatures[0].Trust != pdfsign.TrustUntrusted || !*fc.Signatures[0].Intact {
			t.Fatalf("a B-B signature six years on: %+v %v", fc.Signatures, err)
		}
	})
}

// TestDelegatedSignature: a deputy signs once the coordinator records the delegation (a.n.,
// with its document); the stamp and the act say "a.n. Bupati Seruyan, Wakil Bupati Seruyan".
// A delegation for the office holder, or without a document, is refused, and reassigning the
// slot lets the delegation lapse.
func TestDelegatedSignature(t *testing.T) {
	forEachDesk(t, func(t *testing.T, d *desk) {
		c := d.prepare()
		wakil := d.signer("wakil", "Iswanto")
		letter, err := d.docs.StoreDelegationDocument(strings.NewReader("%PDF-1.4\n% surat perintah\n"))
		if err != nil {
			t.Fatal(err)
		}
		var verr *models.ValidationError
		if _, err := d.docs.SetDelegation(d.ctx, c.ID, "regent", documents.DelegationUpload{Kind: models.DelegationAN, Reference: "800/12/2019", Filename: "sp.pdf", SHA256: letter}); !errors.As(err, &verr) {
			t.Fatalf("a delegation for an unassigned slot: %v", err)
		}
		c, err = d.docs.AssignSlot(d.ctx, c.ID, "regent", models.AssignInput{UserEmail: wakil.Email, Name: wakil.Name, Title: "Wakil Bupati Seruyan"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.docs.SetDelegation(d.ctx, c.ID, "regent", documents.DelegationUpload{Kind: models.DelegationAN, Reference: "800/12/2019"}); !errors.As(err, &verr) || verr.Fields["file"] == "" {
			t.Fatalf("a delegation without its document: %v", err)
		}
		if _, err := d.docs.StoreDelegationDocument(strings.NewReader("just words")); !errors.Is(err, models.ErrUnsupportedType) {
			t.Fatalf("a delegation document that is not a PDF or an image: %v", err)
		}
		c, err = d.docs.SetDelegation(d.ctx, c.ID, "regent", documents.DelegationUpload{Kind: models.DelegationAN, Reference: "800/12/2019", Filename: "sp.pdf", SHA256: letter})
		if err != nil {
			t.Fatal(err)
		}
		if s := c.Slot("regent"); s.Capacity == nil || *s.Capacity != models.CapacityDelegated || s.Delegation == nil || s.Delegation.Reference != "800/12/2019" {
			t.Fatalf("after the delegation: %+v", s)
		}
		f, dl, err := d.docs.DelegationDocument(c, "regent")
		if err != nil || dl.Filename != "sp.pdf" {
			t.Fatalf("the delegation's document: %+v %v", dl, err)
		}
		f.Close()
		c = d.mustAct(c, "regent", wakil, "wakil", models.ModeSign)
		s := c.Slot("regent")
		if s.Status != models.SlotSigned || s.Acts[0].Title != "a.n. Bupati Seruyan, Wakil Bupati Seruyan" || s.Acts[0].Capacity != models.CapacityDelegated {
			t.Fatalf("the delegated signature: %+v", s)
		}
		text := pdfText(t, d.commitmentPDF(c))
		for _, want := range []string{"a.n. Bupati Seruyan, Wakil Bupati Seruyan", "800/12/2019"} {
			if !strings.Contains(text, want) {
				t.Errorf("the stamp lacks %q", want)
			}
		}
		code, err := d.docs.VerifyCode(d.ctx, c.VerificationCode)
		if err != nil || len(code.Signatures) != 1 || code.Signatures[0].Capacity != models.CapacityDelegated {
			t.Fatalf("by code: %+v %v", code, err)
		}

		// On another slot, a reassignment drops the delegation.
		other := d.signer("plt", "Pelaksana Tugas")
		c, err = d.docs.AssignSlot(d.ctx, c.ID, "dprd_chair", models.AssignInput{UserEmail: other.Email, Name: other.Name, Title: "Wakil Ketua DPRD Seruyan"})
		if err != nil {
			t.Fatal(err)
		}
		if c, err = d.docs.SetDelegation(d.ctx, c.ID, "dprd_chair", documents.DelegationUpload{Kind: models.DelegationSuratKuasa, Reference: "SK 1/2019", Filename: "sk.pdf",
			SHA256: letter}); err != nil {
			t.Fatal(err)
		}
		c = d.assign(c, "dprd_chair", other)
		if s := c.Slot("dprd_chair"); s.Delegation != nil || s.Capacity == nil || *s.Capacity != models.CapacityPrincipal {
			t.Fatalf("after reassignment in the office's own title: %+v", s)
		}
		if _, err := d.docs.SetDelegation(d.ctx, c.ID, "dprd_chair", documents.DelegationUpload{Kind: models.DelegationAN, Reference: "X", Filename: "x.pdf",
			SHA256: letter}); !errors.As(err, &verr) || verr.Fields["slot"] != "delegation_principal" {
			t.Fatalf("a delegation for the office holder: %v", err)
		}
	})
}

// TestVoidAndReplace: a coordinator voids a partly signed commitment with a reason; signing and
// assigning it are refused; its file, by upload or by code, answers void with the reason, and
// names the replacement's code once the new commitment for the same region and year exists.
func TestVoidAndReplace(t *testing.T) {
	forEachDesk(t, func(t *testing.T, d *desk) {
		c := d.prepare()
		regent, dprd := d.signer("bupati", "Yulhaidir"), d.signer("dprd", "Zuli Eko Prasetyo")
		d.assign(c, "regent", regent)
		c = d.assign(c, "dprd_chair", dprd)
		c = d.mustAct(c, "regent", regent, "bupati", models.ModeSign)
		signed := d.commitmentPDF(c)

		var verr *models.ValidationError
		if _, err := d.db.VoidCommitment(d.ctx, c.ID, models.VoidInput{Reason: "  "}, d.coordinator); !errors.As(err, &verr) || verr.Fields["reason"] == "" {
			t.Fatalf("voiding without a reason: %v", err)
		}
		v, err := d.db.VoidCommitment(d.ctx, c.ID, models.VoidInput{Reason: "Salah ketik nama Ketua DPRD"}, d.coordinator)
		if err != nil || v.Status != models.CommitmentVoid || v.ReplacementCode != nil {
			t.Fatalf("void: %+v %v", v, err)
		}
		if _, err := d.db.VoidCommitment(d.ctx, c.ID, models.VoidInput{Reason: "lagi"}, d.coordinator); !errors.Is(err, models.ErrCommitmentVoid) {
			t.Fatalf("voiding twice: %v", err)
		}
		if _, err := d.act(v, "dprd_chair", dprd, "dprd", models.ModeSign); !errors.Is(err, models.ErrCommitmentVoid) {
			t.Fatalf("signing a void commitment: %v", err)
		}
		if _, err := d.assign2(v, "governor", dprd); !errors.Is(err, models.ErrCommitmentVoid) {
			t.Fatalf("assigning on a void commitment: %v", err)
		}
		fc, err := d.docs.VerifyFile(d.ctx, signed)
		if err != nil || fc.Valid || fc.Status != string(models.CommitmentVoid) || fc.VoidReason != "Salah ketik nama Ketua DPRD" || fc.ReplacementCode != nil {
			t.Fatalf("the void file: %+v %v", fc, err)
		}

		replacement := d.prepare()
		if replacement.Number == c.Number || replacement.VerificationCode == c.VerificationCode {
			t.Fatalf("the replacement took the void one's number or code: %s %s", replacement.Number, replacement.VerificationCode)
		}
		byCode, err := d.docs.VerifyCode(d.ctx, c.VerificationCode)
		if err != nil || byCode.Status != string(models.CommitmentVoid) || byCode.ReplacementCode == nil || *byCode.ReplacementCode != replacement.VerificationCode ||
			len(byCode.Signatures) != 1 {
			t.Fatalf("the void commitment by code: %+v %v", byCode, err)
		}
		if _, err := d.docs.CreateCommitment(d.ctx, models.CommitmentInput{RegionCode: "62.08", Year: 2019}, d.coordinator); !errors.Is(err, models.ErrConflict) {
			t.Fatalf("a third commitment beside the replacement: %v", err)
		}
	})
}

// renderPNG renders a PDF's pages to PNG under PANTAU_UI_SHOTS (when set), to look at.
func renderPNG(t *testing.T, pdf []byte, name string) {
	t.Helper()
	dir := os.Getenv("PANTAU_UI_SHOTS")
	if dir == "" {
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(pdfsigntest.Tool(t, "pdftoppm"), "-png", "-r", "80", pdfsigntest.WriteTemp(t, "doc.pdf", pdf), filepath.Join(dir, name)).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
}

// TestLocalTSAAndRevocation: an installation without an external TSA stamps with its own,
// whose certificate the CA issues once and its OCSP responder answers for, so signatures still
// reach B-LT; the CA's OCSP answers and CRL follow a revocation.
func TestLocalTSAAndRevocation(t *testing.T) {
	forEachDesk(t, func(t *testing.T, d *desk) {
		dir := t.TempDir()
		tsa, err := documents.OpenLocalTSA(d.ctx, d.db, d.docs.Signing.CA, dir)
		if err != nil {
			t.Fatal(err)
		}
		again, err := documents.OpenLocalTSA(d.ctx, d.db, d.docs.Signing.CA, dir)
		if err != nil || !again.Cert.Equal(tsa.Cert) {
			t.Fatalf("the local TSA opened again is another: %v", err)
		}
		d.docs.Signing.Timestamper = tsa
		c := d.prepare()
		regent := d.signer("bupati", "Yulhaidir")
		c = d.assign(c, "regent", regent)
		c = d.mustAct(c, "regent", regent, "bupati", models.ModeSign)
		pdf := d.commitmentPDF(c)
		fc, err := d.docs.VerifyFile(d.ctx, pdf)
		if err != nil || !fc.Valid || fc.Signatures[0].Level != pdfsign.LevelBLT {
			t.Fatalf("signed with the local TSA: %+v %v", fc, err)
		}
		s := pdfsign.Verify(pdf, nil).Signatures[0]
		_, cms := pdfsigntest.SignedParts(t, pdf, s.ByteRange)
		token, imprint := pdfsigntest.SignatureToken(t, cms)
		if out, ok := pdfsigntest.OpenSSLTSVerify(t, token, imprint, time.Time{}, d.docs.Signing.CA.Cert); !ok {
			t.Fatalf("openssl ts -verify on the local TSA's token: %s", out)
		}

		status := func() int {
			t.Helper()
			req, err := ocsp.CreateRequest(s.Certificate, d.docs.Signing.CA.Cert, nil)
			if err != nil {
				t.Fatal(err)
			}
			der, err := d.docs.OCSP(d.ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := ocsp.ParseResponseForCert(der, s.Certificate, d.docs.Signing.CA.Cert)
			if err != nil {
				t.Fatal(err)
			}
			return resp.Status
		}
		revokedInCRL := func() bool {
			t.Helper()
			der, err := d.docs.CRL(d.ctx)
			if err != nil {
				t.Fatal(err)
			}
			crl, err := x509.ParseRevocationList(der)
			if err != nil || crl.CheckSignatureFrom(d.docs.Signing.CA.Cert) != nil {
				t.Fatalf("the CRL: %v", err)
			}
			for _, e := range crl.RevokedCertificateEntries {
				if e.SerialNumber.Cmp(s.Certificate.SerialNumber) == 0 {
					return true
				}
			}
			return false
		}
		if status() != ocsp.Good || revokedInCRL() {
			t.Fatal("the signer's certificate is not good before its revocation")
		}
		if err := d.db.RevokeSigningKey(d.ctx, regent, "key_compromise"); err != nil {
			t.Fatal(err)
		}
		if status() != ocsp.Revoked || !revokedInCRL() {
			t.Fatal("the revoked certificate is not reported revoked")
		}
		// The signature made before stays valid: its validation data says the certificate was
		// good when the timestamp proves it signed.
		if fc, err := d.docs.VerifyFile(d.ctx, pdf); err != nil || !fc.Valid {
			t.Fatalf("the earlier signature after the revocation: %+v %v", fc, err)
		}
	})
}
