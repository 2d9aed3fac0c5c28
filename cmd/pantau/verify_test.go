package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jung-kurt/gofpdf"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/reports/pdfsign"
	"github.com/pantau-id/pantau/reports/pdfsign/pdfsigntest"
)

// verifySample signs a small PDF twice with certificates of the installation CA in caDir,
// timestamped by ts when it is not nil.
func verifySample(t *testing.T, caDir string, ts pdfsign.Timestamper) []byte {
	t.Helper()
	ca, err := models.OpenCA(caDir, "Uji", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	p := gofpdf.New("P", "mm", "A4", "")
	p.AddPage()
	p.SetFont("Helvetica", "", 12)
	p.Cell(80, 10, "Komitmen PTSP Prima")
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		t.Fatal(err)
	}
	pdf := buf.Bytes()
	fields := []pdfsign.Field{{Name: "regent", Page: 1, Rect: pdfsign.Rect{X1: 50, Y1: 100, X2: 250, Y2: 170}},
		{Name: "governor", Page: 1, Rect: pdfsign.Rect{X1: 300, Y1: 100, X2: 500, Y2: 170}}}
	for i, who := range []string{"Yudhistira", "Sutan Sabara"} {
		key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		cert, err := ca.Issue(key.Public(), who, "Bupati Seruyan", "x@pantau.id", time.Now())
		if err != nil {
			t.Fatal(err)
		}
		req := pdfsign.Request{Field: fields[i].Name, FieldLabel: "Bupati Seruyan", Signer: key, Chain: []*x509.Certificate{cert, ca.Cert},
			Name: who, Reason: "Tanda tangan", Time: time.Now(), Timestamper: ts}
		if i == 0 {
			req.NewFields, req.Certify = fields, true
		}
		if pdf, err = pdfsign.SignContext(context.Background(), pdf, req); err != nil {
			t.Fatal(err)
		}
	}
	return pdf
}

func TestVerifyCommand(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"PANTAU_DATA_DIR": dir}
	pdf := verifySample(t, filepath.Join(dir, "ca"), nil)
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}

	code, out, errOut := cli(t, env, "", "verify", write("signed.pdf", pdf))
	if code != 0 || !strings.Contains(out, "Result: VALID") || !strings.Contains(out, "1. regent — Yudhistira (Tanda tangan)") ||
		!strings.Contains(out, "capacity:    Bupati Seruyan") || !strings.Contains(out, "only later signatures filling existing fields") ||
		!strings.Contains(out, "certifies the document") || !strings.Contains(out, "level:       B-B") || strings.Contains(out, "timestamp:") {
		t.Fatalf("valid file: exit %d\n%s%s", code, out, errOut)
	}

	tampered := append([]byte(nil), pdf...)
	tampered[bytes.Index(tampered, []byte("/MediaBox"))+11] ^= 0x01
	code, out, _ = cli(t, env, "", "verify", write("tampered.pdf", tampered))
	if code != 1 || !strings.Contains(out, "NOT VALID") || !strings.Contains(out, "signature:   BROKEN") {
		t.Fatalf("tampered file: exit %d\n%s", code, out)
	}

	code, out, _ = cli(t, env, "", "verify", write("appended.pdf", append(append([]byte(nil), pdf...), "% later\n"...)))
	if code != 1 || !strings.Contains(out, "modified after its last signature") || !strings.Contains(out, "CHANGED") {
		t.Fatalf("appended file: exit %d\n%s", code, out)
	}

	// Without the CA the signatures are intact but not trusted.
	code, out, _ = cli(t, map[string]string{"PANTAU_DATA_DIR": t.TempDir()}, "", "verify", write("signed.pdf", pdf))
	if code != 1 || !strings.Contains(out, "NOT TRUSTED (signed bytes intact") || !strings.Contains(out, "no trusted certificate authority") {
		t.Fatalf("no CA: exit %d\n%s", code, out)
	}
	if code, _, _ := cli(t, env, "", "verify"); code != 2 {
		t.Fatalf("no file: exit %d", code)
	}
}

// TestVerifyLongTerm: six years on (--at), when the signers' certificates have expired,
// timestamped signatures stay valid once the TSA's root is trusted (--tsa-ca), and untimestamped
// ones are intact but no longer trusted.
func TestVerifyLongTerm(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"PANTAU_DATA_DIR": dir}
	tsa := pdfsigntest.NewOpenSSLTSA(t)
	stamped := pdfsigntest.WriteTemp(t, "stamped.pdf", verifySample(t, filepath.Join(dir, "ca"), pdfsign.TSAClient{URL: tsa.URL}))
	plain := pdfsigntest.WriteTemp(t, "plain.pdf", verifySample(t, filepath.Join(dir, "ca"), nil))
	tsaRoot := pdfsigntest.WriteTemp(t, "tsa.pem", pdfsigntest.PEM(tsa.Root.Cert))
	later := time.Now().AddDate(6, 0, 0).UTC().Format(time.RFC3339)

	code, out, errOut := cli(t, env, "", "verify", "--tsa-ca", tsaRoot, "--at", later, stamped)
	if code != 0 || !strings.Contains(out, "level:       B-T") || !strings.Contains(out, "by OpenSSL Test TSA (trusted)") || !strings.Contains(out, "Result: VALID") {
		t.Fatalf("timestamped, six years on: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, _ := cli(t, env, "", "verify", "--at", later, stamped); code != 1 || !strings.Contains(out, "(NOT trusted)") {
		t.Fatalf("timestamped without trusting the TSA, six years on: exit %d\n%s", code, out)
	}
	if code, out, _ := cli(t, map[string]string{"PANTAU_DATA_DIR": dir, "PANTAU_TSA_CA_FILE": tsaRoot}, "", "verify", stamped); code != 0 {
		t.Fatalf("PANTAU_TSA_CA_FILE today: exit %d\n%s", code, out)
	}
	if code, out, _ := cli(t, env, "", "verify", "--tsa-ca", tsaRoot, "--at", later, plain); code != 1 || !strings.Contains(out, "NOT TRUSTED") {
		t.Fatalf("untimestamped, six years on: exit %d\n%s", code, out)
	}
	if code, _, errOut := cli(t, env, "", "verify", "--at", "tomorrow", plain); code == 0 || !strings.Contains(errOut, "RFC 3339") {
		t.Fatalf("a bad --at: exit %d %s", code, errOut)
	}
}
