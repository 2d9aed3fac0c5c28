// Package reports renders Pantau's PDF documents: the progress report and the commitment
// document. Both stand on one base (this file and draw.go): A4 pages set in the Go fonts, the
// letterhead, page breaks, and on every page a footer with the page number, the verification
// code and a QR code of the document's public check. It is an encoder: it turns model values
// into a PDF on an io.Writer, reads models types and never touches the database.
package reports

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/jung-kurt/gofpdf"

	"github.com/pantau-id/pantau/models"
)

// docInfo is what the base needs to start a document.
type docInfo struct {
	layout pageLayout
	// title and keywords go into the PDF's metadata, with the verification code as its
	// subject and the letterhead's institution as its author.
	title, keywords string
	// created is the document's creation date; it is fixed so that equal input gives equal bytes.
	created    time.Time
	letterhead models.Letterhead
	// verificationCode is printed in every footer; verificationURL, its public check, is
	// printed and held by the QR code.
	verificationCode, verificationURL string
	// footerNote closes every page's footer (at most two lines).
	footerNote string
}

// newDocument starts a PDF on the common base: metadata, fonts, the QR code, the logo and the
// footer. The caller adds its running header, if any, and the first page (canvas.firstPage).
func newDocument(info docInfo) (*canvas, error) {
	pdf := gofpdf.New("P", "mm", "A4", "")
	c := &canvas{pdf: pdf, layout: info.layout}
	pdf.SetCatalogSort(true)
	pdf.SetCreationDate(info.created)
	pdf.SetModificationDate(info.created)
	pdf.SetMargins(info.layout.marginX, info.layout.firstTop, info.layout.marginX)
	pdf.SetAutoPageBreak(false, 0)
	pdf.AliasNbPages("{nb}")
	pdf.SetTitle(info.title, true)
	pdf.SetSubject("Kode verifikasi "+info.verificationCode, true)
	pdf.SetAuthor(info.letterhead.Institution, true)
	pdf.SetCreator("Pantau", true)
	pdf.SetProducer("Pantau (gofpdf)", true)
	pdf.SetKeywords(info.keywords, true)
	addFonts(pdf)
	qr, err := qrTemplate(pdf, info.verificationURL)
	if err != nil {
		return nil, fmt.Errorf("reports: QR code: %w", err)
	}
	c.qr = qr
	if logo := info.letterhead.Logo; len(logo) > 0 && models.LogoType(logo) != "" {
		pdf.RegisterImageOptionsReader("logo", gofpdf.ImageOptions{ImageType: models.LogoType(logo)}, bytes.NewReader(logo))
		if err := pdf.Error(); err != nil {
			return nil, fmt.Errorf("reports: letterhead logo: %w", err)
		}
		c.hasLogo = true
	}
	pdf.SetFooterFunc(func() { c.footer(&info) })
	return c, pdf.Error()
}

// standardLetterhead is lh when one is set; otherwise the provincial DPMPTSP's when the
// document concerns exactly one province, or Pantau's own.
func standardLetterhead(lh models.Letterhead, provinces []string) models.Letterhead {
	if lh.Institution != "" {
		return lh
	}
	lh.Institution = "DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU SATU PINTU"
	if len(provinces) == 1 {
		lh.Government = "PEMERINTAH " + strings.ToUpper(provinces[0])
	} else {
		lh.Government, lh.Institution = "PANTAU", "PEMANTAUAN RENCANA AKSI PENCEGAHAN KORUPSI"
	}
	return lh
}

// letterhead draws the letterhead from the current y: the logo on the left, the government,
// the institution and the address centred as they were entered, and a double rule below.
func (c *canvas) letterhead(lh models.Letterhead) {
	const logoH = 22.0
	m, cw := c.layout.marginX, c.layout.contentW()
	x, w := m, cw
	top := c.y()
	if c.hasLogo {
		c.pdf.ImageOptions("logo", m, top, 0, logoH, false, gofpdf.ImageOptions{ImageType: models.LogoType(lh.Logo)}, 0, "")
		x, w = m+26, cw-52
	}
	for _, part := range []struct {
		text, style string
		size        float64
	}{{lh.Government, "B", 12}, {lh.Institution, "B", 13}, {lh.Address, "", 8.5}} {
		if strings.TrimSpace(part.text) != "" {
			c.font(part.style, part.size)
			c.lines(x, w, part.text, "C")
		}
	}
	y := c.y()
	if c.hasLogo {
		y = max(y, top+logoH)
	}
	y += 1.5
	c.draw(black)
	c.pdf.SetLineWidth(0.8)
	c.pdf.Line(m, y, pageW-m, y)
	c.pdf.SetLineWidth(0.25)
	c.pdf.Line(m, y+1.1, pageW-m, y+1.1)
	c.setY(y + 5)
}

// footer prints on every page the page number, the verification code and address with a QR
// code of the address, and the document's note.
func (c *canvas) footer(info *docInfo) {
	style, size := c.style, c.size
	const qrSize = 19.0
	m := c.layout.marginX
	y := footerTop
	c.draw(gridColour)
	c.pdf.SetLineWidth(0.2)
	c.pdf.Line(m, y, pageW-m, y)
	qrX := pageW - m - qrSize
	c.pdf.UseTemplateScaled(c.qr, gofpdf.PointType{X: qrX, Y: y + 1.2}, gofpdf.SizeType{Wd: qrSize, Ht: qrSize})
	w := qrX - m - 3
	c.ink(black)
	c.font("B", 8)
	c.text(m, y+2, w, fmt.Sprintf("Halaman %d dari {nb}", c.pdf.PageNo()), "L")
	c.text(m, y+6, w, "Kode verifikasi: "+info.verificationCode, "L")
	c.font("", 7.5)
	url := info.verificationURL
	for c.pdf.GetStringWidth("Periksa keaslian dokumen ini di "+url) > w && c.size > 5 {
		c.font("", c.size-0.5)
	}
	c.text(m, y+10, w, "Periksa keaslian dokumen ini di "+url, "L")
	c.pdf.LinkString(m, y+10, w, 3.5, url)
	c.font("", 7)
	c.ink(grey)
	ty := y + 14
	for _, l := range clampLines(c.wrap(info.footerNote, w), 2) {
		c.text(m, ty, w, l, "L")
		ty += c.lineH()
	}
	c.ink(black)
	c.style, c.size = "", 0
	if style != "" || size != 0 {
		c.font(style, size)
	}
}
