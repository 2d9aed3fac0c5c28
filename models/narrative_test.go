package models

import (
	"strings"
	"testing"
	"time"
)

// TestNarrative: the press-release paragraph in the cases an editor looks at — none, one, all,
// ties, all without data — never repeats the count, never runs a list into the next clause
// with a second "dan", and gives empty zones and missing data sentences of their own.
func TestNarrative(t *testing.T) {
	schemes := map[Metric]Scheme{MetricActionPlan: ZonePresets["default"][MetricActionPlan], MetricDelegation: ZonePresets["default"][MetricDelegation]}
	pct := func(v int64) *Fixed { f := FixedFromInt(v); return &f }
	region := func(name string, kind RegionKind, ap *Fixed, deleg *Fixed) RegionSummary {
		r := RegionSummary{Code: "62.00", Name: name, Kind: kind}
		r.ActionPlan = ActionPlanStanding{Percent: ap, Zone: schemes[MetricActionPlan].Zone(ap)}
		r.Delegation = DelegationStanding{Percent: deleg, Zone: schemes[MetricDelegation].Zone(deleg)}
		r.Areas = []RegionArea{{Code: "PTSP", Name: "PTSP", Percent: ap, Zone: r.ActionPlan.Zone, Applicable: true}}
		return r
	}
	many := func(n int, name string, ap *Fixed) []RegionSummary {
		var out []RegionSummary
		for i := 0; i < n; i++ {
			out = append(out, region(name, KindRegency, ap, nil))
		}
		return out
	}
	published := []RegionSummary{region("Provinsi Kalimantan Tengah", KindProvince, pct(91), pct(100)), region("Kabupaten Seruyan", KindRegency, pct(100), pct(100))}
	published = append(published, many(9, "Kabupaten Hijau", pct(80))...)
	published = append(published, many(4, "Kabupaten Kuning", pct(60))...)
	cases := []struct {
		name     string
		regions  []RegionSummary
		want     []string
		wantNot  []string
		sentence string // a sentence that must appear exactly
	}{
		{name: "none", regions: nil, want: []string{"Belum ada Pemda yang terdaftar untuk rencana aksi tahun 2019."}},
		{name: "one at 100%", regions: []RegionSummary{region("Kabupaten Seruyan", KindRegency, pct(100), nil)},
			want: []string{"seluruh Pemda telah mencapai 100%"}, wantNot: []string{"satu Pemda, satu"}},
		{name: "all red", regions: many(15, "Kabupaten X", pct(20)),
			want: []string{"dari lima belas Pemda: seluruh Pemda berada di zona merah (50% atau kurang)"}, wantNot: []string{"lima belas Pemda berada", "Tidak ada Pemda di zona merah"}},
		{name: "the published line", regions: published,
			want: []string{"satu Pemda telah mencapai 100% (Kabupaten Seruyan), sepuluh Pemda berada di zona hijau (75% hingga di bawah 100%), dan empat Pemda berada di zona kuning (di atas 50% hingga di bawah 75%).",
				"Tidak ada Pemda di zona merah.", "Pemerintah Provinsi Kalimantan Tengah telah mendelegasikan seluruh kewenangannya (100%)",
				"Rata-rata capaian lima belas Pemda adalah 76,73%.", "Per 30 November 2019, capaian rencana aksi pencegahan korupsi tahun 2019 yang telah diverifikasi dari lima belas Pemda di Provinsi Kalimantan Tengah:"},
			wantNot: []string{"yaitu", "dan empat belas"}},
		{name: "ties at 100%", regions: []RegionSummary{region("Kabupaten A", KindRegency, pct(100), nil), region("Kota B", KindCity, pct(100), nil), region("Kabupaten C", KindRegency, pct(40), nil)},
			want: []string{"dua Pemda telah mencapai 100% (Kabupaten A dan Kota B) dan satu Pemda berada di zona merah"}},
		{name: "all without data", regions: many(15, "Kabupaten X", nil),
			want: []string{"Belum ada Pemda yang memiliki data."}, wantNot: []string{"tidak ada yang berada", "Tidak ada Pemda di zona merah", "Rata-rata"}},
		{name: "one with data", regions: append(many(14, "Kabupaten X", nil), region("Kabupaten Y", KindRegency, pct(30), nil)),
			want: []string{"satu Pemda berada di zona merah (50% atau kurang).", "Empat belas Pemda belum memiliki data."}, wantNot: []string{"merah dan empat belas"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := &Summary{Year: 2019, Regions: c.regions, AsOf: time.Date(2019, 11, 30, 8, 0, 0, 0, WIB)}
			s.finish([]Area{{ID: 1, Code: "PTSP", Name: "PTSP"}}, schemes)
			for _, w := range c.want {
				if !strings.Contains(s.Narrative, w) {
					t.Errorf("missing %q in\n%s", w, s.Narrative)
				}
			}
			for _, w := range c.wantNot {
				if strings.Contains(s.Narrative, w) {
					t.Errorf("unwanted %q in\n%s", w, s.Narrative)
				}
			}
			// Outside parentheses, a sentence has at most one "dan" of its own list.
			for _, sentence := range strings.Split(s.Narrative, ". ") {
				depth, plain := 0, strings.Builder{}
				for _, r := range sentence {
					switch r {
					case '(':
						depth++
					case ')':
						depth--
					default:
						if depth == 0 {
							plain.WriteRune(r)
						}
					}
				}
				if n := strings.Count(plain.String(), " dan "); n > 1 && !strings.Contains(sentence, "perizinan dan nonperizinan") {
					t.Errorf("%d × dan in %q", n, sentence)
				}
			}
		})
	}
}
