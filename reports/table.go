package reports

import "github.com/pantau-id/pantau/models"

// column is a table column: its header, width (mm) and alignment.
type column struct {
	title string
	w     float64
	align string
}

// cell is one table cell: text in a style, or a zone chip; optionally filled and coloured.
type cell struct {
	text   string
	style  string
	zone   models.Zone // draw this zone's chip instead of text
	fill   *rgb
	colour *rgb
}

// table draws rows that wrap their text, grow to fit, break across pages and repeat the
// header row on every page they reach.
type table struct {
	c    *canvas
	cols []column
	size float64 // body font size, pt
}

var (
	headerFill = rgb{38, 56, 84}
	gridColour = rgb{150, 150, 150}
	bandFill   = rgb{226, 232, 240}
	white      = rgb{255, 255, 255}
	black      = rgb{0, 0, 0}
	grey       = rgb{90, 90, 90}
)

// start draws the header (on a new page if not even the header and one line fit) and
// makes page breaks repeat it.
func (t *table) start() {
	t.c.font("", t.size)
	t.c.ensure(t.headerHeight() + 3*t.c.lineH())
	t.header()
	t.c.onNewPage = t.header
}

// end stops repeating the header.
func (t *table) end() { t.c.onNewPage = nil }

// headerSize is the header's font size: a little smaller than the body's, so that column
// titles break between words.
func (t *table) headerSize() float64 { return t.size - 0.5 }

func (t *table) headerHeight() float64 {
	t.c.font("B", t.headerSize())
	n := 1
	for _, col := range t.cols {
		n = max(n, len(t.c.wrap(col.title, col.w-2*cellPadX)))
	}
	return float64(n)*t.c.lineH() + 2*cellPadY
}

func (t *table) header() {
	c := t.c
	h := t.headerHeight()
	c.font("B", t.headerSize())
	y, x := c.y(), marginX
	c.fill(headerFill)
	c.draw(gridColour)
	c.pdf.SetLineWidth(0.15)
	c.ink(white)
	for _, col := range t.cols {
		c.pdf.Rect(x, y, col.w, h, "FD")
		lines := c.wrap(col.title, col.w-2*cellPadX)
		ty := y + (h-float64(len(lines))*c.lineH())/2
		for _, l := range lines {
			c.text(x+cellPadX, ty, col.w-2*cellPadX, l, alignOf(col.align))
			ty += c.lineH()
		}
		x += col.w
	}
	c.ink(black)
	c.setY(y + h)
}

func alignOf(a string) string {
	if a == "" {
		return "L"
	}
	return a
}

// row draws one row; cells beyond the columns are ignored.
func (t *table) row(cells []cell) {
	c := t.c
	lines := make([][]string, len(t.cols))
	n := 1
	for i, col := range t.cols {
		if i >= len(cells) || cells[i].zone != "" {
			continue
		}
		c.font(cells[i].style, t.size)
		lines[i] = clampLines(c.wrap(cells[i].text, col.w-2*cellPadX), maxCellLines)
		n = max(n, len(lines[i]))
	}
	c.font("", t.size)
	lh := c.lineH()
	h := float64(n)*lh + 2*cellPadY
	c.ensure(h)
	y, x := c.y(), marginX
	c.pdf.SetLineWidth(0.15)
	c.draw(gridColour)
	for i, col := range t.cols {
		var cl cell
		if i < len(cells) {
			cl = cells[i]
		}
		if cl.fill != nil {
			c.fill(*cl.fill)
			c.pdf.Rect(x, y, col.w, h, "F")
		}
		switch {
		case cl.zone != "":
			c.chip(x+0.8, y+0.8, col.w-1.6, min(h-1.6, 4.2), cl.zone)
		default:
			c.font(cl.style, t.size)
			if cl.colour != nil {
				c.ink(*cl.colour)
			}
			ty := y + cellPadY
			for _, l := range lines[i] {
				c.text(x+cellPadX, ty, col.w-2*cellPadX, l, alignOf(col.align))
				ty += lh
			}
			if cl.colour != nil {
				c.ink(black)
			}
		}
		c.draw(gridColour)
		c.pdf.Rect(x, y, col.w, h, "D")
		x += col.w
	}
	c.setY(y + h)
}

// band draws a full-width row of text (a group heading inside a table).
func (t *table) band(text string) {
	c := t.c
	c.font("B", t.size)
	lines := c.wrap(text, contentW-2*cellPadX)
	h := float64(len(lines))*c.lineH() + 2*cellPadY
	c.ensure(h + c.lineH() + 2*cellPadY) // keep the band with its first row
	y := c.y()
	c.fill(bandFill)
	c.draw(gridColour)
	c.pdf.SetLineWidth(0.15)
	c.pdf.Rect(marginX, y, contentW, h, "FD")
	ty := y + cellPadY
	for _, l := range lines {
		c.text(marginX+cellPadX, ty, contentW-2*cellPadX, l, "L")
		ty += c.lineH()
	}
	c.setY(y + h)
}
