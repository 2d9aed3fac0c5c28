package reports

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/reports/pdfsign/pdfsigntest"
)

func render(t testing.TB, p *Progress) ([]byte, *Result) {
	t.Helper()
	var buf bytes.Buffer
	res, err := WriteProgress(&buf, p)
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), res
}

// TestProvincialReport reads the 15-Pemda report back with real tools: it is a valid PDF, every
// Pemda's name and figures are in it as the summary gives them, with the narrative, and every
// page's QR code decodes to the verification address.
func TestProvincialReport(t *testing.T) {
	data := fixture{year: 2019, regions: 14, areas: 3, indicators: 12, comments: true}.build()
	p := progressFor(data, "")
	var progress []int
	p.OnSection = func(done, total int) { progress = append(progress, done) }
	pdf, res := render(t, p)
	keepLook(t, "provincial", pdf, 40)
	path := writeTemp(t, pdf)
	qpdfCheck(t, path)
	pdfsigntest.SoundFonts(t, pdf)
	// Summary and ranking, the chart, the matrix, then one page per Pemda.
	if n := pdfPages(t, path); n != res.Pages || n != 3+15 {
		t.Fatalf("pdfinfo says %d pages, the writer %d; want %d", n, res.Pages, 3+15)
	}
	if len(progress) != 15 || progress[14] != 15 {
		t.Fatalf("section progress %v", progress)
	}
	text := pdfText(t, path)
	for _, want := range []string{ReportTitle, "Provinsi Kalimantan Tengah", "Tahun 2019", "Keadaan per 22 November 2026 pukul 14.05 WIB",
		data.Summary.Narrative, "Kode verifikasi: K7QM-2XPA-9RTD", "Perubahan dari 2018"} {
		if !strings.Contains(text, want) {
			t.Errorf("report text lacks %q", want)
		}
	}
	for _, r := range data.Summary.Regions {
		if !strings.Contains(text, r.Name) {
			t.Errorf("report lacks %s", r.Name)
		}
		for _, v := range []*models.Fixed{r.ActionPlan.Percent, r.ActionPlan.ClaimedPercent, r.Delegation.Percent} {
			if v != nil && !strings.Contains(text, v.Indonesian()+"%") {
				t.Errorf("report lacks %s's figure %s%%", r.Name, v.Indonesian())
			}
		}
	}
	first := pdfText(t, path, 1, 1)
	if !strings.Contains(first, "Halaman 1 dari "+itoa(res.Pages)) {
		t.Errorf("page 1 footer: %q", first)
	}
	last := pdfText(t, path, res.Pages, res.Pages)
	if !strings.Contains(last, "Halaman "+itoa(res.Pages)+" dari "+itoa(res.Pages)) {
		t.Errorf("last page footer: %q", last)
	}
	for _, page := range []int{1, res.Pages} {
		if got := qrOnPage(t, path, page); got != p.VerificationURL {
			t.Errorf("QR on page %d decodes to %q, want %q", page, got, p.VerificationURL)
		}
	}
}

func itoa(n int) string { return IntID(int64(n)) }

// TestRegionReport: one Pemda's report carries its figures, rank, items and delegation.
func TestRegionReport(t *testing.T) {
	data := fixture{year: 2019, regions: 14, areas: 2, indicators: 8, comments: true}.build()
	sec := data.Sections[8]
	sec.Remediation = []models.RemediationAction{
		{What: "Menetapkan Perbup pendelegasian yang baru", Owner: "Kepala DPMPTSP", Due: "2026-10-31", Status: models.RemediationPlanned},
		{What: "Mengunggah SOP pelayanan", Owner: "Sekretaris DPMPTSP", Due: "2026-12-15", Status: models.RemediationInProgress},
	}
	sec.Delegation.Documents = []models.DelegationDocument{{Kind: models.DocumentRegulation, Filename: "perbup-16-2017.pdf"}, {Kind: models.DocumentAnnex, Filename: "lampiran.pdf"}}
	data.Sections = []models.ReportSection{sec}
	p := progressFor(data, sec.Region.Code)
	pdf, res := render(t, p)
	keepLook(t, "region", pdf, 4)
	path := writeTemp(t, pdf)
	qpdfCheck(t, path)
	text := pdfText(t, path)
	rs := data.Summary.Regions[8]
	for _, want := range []string{sec.Region.Name + ", Provinsi Kalimantan Tengah", PercentID(rs.ActionPlan.Percent), PercentID(rs.ActionPlan.ClaimedPercent),
		PercentID(rs.Delegation.Percent), sec.Delegation.LegalBasis, sec.Items[0].Indicator.Title, "Dokumen SK belum ditandatangani",
		"Dokumen pendelegasian", "Peraturan: perbup-16-2017.pdf; Lampiran: lampiran.pdf",
		// the plan, as of the report's date (22 November 2026): the first action is late
		"Rencana perbaikan", "Menetapkan Perbup pendelegasian yang baru", "31 Oktober 2026", "Direncanakan — lewat tenggat", "15 Desember 2026", "Sedang dikerjakan"} {
		if !strings.Contains(text, want) {
			t.Errorf("report text lacks %q", want)
		}
	}
	if strings.Contains(text, data.Summary.Regions[9].Name) {
		t.Errorf("a region report shows another Pemda")
	}
	if res.Pages > 3 {
		t.Errorf("a region with 8 items takes %d pages", res.Pages)
	}
	if got := qrOnPage(t, path, 1); got != p.VerificationURL {
		t.Errorf("QR decodes to %q", got)
	}
}

