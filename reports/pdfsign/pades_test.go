package pdfsign_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/digitorus/timestamp"

	"github.com/pantau-id/pantau/reports/pdfsign"
	"github.com/pantau-id/pantau/reports/pdfsign/pdfsigntest"
)

// installation is the installation's CA with its OCSP responder, as the server will run it.
type installation struct {
	ca        *pdfsigntest.CA
	responder *pdfsign.OCSPResponder
	mu        sync.Mutex
	issued    map[string]*pdfsign.Revoked // serial → revocation (nil: good)
}

func newInstallation(t *testing.T) *installation {
	in := &installation{ca: pdfsigntest.NewCA(t), issued: map[string]*pdfsign.Revoked{}}
	in.responder = &pdfsign.OCSPResponder{CA: in.ca.Cert, Signer: in.ca.Key, Status: func(_ context.Context, serial *big.Int) (pdfsign.CertStatus, error) {
		in.mu.Lock()
		defer in.mu.Unlock()
		r, ok := in.issued[serial.String()]
		return pdfsign.CertStatus{Issued: ok, Revoked: r}, nil
	}}
	return in
}

func (in *installation) issue(t *testing.T, name string, notAfter time.Time) pdfsign.Request {
	key, chain := in.ca.IssueUntil(t, name, notAfter)
	in.mu.Lock()
	in.issued[chain[0].SerialNumber.String()] = nil
	in.mu.Unlock()
	return pdfsign.Request{Signer: key, Chain: chain, Name: name}
}

func pool(certs ...*x509.Certificate) *x509.CertPool {
	p := x509.NewCertPool()
	for _, c := range certs {
		p.AddCert(c)
	}
	return p
}

