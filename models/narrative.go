package models

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The narrative writes a summary as a provincial press release does: the date the figures
// stand at and their source, which Pemda reached 100%, how many are in each zone with the
// zone's thresholds, the average, and delegation with the province stated apart from its
// regencies and cities. Clauses are joined so that an editor would pass them: "seluruh Pemda"
// when all share a zone, names in parentheses so a list never runs into the next clause, an
// empty lowest zone and missing data in sentences of their own.

var smallNumbers = []string{"nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan",
	"sepuluh", "sebelas", "dua belas", "tiga belas", "empat belas", "lima belas", "enam belas", "tujuh belas",
	"delapan belas", "sembilan belas", "dua puluh"}

// NumberWord writes a count as Indonesian style prefers in running text: words up to twenty,
// digits beyond.
func NumberWord(n int) string {
	if n >= 0 && n < len(smallNumbers) {
		return smallNumbers[n]
	}
	return strconv.Itoa(n)
}

// capitalise starts a sentence with a capital letter.
func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// joinIndonesian joins "a", "b" and "c" as "a, b, dan c".
func joinIndonesian(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	case 2:
		return parts[0] + " dan " + parts[1]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + ", dan " + parts[len(parts)-1]
}

var monthsID = []string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"}

// DateIndonesian writes a day as "30 November 2019", in WIB.
func DateIndonesian(t time.Time) string {
	t = t.In(WIB)
	return fmt.Sprintf("%d %s %d", t.Day(), monthsID[t.Month()-1], t.Year())
}

// BandRange says in words which values a band holds: "75% atau lebih", "di atas 50% hingga di
// bawah 75%", "tepat 100%".
func BandRange(b Band) string {
	lo, hi := b.Min.Indonesian()+"%", b.Max.Indonesian()+"%"
	switch {
	case b.Min == b.Max:
		return "tepat " + lo
	case b.Min == 0 && b.MinInclusive && b.MaxInclusive:
		return hi + " atau kurang"
	case b.Min == 0 && b.MinInclusive:
		return "di bawah " + hi
	case b.Max == Hundred && b.MaxInclusive && b.MinInclusive:
		return lo + " atau lebih"
	}
	from := lo
	if !b.MinInclusive {
		from = "di atas " + lo
	}
	to := hi
	if !b.MaxInclusive {
		to = "di bawah " + hi
	}
	return from + " hingga " + to
}

// zoneTally is how a group of Pemda spreads over a scheme's zones, with the names of those at
// 100%, phrased for running text.
type zoneTally struct {
	scheme   Scheme
	counts   map[Zone]int
	complete []string
	total    int
	noun     string // "Pemda", "kabupaten/kota"
}

// clauses phrases the tally: the 100% zone with its names, the other zones in band order with
// their thresholds, "seluruh …" when every one with data shares a zone. The empty lowest zone
// and missing data are returned as sentences of their own.
func (z zoneTally) clauses() (parts []string, after []string) {
	withData := z.total - z.counts[ZoneNoData]
	if withData == 0 {
		return nil, []string{fmt.Sprintf("Belum ada %s yang memiliki data.", z.noun)}
	}
	for i, b := range z.scheme {
		c := z.counts[b.Key]
		switch {
		case c == 0 && i == len(z.scheme)-1 && i > 0:
			after = append(after, fmt.Sprintf("Tidak ada %s di %s.", z.noun, ZonePhrase(b.Key)))
		case c == 0:
		case c == z.total && b.Key == ZoneComplete:
			parts = append(parts, fmt.Sprintf("seluruh %s telah mencapai 100%%", z.noun))
		case c == z.total:
			parts = append(parts, fmt.Sprintf("seluruh %s berada di %s (%s)", z.noun, ZonePhrase(b.Key), BandRange(b)))
		case b.Key == ZoneComplete:
			parts = append(parts, fmt.Sprintf("%s %s telah mencapai 100%% (%s)", NumberWord(c), z.noun, joinIndonesian(z.complete)))
		default:
			parts = append(parts, fmt.Sprintf("%s %s berada di %s (%s)", NumberWord(c), z.noun, ZonePhrase(b.Key), BandRange(b)))
		}
	}
	if c := z.counts[ZoneNoData]; c > 0 {
		after = append(after, capitalise(fmt.Sprintf("%s %s belum memiliki data.", NumberWord(c), z.noun)))
	}
	return parts, after
}

// sentence is the tally as one sentence after an opening, plus its own sentences.
func (z zoneTally) sentence(opening string) string {
	parts, after := z.clauses()
	var out []string
	if len(parts) > 0 {
		out = append(out, opening+joinIndonesian(parts)+".")
	}
	return strings.Join(append(out, after...), " ")
}

// actionPlanTally tallies regions' action-plan figures (or one area's, with area ≥ 0).
func actionPlanTally(regions []RegionSummary, scheme Scheme, area int) zoneTally {
	z := zoneTally{scheme: scheme, counts: map[Zone]int{}, total: len(regions), noun: "Pemda"}
	for _, r := range regions {
		zone := r.ActionPlan.Zone
		if area >= 0 {
			zone = r.Areas[area].Zone
		}
		z.counts[zone]++
		if zone == ZoneComplete {
			z.complete = append(z.complete, r.Name)
		}
	}
	return z
}

// scopeName is where the figures are: "Provinsi Kalimantan Tengah", or a count of provinces.
func scopeName(s *Summary) string {
	if len(s.Provinces) > 1 {
		return NumberWord(len(s.Provinces)) + " provinsi"
	}
	for _, r := range s.Regions {
		if r.Kind == KindProvince {
			return r.Name
		}
	}
	return ""
}