// TestEdgeCases: a period with no data, a Pemda with 200 items, very long names, no previous year.
func TestEdgeCases(t *testing.T) {
	t.Run("empty period", func(t *testing.T) {
		data := fixture{year: 2030, regions: 3, noPrevious: true}.build()
		pdf, res := render(t, progressFor(data, ""))
		path := writeTemp(t, pdf)
		qpdfCheck(t, path)
		text := pdfText(t, path)
		for _, want := range []string{"Periode ini belum memiliki indikator.", "Periode 2029 tidak ada", "belum ada data"} {
			if !strings.Contains(text, want) {
				t.Errorf("empty period lacks %q", want)
			}
		}
		if res.Pages != 3+4 {
			t.Errorf("empty period: %d pages, want 7 (summary, chart, matrix, 4 sections)", res.Pages)
		}
	})
	t.Run("no regions", func(t *testing.T) {
		data := &models.ProgressData{Period: models.Period{Year: 2031}, Summary: &models.Summary{Year: 2031, Counts: map[models.Metric]map[models.Zone]int{}},
			Schemes: models.ZonePresets["default"]}
		pdf, _ := render(t, progressFor(data, ""))
		path := writeTemp(t, pdf)
		qpdfCheck(t, path)
		if text := pdfText(t, path); !strings.Contains(text, "Belum ada Pemda yang terdaftar.") {
			t.Errorf("no regions: %q", text)
		}
	})
	t.Run("200 items", func(t *testing.T) {
		data := fixture{year: 2019, regions: 1, areas: 8, indicators: 200, comments: true}.build()
		data.Sections = data.Sections[1:]
		p := progressFor(data, data.Sections[0].Region.Code)
		pdf, res := render(t, p)
		keepLook(t, "items200", pdf, 3)
		path := writeTemp(t, pdf)
		qpdfCheck(t, path)
		if res.Pages < 5 {
			t.Fatalf("200 items on %d pages", res.Pages)
		}
		for page := 2; page <= res.Pages; page++ {
			text := pdfText(t, path, page, page)
			for _, h := range []string{"Kode", "Indikator", "Bobot", "Klaim", "Terverifikasi", "Status", "Bukti", "Catatan reviewer terakhir"} {
				if !strings.Contains(text, h) {
					t.Errorf("page %d does not repeat the table header %q: %.300s", page, h, text)
				}
			}
		}
		text := pdfText(t, path)
		for _, it := range data.Sections[0].Items {
			if !strings.Contains(text, it.Indicator.Code+" ") {
				t.Errorf("item %s missing", it.Indicator.Code)
			}
		}
	})
	t.Run("long names", func(t *testing.T) {
		data := fixture{year: 2019, regions: 4, areas: 2, indicators: 4, longNames: true}.build()
		pdf, _ := render(t, progressFor(data, ""))
		keepLook(t, "longnames", pdf, 4)
		path := writeTemp(t, pdf)
		qpdfCheck(t, path)
		text := pdfText(t, path)
		for _, r := range data.Summary.Regions {
			if !strings.Contains(text, r.Name) {
				t.Errorf("long name %q not found whole", r.Name)
			}
		}
		// Nothing is drawn beyond the right margin: pdftotext -bbox gives every word's box.
		checkInsideMargins(t, path)
	})
}

// TestDeterministic: the same data, time and code give the same bytes.
func TestDeterministic(t *testing.T) {
	data := fixture{year: 2019, regions: 5, areas: 2, indicators: 6, comments: true}.build()
	a, _ := render(t, progressFor(data, ""))
	b, _ := render(t, progressFor(data, ""))
	if !bytes.Equal(a, b) {
		t.Fatal("two renderings of the same report differ")
	}
	p := progressFor(data, "")
	p.GeneratedAt = p.GeneratedAt.Add(time.Minute)
	c, _ := render(t, p)
	if bytes.Equal(a, c) {
		t.Fatal("the generation time is not in the report")
	}
}

func TestFormats(t *testing.T) {
	at := time.Date(2026, 11, 22, 7, 5, 0, 0, time.UTC).In(models.WIB)
	f := func(v int64) *models.Fixed { x := models.Fixed(v); return &x }
	cases := map[string]string{
		DateID(at): "22 November 2026", TimeID(at): "14.05 WIB",
		PercentID(f(8225)): "82,25%", PercentID(f(10000)): "100%", PercentID(f(8250)): "82,5%", PercentID(nil): "–",
		IntID(1234567): "1.234.567", IntID(999): "999",
		ChangeID(f(8225), f(7900)): "▲ 3,25", ChangeID(f(7000), f(7150)): "▼ 1,5", ChangeID(f(1), f(1)): "= 0", ChangeID(nil, f(1)): "–",
		bandText(models.ZonePresets["default"][models.MetricActionPlan][1]): "75% ≤ nilai < 100%",
		bandText(models.ZonePresets["default"][models.MetricActionPlan][3]): "nilai ≤ 50%",
	}
	for got, want := range cases {
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
}
