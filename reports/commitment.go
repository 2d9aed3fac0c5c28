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

// CommitmentResult is the written document's page count and where each signature field is,
// in PDF points from the bottom left of its page: every slot's own (named after the slot) and
// its paraf field (models.ParafField).
type CommitmentResult struct {
	Pages  int
	Fields map[string]models.SlotField
}

// commitmentLayout is the commitment document's page: wider margins and airier lines than the
// progress report's, as befits a letter.
var commitmentLayout = pageLayout{marginX: 20, firstTop: 15, runningTop: 20, bottom: 262, lineFactor: 1.35}

// A regency's commitment gives each slot a block: its office, a signature box and a paraf box
// beside it, and the name. In millimetres:
const (
	blockW     = 80.0
	signBoxW   = 56.0
	parafBoxW  = 20.0
	slotBoxH   = 24.0
	boxGap     = 2.0
	blockRight = 110.0 // where the right-hand block starts
)

// The joint commitment's signature table: number, office and name, paraf, signature.
var jointColumns = [4]float64{10, 70, 26, 64}

const jointRowH = 22.0

// commitmentDoc lays the document out on the common base.
type commitmentDoc struct {
	*canvas
	in     *Commitment
	fields map[string]models.SlotField
}

// WriteCommitment renders the commitment document: letterhead, title and number, the
// numbered commitments, place and date, and for every slot a signature box with a paraf box
// beside it (a regency's commitment in blocks, the joint commitment in a table that runs
// across pages), with the verification code and a QR code on every page. The closing
// paragraph always shares its page with the first signatures, so that no signature stands on
// a page without the text. The output is byte-for-byte the same for the same input.
func WriteCommitment(w io.Writer, in *Commitment) (*CommitmentResult, error) {
	c := in.C
	var provinces []string
	if c.ProvinceName != "" {
		provinces = []string{c.ProvinceName}
	}
	lh := standardLetterhead(in.Letterhead, provinces)
	cv, err := newDocument(docInfo{layout: commitmentLayout, title: c.DocumentTitle(), keywords: "Pantau PTSP Prima " + c.Number + " " + c.VerificationCode,
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
	if c.Kind == models.KindJoint {
		d.table()
	} else {
		d.blocks()
	}
	if err := finishPDF(d.pdf, w); err != nil {
		return nil, err
	}
	return &CommitmentResult{Pages: d.pdf.PageNo(), Fields: d.fields}, nil
}

// body writes the title, the number, the preamble and the numbered commitments; the closing
// comes with the signatures.
func (d *commitmentDoc) body() {
	c := d.in.C
	m, cw := d.layout.marginX, d.layout.contentW()
	d.font("B", 12.5)
	d.lines(m, cw, strings.ToUpper(c.Title), "C")
	if c.Number != "" {
		d.setY(d.y() + 1)
		d.font("", 11)
		d.lines(m, cw, "Nomor: "+c.Number, "C")
	}
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
}

// closing writes the closing paragraph and the place and date, on the same page as the
// first following h millimetres of signatures.
func (d *commitmentDoc) closing(h float64) {
	c := d.in.C
	m, cw := d.layout.marginX, d.layout.contentW()
	d.font("", 11)
	need := 1 + 4 + d.lineH() + 2 + h
	if c.Closing != "" {
		need += float64(len(d.wrap(c.Closing, cw))) * d.lineH()
	}
	d.ensure(need)
	d.setY(d.y() + 1)
	if c.Closing != "" {
		d.paragraph(m, cw, c.Closing)
	}
	date := c.Dated
	if t, err := time.Parse("2006-01-02", c.Dated); err == nil {
		date = DateID(t)
	}
	d.setY(d.y() + 4)
	d.lines(m, cw, c.Place+", "+date, "R")
	d.setY(d.y() + 2)
}

// blocks places a regency's slots: its head and DPRD chair side by side, the governor below
// them, then the witnesses — all on the closing's page.
func (d *commitmentDoc) blocks() {
	blockH := 2*d.lineHeight(10) + 2 + slotBoxH + 1 + d.lineHeight(10) + 4
	d.font("B", 11)
	witnessH := d.lineH() + 1
	d.closing(3*blockH + witnessH)
	m := d.layout.marginX
	centre := (pageW - blockW) / 2
	d.row(blockH, []string{"regent", "dprd_chair"}, []float64{m, blockRight})
	d.row(blockH, []string{"governor"}, []float64{centre})
	d.font("B", 11)
	d.lines(m, d.layout.contentW(), "Menyaksikan,", "C")
	d.setY(d.y() + 1)
	d.row(blockH, []string{"witness_vice_governor", "witness_dprd_province"}, []float64{m, blockRight})
}

// row draws the named slots' blocks side by side, each starting at its x.
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

// block draws one slot: its office, the signature box with the paraf box beside it, and the
// name; and records both boxes as the slot's fields.
func (d *commitmentDoc) block(x, y float64, s *models.CommitmentSlot) {
	d.font("B", 10)
	lh := d.lineH()
	d.setY(y)
	for _, l := range clampLines(d.wrap(s.DefaultTitle+",", blockW), 2) {
		d.text(x, d.y(), blockW, l, "C")
		d.setY(d.y() + lh)
	}
	boxY := y + 2*lh + 2
	d.box(s.Slot, x+1, boxY, signBoxW, slotBoxH)
	px := x + 1 + signBoxW + boxGap
	d.box(models.ParafField(s.Slot), px, boxY, parafBoxW, slotBoxH)
	d.font("", 7)
	d.ink(grey)
	d.text(px, boxY+slotBoxH+0.6, parafBoxW, "Paraf", "C")
	d.ink(black)
	d.font("BU", 10)
	d.text(x+1, boxY+slotBoxH+1, signBoxW, printedName(s), "C")
}

// printedName is the name printed under a slot: the office holder's, once assigned; a dotted
// line while nobody is, or while a deputy is (their name appears in their own paraf or
// signature).
func printedName(s *models.CommitmentSlot) string {
	if s.UserID == nil || s.Name == "" || s.Acting() {
		return "(.......................................)"
	}
	return s.Name
}

// box draws a dashed box and records it as the named signature field.
func (d *commitmentDoc) box(field string, x, y, w, h float64) {
	d.draw(rgb{170, 170, 170})
	d.pdf.SetLineWidth(0.2)
	d.pdf.SetDashPattern([]float64{1, 1}, 0)
	d.pdf.Rect(x, y, w, h, "D")
	d.pdf.SetDashPattern(nil, 0)
	d.draw(black)
	d.fields[field] = models.SlotField{Page: d.pdf.PageNo(), Rect: [4]float64{
		x * mmToPt, (pageH - y - h) * mmToPt, (x + w) * mmToPt, (pageH - y) * mmToPt}}
}

// table lays the joint commitment's slots out as a signature table: a row per slot (number,
// office and name, paraf, signature), the witnesses under their own heading; the header is
// repeated on every page it runs on, under a line naming the document it continues.
func (d *commitmentDoc) table() {
	c := d.in.C
	header := func() {
		m, y := d.layout.marginX, d.y()
		d.font("B", 9)
		d.fill(rgb{235, 235, 235})
		d.draw(gridColour)
		d.pdf.SetLineWidth(0.2)
		x := m
		for i, label := range []string{"No.", "Jabatan dan nama", "Paraf", "Tanda tangan"} {
			d.pdf.Rect(x, y, jointColumns[i], 7, "FD")
			d.text(x, y+1.5, jointColumns[i], label, "C")
			x += jointColumns[i]
		}
		d.draw(black)
		d.setY(y + 7)
	}
	d.font("B", 9)
	headH := 7.0
	d.closing(d.lineHeight(11) + 1 + headH + 2*jointRowH)
	d.font("B", 11)
	d.lines(d.layout.marginX, d.layout.contentW(), "Yang bertanda tangan,", "C")
	d.setY(d.y() + 1)
	d.onNewPage = func() {
		d.font("", 8.5)
		d.ink(grey)
		d.lines(d.layout.marginX, d.layout.contentW(), "Lanjutan tanda tangan — "+c.DocumentTitle()+", Nomor "+c.Number, "L")
		d.ink(black)
		d.setY(d.y() + 1)
		header()
	}
	header()
	n := 0
	witnesses := false
	for i := range c.Signatories {
		s := &c.Signatories[i]
		if s.Kind == models.SlotWitness && !witnesses {
			witnesses = true
			d.ensure(7 + jointRowH)
			d.font("B", 10)
			d.pdf.Rect(d.layout.marginX, d.y(), d.layout.contentW(), 7, "D")
			d.text(d.layout.marginX, d.y()+1.5, d.layout.contentW(), "Menyaksikan", "C")
			d.setY(d.y() + 7)
		}
		n++
		d.tableRow(n, s)
	}
	d.onNewPage = nil
}

// tableRow draws one slot's row of the signature table and records its two boxes.
func (d *commitmentDoc) tableRow(n int, s *models.CommitmentSlot) {
	d.ensure(jointRowH)
	m, y := d.layout.marginX, d.y()
	d.draw(gridColour)
	d.pdf.SetLineWidth(0.2)
	x := m
	for _, w := range jointColumns {
		d.pdf.Rect(x, y, w, jointRowH, "D")
		x += w
	}
	d.draw(black)
	d.font("", 9.5)
	d.text(m, y+2, jointColumns[0], fmt.Sprintf("%d.", n), "C")
	tx, tw := m+jointColumns[0]+cellPadX, jointColumns[1]-2*cellPadX
	d.font("B", 9.5)
	d.setY(y + 2)
	for _, l := range clampLines(d.wrap(s.DefaultTitle, tw), 2) {
		d.text(tx, d.y(), tw, l, "L")
		d.setY(d.y() + d.lineH())
	}
	d.font("", 9.5)
	d.text(tx, y+jointRowH-2-d.lineH(), tw, printedName(s), "L")
	const pad = 1.5
	px := m + jointColumns[0] + jointColumns[1]
	d.box(models.ParafField(s.Slot), px+pad, y+pad, jointColumns[2]-2*pad, jointRowH-2*pad)
	d.box(s.Slot, px+jointColumns[2]+pad, y+pad, jointColumns[3]-2*pad, jointRowH-2*pad)
	d.setY(y + jointRowH)
}