// Narrative writes the summary's paragraph (see the package's narrative rules).
func Narrative(s *Summary, schemes map[Metric]Scheme) string {
	n := len(s.Regions)
	if n == 0 {
		return fmt.Sprintf("Belum ada Pemda yang terdaftar untuk rencana aksi tahun %d.", s.Year)
	}
	if s.Counts[MetricActionPlan][ZoneNoData] == n && len(s.Areas) == 0 {
		return fmt.Sprintf("Indikator rencana aksi tahun %d belum ditetapkan, sehingga capaian %s Pemda belum dapat dihitung.", s.Year, NumberWord(n))
	}
	where := ""
	if name := scopeName(s); name != "" {
		where = " di " + name
	}
	state := "yang telah diverifikasi"
	if s.Final {
		state = "final yang telah diverifikasi"
	}
	opening := fmt.Sprintf("Per %s, capaian rencana aksi pencegahan korupsi tahun %d %s dari %s Pemda%s: ",
		DateIndonesian(s.AsOf), s.Year, state, NumberWord(n), where)
	out := []string{actionPlanTally(s.Regions, schemes[MetricActionPlan], -1).sentence(opening)}
	if s.Average != nil {
		out = append(out, fmt.Sprintf("Rata-rata capaian %s Pemda adalah %s%%.", NumberWord(n), s.Average.Indonesian()))
	}
	if d := delegationSentence(s, schemes[MetricDelegation]); d != "" {
		out = append(out, d)
	}
	out = append(out, "Sumber: data terverifikasi Pantau.")
	return strings.Join(out, " ")
}

// areaNarrative writes one area's sentence: how the Pemda spread over the zones in it.
func areaNarrative(s *Summary, i int, scheme Scheme) string {
	opening := fmt.Sprintf("Pada area %s, ", s.Areas[i].Name)
	return actionPlanTally(s.Regions, scheme, i).sentence(opening)
}

func delegationSentence(s *Summary, scheme Scheme) string {
	var provinces, locals []RegionSummary
	for _, r := range s.Regions {
		if r.Kind == KindProvince {
			provinces = append(provinces, r)
		} else {
			locals = append(locals, r)
		}
	}
	var clauses, after []string
	if len(provinces) == 1 {
		clauses = append(clauses, provinceDelegation(provinces[0]))
	} else if len(provinces) > 1 {
		c, a := groupDelegation(provinces, "provinsi", scheme)
		clauses, after = append(clauses, c...), append(after, a...)
	}
	if len(locals) > 0 {
		c, a := groupDelegation(locals, "kabupaten/kota", scheme)
		clauses, after = append(clauses, c...), append(after, a...)
	}
	if len(clauses) == 0 && len(after) == 0 {
		return ""
	}
	out := []string{}
	if len(clauses) > 0 {
		out = append(out, "Untuk pendelegasian kewenangan perizinan dan nonperizinan kepada DPMPTSP, "+strings.Join(clauses, "; ")+".")
	}
	return strings.Join(append(out, after...), " ")
}

func provinceDelegation(p RegionSummary) string {
	name := "Pemerintah " + p.Name
	switch {
	case p.Delegation.Percent == nil:
		return name + " belum mencatat data pendelegasian"
	case p.Delegation.Zone == ZoneComplete:
		return name + " telah mendelegasikan seluruh kewenangannya (100%)"
	}
	return fmt.Sprintf("%s telah mendelegasikan %s%% kewenangannya (%s)", name, p.Delegation.Percent.Indonesian(), ZonePhrase(p.Delegation.Zone))
}

// groupDelegation phrases a group's delegation: "dari empat belas kabupaten/kota, tujuh telah
// mendelegasikan seluruh kewenangan (100%), empat berada di zona hijau, …".
func groupDelegation(group []RegionSummary, noun string, scheme Scheme) ([]string, []string) {
	z := zoneTally{scheme: scheme, counts: map[Zone]int{}, total: len(group), noun: noun}
	for _, r := range group {
		z.counts[r.Delegation.Zone]++
	}
	withData := z.total - z.counts[ZoneNoData]
	if withData == 0 {
		return nil, []string{capitalise(fmt.Sprintf("belum ada %s yang mencatat data pendelegasian.", noun))}
	}
	var parts []string
	for _, b := range scheme {
		c := z.counts[b.Key]
		switch {
		case c == 0:
		case c == z.total && b.Key == ZoneComplete:
			parts = append(parts, "seluruhnya telah mendelegasikan seluruh kewenangan (100%)")
		case c == z.total:
			parts = append(parts, "seluruhnya berada di "+ZonePhrase(b.Key))
		case b.Key == ZoneComplete:
			parts = append(parts, fmt.Sprintf("%s telah mendelegasikan seluruh kewenangan (100%%)", NumberWord(c)))
		default:
			parts = append(parts, fmt.Sprintf("%s berada di %s", NumberWord(c), ZonePhrase(b.Key)))
		}
	}
	var after []string
	if c := z.counts[ZoneNoData]; c > 0 {
		after = append(after, capitalise(fmt.Sprintf("%s %s belum mencatat data pendelegasian.", NumberWord(c), noun)))
	}
	return []string{fmt.Sprintf("dari %s %s, %s", NumberWord(len(group)), noun, joinIndonesian(parts))}, after
}
