package pdfsign_test

import (
	"context"
	"crypto"
	"errors"
	"math/big"
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