// TestPAdESLongTerm: three signatures, each timestamped by an independent TSA (OpenSSL) and
// followed by validation data (B-LT), then a document timestamp (B-LTA). pdfsig, openssl cms,
// openssl ts and Verify are asked after every step; then the signer certificates expire and
// the signatures stay trusted through their timestamps and the DSS, while a B-B signature
// does not.
func TestPAdESLongTerm(t *testing.T) {
	ctx := context.Background()
	in := newInstallation(t)
	tsa := pdfsigntest.NewOpenSSLTSA(t)
	tsaCRL, err := pdfsign.CRL(tsa.Root.Cert, tsa.Root.Key, nil, big.NewInt(1), time.Now().Add(-time.Minute), time.Now().AddDate(0, 0, 7))
	if err != nil {
		t.Fatal(err)
	}
	revocation := pdfsign.RevocationSources{in.responder, pdfsign.CRLs{tsaCRL}}
	nss := pdfsigntest.NSSDB(t, in.ca.Cert, tsa.Root.Cert)
	roots, tsaRoots := pool(in.ca.Cert), pool(tsa.Root.Cert)
	expiry := time.Now().Add(24 * time.Hour)

	pdf := samplePDF(t, 2)
	steps := []struct{ field, name, reason string }{
		{"regent", "Yudhistira", "Tanda tangan"}, {"dprd_chair", "Zulkifli Eka Putra", "Paraf"}, {"governor", "Sutan Sabara", "Tanda tangan"},
	}
	for i, st := range steps {
		req := in.issue(t, st.name, expiry)
		req.Field, req.Reason, req.Time = st.field, st.reason, time.Now()
		req.Timestamper = pdfsign.TSAClient{URL: tsa.URL}
		req.Appearance = pdfsign.Appearance{PNG: scribble(t), Lines: []string{"Ditandatangani secara elektronik oleh", st.name, "Kepala Daerah — pukul 10.00 WIB"}}
		if i == 0 {
			req.NewFields, req.Certify = slots, true
		}
		signed, err := pdfsign.SignContext(ctx, pdf, req)
		if err != nil {
			t.Fatalf("sign %s: %v", st.field, err)
		}
		if pdf, err = pdfsign.AddValidationData(ctx, signed, revocation); err != nil {
			t.Fatalf("validation data after %s: %v", st.field, err)
		}
		if !bytes.HasPrefix(pdf, signed) {
			t.Fatal("the validation data rewrote the signed file")
		}
		pdfsigntest.QPDFCheck(t, pdf)
		text, sigs := pdfsigntest.Pdfsig(t, pdf, nss)
		if len(sigs) != i+1 {
			t.Fatalf("pdfsig sees %d signatures after step %d:\n%s", len(sigs), i+1, text)
		}
		for j, s := range sigs {
			if s.Validation != "Signature is Valid." || s.Certificate != "Certificate is Trusted." || !strings.Contains(s.Raw, "ETSI.CAdES.detached") {
				t.Fatalf("pdfsig, signature %d after step %d:\n%s", j+1, i+1, text)
			}
		}
		rep := pdfsign.Verify(pdf, roots, pdfsign.TimestampRoots(tsaRoots))
		if !rep.Valid() || len(rep.Signatures) != i+1 || !rep.ValidationData || rep.ModifiedAfterSigning {
			t.Fatalf("Verify after step %d: %+v", i+1, rep)
		}
		for j, s := range rep.Signatures {
			want := pdfsign.ChangedSignaturesOnly
			if s.Level != pdfsign.LevelBLT || s.Trust != pdfsign.TrustTrusted || s.Changes != want || s.Timestamp == nil || !s.Timestamp.Trusted ||
				s.Timestamp.Authority != "OpenSSL Test TSA" || !s.ValidatedAt.Equal(s.Timestamp.Time) {
				t.Fatalf("Verify, signature %d after step %d: %+v %+v", j+1, i+1, s, s.Timestamp)
			}
		}
	}
	if tsa.Requests != 3 {
		t.Fatalf("the TSA issued %d timestamps", tsa.Requests)
	}

	// OpenSSL checks each CMS and each token on its own.
	rep := pdfsign.Verify(pdf, roots, pdfsign.TimestampRoots(tsaRoots))
	for _, s := range rep.Signatures {
		content, cms := pdfsigntest.SignedParts(t, pdf, s.ByteRange)
		if out, ok := pdfsigntest.OpenSSLCMSVerify(t, cms, content, time.Time{}, in.ca.Cert); !ok {
			t.Fatalf("openssl cms -verify %s: %s", s.Field, out)
		}
		token, imprint := pdfsigntest.SignatureToken(t, cms)
		if out, ok := pdfsigntest.OpenSSLTSVerify(t, token, imprint, time.Time{}, tsa.Root.Cert); !ok {
			t.Fatalf("openssl ts -verify %s: %s", s.Field, out)
		}
		other := sha256.Sum256([]byte("another signature"))
		if _, ok := pdfsigntest.OpenSSLTSVerify(t, token, other[:], time.Time{}, tsa.Root.Cert); ok {
			t.Fatal("openssl ts -verify accepts the token for another digest")
		}
	}

	// A document timestamp over the DSS: B-LTA.
	lta, err := pdfsign.AddDocumentTimestamp(ctx, pdf, pdfsign.TSAClient{URL: tsa.URL}, 0)
	if err != nil {
		t.Fatal(err)
	}
	pdfsigntest.QPDFCheck(t, lta)
	rep = pdfsign.Verify(lta, roots, pdfsign.TimestampRoots(tsaRoots))
	if !rep.Valid() || len(rep.DocumentTimestamps) != 1 || !rep.DocumentTimestamps[0].Trusted {
		t.Fatalf("Verify with a document timestamp: %+v", rep)
	}
	for _, s := range rep.Signatures {
		if s.Level != pdfsign.LevelBLTA || s.Changes != pdfsign.ChangedSignaturesOnly {
			t.Fatalf("after the document timestamp: %+v", s)
		}
	}
	// poppler 22.12 lists the document timestamp but cannot check ETSI.RFC3161 ("Signature
	// Type: unknown"); the signatures before it stay valid, and OpenSSL checks the token.
	text, sigs := pdfsigntest.Pdfsig(t, lta, nss)
	if len(sigs) != 4 || !strings.Contains(sigs[3].Raw, "timestamp_4") {
		t.Fatalf("pdfsig on the document timestamp:\n%s", text)
	}
	for j, s := range sigs[:3] {
		if s.Validation != "Signature is Valid." || s.Certificate != "Certificate is Trusted." {
			t.Fatalf("pdfsig, signature %d after the document timestamp:\n%s", j+1, text)
		}
	}
	t.Logf("pdfsig on the document timestamp:\n%s", sigs[3].Raw)
	content, token := pdfsigntest.SignedParts(t, lta, rep.DocumentTimestamps[0].ByteRange)
	digest := sha256.Sum256(content)
	if out, ok := pdfsigntest.OpenSSLTSVerify(t, token, digest[:], time.Time{}, tsa.Root.Cert); !ok {
		t.Fatalf("openssl ts -verify on the document timestamp: %s", out)
	}

	// A B-B signature by a signer whose certificate expires at the same time.
	req := in.issue(t, "Tanpa Cap Waktu", expiry)
	req.Field, req.Time = "x", time.Now()
	req.NewFields = []pdfsign.Field{{Name: "x", Page: 1, Rect: slots[0].Rect}}
	bb, err := pdfsign.Sign(samplePDF(t, 1), req)
	if err != nil {
		t.Fatal(err)
	}
	if r := pdfsign.Verify(bb, roots); !r.Valid() || r.Signatures[0].Level != pdfsign.LevelBB {
		t.Fatalf("B-B today: %+v", r)
	}

	// Two years on: the signer certificates have expired.
	later := time.Now().AddDate(2, 0, 0)
	rep = pdfsign.Verify(lta, roots, pdfsign.TimestampRoots(tsaRoots), pdfsign.At(later))
	if !rep.Valid() {
		t.Fatalf("B-LTA after expiry: %+v", rep)
	}
	for _, s := range rep.Signatures {
		if s.Trust != pdfsign.TrustTrusted || !s.ValidatedAt.Before(expiry) {
			t.Fatalf("after expiry: %+v", s)
		}
		content, cms := pdfsigntest.SignedParts(t, lta, s.ByteRange)
		if _, ok := pdfsigntest.OpenSSLCMSVerify(t, cms, content, later, in.ca.Cert); ok {
			t.Fatal("openssl cms -verify accepts an expired signer certificate: the test proves nothing")
		}
		token, imprint := pdfsigntest.SignatureToken(t, cms)
		if out, ok := pdfsigntest.OpenSSLTSVerify(t, token, imprint, later, tsa.Root.Cert); !ok {
			t.Fatalf("openssl ts -verify after expiry: %s", out)
		}
	}
	if r := pdfsign.Verify(bb, roots, pdfsign.At(later)); r.Valid() || r.Signatures[0].Trust != pdfsign.TrustUntrusted || !strings.Contains(r.Signatures[0].Problem, "expired") {
		t.Fatalf("B-B after expiry: %+v", r.Signatures[0])
	}
	// Without the TSA's root, the timestamp proves nothing and the signatures fall with their certificates.
	if r := pdfsign.Verify(pdf, roots, pdfsign.TimestampRoots(pool(in.ca.Cert)), pdfsign.At(later)); r.Valid() || r.Signatures[0].Trust != pdfsign.TrustUntrusted {
		t.Fatalf("untrusted TSA after expiry: %+v", r.Signatures[0])
	}
}

