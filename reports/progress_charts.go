package reports

import (
	"fmt"

	"github.com/pantau-id/pantau/models"
)

// legend draws each zone of a scheme: swatch, name and band.
func (d *progressDoc) legend(m models.Metric) {
	scheme := d.data.Schemes[m]
	keys := zoneKeys(scheme, d.data.Summary.Counts[m])
	d.font("", 7)
	x, y := marginX, d.y()
	for _, k := range keys {
		label := zoneName(k)
		for _, b := range scheme {
			if b.Key == k {
				label += " (" + bandText(b) + ")"
			}
		}
		w := 5 + d.pdf.GetStringWidth(label) + 4
		if x+w > pageW-marginX {
			x, y = marginX, y+4.5
		}
		d.zoneSwatch(x, y, 4, 3.2, k)
		d.text(x+5, y, w, label, "L")
		x += w
	}
	d.setY(y + 6)
}

// barChart draws every region's verified percentage as a horizontal bar in its zone's colour
// and pattern, with the 50% and 75% lines, in ranking order.
func (d *progressDoc) barChart() {
	d.heading("Grafik nilai terverifikasi per Pemda", true)
	d.legend(models.MetricActionPlan)
	const labelW, valueW = 56.0, 16.0
	x0 := marginX + labelW + 1
	bw := contentW - labelW - valueW - 2
	xOf := func(v float64) float64 { return x0 + bw*v/100 }
	// guides draws the 50% and 75% lines and the axis across one row, under its bar and value.
	guides := func(top, bottom float64) {
		d.pdf.SetLineWidth(0.3)
		d.draw(rgb{60, 60, 60})
		d.pdf.SetDashPattern([]float64{1.15, 0.85}, 0)
		for _, v := range []float64{50, 75} {
			d.pdf.Line(xOf(v), top, xOf(v), bottom)
		}
		d.pdf.SetDashPattern([]float64{}, 0)
		d.draw(gridColour)
		d.pdf.SetLineWidth(0.15)
		d.pdf.Line(x0, top, x0, bottom)
	}
	axis := func() {
		d.font("", 6.5)
		d.ink(grey)
		y := d.y()
		for _, v := range []float64{0, 25, 50, 75, 100} {
			d.text(xOf(v)-5, y, 10, fmt.Sprintf("%g%%", v), "C")
		}
		d.ink(black)
		d.setY(y + 3.5)
	}
	axis()
	d.onNewPage = axis
	for _, r := range d.ranking {
		d.font("", 6.8)
		lines := clampLines(d.wrap(r.Name, labelW-1), 3)
		h := max(4.6, float64(len(lines))*d.lineH()+1)
		d.ensure(h)
		y := d.y()
		guides(y, y+h)
		ty := y + (h-float64(len(lines))*d.lineH())/2
		for _, l := range lines {
			d.text(marginX, ty, labelW-1, l, "R")
			ty += d.lineH()
		}
		p := r.ActionPlan.Percent
		if p == nil {
			d.font("I", 6.5)
			d.ink(grey)
			d.text(x0+1, y+(h-2.5)/2, bw, "belum ada data", "L")
			d.ink(black)
		} else {
			v := float64(*p) / 100
			bh := min(3.4, h-1.2)
			if v > 0 {
				d.zoneSwatch(x0, y+(h-bh)/2, bw*v/100, bh, r.ActionPlan.Zone)
			}
			d.font("B", 6.8)
			label := PercentID(p)
			d.fill(white)
			d.pdf.Rect(xOf(v)+0.6, y+(h-2.9)/2, d.pdf.GetStringWidth(label)+0.8, 2.9, "F")
			d.text(xOf(v)+1, y+(h-2.5)/2, valueW+bw, label, "L")
		}
		d.setY(y + h)
	}
	d.onNewPage = nil
	d.font("I", 7)
	d.ink(grey)
	d.setY(d.y() + 2)
	d.paragraph(marginX, contentW, "Garis putus-putus: batas 50% dan 75%. Warna dan pola batang menunjukkan zona rencana aksi.")
	d.ink(black)
}
