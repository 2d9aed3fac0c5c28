package reports

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/boombuler/barcode/qr"
	"github.com/jung-kurt/gofpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/goregular"

	"github.com/pantau-id/pantau/models"
)

// Commitment is what the commitment document needs: the commitment with its slots, the
// letterhead, and the public verification address its QR codes hold.
type Commitment struct {
	C               *models.Commitment
	Letterhead      models.Letterhead
	VerificationURL string
}

// CommitmentResult is the written document's page count and where each slot's signature box
// is, in PDF points from the bottom left of its page.
type CommitmentResult struct {
	Pages  int
	Fields map[string]models.SlotField
}

// Geometry of the commitment document (A4 portrait, millimetres).
const (
	commitmentMarginX   = 20.0
	commitmentContentW  = 210.0 - 2*commitmentMarginX
	commitmentTop       = 15.0
	commitmentBottom    = 262.0 // content ends here; the footer follows
	commitmentFooterTop = 266.0
	commitmentBoxW      = 66.0 // a signature box
	commitmentBoxH      = 26.0
	commitmentFont      = "commitment"
	commitmentMMToPt    = 72 / 25.4
)

// commitmentMonths are the months in Indonesian.
var commitmentMonths = [...]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
	"September", "Oktober", "November", "Desember"}

// commitmentDate writes a date the Indonesian way: "4 Maret 2019".
func commitmentDate(t time.Time) string {
	return fmt.Sprintf("%d %s %d", t.Day(), commitmentMonths[t.Month()-1], t.Year())
}

// commitmentDoc lays the document out with gofpdf.
type commitmentDoc struct {
	pdf    *gofpdf.Fpdf
	in     *Commitment
	fields map[string]models.SlotField
}

// WriteCommitment renders the commitment document: letterhead, title, the numbered
// commitments, place and date, and a signature block for every slot (name, title and
// capacity), with the verification code and a QR code on every page. The output is
// byte-for-byte the same for the same input.
func WriteCommitment(w io.Writer, in *Commitment) (*CommitmentResult, error) {
	pdf := gofpdf.New("P", "mm", "A4", "")
	d := &commitmentDoc{pdf: pdf, in: in, fields: map[string]models.SlotField{}}
	c := in.C
	pdf.SetCatalogSort(true)
	pdf.SetCreationDate(c.CreatedAt)
	pdf.SetModificationDate(c.CreatedAt)
	pdf.SetMargins(commitmentMarginX, commitmentTop, commitmentMarginX)
	pdf.SetAutoPageBreak(false, 0)
	pdf.AliasNbPages("{nb}")
	pdf.SetTitle(c.DocumentTitle(), true)
	pdf.SetSubject("Kode verifikasi "+c.VerificationCode, true)
	pdf.SetCreator("Pantau", true)
	pdf.SetProducer("Pantau (gofpdf)", true)
	pdf.AddUTF8FontFromBytes(commitmentFont, "", goregular.TTF)
	pdf.AddUTF8FontFromBytes(commitmentFont, "B", gobold.TTF)
	pdf.AddUTF8FontFromBytes(commitmentFont, "I", goitalic.TTF)
	if logo := in.Letterhead.Logo; len(logo) > 0 && models.LogoType(logo) != "" {
		pdf.RegisterImageOptionsReader("logo", gofpdf.ImageOptions{ImageType: models.LogoType(logo)}, bytes.NewReader(logo))
	}
	pdf.SetFooterFunc(d.footer)
	pdf.AddPage()
	d.letterhead()
	d.body()
	d.signatures()
	if err := pdf.Output(w); err != nil {
		return nil, err
	}
	return &CommitmentResult{Pages: pdf.PageNo(), Fields: d.fields}, nil
}

func (d *commitmentDoc) font(style string, size float64) { d.pdf.SetFont(commitmentFont, style, size) }

// lineH is the line height for a font size, in mm.
func commitmentLineH(size float64) float64 { return size * 25.4 / 72 * 1.35 }

// ensure starts a new page unless h mm still fit.
func (d *commitmentDoc) ensure(h float64) {
	if d.pdf.GetY()+h > commitmentBottom {
		d.pdf.AddPage()
		d.pdf.SetY(commitmentTop + 5)
	}
}

// centered writes wrapped, centred lines.
func (d *commitmentDoc) centered(s, style string, size float64) {
	d.font(style, size)
	for _, l := range d.pdf.SplitText(s, commitmentContentW) {
		d.pdf.CellFormat(commitmentContentW, commitmentLineH(size), l, "", 1, "C", false, 0, "")
	}
}