// TestRevokedSigner: validation data that says the signer was revoked before signing makes
// the signature untrusted; AddValidationData refuses without revocation data.
func TestRevokedSigner(t *testing.T) {
	ctx := context.Background()
	in := newInstallation(t)
	req := in.issue(t, "Dicabut", time.Now().AddDate(1, 0, 0))
	req.Field, req.Time = "regent", time.Now()
	req.NewFields = slots[:1]
	signed, err := pdfsign.Sign(samplePDF(t, 2), req)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pdfsign.AddValidationData(ctx, signed, pdfsign.CRLs{}); err == nil {
		t.Fatal("validation data without revocation data")
	}
	in.issued[req.Chain[0].SerialNumber.String()] = &pdfsign.Revoked{Serial: req.Chain[0].SerialNumber, RevokedAt: time.Now().Add(-time.Minute), Reason: 1}
	lt, err := pdfsign.AddValidationData(ctx, signed, in.responder)
	if err != nil {
		t.Fatal(err)
	}
	rep := pdfsign.Verify(lt, pool(in.ca.Cert))
	s := rep.Signatures[0]
	if rep.Valid() || !s.Intact || s.Trust != pdfsign.TrustUntrusted || !strings.Contains(s.Problem, "revoked") || s.Changes != pdfsign.ChangedSignaturesOnly {
		t.Fatalf("revoked signer: %+v", s)
	}
}

