package reports

import (
	"fmt"
	"strings"
	"time"

	"github.com/pantau-id/pantau/models"
)

// section is one region's detail: key figures, then its items area by area.
func (d *progressDoc) section(sec *models.ReportSection, first bool) {
	rs := d.regionSummary(sec.Region.Code)
	if d.p.Region == "" {
		if first {
			d.pdf.Bookmark("Rincian per Pemda", 0, d.y())
		}
		d.font("B", 11.5)
		lines := d.wrap(sec.Region.Code+"  "+sec.Region.Name, contentW-4)
		h := float64(len(lines))*d.lineH() + 3
		d.pdf.Bookmark(sec.Region.Code+" "+sec.Region.Name, 1, d.y())
		d.fill(headerFill)
		d.pdf.Rect(marginX, d.y(), contentW, h, "F")
		d.ink(white)
		y := d.y() + 1.5
		for _, l := range lines {
			d.text(marginX+2, y, contentW-4, l, "L")
			y += d.lineH()
		}
		d.ink(black)
		d.setY(d.y() + h + 2)
	} else {
		d.heading("Rincian butir rencana aksi", true)
	}
	d.facts(sec, rs)
	d.trendChart(sec.Trend)
	d.items(sec)
	d.remediation(sec.Remediation)
}

// remediation lists the region's remediation plan: each action, who, by when and where it
// stands as of the report's date (an action past its date and not done says so); nothing when
// there is no plan.
func (d *progressDoc) remediation(actions []models.RemediationAction) {
	if len(actions) == 0 {
		return
	}
	d.setY(d.y() + 3)
	d.ensure(4 * d.lineH())
	d.font("B", 9)
	d.text(marginX, d.y(), contentW, "Rencana perbaikan", "L")
	d.setY(d.y() + d.lineH() + 1)
	today := d.at.In(models.WIB).Format(time.DateOnly)
	t := &table{c: d.canvas, size: 7.5, cols: []column{{"Tindakan", 86, "L"}, {"Penanggung jawab", 44, "L"}, {"Tenggat", 22, "L"}, {"Status", 28, "L"}}}
	t.start()
	for i := range actions {
		a := &actions[i]
		status := cell{text: models.Label(models.Indonesian, "remediation_status", string(a.Status))}
		if a.OverdueOn(today) {
			status = cell{text: status.text + " — lewat tenggat", style: "B"}
		}
		due, _ := time.Parse(time.DateOnly, a.Due)
		t.row([]cell{{text: a.What}, {text: a.Owner}, {text: DateID(due)}, status})
	}
	d.setY(d.y() + 2)
}

// trendChart draws the region's verified figure in each year as a small column in its zone's
// colour and pattern, the value above and the year below; nothing when there is one year only.
func (d *progressDoc) trendChart(trend []models.TrendPoint) {
	if len(trend) < 2 {
		return
	}
	const barW, gap, maxH = 12.0, 6.0, 16.0
	d.ensure(maxH + 14)
	d.font("B", 8)
	d.text(marginX, d.y(), contentW, "Tren nilai terverifikasi", "L")
	top := d.y() + d.lineH() + 3.5
	base := top + maxH
	d.draw(gridColour)
	d.pdf.SetLineWidth(0.15)
	d.pdf.Line(marginX, base, marginX+float64(len(trend))*(barW+gap), base)
	for i, pt := range trend {
		x := marginX + float64(i)*(barW+gap)
		d.font("", 7)
		if v := pt.ActionPlan.Percent; v != nil {
			h := maxH * float64(*v) / float64(models.Hundred)
			if h > 0 {
				d.zoneSwatch(x, base-h, barW, h, pt.ActionPlan.Zone)
			}
			d.text(x-2, base-h-3.2, barW+4, PercentID(v), "C")
		} else {
			d.text(x-2, base-3.2, barW+4, "–", "C")
		}
		d.text(x-2, base+0.8, barW+4, fmt.Sprint(pt.Year), "C")
	}
	d.setY(base + d.lineH() + 3)
}

