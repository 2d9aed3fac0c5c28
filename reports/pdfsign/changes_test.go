package pdfsign_test

import (
	"bytes"
	"crypto/x509"
	"fmt"
	"os/exec"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

	"github.com/pantau-id/pantau/reports/pdfsign"
	"github.com/pantau-id/pantau/reports/pdfsign/pdfsigntest"
)

// forger writes incremental updates by hand, as an attacker with a text editor would.
type forger struct {
	tb   testing.TB
	pdf  []byte
	ctx  *model.Context
	info string // the trailer's /Info in the next update (default: unchanged)
}

func newForger(tb testing.TB, pdf []byte) *forger {
	ctx, err := api.ReadContext(bytes.NewReader(pdf), model.NewDefaultConfiguration())
	if err == nil {
		err = ctx.EnsurePageCount()
	}
	if err != nil {
		tb.Fatal(err)
	}
	return &forger{tb: tb, pdf: pdf, ctx: ctx}
}

// page returns page n's object number and dictionary.
func (f *forger) page(n int) (int, types.Dict) {
	d, ref, _, err := f.ctx.PageDict(n, false)
	if err != nil {
		f.tb.Fatal(err)
	}
	return ref.ObjectNumber.Value(), d.Clone().(types.Dict)
}

// form returns the interactive form's object number and dictionary.
func (f *forger) form() (int, types.Dict) {
	cat, _ := f.ctx.Catalog()
	ref := cat["AcroForm"].(types.IndirectRef)
	d, _ := f.ctx.DereferenceDict(ref)
	return ref.ObjectNumber.Value(), d.Clone().(types.Dict)
}

// field returns the object number and dictionary of the field named name.
func (f *forger) field(name string) (int, types.Dict) {
	_, form := f.form()
	fields, _ := f.ctx.DereferenceArray(form["Fields"])
	for _, o := range fields {
		d, _ := f.ctx.DereferenceDict(o)
		if t, _ := f.ctx.DereferenceStringOrHexLiteral(d["T"], model.V10, nil); t == name {
			return o.(types.IndirectRef).ObjectNumber.Value(), d.Clone().(types.Dict)
		}
	}
	f.tb.Fatalf("no field %q", name)
	return 0, nil
}

func (f *forger) next() int { return *f.ctx.XRefTable.Size }

var lastStartXRef = regexp.MustCompile(`startxref\s+(\d+)\s+%%EOF\s*$`)

// update appends the objects (number → body) with a cross-reference section and a trailer.
func (f *forger) update(objs map[int]string) []byte {
	out := append([]byte(nil), f.pdf...)
	prev := lastStartXRef.FindSubmatch(out)[1]
	offsets := map[int]int{}
	nums := []int{}
	size := f.next()
	for nr, body := range objs {
		offsets[nr] = len(out)
		nums = append(nums, nr)
		out = append(out, fmt.Sprintf("%d 0 obj\n%s\nendobj\n", nr, body)...)
		size = max(size, nr+1)
	}
	sort.Ints(nums)
	xref := len(out)
	out = append(out, "xref\n"...)
	for _, nr := range nums {
		out = append(out, fmt.Sprintf("%d 1\n%010d 00000 n\r\n", nr, offsets[nr])...)
	}
	info := f.info
	if info == "" {
		info = f.ctx.Info.PDFString()
	}
	out = append(out, fmt.Sprintf("trailer\n<</Size %d /Root %s /Info %s /Prev %s>>\nstartxref\n%d\n%%%%EOF\n",
		size, f.ctx.Root.PDFString(), info, prev, xref)...)
	return out
}

// certifiedDocument is a two-page document with every slot's field, certified by the regent.
func certifiedDocument(t *testing.T) (*installation, []byte) {
	in := newInstallation(t)
	req := in.issue(t, "Yudhistira", time.Now().AddDate(1, 0, 0))
	req.Field, req.Time, req.Certify, req.NewFields = "regent", time.Now(), true, slots
	certified, err := pdfsign.Sign(samplePDF(t, 2), req)
	if err != nil {
		t.Fatal(err)
	}
	return in, certified
}

