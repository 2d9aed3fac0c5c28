package pdfsign_test

import (
	"bytes"
	"crypto/x509"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jung-kurt/gofpdf"

	"github.com/pantau-id/pantau/reports/pdfsign"
	"github.com/pantau-id/pantau/reports/pdfsign/pdfsigntest"
)

// samplePDF renders a plain gofpdf document of n pages.
func samplePDF(tb testing.TB, pages int) []byte {
	tb.Helper()
	p := gofpdf.New("P", "mm", "A4", "")
	p.SetCatalogSort(true)
	p.SetCreationDate(time.Date(2019, 3, 1, 9, 0, 0, 0, time.UTC))
	p.SetModificationDate(time.Date(2019, 3, 1, 9, 0, 0, 0, time.UTC))
	p.SetFont("Helvetica", "", 12)
	for i := 1; i <= pages; i++ {
		p.AddPage()
		p.MultiCell(0, 6, fmt.Sprintf("Komitmen PTSP Prima - halaman %d. %s", i, strings.Repeat("Pelayanan perizinan yang cepat dan transparan. ", 20)), "", "L", false)
		p.LinkString(20, 270, 40, 6, "https://pantau.example/verify")
	}
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// scribble is a drawn signature: a dark curve on a transparent background.
func scribble(tb testing.TB) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, 300, 100))
	for x := 10; x < 290; x++ {
		y := 50 + int(30*float64((x%60)-30)/30.0)
		for d := -2; d <= 2; d++ {
			img.Set(x, y+d, color.NRGBA{10, 20, 120, 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

var slots = []pdfsign.Field{
	{Name: "regent", Page: 2, Rect: pdfsign.Rect{X1: 60, Y1: 300, X2: 260, Y2: 380}},
	{Name: "dprd_chair", Page: 2, Rect: pdfsign.Rect{X1: 320, Y1: 300, X2: 520, Y2: 380}},
	{Name: "governor", Page: 2, Rect: pdfsign.Rect{X1: 190, Y1: 150, X2: 390, Y2: 230}},
}

// TestSignInTurn signs one document three times (the first certifies it and creates every
// field; one signer initials), checking after each step with qpdf, pdfsig and Verify.
func TestSignInTurn(t *testing.T) {
	ca := pdfsigntest.NewCA(t)
	nss := pdfsigntest.NSSDB(t, ca.Cert)
	roots := x509.NewCertPool()
	roots.AddCert(ca.Cert)

	pdf := samplePDF(t, 2)
	day := time.Now().Truncate(time.Second).In(time.FixedZone("WIB", 7*3600))
	steps := []struct {
		field, name, reason string
		rsa                 bool
	}{
		{"regent", "Yudhistira", "Tanda tangan", false},
		{"dprd_chair", "Zulkifli Eka Putra", "Paraf", true},
		{"governor", "Sutan Sabara", "Tanda tangan", false},
	}
	var sizes []int
	for i, st := range steps {
		key, chain := ca.Issue(t, st.name, st.rsa)
		req := pdfsign.Request{Field: st.field, Signer: key, Chain: chain, Name: st.name, Reason: st.reason,
			Location: "Palangka Raya", Time: day.AddDate(0, 0, 3*i),
			Appearance: pdfsign.Appearance{PNG: scribble(t), Lines: []string{st.name, st.reason + " " + day.AddDate(0, 0, 3*i).Format("02-01-2006 15:04")}}}
		if i == 0 {
			req.NewFields, req.Certify = slots, true
		}
		next, err := pdfsign.Sign(pdf, req)
		if err != nil {
			t.Fatalf("sign %s: %v", st.field, err)
		}
		if !bytes.HasPrefix(next, pdf) {
			t.Fatalf("sign %s rewrote earlier bytes", st.field)
		}
		sizes = append(sizes, len(next)-len(pdf))
		pdf = next
		pdfsigntest.QPDFCheck(t, pdf)
		text, sigs := pdfsigntest.Pdfsig(t, pdf, nss)
		if len(sigs) != i+1 {
			t.Fatalf("pdfsig sees %d signatures after step %d:\n%s", len(sigs), i+1, text)
		}
		for j, s := range sigs {
			if s.Validation != "Signature is Valid." || s.Certificate != "Certificate is Trusted." {
				t.Fatalf("pdfsig, signature %d after step %d:\n%s", j+1, i+1, text)
			}
		}
		if !sigs[i].TotalDocument {
			t.Fatalf("the newest signature does not cover the whole document:\n%s", text)
		}
		rep := pdfsign.Verify(pdf, roots)
		if !rep.Valid() || len(rep.Signatures) != i+1 {
			t.Fatalf("Verify after step %d: %+v", i+1, rep)
		}
		for j, s := range rep.Signatures {
			want := pdfsign.ChangedSignaturesOnly
			if j == i {
				want = pdfsign.ChangedNothing
			}
			if s.Changes != want || s.Field != steps[j].field || s.Name != steps[j].name || s.Reason != steps[j].reason {
				t.Fatalf("Verify, signature %d after step %d: %+v", j+1, i+1, s)
			}
			if !s.Time.Equal(day.AddDate(0, 0, 3*j)) || s.Certified != (j == 0) {
				t.Fatalf("signature %d: time %v certified %v", j+1, s.Time, s.Certified)
			}
		}
	}
	t.Logf("bytes added per signature: %v", sizes)

	// Refusals.
	key, chain := ca.Issue(t, "Lagi", false)
	if _, err := pdfsign.Sign(pdf, pdfsign.Request{Field: "regent", Signer: key, Chain: chain, Time: day}); err == nil {
		t.Fatal("signed a field twice")
	}
	if _, err := pdfsign.Sign(pdf, pdfsign.Request{Field: "nobody", Signer: key, Chain: chain, Time: day}); err == nil {
		t.Fatal("signed a field that does not exist")
	}
	if _, err := pdfsign.Sign(pdf, pdfsign.Request{Field: "x", NewFields: []pdfsign.Field{{Name: "x", Page: 1, Rect: slots[0].Rect}}, Certify: true, Signer: key, Chain: chain, Time: day}); err == nil {
		t.Fatal("certified after the first signature")
	}
}

// TestTampering: a changed byte inside a signed range, an appended unsigned change, an
// untrusted signer.
func TestTampering(t *testing.T) {
	ca := pdfsigntest.NewCA(t)
	roots := x509.NewCertPool()
	roots.AddCert(ca.Cert)
	key, chain := ca.Issue(t, "Penandatangan", false)
	signed, err := pdfsign.Sign(samplePDF(t, 1), pdfsign.Request{Field: "regent", NewFields: []pdfsign.Field{{Name: "regent", Page: 1, Rect: slots[0].Rect}},
		Signer: key, Chain: chain, Name: "Penandatangan", Reason: "Tanda tangan", Time: time.Now()})
	if err != nil {
		t.Fatal(err)
	}

	// One byte in the page text (inside the first signed range).
	at := bytes.Index(signed, []byte("/MediaBox"))
	tampered := append([]byte(nil), signed...)
	tampered[at+12] ^= 0x01
	rep := pdfsign.Verify(tampered, roots)
	if rep.Valid() || len(rep.Signatures) != 1 || rep.Signatures[0].Intact {
		t.Fatalf("tampered file verified: %+v", rep)
	}
	text, sigs := pdfsigntest.Pdfsig(t, tampered, "")
	if len(sigs) != 1 || sigs[0].Validation == "Signature is Valid." {
		t.Fatalf("pdfsig accepts the tampered file:\n%s", text)
	}

	// An unsigned change appended after the signature.
	appended := append(append([]byte(nil), signed...), []byte("9999 0 obj\n(changed)\nendobj\n")...)
	rep = pdfsign.Verify(appended, roots)
	if rep.Valid() || !rep.ModifiedAfterSigning || rep.Signatures[0].Changes != pdfsign.ChangedOther || !rep.Signatures[0].Intact {
		t.Fatalf("appended change: %+v", rep)
	}
	if text, sigs := pdfsigntest.Pdfsig(t, appended, ""); len(sigs) != 1 || sigs[0].TotalDocument {
		t.Fatalf("pdfsig does not notice the appended change:\n%s", text)
	}

	// A signer from another CA is intact but not trusted.
	other := pdfsigntest.NewCA(t)
	okey, ochain := other.Issue(t, "Orang Lain", false)
	foreign, err := pdfsign.Sign(samplePDF(t, 1), pdfsign.Request{Field: "a", NewFields: []pdfsign.Field{{Name: "a", Page: 1, Rect: slots[0].Rect}}, Signer: okey, Chain: ochain, Time: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	rep = pdfsign.Verify(foreign, roots)
	if rep.Valid() || !rep.Signatures[0].Intact || rep.Signatures[0].Trusted {
		t.Fatalf("foreign signer: %+v", rep)
	}

	// Not a PDF at all.
	if rep := pdfsign.Verify([]byte("hello"), roots); rep.Valid() || rep.Problem == "" {
		t.Fatalf("garbage: %+v", rep)
	}
}

// FuzzVerify: Verify never panics and never calls a damaged file valid.
func FuzzVerify(f *testing.F) {
	f.Add([]byte("%PDF-1.4\n/ByteRange [0 5 6 1] /Contents <>\n%%EOF"))
	f.Add([]byte("/ByteRange"))
	f.Add(samplePDF(f, 1))
	f.Fuzz(func(t *testing.T, data []byte) {
		if rep := pdfsign.Verify(data, nil); rep.Valid() {
			t.Fatalf("valid without a trusted root: %+v", rep)
		}
	})
}

// TestSoundFile: the appearance's font is an embedded subset, the catalog declares the
// version the signature needs, and pdffonts reads the signed file without an internal error.
func TestSoundFile(t *testing.T) {
	ca := pdfsigntest.NewCA(t)
	key, chain := ca.Issue(t, "Nama", false)
	pdf, err := pdfsign.Sign(samplePDF(t, 2), pdfsign.Request{Field: "regent", NewFields: slots, Certify: true, Signer: key, Chain: chain, Time: time.Now(),
		Appearance: pdfsign.Appearance{PNG: scribble(t), Lines: []string{"Ditandatangani secara elektronik oleh", "Ëka Putra — Bupati", "4 Maret 2019 pukul 10.00 WIB"}}})
	if err != nil {
		t.Fatal(err)
	}
	out, ok := pdfsigntest.Pdffonts(t, pdf)
	if !ok || strings.Contains(out, "[none]") {
		t.Fatalf("pdffonts:\n%s", out)
	}
	var ours string
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "+GoRegular") {
			ours = line
		}
	}
	if f := strings.Fields(ours); len(f) < 7 || len(f[0]) != len("ABCDEF+GoRegular") || f[1] != "TrueType" || f[3] != "yes" || f[4] != "yes" {
		t.Fatalf("the appearance font is not an embedded subset:\n%s", out)
	}
	info, err := exec.Command(pdfsigntest.Tool(t, "pdfinfo"), pdfsigntest.WriteTemp(t, "v.pdf", pdf)).CombinedOutput()
	if err != nil || !regexp.MustCompile(`PDF version:\s+1\.7`).Match(info) {
		t.Fatalf("pdfinfo (%v):\n%s", err, info)
	}
	text, err := exec.Command(pdfsigntest.Tool(t, "pdftotext"), "-f", "2", "-l", "2", pdfsigntest.WriteTemp(t, "t.pdf", pdf), "-").Output()
	if err != nil || !strings.Contains(string(text), "Ëka Putra — Bupati") {
		t.Fatalf("pdftotext does not read the appearance (%v):\n%s", err, text)
	}
}
