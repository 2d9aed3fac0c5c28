package reports

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/pantau-id/pantau/models"
)

// FormatVersion changes whenever the layout changes, so that a kept report is not handed out
// for data it would now be drawn differently from.
const FormatVersion = "progress/1"

// ReportTitle is the title every progress report carries.
const ReportTitle = "Laporan Progres Tindak Lanjut Rencana Aksi Pencegahan Korupsi"

// Progress is what a progress report needs besides the data.
type Progress struct {
	Data *models.ProgressData
	// Region is the code of the one Pemda the report is about; empty for the whole period.
	Region           string
	Letterhead       models.Letterhead
	GeneratedAt      time.Time
	GeneratedBy      string
	VerificationCode string
	// VerificationURL is what the QR code holds: the public check of this report.
	VerificationURL string
	// Location is the time zone dates are printed in (WIB when nil).
	Location *time.Location
	// OnSection, when set, is told after each Pemda's section how many of how many are done.
	OnSection func(done, total int)
}

// Result describes a written report.
type Result struct {
	Pages int
}

// Title is the report's document title: the report's title, its scope and year.
func (p *Progress) Title() string {
	return fmt.Sprintf("%s — %s %d", ReportTitle, scopeName(p), p.Data.Period.Year)
}

// WriteProgress writes the progress report as a PDF to w.
func WriteProgress(w io.Writer, p *Progress) (*Result, error) {
	d, err := newProgressDoc(p)
	if err != nil {
		return nil, err
	}
	if err := d.render(); err != nil {
		return nil, err
	}
	if err := finishPDF(d.pdf, w); err != nil {
		return nil, err
	}
	return &Result{Pages: d.pdf.PageNo()}, nil
}

type progressDoc struct {
	*canvas
	p       *Progress
	data    *models.ProgressData
	ranking []ranked
	rankOf  map[string]int
	prev    map[string]models.RegionSummary
	scope   string
	at      time.Time
}

// progressLayout is the progress report's page: narrow margins for wide tables, content on
// later pages below the running header.
var progressLayout = pageLayout{marginX: marginX, firstTop: 14, runningTop: 22, bottom: 262, lineFactor: 1.22}

// The progress report's side margin and content width, in millimetres (tables use them).
const (
	marginX  = 15.0
	contentW = pageW - 2*marginX
)

func newProgressDoc(p *Progress) (*progressDoc, error) {
	if p.Data == nil || p.Data.Summary == nil {
		return nil, fmt.Errorf("reports: no data")
	}
	loc := p.Location
	if loc == nil {
		loc = models.WIB
	}
	at := p.GeneratedAt.In(loc)
	by := " melalui Pantau"
	if p.GeneratedBy != "" {
		by = " oleh " + p.GeneratedBy
	}
	c, err := newDocument(docInfo{layout: progressLayout, title: p.Title(), keywords: "Pantau MCP Korsupgah " + p.VerificationCode,
		created: p.GeneratedAt, letterhead: letterhead(p), verificationCode: p.VerificationCode, verificationURL: p.VerificationURL,
		footerNote: fmt.Sprintf("Dibuat %s pukul %s%s.", DateID(at), TimeID(at), by)})
	if err != nil {
		return nil, err
	}
	d := &progressDoc{canvas: c, p: p, data: p.Data, scope: scopeName(p), at: at}
	d.rank()
	if p.Data.Previous != nil {
		d.prev = map[string]models.RegionSummary{}
		for _, r := range p.Data.Previous.Regions {
			d.prev[r.Code] = r
		}
	}
	d.pdf.SetHeaderFuncMode(d.runningHeader, false)
	return d, d.pdf.Error()
}

// provinces are the names of the provinces among the report's regions.
func provinces(p *Progress) []string {
	var out []string
	for _, r := range p.Data.Summary.Regions {
		if r.Kind == models.KindProvince {
			out = append(out, r.Name)
		}
	}
	return out
}

// scopeName is what the report covers: the one Pemda, the province, or the whole country.
func scopeName(p *Progress) string {
	if p.Region != "" {
		for _, r := range p.Data.Summary.Regions {
			if r.Code == p.Region {
				return r.Name
			}
		}
		return p.Region
	}
	if provs := provinces(p); len(provs) == 1 {
		return provs[0]
	}
	return "Nasional"
}

// province returns the province a region belongs to, by its code's first part.
func (d *progressDoc) province(code string) *models.RegionSummary {
	head, _, _ := strings.Cut(code, ".")
	for i, r := range d.data.Summary.Regions {
		if r.Code == head && r.Kind == models.KindProvince && r.Code != code {
			return &d.data.Summary.Regions[i]
		}
	}
	return nil
}

