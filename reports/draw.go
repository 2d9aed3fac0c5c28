package reports

import (
	"strings"
	"unicode/utf8"

	"github.com/jung-kurt/gofpdf"

	"github.com/pantau-id/pantau/models"
)

// Geometry shared by every document (A4 portrait), in millimetres.
const (
	pageW        = 210.0
	pageH        = 297.0
	footerTop    = 266.0 // where the footer of every page starts
	ptToMM       = 25.4 / 72
	mmToPt       = 72 / 25.4
	cellPadX     = 1.2
	cellPadY     = 0.8
	maxCellLines = 40 // a cell taller than this is cut with an ellipsis, so a row always fits a page
)

// pageLayout is one kind of document's page geometry, in millimetres.
type pageLayout struct {
	marginX    float64 // left and right margin
	firstTop   float64 // where content starts on the first page
	runningTop float64 // where it starts on later pages
	bottom     float64 // where content ends; the footer follows below
	lineFactor float64 // line height as a multiple of the font size
}

// contentW is the width between the side margins.
func (l pageLayout) contentW() float64 { return pageW - 2*l.marginX }

// canvas wraps gofpdf with the few drawing operations the documents use, and the page flow.
type canvas struct {
	pdf    *gofpdf.Fpdf
	layout pageLayout
	// onNewPage runs after a page break inside a flowing element (a table repeats its header).
	onNewPage func()
	wrapCache map[wrapKey][]string
	style     string
	size      float64
	// qr is the verification address's QR code, drawn once and placed on every page.
	qr gofpdf.Template
	// hasLogo: the letterhead's logo is registered as the image "logo".
	hasLogo bool
}

type wrapKey struct {
	text, style string
	size, w     float64
}

func (c *canvas) font(style string, size float64) {
	if c.style != style || c.size != size {
		c.pdf.SetFont(fontFamily, style, size)
		c.style, c.size = style, size
	}
}

func (c *canvas) fill(col rgb)   { c.pdf.SetFillColor(col.r, col.g, col.b) }
func (c *canvas) draw(col rgb)   { c.pdf.SetDrawColor(col.r, col.g, col.b) }
func (c *canvas) ink(col rgb)    { c.pdf.SetTextColor(col.r, col.g, col.b) }
func (c *canvas) y() float64     { return c.pdf.GetY() }
func (c *canvas) setY(y float64) { c.pdf.SetY(y) }

// lineH is the line height of the current font size.
func (c *canvas) lineH() float64 { return c.lineHeight(c.size) }

// lineHeight is the line height of a font size.
func (c *canvas) lineHeight(size float64) float64 { return size * ptToMM * c.layout.lineFactor }

// top is where content starts on the current page.
func (c *canvas) top() float64 {
	if c.pdf.PageNo() <= 1 {
		return c.layout.firstTop
	}
	return c.layout.runningTop
}

// firstPage starts the document's first page.
func (c *canvas) firstPage() {
	c.pdf.AddPage()
	c.style, c.size = "", 0 // the header and footer changed the font
	c.setY(c.layout.firstTop)
}

// ensure starts a new page unless h millimetres still fit on this one; it reports whether it broke.
func (c *canvas) ensure(h float64) bool {
	if c.y()+h <= c.layout.bottom || c.y() <= c.top()+0.01 {
		return false
	}
	c.newPage()
	return true
}

func (c *canvas) newPage() {
	style, size := c.style, c.size
	c.pdf.AddPage()
	c.style, c.size = "", 0 // the header and footer changed the font
	c.font(style, size)
	c.setY(c.top())
	if c.onNewPage != nil {
		c.onNewPage()
	}
}

// text writes s with its top at y inside [x, x+w], aligned "L", "C" or "R".
func (c *canvas) text(x, y, w float64, s, align string) {
	base := y + c.size*ptToMM*0.86
	switch align {
	case "R":
		x += w - c.pdf.GetStringWidth(s)
	case "C":
		x += (w - c.pdf.GetStringWidth(s)) / 2
	}
	c.pdf.Text(x, base, s)
}

// lines writes s wrapped to [x, x+w] from the current y, each line aligned "L", "C" or "R",
// and moves below them. It does not break pages: callers keep such blocks together with ensure.
func (c *canvas) lines(x, w float64, s, align string) {
	for _, l := range c.wrap(s, w) {
		c.text(x, c.y(), w, l, align)
		c.setY(c.y() + c.lineH())
	}
}

// wrap breaks s into lines no wider than w in the current font; a word too long for a line
// is broken between characters. Results are cached: reports repeat the same titles a lot.
func (c *canvas) wrap(s string, w float64) []string {
	key := wrapKey{s, c.style, c.size, w}
	if lines, ok := c.wrapCache[key]; ok {
		return lines
	}
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		lines = append(lines, c.wrapParagraph(para, w)...)
	}
	if c.wrapCache == nil {
		c.wrapCache = map[wrapKey][]string{}
	}
	if len(c.wrapCache) < 50000 {
		c.wrapCache[key] = lines
	}
	return lines
}

