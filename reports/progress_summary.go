package reports

import (
	"fmt"
	"strings"

	"github.com/pantau-id/pantau/models"
)

// zoneKeys are the scheme's zones, plus no_data when any region has none.
func zoneKeys(s models.Scheme, counts map[models.Zone]int) []models.Zone {
	keys := s.Keys()
	if counts[models.ZoneNoData] > 0 {
		keys = append(keys, models.ZoneNoData)
	}
	return keys
}

// zoneBoxes draws one box per zone with the number of regions in it.
func (d *progressDoc) zoneBoxes(m models.Metric, title string) {
	scheme := d.data.Schemes[m]
	counts := d.data.Summary.Counts[m]
	keys := zoneKeys(scheme, counts)
	d.font("B", 9.5)
	d.ensure(d.lineH() + 28)
	d.text(marginX, d.y(), contentW, title, "L")
	d.setY(d.y() + d.lineH() + 0.5)
	if len(keys) == 0 {
		return
	}
	const gap, h = 3.0, 24.0
	bw := (contentW - gap*float64(len(keys)-1)) / float64(len(keys))
	y := d.y()
	for i, k := range keys {
		x := marginX + float64(i)*(bw+gap)
		col := zoneColour(k)
		d.zoneSwatch(x, y, bw, 4.5, k)
		d.draw(col)
		if col.luminance() > 200 {
			d.draw(grey)
		}
		d.pdf.SetLineWidth(0.5)
		d.pdf.Rect(x, y, bw, h, "D")
		d.font("B", 8)
		label := "Zona " + strings.ToLower(zoneName(k))
		if k == models.ZoneComplete {
			label = "Tuntas (100%)"
		} else if k == models.ZoneNoData {
			label = "Belum ada data"
		}
		d.text(x+1, y+5.5, bw-2, d.fitRunes(label, bw-2), "C")
		d.font("B", 17)
		d.text(x+1, y+9.5, bw-2, IntID(int64(counts[k])), "C")
		d.font("", 6.5)
		d.ink(grey)
		for _, b := range scheme {
			if b.Key == k {
				d.text(x+1, y+h-4, bw-2, d.fitRunes(bandText(b), bw-2), "C")
			}
		}
		d.ink(black)
	}
	d.setY(y + h + 4)
}

// regionBoxes draws a single region's key figures as boxes.
func (d *progressDoc) regionBoxes(sec *models.ReportSection) {
	rs := d.regionSummary(sec.Region.Code)
	type box struct {
		label, value string
		zone         models.Zone
		note         string
	}
	boxes := []box{
		{"Nilai terverifikasi", PercentID(rs.ActionPlan.Percent), rs.ActionPlan.Zone, models.ZonePhrase(rs.ActionPlan.Zone)},
		{"Nilai klaim", PercentID(rs.ActionPlan.ClaimedPercent), "", "yang diajukan Pemda"},
		{"Pendelegasian", PercentID(rs.Delegation.Percent), rs.Delegation.Zone, models.ZonePhrase(rs.Delegation.Zone)},
		{"Peringkat", fmt.Sprintf("%d dari %d", d.rankOf[rs.Code], len(d.ranking)), "", "menurut nilai terverifikasi"},
	}
	const gap, h = 3.0, 22.0
	bw := (contentW - gap*3) / 4
	d.ensure(h + 4)
	y := d.y()
	for i, b := range boxes {
		x := marginX + float64(i)*(bw+gap)
		if b.zone != "" {
			d.zoneSwatch(x, y, bw, 4.5, b.zone)
		} else {
			d.fill(bandFill)
			d.pdf.Rect(x, y, bw, 4.5, "F")
		}
		d.draw(grey)
		d.pdf.SetLineWidth(0.4)
		d.pdf.Rect(x, y, bw, h, "D")
		d.font("B", 8)
		d.text(x+1, y+5.5, bw-2, b.label, "C")
		d.font("B", 15)
		d.text(x+1, y+9.5, bw-2, b.value, "C")
		d.font("", 6.5)
		d.ink(grey)
		d.text(x+1, y+h-4, bw-2, d.fitRunes(b.note, bw-2), "C")
		d.ink(black)
	}
	d.setY(y + h + 3)
}

func (d *progressDoc) regionSummary(code string) models.RegionSummary {
	for _, r := range d.data.Summary.Regions {
		if r.Code == code {
			return r
		}
	}
	return models.RegionSummary{Code: code, ActionPlan: models.ActionPlanStanding{Zone: models.ZoneNoData},
		Delegation: models.DelegationStanding{Zone: models.ZoneNoData}}
}