// TestForgedOverlay is the attack of issue 12: after the certifying signature, an update adds
// an unsigned signature widget whose opaque appearance covers the page with a forged clause,
// and a new signature from another CA follows. Readers show the forged clause; Verify must
// not call the first signature's document unchanged.
func TestForgedOverlay(t *testing.T) {
	in, certified := certifiedDocument(t)
	roots := pool(in.ca.Cert)
	f := newForger(t, certified)
	pageNr, page := f.page(1)
	formNr, form := f.form()
	ap, widget := f.next(), f.next()+1
	clause := "PASAL 9. Seluruh anggaran dialihkan kepada pihak ketiga."
	stream := fmt.Sprintf("1 1 1 rg 0 0 595 842 re f 0 0 0 rg BT /F1 14 Tf 40 760 Td (%s) Tj ET", clause)
	page["Annots"] = append(annots(f, page), *types.NewIndirectRef(widget, 0))
	fields, _ := f.ctx.DereferenceArray(form["Fields"])
	form["Fields"] = append(append(types.Array{}, fields...), *types.NewIndirectRef(widget, 0))
	forged := f.update(map[int]string{
		ap:     fmt.Sprintf("<</Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources <</Font <</F1 <</Type /Font /Subtype /Type1 /BaseFont /Helvetica>>>>>> /Length %d>>\nstream\n%s\nendstream", len(stream), stream),
		widget: fmt.Sprintf("<</Type /Annot /Subtype /Widget /FT /Sig /T (lampiran) /F 4 /Rect [0 0 595 842] /P %d 0 R /AP <</N %d 0 R>>>>", pageNr, ap),
		pageNr: page.PDFString(),
		formNr: form.PDFString(),
	})
	pdfsigntest.QPDFCheck(t, forged)
	out, err := exec.Command(pdfsigntest.Tool(t, "pdftotext"), pdfsigntest.WriteTemp(t, "forged.pdf", forged), "-").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "PASAL 9") {
		t.Fatalf("the overlay does not show (%v):\n%s", err, out)
	}

	// Another CA's signer signs the next field.
	other := pdfsigntest.NewCA(t)
	okey, ochain := other.Issue(t, "Orang Lain", false)
	final, err := pdfsign.Sign(forged, pdfsign.Request{Field: "governor", Signer: okey, Chain: ochain, Time: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	// pdfsig only says the first signature does not cover the whole document.
	text, _ := pdfsigntest.Pdfsig(t, final, pdfsigntest.NSSDB(t, in.ca.Cert, other.Cert))
	t.Logf("pdfsig on the forged file, both CAs trusted:\n%s", text)
	for _, trusted := range [][]*pdfsigntest.CA{{in.ca}, {in.ca, other}} {
		var certs []*x509.Certificate
		for _, ca := range trusted {
			certs = append(certs, ca.Cert)
		}
		rep := pdfsign.Verify(final, pool(certs...))
		first := rep.Signatures[0]
		if rep.Valid() || first.Changes != pdfsign.ChangedOther || !first.Intact || !strings.Contains(first.ChangeDetail, "Page") {
			t.Fatalf("forged overlay with %d trusted CA(s): %+v", len(trusted), rep)
		}
		t.Logf("first signature, %d trusted CA(s): %s — %s", len(trusted), first.Changes, first.ChangeDetail)
		if len(trusted) == 1 && rep.Signatures[1].Trust != pdfsign.TrustUntrusted {
			t.Fatalf("the other CA's signer: %+v", rep.Signatures[1])
		}
	}
	// The overlay alone, with nothing signed after it.
	if rep := pdfsign.Verify(forged, roots); rep.Valid() || !rep.ModifiedAfterSigning || rep.Signatures[0].Changes != pdfsign.ChangedOther {
		t.Fatalf("overlay without a later signature: %+v", rep)
	}
}

func annots(f *forger, page types.Dict) types.Array {
	arr, _ := f.ctx.DereferenceArray(page["Annots"])
	return append(types.Array{}, arr...)
}

// TestChangesAfterCertification: each kind of change after a certification is reported, and
// only the allowed ones pass.
func TestChangesAfterCertification(t *testing.T) {
	in, certified := certifiedDocument(t)
	roots := pool(in.ca.Cert)
	f := newForger(t, certified)
	pageNr, page := f.page(1)
	govNr, gov := f.field("governor")
	contentRef := page["Contents"].(types.IndirectRef)
	cases := []struct {
		name, want string
		objs       map[int]string
	}{
		{"page content replaced", "stream", map[int]string{contentRef.ObjectNumber.Value(): "<</Length 30>>\nstream\nBT /F1 12 Tf (palsu) Tj ET   \nendstream"}},
		{"page rotated", "Page", func() map[int]string {
			p := page.Clone().(types.Dict)
			p["Rotate"] = types.Integer(90)
			return map[int]string{pageNr: p.PDFString()}
		}()},
		{"field filled without a signature", "without a signature", func() map[int]string {
			g := gov.Clone().(types.Dict)
			g["V"] = *types.NewIndirectRef(f.next(), 0)
			return map[int]string{govNr: g.PDFString(), f.next(): "<</Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /Contents <00>>>"}
		}()},
		{"field moved", "beyond its signature", nil},
		{"stray object", "was added", map[int]string{f.next(): "<</Type /Annot /Subtype /FreeText /Rect [0 0 500 500] /Contents (palsu)>>"}},
		{"information replaced", "information", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var next []byte
			switch c.name {
			case "field moved":
				// The signer of the governor field moves its box over the page text in the
				// update the signature covers.
				g := gov.Clone().(types.Dict)
				g["Rect"] = types.NewNumberArray(0, 0, 595, 842)
				moved := newForger(t, f.update(map[int]string{govNr: g.PDFString()}))
				next = moved.pdf
				key, chain := in.ca.Issue(t, "Gubernur", false)
				var err error
				if next, err = pdfsign.Sign(next, pdfsign.Request{Field: "governor", Signer: key, Chain: chain, Time: time.Now()}); err != nil {
					t.Fatal(err)
				}
			case "information replaced":
				g := newForger(t, certified)
				g.info = strconv.Itoa(g.next()) + " 0 R"
				next = g.update(map[int]string{g.next(): "<</Title (Palsu)>>"})
			default:
				next = f.update(c.objs)
			}
			rep := pdfsign.Verify(next, roots)
			if rep.Valid() || rep.Signatures[0].Changes != pdfsign.ChangedOther || !strings.Contains(rep.Signatures[0].ChangeDetail, c.want) {
				t.Fatalf("%s: %+v", c.name, rep.Signatures[0])
			}
		})
	}
}