func (c *canvas) wrapParagraph(s string, w float64) []string {
	words := strings.Fields(s)
	if len(words) == 0 {
		return []string{""}
	}
	space := c.pdf.GetStringWidth(" ")
	var lines []string
	line, lineW := "", 0.0
	for _, word := range words {
		ww := c.pdf.GetStringWidth(word)
		for ww > w { // break a word longer than the line
			if line != "" {
				lines = append(lines, line)
				line, lineW = "", 0
			}
			head := c.fitRunes(word, w)
			lines = append(lines, head)
			word = word[len(head):]
			ww = c.pdf.GetStringWidth(word)
		}
		switch {
		case line == "":
			line, lineW = word, ww
		case lineW+space+ww <= w:
			line += " " + word
			lineW += space + ww
		default:
			lines = append(lines, line)
			line, lineW = word, ww
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// fitRunes returns the longest prefix of s (at least one character) no wider than w.
func (c *canvas) fitRunes(s string, w float64) string {
	end := 0
	for i, r := range s {
		next := i + utf8.RuneLen(r)
		if end > 0 && c.pdf.GetStringWidth(s[:next]) > w {
			break
		}
		end = next
	}
	return s[:end]
}

// clampLines cuts lines to n, ending the last with an ellipsis.
func clampLines(lines []string, n int) []string {
	if len(lines) <= n {
		return lines
	}
	out := append([]string(nil), lines[:n]...)
	out[n-1] += " …"
	return out
}

// paragraph writes justified text across [x, x+w] from the current y, breaking pages as needed.
func (c *canvas) paragraph(x, w float64, s string) {
	lh := c.lineH()
	for _, para := range strings.Split(s, "\n") {
		lines := c.wrap(para, w)
		for i, line := range lines {
			c.ensure(lh)
			y := c.y()
			if i == len(lines)-1 {
				c.text(x, y, w, line, "L")
			} else {
				c.justified(x, y, w, line)
			}
			c.setY(y + lh)
		}
	}
}

// justified spreads a line's words over the full width.
func (c *canvas) justified(x, y, w float64, line string) {
	words := strings.Fields(line)
	if len(words) < 2 {
		c.text(x, y, w, line, "L")
		return
	}
	total := 0.0
	for _, wd := range words {
		total += c.pdf.GetStringWidth(wd)
	}
	gap := (w - total) / float64(len(words)-1)
	if gap > 4*c.pdf.GetStringWidth(" ") {
		c.text(x, y, w, line, "L")
		return
	}
	for _, wd := range words {
		c.text(x, y, w, wd, "L")
		x += c.pdf.GetStringWidth(wd) + gap
	}
}

// hatch fills the rectangle with the pattern, in col.
func (c *canvas) hatch(x, y, w, h float64, p pattern, col rgb) {
	if p == patternNone || w <= 0 || h <= 0 {
		return
	}
	pdf := c.pdf
	pdf.ClipRect(x, y, w, h, false)
	c.draw(col)
	pdf.SetLineWidth(0.18)
	const step = 1.3
	switch p {
	case patternForward, patternBackward, patternCross:
		for t := -h; t < w; t += step {
			if p != patternBackward {
				pdf.Line(x+t, y+h, x+t+h, y)
			}
			if p != patternForward {
				pdf.Line(x+t, y, x+t+h, y+h)
			}
		}
	case patternHorizontal:
		for t := step / 2; t < h; t += step {
			pdf.Line(x, y+t, x+w, y+t)
		}
	case patternVertical:
		for t := step / 2; t < w; t += step {
			pdf.Line(x+t, y, x+t, y+h)
		}
	case patternDots:
		for ty := step / 2; ty < h; ty += step {
			off := 0.0
			if int(ty/step)%2 == 1 {
				off = step / 2
			}
			for tx := step/2 + off; tx < w; tx += step {
				pdf.Rect(x+tx-0.22, y+ty-0.22, 0.44, 0.44, "F")
			}
		}
	}
	pdf.ClipEnd()
}

// zoneSwatch fills a rectangle with a zone's colour and pattern.
func (c *canvas) zoneSwatch(x, y, w, h float64, zone models.Zone) {
	col := zoneColour(zone)
	c.fill(col)
	c.pdf.Rect(x, y, w, h, "F")
	pc := rgb{40, 40, 40}
	if col.luminance() < 110 {
		pc = rgb{235, 235, 235}
	}
	if zonePattern(zone) == patternDots {
		c.fill(pc)
	}
	c.hatch(x, y, w, h, zonePattern(zone), pc)
	c.draw(rgb{90, 90, 90})
	c.pdf.SetLineWidth(0.15)
	c.pdf.Rect(x, y, w, h, "D")
}

// chip draws a zone label: a patterned swatch and the zone's name on its colour.
func (c *canvas) chip(x, y, w, h float64, zone models.Zone) {
	col := zoneColour(zone)
	c.fill(col)
	c.pdf.Rect(x, y, w, h, "F")
	sw := min(h, w/4)
	c.zoneSwatch(x, y, sw, h, zone)
	if col.luminance() < 140 {
		c.ink(rgb{255, 255, 255})
	} else {
		c.ink(rgb{0, 0, 0})
	}
	style, size := c.style, c.size
	c.font("B", min(size, 7))
	label := zoneName(zone)
	if c.pdf.GetStringWidth(label) > w-sw-1 {
		label = c.fitRunes(label, w-sw-1)
	}
	c.text(x+sw+0.8, y+(h-c.size*ptToMM)/2, w-sw-1, label, "L")
	c.font(style, size)
	c.ink(rgb{0, 0, 0})
}
