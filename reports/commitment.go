package reports

import (
	"fmt"
	"io"
	"strings"
	"time"

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

// commitmentLayout is the commitment document's page: wider margins and airier lines than the
// progress report's, as befits a letter.
var commitmentLayout = pageLayout{marginX: 20, firstTop: 15, runningTop: 20, bottom: 262, lineFactor: 1.35}

// The signature box each slot gets, in millimetres.
const (
	commitmentBoxW = 66.0
	commitmentBoxH = 26.0
)

// commitmentDoc lays the document out on the common base.
type commitmentDoc struct {
	*canvas
	in     *Commitment
	fields map[string]models.SlotField
}

// WriteCommitment renders the commitment document: letterhead, title, the numbered
// commitments, place and date, and a signature block for every slot (name, title and
// capacity), with the verification code and a QR code on every page. The output is
// byte-for-byte the same for the same input.
func WriteCommitment(w io.Writer, in *Commitment) (*CommitmentResult, error) {
	c := in.C
	var provinces []string
	if c.ProvinceName != "" {
		provinces = []string{c.ProvinceName}
	}
	lh := standardLetterhead(in.Letterhead, provinces)
	cv, err := newDocument(docInfo{layout: commitmentLayout, title: c.DocumentTitle(), keywords: "Pantau PTSP Prima " + c.VerificationCode,
		created: c.CreatedAt, letterhead: lh, verificationCode: c.VerificationCode, verificationURL: in.VerificationURL,
		footerNote: "Dokumen ini ditandatangani secara elektronik; setiap tanda tangan dan paraf tersemat sebagai " +
			"tanda tangan digital PDF yang dapat diperiksa dengan pembaca PDF mana pun."})
	if err != nil {
		return nil, err
	}
	d := &commitmentDoc{canvas: cv, in: in, fields: map[string]models.SlotField{}}
	d.firstPage()
	d.letterhead(lh)
	d.setY(d.y() + 2)
	d.body()
	d.signatures()
	if err := d.pdf.Output(w); err != nil {
		return nil, err
	}
	return &CommitmentResult{Pages: d.pdf.PageNo(), Fields: d.fields}, nil
}

// body writes the title, the preamble, the numbered commitments and the closing.
func (d *commitmentDoc) body() {
	c := d.in.C
	m, cw := d.layout.marginX, d.layout.contentW()
	d.font("B", 12.5)
	d.lines(m, cw, strings.ToUpper(c.Title), "C")
	d.setY(d.y() + 5)
	d.font("", 11)
	d.paragraph(m, cw, c.Preamble)
	d.setY(d.y() + 2)
	const indent = 8.0
	for i, item := range c.Items() {
		d.ensure(float64(len(d.wrap(item, cw-indent))) * d.lineH()) // an item stays on one page
		d.text(m, d.y(), indent, fmt.Sprintf("%d.", i+1), "L")
		d.paragraph(m+indent, cw-indent, item)
		d.setY(d.y() + 1)
	}
	if c.Closing != "" {
		d.setY(d.y() + 1)
		d.ensure(3 * d.lineH())
		d.paragraph(m, cw, c.Closing)
	}
}

// signatures places the date line and the slots: the region's head and DPRD chair side by
// side, the governor below them, then the witnesses.
func (d *commitmentDoc) signatures() {
	c := d.in.C
	m, cw := d.layout.marginX, d.layout.contentW()
	date := c.Dated
	if t, err := time.Parse("2006-01-02", c.Dated); err == nil {
		date = DateID(t)
	}
	blockH := 6*d.lineHeight(10) + commitmentBoxH + 4
	d.setY(d.y() + 4)
	d.font("", 11)
	d.ensure(d.lineH() + blockH)
	d.lines(m, cw, c.Place+", "+date, "R")
	d.setY(d.y() + 2)
	left, right := m, pageW-m-commitmentBoxW-4
	centre := (pageW - commitmentBoxW - 4) / 2
	d.row(blockH, []string{"regent", "dprd_chair"}, []float64{left, right})
	d.row(blockH, []string{"governor"}, []float64{centre})
	d.font("B", 11)
	d.ensure(d.lineH() + blockH)
	d.lines(m, cw, "Menyaksikan,", "C")
	d.row(blockH, []string{"witness_vice_governor", "witness_dprd_province"}, []float64{left, right})
}

// row draws the named slots' blocks side by side, each starting at its x, on one page.
func (d *commitmentDoc) row(h float64, slots []string, xs []float64) {
	d.ensure(h)
	y := d.y()
	for i, name := range slots {
		if s := d.in.C.Slot(name); s != nil {
			d.block(xs[i], y, s)
		}
	}
	d.setY(y + h)
}

// block draws one slot: its capacity, the box the signature goes into, and the name; and
// records the box as the slot's signature field.
func (d *commitmentDoc) block(x, y float64, s *models.CommitmentSlot) {
	w := commitmentBoxW + 4
	heading := []string{s.DefaultTitle + ","}
	if s.Acting() {
		heading = []string{"a.n. " + s.DefaultTitle + ",", s.Title + ","}
	}
	d.font("B", 10)
	lh := d.lineH()
	d.setY(y)
	for _, h := range heading {
		d.lines(x, w, h, "C")
	}
	boxY := y + 3*lh
	d.draw(rgb{170, 170, 170})
	d.pdf.SetLineWidth(0.2)
	d.pdf.SetDashPattern([]float64{1, 1}, 0)
	d.pdf.Rect(x+2, boxY, commitmentBoxW, commitmentBoxH, "D")
	d.pdf.SetDashPattern(nil, 0)
	d.draw(black)
	d.fields[s.Slot] = models.SlotField{Page: d.pdf.PageNo(), Rect: [4]float64{
		(x + 2) * mmToPt, (pageH - boxY - commitmentBoxH) * mmToPt,
		(x + 2 + commitmentBoxW) * mmToPt, (pageH - boxY) * mmToPt}}
	name := s.Name
	if name == "" {
		name = "(.......................................)"
	}
	d.font("BU", 10)
	d.text(x, boxY+commitmentBoxH+1, w, name, "C")
}
