package models

import (
	"fmt"
	"strconv"
	"strings"
)

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

// Narrative writes the summary as a provincial press release would: which Pemda reached 100%,
// how many are in each zone; then delegation, the province stated apart from the regencies and cities.
func Narrative(s *Summary, schemes map[Metric]Scheme) string {
	return actionPlanSentence(s, schemes[MetricActionPlan]) + " " + delegationSentence(s, schemes[MetricDelegation])
}

func actionPlanSentence(s *Summary, scheme Scheme) string {
	n := len(s.Regions)
	if n == 0 {
		return fmt.Sprintf("Belum ada Pemda yang terdaftar untuk rencana aksi tahun %d.", s.Year)
	}
	if s.Counts[MetricActionPlan][ZoneNoData] == n {
		return fmt.Sprintf("Indikator rencana aksi tahun %d belum ditetapkan, sehingga capaian %s Pemda belum dapat dihitung.", s.Year, NumberWord(n))
	}
	var complete []string
	for _, r := range s.Regions {
		if r.ActionPlan.Zone == ZoneComplete {
			complete = append(complete, r.Name)
		}
	}
	var parts []string
	if len(complete) > 0 {
		parts = append(parts, fmt.Sprintf("%s Pemda telah mencapai 100%%, yaitu %s", NumberWord(len(complete)), joinIndonesian(complete)))
	}
	parts = append(parts, zoneParts(s.Counts[MetricActionPlan], scheme, "Pemda berada di", "Pemda di")...)
	return fmt.Sprintf("Capaian rencana aksi pencegahan korupsi tahun %d yang telah diverifikasi: dari %s Pemda, %s.",
		s.Year, NumberWord(n), joinIndonesian(parts))
}

// zoneParts phrases the non-complete zones in band order ("sepuluh Pemda berada di zona hijau",
// "empat Pemda di zona kuning"), says so when the lowest zone is empty, and counts missing data.
func zoneParts(counts map[Zone]int, scheme Scheme, firstVerb, laterVerb string) []string {
	var parts []string
	verb := firstVerb
	for i, b := range scheme {
		if b.Key == ZoneComplete {
			continue
		}
		c := counts[b.Key]
		switch {
		case c > 0:
			parts = append(parts, fmt.Sprintf("%s %s %s", NumberWord(c), verb, ZonePhrase(b.Key)))
			verb = laterVerb
		case i == len(scheme)-1:
			parts = append(parts, "tidak ada yang berada di "+ZonePhrase(b.Key))
		}
	}
	if c := counts[ZoneNoData]; c > 0 {
		parts = append(parts, fmt.Sprintf("%s belum memiliki data", NumberWord(c)))
	}
	return parts
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
	var clauses []string
	if len(provinces) == 1 {
		clauses = append(clauses, provinceDelegation(provinces[0]))
	} else if len(provinces) > 1 {
		clauses = append(clauses, groupDelegation(provinces, "provinsi", scheme))
	}
	if len(locals) > 0 {
		clauses = append(clauses, groupDelegation(locals, "kabupaten/kota", scheme))
	}
	if len(clauses) == 0 {
		return ""
	}
	return "Untuk pendelegasian kewenangan perizinan dan nonperizinan kepada DPMPTSP, " + strings.Join(clauses, "; ") + "."
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

func groupDelegation(group []RegionSummary, noun string, scheme Scheme) string {
	counts := map[Zone]int{}
	for _, r := range group {
		counts[r.Delegation.Zone]++
	}
	var parts []string
	if c := counts[ZoneComplete]; c > 0 {
		parts = append(parts, fmt.Sprintf("%s telah mendelegasikan seluruh kewenangan (100%%)", NumberWord(c)))
	}
	parts = append(parts, zoneParts(counts, scheme, "berada di", "di")...)
	return fmt.Sprintf("dari %s %s, %s", NumberWord(len(group)), noun, joinIndonesian(parts))
}
