package reports

import (
	"fmt"
	"sort"

	"github.com/pantau-id/pantau/models"
)

// nationalReport rolls the provinces up: the national summary, the provinces ranked by their
// average, then a page per province with its narrative and its Pemda ranked. Its size grows
// with the number of Pemda by one table row each, not by a section each; a province's full
// report is asked for on its own.
func (d *progressDoc) nationalReport() {
	d.summaryPage()
	d.provinceTable()
	provinces := d.data.Summary.Provinces
	all := d.ranking
	for i, prov := range provinces {
		d.newPage()
		d.heading(prov.Name, true)
		if prov.Narrative != "" {
			d.font("", 9.5)
			d.paragraph(marginX, contentW, prov.Narrative)
			d.setY(d.y() + 3)
		}
		// The province's Pemda in national order, ranked among themselves (ties stay tied).
		d.ranking = nil
		for _, r := range all {
			if models.ProvinceOf(r.Code) != prov.Code {
				continue
			}
			local, n := r, len(d.ranking)
			switch {
			case r.Rank == nil:
				local.rank = 0
			case n > 0 && d.ranking[n-1].Rank != nil && *r.Rank == *d.ranking[n-1].Rank:
				local.rank = d.ranking[n-1].rank
			default:
				local.rank = n + 1
			}
			d.ranking = append(d.ranking, local)
		}
		d.rankingTable()
		if d.p.OnSection != nil {
			d.p.OnSection(i+1, len(provinces))
		}
	}
	d.ranking = all
}

// provinceTable ranks the provinces by the average of their Pemda's verified figures, with
// each one's count of Pemda per zone.
func (d *progressDoc) provinceTable() {
	d.heading("Peringkat provinsi menurut rata-rata nilai terverifikasi", true)
	scheme := d.data.Schemes[models.MetricActionPlan]
	zones := scheme.Keys()
	cols := []column{{"No.", 10, "C"}, {"Provinsi", 58, "L"}, {"Jumlah Pemda", 18, "R"}, {"Rata-rata", 20, "R"}}
	w := (contentW - 106) / float64(len(zones))
	for _, z := range zones {
		cols = append(cols, column{zoneName(z), w, "R"})
	}
	t := &table{c: d.canvas, size: 7.5, cols: cols}
	provinces := append([]models.ProvinceSummary(nil), d.data.Summary.Provinces...)
	sort.SliceStable(provinces, func(i, j int) bool {
		a, b := provinces[i].Rank, provinces[j].Rank
		return a != nil && (b == nil || *a < *b)
	})
	t.start()
	for _, prov := range provinces {
		n := 0
		for _, c := range prov.Counts {
			n += c
		}
		rank := "–"
		if prov.Rank != nil {
			rank = fmt.Sprint(*prov.Rank)
		}
		cells := []cell{{text: rank}, {text: prov.Name}, {text: IntID(int64(n))}, {text: PercentID(prov.Average), style: "B"}}
		for _, z := range zones {
			cells = append(cells, cell{text: IntID(int64(prov.Counts[z]))})
		}
		t.row(cells)
	}
	t.end()
	d.setY(d.y() + 3)
}