// TestLocalTSA: the installation's own TSA (for offline installations) timestamps signatures
// that openssl ts -verify accepts.
func TestLocalTSA(t *testing.T) {
	in := newInstallation(t)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := pdfsign.IssueTSACertificate(in.ca.Cert, in.ca.Key, key.Public(), pkix.Name{CommonName: "Pantau TSA"}, time.Now().Add(-time.Hour), time.Now().AddDate(5, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	clock := time.Now().UTC().Truncate(time.Second)
	local := pdfsign.LocalTSA{Cert: cert, Chain: []*x509.Certificate{in.ca.Cert}, Signer: key, Now: func() time.Time { return clock }}
	req := in.issue(t, "Penanda Tangan", time.Now().AddDate(1, 0, 0))
	req.Field, req.Time, req.Timestamper = "regent", time.Now(), local
	req.NewFields = slots[:1]
	pdf, err := pdfsign.Sign(samplePDF(t, 2), req)
	if err != nil {
		t.Fatal(err)
	}
	rep := pdfsign.Verify(pdf, pool(in.ca.Cert), pdfsign.At(clock.Add(time.Hour)))
	s := rep.Signatures[0]
	if !rep.Valid() || s.Level != pdfsign.LevelBT || s.Timestamp.Authority != "Pantau TSA" || !s.Timestamp.Time.Equal(clock) {
		t.Fatalf("local TSA: %+v %+v", s, s.Timestamp)
	}
	_, cms := pdfsigntest.SignedParts(t, pdf, s.ByteRange)
	token, imprint := pdfsigntest.SignatureToken(t, cms)
	if out, ok := pdfsigntest.OpenSSLTSVerify(t, token, imprint, clock.Add(time.Hour), in.ca.Cert); !ok {
		t.Fatalf("openssl ts -verify on the local TSA's token: %s", out)
	}
	// Served over HTTP, it answers an OpenSSL query that OpenSSL then verifies, and refuses garbage.
	openssl := pdfsigntest.Tool(t, "openssl")
	data := pdfsigntest.WriteTemp(t, "data.txt", []byte("komitmen"))
	query := pdfsigntest.WriteTemp(t, "q.tsq", nil)
	if out, err := exec.Command(openssl, "ts", "-query", "-data", data, "-sha256", "-cert", "-out", query).CombinedOutput(); err != nil {
		t.Fatalf("openssl ts -query: %v\n%s", err, out)
	}
	q, _ := os.ReadFile(query)
	resp, err := local.Respond(q)
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(openssl, "ts", "-verify", "-in", pdfsigntest.WriteTemp(t, "r.tsr", resp), "-queryfile", query,
		"-CAfile", pdfsigntest.WriteTemp(t, "ca.pem", pdfsigntest.PEM(in.ca.Cert)), "-attime", fmt.Sprint(clock.Add(time.Hour).Unix())).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "Verification: OK") {
		t.Fatalf("openssl ts -verify on the local TSA's reply (%v):\n%s", err, out)
	}
	if resp, err := local.Respond([]byte("nonsense")); err != nil || len(resp) == 0 {
		t.Fatalf("garbage request: %v", err)
	} else if _, err := timestamp.ParseResponse(resp); err == nil {
		t.Fatal("garbage request granted")
	}
}

// TestLegacyLevel: a signature as Pantau made them before PAdES reads as legacy.
func TestLegacyLevel(t *testing.T) {
	in := newInstallation(t)
	req := in.issue(t, "Lama", time.Now().AddDate(1, 0, 0))
	req.Field, req.Time, req.NewFields = "regent", time.Now(), slots[:1]
	pdf, err := pdfsign.SignLegacy(samplePDF(t, 2), req)
	if err != nil {
		t.Fatal(err)
	}
	rep := pdfsign.Verify(pdf, pool(in.ca.Cert))
	if !rep.Valid() || rep.Signatures[0].Level != pdfsign.LevelLegacy || rep.Signatures[0].SubFilter != "adbe.pkcs7.detached" {
		t.Fatalf("legacy: %+v", rep.Signatures[0])
	}
}
