package reports

import (
	"fmt"
	"strings"

	"github.com/pantau-id/pantau/models"
)

// heatMap draws the Pemda × area matrix of verified percentages, coloured by zone.
func (d *progressDoc) heatMap() {
	d.heading("Matriks nilai terverifikasi Pemda × area intervensi", true)
	areas := d.data.Areas
	d.font("", 7.5)
	var legend []string
	for _, a := range areas {
		legend = append(legend, fmt.Sprintf("%s = %s (bobot %s)", a.Code, a.Name, a.Weight.Indonesian()))
	}
	if len(legend) == 0 {
		legend = []string{"Periode ini belum memiliki area intervensi."}
	}
	d.paragraph(marginX, contentW, strings.Join(legend, "; ")+". T/B = tidak berlaku bagi Pemda itu.")
	d.setY(d.y() + 1)
	d.legend(models.MetricActionPlan)
	const nameW, totalW = 50.0, 16.0
	cols := []column{{"Pemda", nameW, "L"}}
	if n := len(areas); n > 0 {
		w := (contentW - nameW - totalW) / float64(n)
		for _, a := range areas {
			cols = append(cols, column{a.Code, w, "C"})
		}
	} else {
		cols[0].w = contentW - totalW
	}
	cols = append(cols, column{"Total", totalW, "C"})
	t := &table{c: d.canvas, size: 6.8, cols: cols}
	bySection := map[string]*models.ReportSection{}
	for i := range d.data.Sections {
		bySection[d.data.Sections[i].Region.Code] = &d.data.Sections[i]
	}
	scheme := d.data.Schemes[models.MetricActionPlan]
	t.start()
	for _, r := range d.ranking {
		cells := []cell{{text: r.Name}}
		sec := bySection[r.Code]
		applies := map[string]bool{}
		for _, ra := range r.Areas {
			applies[ra.Code] = ra.Applicable
		}
		for _, a := range areas {
			var v *models.Fixed
			if sec != nil {
				v = sec.AreaScores[a.Code]
			}
			if v == nil && !applies[a.Code] {
				cells = append(cells, cell{text: "T/B", colour: &grey})
				continue
			}
			cells = append(cells, valueCell(v, scheme.Zone(v)))
		}
		total := valueCell(r.ActionPlan.Percent, r.ActionPlan.Zone)
		total.style = "B"
		t.row(append(cells, total))
	}
	t.end()
}

// valueCell is a percentage on its zone's colour, its text dark or light to stay readable.
func valueCell(v *models.Fixed, zone models.Zone) cell {
	col := zoneColour(zone)
	c := cell{text: "–", fill: &col}
	if v != nil {
		c.text = v.Indonesian()
	}
	if col.luminance() < 140 {
		c.colour = &white
	}
	return c
}
