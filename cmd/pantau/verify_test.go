package main

import (
	"bytes"
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
)

// verifySample signs a small PDF twice with certificates of the installation CA in caDir.
func verifySample(t *testing.T, caDir string) []byte {
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
		cert, err := ca.Issue(key.Public(), who, "x@pantau.id", time.Now())
		if err != nil {
			t.Fatal(err)
		}
		req := pdfsign.Request{Field: fields[i].Name, FieldLabel: "Bupati Seruyan", Signer: key, Chain: []*x509.Certificate{cert, ca.Cert},
			Name: who, Reason: "Tanda tangan", Time: time.Now()}
		if i == 0 {
			req.NewFields, req.Certify = fields, true
		}
		if pdf, err = pdfsign.Sign(pdf, req); err != nil {
			t.Fatal(err)
		}
	}
	return pdf
}

func TestVerifyCommand(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"PANTAU_DATA_DIR": dir}
	pdf := verifySample(t, filepath.Join(dir, "ca"))
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}

	code, out, errOut := cli(t, env, "", "verify", write("signed.pdf", pdf))
	if code != 0 || !strings.Contains(out, "Result: VALID") || !strings.Contains(out, "1. regent — Yudhistira (Tanda tangan)") ||
		!strings.Contains(out, "capacity:    Bupati Seruyan") || !strings.Contains(out, "only later signatures were added") ||
		!strings.Contains(out, "certifies the document") {
		t.Fatalf("valid file: exit %d\n%s%s", code, out, errOut)
	}

	tampered := append([]byte(nil), pdf...)
	tampered[bytes.Index(tampered, []byte("/MediaBox"))+11] ^= 0x01
	code, out, _ = cli(t, env, "", "verify", write("tampered.pdf", tampered))
	if code != 1 || !strings.Contains(out, "NOT VALID") || !strings.Contains(out, "were changed") {
		t.Fatalf("tampered file: exit %d\n%s", code, out)
	}

	code, out, _ = cli(t, env, "", "verify", write("appended.pdf", append(append([]byte(nil), pdf...), "% later\n"...)))
	if code != 1 || !strings.Contains(out, "modified after its last signature") || !strings.Contains(out, "CHANGED") {
		t.Fatalf("appended file: exit %d\n%s", code, out)
	}

	// Without the CA the signatures are intact but not trusted.
	code, out, _ = cli(t, map[string]string{"PANTAU_DATA_DIR": t.TempDir()}, "", "verify", write("signed.pdf", pdf))
	if code != 1 || !strings.Contains(out, "signed bytes intact") || !strings.Contains(out, "no trusted certificate authority") {
		t.Fatalf("no CA: exit %d\n%s", code, out)
	}
	if code, _, _ := cli(t, env, "", "verify"); code != 2 {
		t.Fatalf("no file: exit %d", code)
	}
}
