// Package reports renders Pantau's PDF documents. It is an encoder: it turns model values
// into a PDF on an io.Writer, reads models types and never touches the database.
package reports

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/jung-kurt/gofpdf"

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
	if err := d.pdf.Output(w); err != nil {
		return nil, err
	}
	return &Result{Pages: d.pdf.PageNo()}, nil
}

// ranked is a region's line in the ranking.
type ranked struct {
	models.RegionSummary
	rank int
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
	hasLogo bool
	qr      gofpdf.Template
}

func newProgressDoc(p *Progress) (*progressDoc, error) {
	if p.Data == nil || p.Data.Summary == nil {
		return nil, fmt.Errorf("reports: no data")
	}
	loc := p.Location
	if loc == nil {
		loc = models.WIB
	}
	pdf := gofpdf.NewCustom(&gofpdf.InitType{OrientationStr: "P", UnitStr: "mm", SizeStr: "A4"})
	d := &progressDoc{canvas: &canvas{pdf: pdf}, p: p, data: p.Data, scope: scopeName(p), at: p.GeneratedAt.In(loc)}
	pdf.SetCatalogSort(true)
	pdf.SetCreationDate(p.GeneratedAt)
	pdf.SetModificationDate(p.GeneratedAt)
	pdf.SetMargins(marginX, firstTop, marginX)
	pdf.SetAutoPageBreak(false, 0)
	pdf.AliasNbPages("{nb}")
	pdf.SetTitle(p.Title(), true)
	pdf.SetSubject(fmt.Sprintf("Kode verifikasi %s", p.VerificationCode), true)
	pdf.SetAuthor(letterhead(p).Institution, true)
	pdf.SetCreator("Pantau", true)
	pdf.SetProducer("Pantau (gofpdf)", true)
	pdf.SetKeywords("Pantau MCP Korsupgah "+p.VerificationCode, true)
	addFonts(pdf)
	qr, err := qrTemplate(pdf, p.VerificationURL)
	if err != nil {
		return nil, fmt.Errorf("reports: QR code: %w", err)
	}
	d.qr = qr
	if logo := p.Letterhead.Logo; len(logo) > 0 && models.LogoType(logo) != "" {
		pdf.RegisterImageOptionsReader("logo", gofpdf.ImageOptions{ImageType: models.LogoType(logo)}, bytes.NewReader(logo))
		d.hasLogo = !pdf.Err()
		if !d.hasLogo {
			return nil, fmt.Errorf("reports: letterhead logo: %w", pdf.Error())
		}
	}
	d.rank()
	if p.Data.Previous != nil {
		d.prev = map[string]models.RegionSummary{}
		for _, r := range p.Data.Previous.Regions {
			d.prev[r.Code] = r
		}
	}
	pdf.SetHeaderFuncMode(d.runningHeader, false)
	pdf.SetFooterFunc(d.footer)
	return d, pdf.Error()
}

// rank orders regions by verified percentage, highest first (no data last); equal values
// share a rank ("1, 2, 2, 4") and are listed by code.
func (d *progressDoc) rank() {
	regs := append([]models.RegionSummary(nil), d.data.Summary.Regions...)
	sort.SliceStable(regs, func(i, j int) bool {
		a, b := regs[i].ActionPlan.Percent, regs[j].ActionPlan.Percent
		switch {
		case a == nil || b == nil:
			if (a == nil) != (b == nil) {
				return b == nil
			}
		case *a != *b:
			return *a > *b
		}
		return regs[i].Code < regs[j].Code
	})
	d.rankOf = map[string]int{}
	for i, r := range regs {
		rank := i + 1
		if i > 0 && samePercent(r.ActionPlan.Percent, regs[i-1].ActionPlan.Percent) {
			rank = d.ranking[i-1].rank
		}
		d.ranking = append(d.ranking, ranked{RegionSummary: r, rank: rank})
		d.rankOf[r.Code] = rank
	}
}