func (d *commitmentDoc) letterhead() {
	lh := d.in.Letterhead
	gov, inst, addr := lh.Government, lh.Institution, lh.Address
	if gov == "" && inst == "" {
		gov = "Pemerintah Daerah"
		if d.in.C.ProvinceName != "" {
			gov = "Pemerintah " + d.in.C.ProvinceName
		}
		inst = "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"
	}
	top := d.pdf.GetY()
	if d.pdf.GetImageInfo("logo") != nil {
		d.pdf.ImageOptions("logo", commitmentMarginX, top, 0, 20, false, gofpdf.ImageOptions{}, 0, "")
	}
	if gov != "" {
		d.centered(strings.ToUpper(gov), "B", 12)
	}
	if inst != "" {
		d.centered(strings.ToUpper(inst), "B", 13)
	}
	if addr != "" {
		d.centered(addr, "", 8.5)
	}
	y := max(d.pdf.GetY()+1.5, top+21)
	d.pdf.SetLineWidth(0.8)
	d.pdf.Line(commitmentMarginX, y, 210-commitmentMarginX, y)
	d.pdf.SetLineWidth(0.25)
	d.pdf.Line(commitmentMarginX, y+1.1, 210-commitmentMarginX, y+1.1)
	d.pdf.SetY(y + 7)
}

func (d *commitmentDoc) body() {
	c := d.in.C
	d.centered(strings.ToUpper(c.Title), "B", 12.5)
	d.pdf.Ln(5)
	d.font("", 11)
	lh := commitmentLineH(11)
	d.pdf.MultiCell(commitmentContentW, lh, c.Preamble, "", "J", false)
	d.pdf.Ln(2)
	const indent = 8.0
	for i, item := range c.Items() {
		lines := d.pdf.SplitText(item, commitmentContentW-indent)
		d.ensure(float64(len(lines)) * lh)
		y := d.pdf.GetY()
		d.pdf.SetXY(commitmentMarginX, y)
		d.pdf.CellFormat(indent, lh, fmt.Sprintf("%d.", i+1), "", 0, "L", false, 0, "")
		d.pdf.SetXY(commitmentMarginX+indent, y)
		d.pdf.MultiCell(commitmentContentW-indent, lh, item, "", "J", false)
		d.pdf.Ln(1)
	}
	if c.Closing != "" {
		d.pdf.Ln(1)
		d.ensure(3 * lh)
		d.pdf.MultiCell(commitmentContentW, lh, c.Closing, "", "J", false)
	}
}

// signatures places the date line and the slots: the region's head and DPRD chair side by
// side, the governor below them, then the witnesses.
func (d *commitmentDoc) signatures() {
	c := d.in.C
	date := c.Dated
	if t, err := time.Parse("2006-01-02", c.Dated); err == nil {
		date = commitmentDate(t)
	}
	blockH := 4*commitmentLineH(10) + commitmentBoxH + 2*commitmentLineH(10) + 4
	d.pdf.Ln(4)
	d.ensure(commitmentLineH(11) + blockH)
	d.font("", 11)
	d.pdf.CellFormat(commitmentContentW, commitmentLineH(11), c.Place+", "+date, "", 1, "R", false, 0, "")
	d.pdf.Ln(2)
	left, right := commitmentMarginX, 210-commitmentMarginX-commitmentBoxW-4
	centre := (210 - commitmentBoxW - 4) / 2
	d.row(blockH, []string{"regent", "dprd_chair"}, []float64{left, right})
	d.row(blockH, []string{"governor"}, []float64{centre})
	d.ensure(commitmentLineH(11) + blockH)
	d.font("B", 11)
	d.pdf.CellFormat(commitmentContentW, commitmentLineH(11), "Menyaksikan,", "", 1, "C", false, 0, "")
	d.row(blockH, []string{"witness_vice_governor", "witness_dprd_province"}, []float64{left, right})
}

func (d *commitmentDoc) row(h float64, slots []string, xs []float64) {
	d.ensure(h)
	y := d.pdf.GetY()
	for i, name := range slots {
		if s := d.in.C.Slot(name); s != nil {
			d.block(xs[i], y, s)
		}
	}
	d.pdf.SetY(y + h)
}