// letterhead is the configured letterhead, or one made from the province when none is set.
func letterhead(p *Progress) models.Letterhead { return standardLetterhead(p.Letterhead, provinces(p)) }

// render draws the whole report: the letterhead and title, then the provincial parts
// (summary, ranking, chart, matrix, a section per Pemda) or the one Pemda's summary and section.
func (d *progressDoc) render() error {
	d.firstPage()
	d.letterhead(letterhead(d.p))
	d.titleBlock()
	switch {
	case d.p.Region != "":
		d.regionReport()
	case d.data.National:
		d.nationalReport()
	default:
		d.provincialReport()
	}
	return d.pdf.Error()
}

// summaryPage opens a report of several Pemda: the zone counts and the narrative.
func (d *progressDoc) summaryPage() {
	d.heading("Ringkasan", true)
	d.zoneBoxes(models.MetricActionPlan, "Rencana aksi (nilai terverifikasi)")
	d.zoneBoxes(models.MetricDelegation, "Pendelegasian kewenangan perizinan dan nonperizinan")
	if n := strings.TrimSpace(d.data.Summary.Narrative); n != "" {
		d.font("", 9.5)
		d.ensure(3 * d.lineH())
		d.paragraph(marginX, contentW, n)
		d.setY(d.y() + 3)
	}
}

func (d *progressDoc) provincialReport() {
	d.summaryPage()
	d.rankingTable()
	d.newPage()
	d.barChart()
	d.newPage()
	d.heatMap()
	total := len(d.data.Sections)
	for i := range d.data.Sections {
		d.newPage()
		d.section(&d.data.Sections[i], i == 0)
		if d.p.OnSection != nil {
			d.p.OnSection(i+1, total)
		}
	}
}

func (d *progressDoc) regionReport() {
	if len(d.data.Sections) == 0 {
		return
	}
	sec := &d.data.Sections[0]
	d.heading("Ringkasan", true)
	d.regionBoxes(sec)
	d.setY(d.y() + 2)
	d.section(sec, true)
	if d.p.OnSection != nil {
		d.p.OnSection(1, 1)
	}
}

// heading writes a section heading and bookmarks it.
func (d *progressDoc) heading(text string, top bool) {
	size, level := 12.0, 0
	if !top {
		size, level = 10.5, 1
	}
	d.font("B", size)
	d.ensure(d.lineH()*2 + 20)
	d.pdf.Bookmark(text, level, d.y())
	d.lines(marginX, contentW, text, "L")
	d.setY(d.y() + 1.5)
}

// titleBlock writes the report's title, scope, year and the moment its data was read.
func (d *progressDoc) titleBlock() {
	d.font("B", 13)
	d.lines(marginX, contentW, strings.ToUpper(ReportTitle), "C")
	d.font("B", 12)
	scope := d.scope
	if d.p.Region != "" {
		if prov := d.province(d.p.Region); prov != nil {
			scope += ", " + prov.Name
		}
	}
	d.lines(marginX, contentW, scope, "C")
	d.font("", 10)
	period := fmt.Sprintf("Tahun %d", d.data.Period.Year)
	if name := strings.TrimSpace(d.data.Period.Name); name != "" && name != fmt.Sprintf("Rencana Aksi %d", d.data.Period.Year) {
		period += " — " + name
	}
	d.lines(marginX, contentW, period, "C")
	if p := d.data.Period; p.Status == models.PeriodClosed && p.ClosedAt != nil {
		closed := p.ClosedAt.In(d.at.Location())
		d.font("B", 10)
		d.ink(downColour)
		d.lines(marginX, contentW, fmt.Sprintf("FINAL — periode ditutup pada %s pukul %s", DateID(closed), TimeID(closed)), "C")
		d.ink(black)
	}
	d.font("I", 9)
	d.lines(marginX, contentW, fmt.Sprintf("Keadaan per %s pukul %s", DateID(d.at), TimeID(d.at)), "C")
	d.setY(d.y() + 4)
}

// runningHeader prints the report's title above the content of every page after the first.
func (d *progressDoc) runningHeader() {
	if d.pdf.PageNo() <= 1 {
		return
	}
	d.font("", 7.5)
	d.ink(grey)
	title := fmt.Sprintf("%s — %s %d", ReportTitle, d.scope, d.data.Period.Year)
	if d.data.Period.Status == models.PeriodClosed {
		title += " (FINAL)"
	}
	if d.pdf.GetStringWidth(title) > contentW {
		title = d.fitRunes(title, contentW-3) + "…"
	}
	d.text(marginX, 12, contentW, title, "L")
	d.draw(gridColour)
	d.pdf.SetLineWidth(0.2)
	d.pdf.Line(marginX, 16.5, pageW-marginX, 16.5)
	d.ink(black)
}
