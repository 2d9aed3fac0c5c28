package reports

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pantau-id/pantau/models"
)

// ranked is a region's line in the ranking.
type ranked struct {
	models.RegionSummary
	rank int
}

// rank orders regions by verified percentage, highest first (no data last); equal values
// share a rank ("1, 2, 2, 4") and are listed by code.
// rank orders the regions as the summary ranks them (unranked last, then by code).
func (d *progressDoc) rank() {
	d.ranking = rankedRegions(d.data.Summary.Regions)
	d.rankOf = map[string]int{}
	for _, r := range d.ranking {
		d.rankOf[r.Code] = r.rank
	}
}

// rankedRegions orders regions by the summary's rank; a region without one (no figure) comes
// last, in code order.
func rankedRegions(regions []models.RegionSummary) []ranked {
	regs := append([]models.RegionSummary(nil), regions...)
	sort.SliceStable(regs, func(i, j int) bool {
		a, b := regs[i].Rank, regs[j].Rank
		switch {
		case a == nil || b == nil:
			if (a == nil) != (b == nil) {
				return b == nil
			}
		case *a != *b:
			return *a < *b
		}
		return regs[i].Code < regs[j].Code
	})
	out := make([]ranked, len(regs))
	for i, r := range regs {
		out[i] = ranked{RegionSummary: r}
		if r.Rank != nil {
			out[i].rank = *r.Rank
		}
	}
	return out
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
	note := "Nilai terverifikasi: rata-rata tertimbang nilai yang diverifikasi reviewer (butir belum diverifikasi dihitung 0; butir tidak berlaku tidak dihitung). " +
		"Zona juga ditandai pola arsir dan nama untuk cetakan hitam-putih."
	if d.data.Previous == nil {
		note += fmt.Sprintf(" Periode %d tidak ada, sehingga perubahan tidak dihitung.", d.previousYear())
	}
	d.setY(d.y() + 1)
	d.paragraph(marginX, contentW, note)
	d.ink(black)
}
