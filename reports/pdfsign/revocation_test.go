package pdfsign_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ocsp"

	"github.com/pantau-id/pantau/reports/pdfsign"
	"github.com/pantau-id/pantau/reports/pdfsign/pdfsigntest"
)

// TestCRL: the CA's revocation list, checked by OpenSSL.
func TestCRL(t *testing.T) {
	in := newInstallation(t)
	good := in.issue(t, "Baik", time.Now().AddDate(1, 0, 0))
	bad := in.issue(t, "Dicabut", time.Now().AddDate(1, 0, 0))
	revokedAt := time.Now().Add(-time.Hour).Truncate(time.Second)
	der, err := pdfsign.CRL(in.ca.Cert, in.ca.Key, []pdfsign.Revoked{{Serial: bad.Chain[0].SerialNumber, RevokedAt: revokedAt, Reason: ocsp.KeyCompromise}},
		big.NewInt(7), time.Now(), time.Now().AddDate(0, 0, 7))
	if err != nil {
		t.Fatal(err)
	}
	openssl := pdfsigntest.Tool(t, "openssl")
	out, err := exec.Command(openssl, "crl", "-inform", "DER", "-in", pdfsigntest.WriteTemp(t, "ca.crl", der), "-CAfile",
		pdfsigntest.WriteTemp(t, "ca.pem", pdfsigntest.PEM(in.ca.Cert)), "-noout", "-text").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "verify OK") || !strings.Contains(string(out), "Key Compromise") ||
		!strings.Contains(strings.ToUpper(string(out)), strings.ToUpper(bad.Chain[0].SerialNumber.Text(16))) ||
		strings.Contains(strings.ToUpper(string(out)), strings.ToUpper(good.Chain[0].SerialNumber.Text(16))) {
		t.Fatalf("openssl crl (%v):\n%s", err, out)
	}
}

// TestOCSPResponder: good, revoked, unknown, another CA's certificate and garbage, read back
// with golang.org/x/crypto/ocsp and OpenSSL.
func TestOCSPResponder(t *testing.T) {
	ctx := context.Background()
	in := newInstallation(t)
	good := in.issue(t, "Baik", time.Now().AddDate(1, 0, 0))
	bad := in.issue(t, "Dicabut", time.Now().AddDate(1, 0, 0))
	revokedAt := time.Now().Add(-time.Hour).Truncate(time.Second)
	in.issued[bad.Chain[0].SerialNumber.String()] = &pdfsign.Revoked{Serial: bad.Chain[0].SerialNumber, RevokedAt: revokedAt, Reason: ocsp.Superseded}
	_, stranger := in.ca.Issue(t, "Tidak Tercatat", false) // issued by the CA's key but not on record
	other := pdfsigntest.NewCA(t)
	_, foreign := other.Issue(t, "Asing", false)

	for _, c := range []struct {
		name   string
		req    pdfsign.Request
		status int
	}{
		{"good", good, ocsp.Good}, {"revoked", bad, ocsp.Revoked}, {"unknown", pdfsign.Request{Chain: stranger}, ocsp.Unknown},
	} {
		query, err := ocsp.CreateRequest(c.req.Chain[0], in.ca.Cert, &ocsp.RequestOptions{Hash: crypto.SHA256})
		if err != nil {
			t.Fatal(err)
		}
		raw, err := in.responder.Respond(ctx, query)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := ocsp.ParseResponseForCert(raw, c.req.Chain[0], in.ca.Cert)
		if err != nil || resp.Status != c.status {
			t.Fatalf("%s: %v %+v", c.name, err, resp)
		}
		if c.status == ocsp.Revoked && !resp.RevokedAt.Equal(revokedAt) {
			t.Fatalf("revoked at %v", resp.RevokedAt)
		}
		out, err := exec.Command(pdfsigntest.Tool(t, "openssl"), "ocsp", "-respin", pdfsigntest.WriteTemp(t, "r.der", raw),
			"-CAfile", pdfsigntest.WriteTemp(t, "ca.pem", pdfsigntest.PEM(in.ca.Cert)), "-sha256", "-issuer", pdfsigntest.WriteTemp(t, "i.pem", pdfsigntest.PEM(in.ca.Cert)),
			"-cert", pdfsigntest.WriteTemp(t, "c.pem", pdfsigntest.PEM(c.req.Chain[0]))).CombinedOutput()
		if err != nil || !strings.Contains(string(out), "Response verify OK") || !strings.Contains(string(out), ": "+c.name) {
			t.Fatalf("openssl ocsp, %s (%v):\n%s", c.name, err, out)
		}
	}
	query, _ := ocsp.CreateRequest(foreign[0], other.Cert, nil)
	raw, err := in.responder.Respond(ctx, query)
	var re ocsp.ResponseError
	if _, perr := ocsp.ParseResponse(raw, nil); err != nil || !errors.As(perr, &re) || re.Status != ocsp.Unauthorized {
		t.Fatalf("another CA's certificate: %v %v", err, perr)
	}
	raw, err = in.responder.Respond(ctx, []byte("not a request"))
	if _, perr := ocsp.ParseResponse(raw, nil); err != nil || !errors.As(perr, &re) || re.Status != ocsp.Malformed {
		t.Fatalf("garbage: %v %v", err, perr)
	}
}

// TestOnlineRevocation fetches revocation data where a certificate says: its OCSP responder
// over HTTP, else its CRL distribution point.
func TestOnlineRevocation(t *testing.T) {
	ctx := context.Background()
	in := newInstallation(t)
	crl, err := pdfsign.CRL(in.ca.Cert, in.ca.Key, nil, big.NewInt(1), time.Now(), time.Now().AddDate(0, 0, 7))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/ca.crl" {
			w.Write(crl)
			return
		}
		body, _ := io.ReadAll(r.Body)
		resp, err := in.responder.Respond(r.Context(), body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Write(resp)
	}))
	defer srv.Close()
	certFor := func(ocspURL, crlURL string) *x509.Certificate {
		key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: "Daring"},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().AddDate(1, 0, 0), KeyUsage: x509.KeyUsageDigitalSignature}
		if ocspURL != "" {
			tmpl.OCSPServer = []string{ocspURL}
		}
		if crlURL != "" {
			tmpl.CRLDistributionPoints = []string{crlURL}
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, in.ca.Cert, key.Public(), in.ca.Key)
		if err != nil {
			t.Fatal(err)
		}
		cert, _ := x509.ParseCertificate(der)
		in.issued[cert.SerialNumber.String()] = nil
		return cert
	}
	online := pdfsign.OnlineRevocation{}
	rev, err := online.Revocation(ctx, certFor(srv.URL+"/ocsp", ""), in.ca.Cert)
	if err != nil || len(rev.OCSPs) != 1 || len(rev.CRLs) != 0 {
		t.Fatalf("OCSP over HTTP: %v %+v", err, rev)
	}
	rev, err = online.Revocation(ctx, certFor("", srv.URL+"/ca.crl"), in.ca.Cert)
	if err != nil || len(rev.CRLs) != 1 || len(rev.OCSPs) != 0 {
		t.Fatalf("CRL over HTTP: %v %+v", err, rev)
	}
	if rev, err := online.Revocation(ctx, certFor("", ""), in.ca.Cert); err != nil || len(rev.CRLs)+len(rev.OCSPs) != 0 {
		t.Fatalf("no URL: %v %+v", err, rev)
	}
	if _, err := (pdfsign.TSAClient{URL: srv.URL + "/nothing"}).Timestamp(ctx, make([]byte, 32)); err == nil {
		t.Fatal("a TSA answering garbage was accepted")
	}
}