// block draws one slot: its capacity, the box the signature goes into, and the name.
func (d *commitmentDoc) block(x, y float64, s *models.CommitmentSlot) {
	w := commitmentBoxW + 4
	lh := commitmentLineH(10)
	var heading []string
	if s.Acting() {
		heading = []string{"a.n. " + s.DefaultTitle + ",", s.Title + ","}
	} else {
		heading = []string{s.DefaultTitle + ","}
	}
	d.font("B", 10)
	yy := y
	for _, h := range heading {
		for _, l := range d.pdf.SplitText(h, w) {
			d.pdf.SetXY(x, yy)
			d.pdf.CellFormat(w, lh, l, "", 0, "C", false, 0, "")
			yy += lh
		}
	}
	boxY := y + 3*lh
	d.pdf.SetDrawColor(170, 170, 170)
	d.pdf.SetLineWidth(0.2)
	d.pdf.SetDashPattern([]float64{1, 1}, 0)
	d.pdf.Rect(x+2, boxY, commitmentBoxW, commitmentBoxH, "D")
	d.pdf.SetDashPattern(nil, 0)
	d.pdf.SetDrawColor(0, 0, 0)
	page := d.pdf.PageNo()
	d.fields[s.Slot] = models.SlotField{Page: page, Rect: [4]float64{
		(x + 2) * commitmentMMToPt, (297 - boxY - commitmentBoxH) * commitmentMMToPt,
		(x + 2 + commitmentBoxW) * commitmentMMToPt, (297 - boxY) * commitmentMMToPt}}
	name := s.Name
	if name == "" {
		name = "(.......................................)"
	}
	d.font("BU", 10)
	d.pdf.SetXY(x, boxY+commitmentBoxH+1)
	d.pdf.CellFormat(w, lh, name, "", 0, "C", false, 0, "")
}

// footer prints on every page the page number, the verification code and address, and a QR
// code holding the address.
func (d *commitmentDoc) footer() {
	const size = 18.0
	c := d.in.C
	y := commitmentFooterTop
	d.pdf.SetDrawColor(190, 190, 190)
	d.pdf.SetLineWidth(0.2)
	d.pdf.Line(commitmentMarginX, y, 210-commitmentMarginX, y)
	d.pdf.SetDrawColor(0, 0, 0)
	commitmentQR(d.pdf, 210-commitmentMarginX-size, y+1.5, size, d.in.VerificationURL)
	w := commitmentContentW - size - 3
	d.font("B", 8)
	d.pdf.SetXY(commitmentMarginX, y+2)
	d.pdf.CellFormat(w, 3.8, fmt.Sprintf("Halaman %d dari {nb}", d.pdf.PageNo()), "", 1, "L", false, 0, "")
	d.pdf.SetX(commitmentMarginX)
	d.pdf.CellFormat(w, 3.8, "Kode verifikasi: "+c.VerificationCode, "", 1, "L", false, 0, "")
	d.font("", 7.5)
	d.pdf.SetX(commitmentMarginX)
	d.pdf.CellFormat(w, 3.6, "Periksa keaslian dokumen ini di "+d.in.VerificationURL, "", 1, "L", false, 0, d.in.VerificationURL)
	d.font("I", 7)
	d.pdf.SetTextColor(90, 90, 90)
	d.pdf.SetX(commitmentMarginX)
	d.pdf.MultiCell(w, 3.2, "Dokumen ini ditandatangani secara elektronik; setiap tanda tangan dan paraf tersemat sebagai "+
		"tanda tangan digital PDF yang dapat diperiksa dengan pembaca PDF mana pun.", "", "L", false)
	d.pdf.SetTextColor(0, 0, 0)
}

// commitmentQR draws content as a QR code (level M) of the given size, as vector squares.
func commitmentQR(pdf *gofpdf.Fpdf, x, y, size float64, content string) {
	code, err := qr.Encode(content, qr.M, qr.Auto)
	if err != nil {
		return
	}
	b := code.Bounds()
	n := b.Dx()
	const quiet = 2
	m := size / float64(n+2*quiet)
	pdf.SetFillColor(0, 0, 0)
	for row := 0; row < n; row++ {
		for col := 0; col < n; {
			if r, _, _, _ := code.At(b.Min.X+col, b.Min.Y+row).RGBA(); r > 0x7fff {
				col++
				continue
			}
			run := col
			for run < n {
				if r, _, _, _ := code.At(b.Min.X+run, b.Min.Y+row).RGBA(); r > 0x7fff {
					break
				}
				run++
			}
			pdf.Rect(x+float64(quiet+col)*m, y+float64(quiet+row)*m, float64(run-col)*m, m, "F")
			col = run
		}
	}
}