func (d *progressDoc) facts(sec *models.ReportSection, rs models.RegionSummary) {
	t := &table{c: d.canvas, size: 8, cols: []column{{"", 48, "L"}, {"", 104, "L"}, {"", 28, "L"}}}
	kind := sec.Region.Kind.Label(models.Indonesian)
	label := func(s string) cell { return cell{text: s, style: "B", fill: &bandFill} }
	t.row([]cell{label("Pemda"), {text: fmt.Sprintf("%s (%s, kode %s)", sec.Region.Name, kind, sec.Region.Code)}, {}})
	rank := "–"
	if rs.ActionPlan.Percent != nil {
		rank = fmt.Sprintf("%d dari %d Pemda", d.rankOf[rs.Code], len(d.ranking))
	}
	t.row([]cell{label("Nilai terverifikasi"), {text: PercentID(rs.ActionPlan.Percent) + " — peringkat " + rank, style: "B"}, {zone: rs.ActionPlan.Zone}})
	t.row([]cell{label("Nilai klaim"), {text: PercentID(rs.ActionPlan.ClaimedPercent)}, {}})
	change := fmt.Sprintf("Periode %d tidak ada.", d.previousYear())
	if d.prev != nil {
		if before, ok := d.prev[rs.Code]; ok {
			change = fmt.Sprintf("%s poin (%d: %s)", ChangeID(rs.ActionPlan.Percent, before.ActionPlan.Percent), d.previousYear(), PercentID(before.ActionPlan.Percent))
		} else {
			change = fmt.Sprintf("Tidak tercatat pada %d.", d.previousYear())
		}
	}
	t.row([]cell{label(fmt.Sprintf("Perubahan dari %d", d.previousYear())), {text: change}, {}})
	del := sec.Delegation
	delText, basis := "Belum dicatat untuk periode ini.", "–"
	if del != nil && del.Percent != nil {
		delText = fmt.Sprintf("%s (%s dari %s kewenangan)", PercentID(del.Percent), IntID(*del.Delegated), IntID(*del.Total))
		basis = del.LegalBasis
	}
	zone := models.ZoneNoData
	if del != nil {
		zone = del.Zone
	}
	t.row([]cell{label("Pendelegasian kewenangan"), {text: delText, style: "B"}, {zone: zone}})
	t.row([]cell{label("Dasar hukum pendelegasian"), {text: basis}, {}})
	if del != nil && len(del.Documents) > 0 {
		names := make([]string, len(del.Documents))
		for i, doc := range del.Documents {
			names[i] = models.Label(models.Indonesian, "document_kind", string(doc.Kind)) + ": " + doc.Filename
		}
		t.row([]cell{label("Dokumen pendelegasian"), {text: strings.Join(names, "; ")}, {}})
	}
	d.setY(d.y() + 3)
}

func (d *progressDoc) items(sec *models.ReportSection) {
	if len(sec.Items) == 0 {
		d.font("I", 9)
		d.ensure(d.lineH())
		d.text(marginX, d.y(), contentW, "Periode ini belum memiliki indikator.", "L")
		d.setY(d.y() + d.lineH())
		return
	}
	t := &table{c: d.canvas, size: 7, cols: []column{
		{"Kode", 16, "L"}, {"Indikator", 56, "L"}, {"Bobot", 10, "R"}, {"Klaim", 13, "R"}, {"Terverifikasi", 18, "R"},
		{"Status", 20, "L"}, {"Bukti", 10, "C"}, {"Catatan reviewer terakhir", 37, "L"},
	}}
	areaName := map[string]models.Area{}
	for _, a := range d.data.Areas {
		areaName[a.Code] = a
	}
	t.start()
	area := ""
	for i := range sec.Items {
		it := &sec.Items[i]
		if it.Indicator.AreaCode != area {
			area = it.Indicator.AreaCode
			a := areaName[area]
			t.band(fmt.Sprintf("%s — %s (bobot %s) · nilai terverifikasi area %s", a.Code, a.Name, a.Weight.Indonesian(), PercentID(sec.AreaScores[area])))
		}
		note := "–"
		if r := it.LastReview; r != nil {
			note = fmt.Sprintf("%s, %s: %s", r.Reviewer, DateID(r.CreatedAt.In(d.at.Location())), strings.TrimSpace(r.Comment))
			if strings.TrimSpace(r.Comment) == "" {
				note = fmt.Sprintf("%s, %s: %s tanpa catatan", r.Reviewer, DateID(r.CreatedAt.In(d.at.Location())), strings.ToLower(models.Label(models.Indonesian, "decision", string(r.Decision))))
			}
		}
		status := cell{text: statusLabel(it.Status)}
		claimed, verified := PercentID(&it.Progress), PercentID(&it.VerifiedProgress)
		switch it.Status {
		case models.StatusRejected:
			status.colour, status.style = &downColour, "B"
		case models.StatusApproved:
			status.colour = &upColour
		case models.StatusNotApplicable:
			status.colour = &grey
			claimed, verified = "–", "–" // out of numerator and denominator
		}
		t.row([]cell{
			{text: it.Indicator.Code}, {text: it.Indicator.Title}, {text: it.Indicator.Weight.Indonesian()},
			{text: claimed}, {text: verified, style: "B"}, status,
			{text: IntID(int64(it.EvidenceCount))}, {text: note},
		})
	}
	t.end()
}