func samePercent(a, b *models.Fixed) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
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
	var provinces []string
	for _, r := range p.Data.Summary.Regions {
		if r.Kind == models.KindProvince {
			provinces = append(provinces, r.Name)
		}
	}
	if len(provinces) == 1 {
		return provinces[0]
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
func letterhead(p *Progress) models.Letterhead {
	lh := p.Letterhead
	if lh.Institution != "" {
		return lh
	}
	lh.Institution = "DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU SATU PINTU"
	var provinces []string
	for _, r := range p.Data.Summary.Regions {
		if r.Kind == models.KindProvince {
			provinces = append(provinces, r.Name)
		}
	}
	if len(provinces) == 1 {
		lh.Government = "PEMERINTAH " + strings.ToUpper(provinces[0])
	} else {
		lh.Government, lh.Institution = "PANTAU", "PEMANTAUAN RENCANA AKSI PENCEGAHAN KORUPSI"
	}
	return lh
}

func (d *progressDoc) render() error {
	d.pdf.AddPage()
	d.style, d.size = "", 0
	d.setY(firstTop)
	d.letterhead()
	d.titleBlock()
	if d.p.Region != "" {
		d.regionReport()
	} else {
		d.provincialReport()
	}
	return d.pdf.Error()
}

func (d *progressDoc) provincialReport() {
	d.heading("Ringkasan", true)
	d.zoneBoxes(models.MetricActionPlan, "Rencana aksi (nilai terverifikasi)")
	d.zoneBoxes(models.MetricDelegation, "Pendelegasian kewenangan perizinan dan nonperizinan")
	if n := strings.TrimSpace(d.data.Summary.Narrative); n != "" {
		d.font("", 9.5)
		d.ensure(3 * d.lineH())
		d.paragraph(marginX, contentW, n)
		d.setY(d.y() + 3)
	}
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
	lines := d.wrap(text, contentW)
	for _, l := range lines {
		d.text(marginX, d.y(), contentW, l, "L")
		d.setY(d.y() + d.lineH())
	}
	d.setY(d.y() + 1.5)
}

func (d *progressDoc) letterhead() {
	lh := letterhead(d.p)
	x, w := marginX, contentW
	top := d.y()
	if d.hasLogo {
		d.pdf.ImageOptions("logo", marginX, top, 0, 22, false, gofpdf.ImageOptions{ImageType: models.LogoType(d.p.Letterhead.Logo)}, 0, "")
		x, w = marginX+26, contentW-52
	}
	y := top
	put := func(s, style string, size float64) {
		if strings.TrimSpace(s) == "" {
			return
		}
		d.font(style, size)
		for _, l := range d.wrap(s, w) {
			d.text(x, y, w, l, "C")
			y += d.lineH()
		}
	}
	put(lh.Government, "B", 12)
	put(lh.Institution, "B", 13)
	put(lh.Address, "", 8.5)
	if d.hasLogo {
		y = max(y, top+22)
	}
	y += 1.5
	d.draw(black)
	d.pdf.SetLineWidth(0.8)
	d.pdf.Line(marginX, y, pageW-marginX, y)
	d.pdf.SetLineWidth(0.25)
	d.pdf.Line(marginX, y+1.1, pageW-marginX, y+1.1)
	d.setY(y + 5)
}

func (d *progressDoc) titleBlock() {
	y := d.y()
	d.font("B", 13)
	for _, l := range d.wrap(strings.ToUpper(ReportTitle), contentW) {
		d.text(marginX, y, contentW, l, "C")
		y += d.lineH()
	}
	d.font("B", 12)
	scope := d.scope
	if d.p.Region != "" {
		if prov := d.province(d.p.Region); prov != nil {
			scope += ", " + prov.Name
		}
	}
	for _, l := range d.wrap(scope, contentW) {
		d.text(marginX, y, contentW, l, "C")
		y += d.lineH()
	}
	d.font("", 10)
	period := fmt.Sprintf("Tahun %d", d.data.Period.Year)
	if name := strings.TrimSpace(d.data.Period.Name); name != "" && name != fmt.Sprintf("Rencana Aksi %d", d.data.Period.Year) {
		period += " — " + name
	}
	for _, l := range d.wrap(period, contentW) {
		d.text(marginX, y, contentW, l, "C")
		y += d.lineH()
	}
	d.font("I", 9)
	d.text(marginX, y, contentW, fmt.Sprintf("Keadaan per %s pukul %s", DateID(d.at), TimeID(d.at)), "C")
	d.setY(y + d.lineH() + 4)
}

func (d *progressDoc) runningHeader() {
	if d.pdf.PageNo() <= 1 {
		return
	}
	d.font("", 7.5)
	d.ink(grey)
	title := fmt.Sprintf("%s — %s %d", ReportTitle, d.scope, d.data.Period.Year)
	if d.pdf.GetStringWidth(title) > contentW {
		title = d.fitRunes(title, contentW-3) + "…"
	}
	d.text(marginX, 12, contentW, title, "L")
	d.draw(gridColour)
	d.pdf.SetLineWidth(0.2)
	d.pdf.Line(marginX, 16.5, pageW-marginX, 16.5)
	d.ink(black)
}

// footer prints on every page the page number, the verification code and address with a QR
// code, and when and by whom the report was generated.
func (d *progressDoc) footer() {
	style, size := d.style, d.size
	const qrSize = 19.0
	y := footerTop
	d.draw(gridColour)
	d.pdf.SetLineWidth(0.2)
	d.pdf.Line(marginX, y, pageW-marginX, y)
	qrX := pageW - marginX - qrSize
	d.pdf.UseTemplateScaled(d.qr, gofpdf.PointType{X: qrX, Y: y + 1.2}, gofpdf.SizeType{Wd: qrSize, Ht: qrSize})
	w := qrX - marginX - 3
	d.ink(black)
	d.font("B", 8)
	d.text(marginX, y+2, w, fmt.Sprintf("Halaman %d dari {nb}", d.pdf.PageNo()), "L")
	d.text(marginX, y+6, w, "Kode verifikasi: "+d.p.VerificationCode, "L")
	d.font("", 7.5)
	url := d.p.VerificationURL
	for d.pdf.GetStringWidth("Periksa keaslian dokumen ini di "+url) > w && d.size > 5 {
		d.font("", d.size-0.5)
	}
	d.text(marginX, y+10, w, "Periksa keaslian dokumen ini di "+url, "L")
	d.pdf.LinkString(marginX, y+10, w, 3.5, url)
	d.font("", 7)
	d.ink(grey)
	by := " melalui Pantau"
	if d.p.GeneratedBy != "" {
		by = " oleh " + d.p.GeneratedBy
	}
	line := fmt.Sprintf("Dibuat %s pukul %s%s.", DateID(d.at), TimeID(d.at), by)
	if d.pdf.GetStringWidth(line) > w {
		line = d.fitRunes(line, w-3) + "…"
	}
	d.text(marginX, y+14, w, line, "L")
	d.ink(black)
	d.style, d.size = "", 0
	if style != "" || size != 0 {
		d.font(style, size)
	}
}

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

func (d *progressDoc) previousYear() int { return d.data.Period.Year - 1 }

// change is a region's verified change against the previous period.
func (d *progressDoc) change(r models.RegionSummary) string {
	if d.prev == nil {
		return "–"
	}
	before, ok := d.prev[r.Code]
	if !ok {
		return "–"
	}
	return ChangeID(r.ActionPlan.Percent, before.ActionPlan.Percent)
}

var (
	upColour   = rgb{27, 110, 40}
	downColour = rgb{180, 30, 30}
)

func (d *progressDoc) rankingTable() {
	d.heading("Peringkat Pemda menurut nilai terverifikasi", true)
	t := &table{c: d.canvas, size: 7.5, cols: []column{
		{"No.", 10, "C"}, {"Pemda", 48, "L"}, {"Nilai terverifikasi", 20, "R"}, {"Nilai klaim", 16, "R"},
		{"Zona rencana aksi", 22, "L"}, {"Pendelegasian", 21, "R"}, {"Zona pendelegasian", 22, "L"},
		{fmt.Sprintf("Perubahan dari %d (poin)", d.previousYear()), 21, "R"},
	}}
	if len(d.ranking) == 0 {
		d.font("I", 9)
		d.text(marginX, d.y(), contentW, "Belum ada Pemda yang terdaftar.", "L")
		d.setY(d.y() + d.lineH() + 2)
		return
	}
	t.start()
	for _, r := range d.ranking {
		ch := d.change(r.RegionSummary)
		var chColour *rgb
		if strings.HasPrefix(ch, "▲") {
			chColour = &upColour
		} else if strings.HasPrefix(ch, "▼") {
			chColour = &downColour
		}
		rank := fmt.Sprint(r.rank)
		if r.ActionPlan.Percent == nil {
			rank = "–"
		}
		t.row([]cell{
			{text: rank}, {text: r.Name}, {text: PercentID(r.ActionPlan.Percent), style: "B"},
			{text: PercentID(r.ActionPlan.ClaimedPercent)}, {zone: r.ActionPlan.Zone},
			{text: PercentID(r.Delegation.Percent)}, {zone: r.Delegation.Zone}, {text: ch, colour: chColour},
		})
	}
	t.end()
	d.font("I", 7.5)
	d.ink(grey)
	note := "Nilai terverifikasi: rata-rata tertimbang nilai yang telah diverifikasi reviewer; butir yang belum diverifikasi dihitung 0. " +
		"Zona juga ditandai dengan pola arsir dan nama, sehingga terbaca pada cetakan hitam-putih."
	if d.data.Previous == nil {
		note += fmt.Sprintf(" Periode %d tidak ada, sehingga perubahan tidak dihitung.", d.previousYear())
	}
	d.setY(d.y() + 1.5)
	d.paragraph(marginX, contentW, note)
	d.ink(black)
}

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
	d.paragraph(marginX, contentW, strings.Join(legend, "; ")+".")
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
		for _, a := range areas {
			var v *models.Fixed
			if sec != nil {
				v = sec.AreaScores[a.Code]
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
	d.items(sec)
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
		switch it.Status {
		case models.StatusRejected:
			status.colour, status.style = &downColour, "B"
		case models.StatusApproved:
			status.colour = &upColour
		}
		t.row([]cell{
			{text: it.Indicator.Code}, {text: it.Indicator.Title}, {text: it.Indicator.Weight.Indonesian()},
			{text: PercentID(&it.Progress)}, {text: PercentID(&it.VerifiedProgress), style: "B"}, status,
			{text: IntID(int64(it.EvidenceCount))}, {text: note},
		})
	}
	t.end()
}
