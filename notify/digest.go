package notify

import (
	htmltemplate "html/template"
	"strconv"
	"strings"
	texttemplate "text/template"
	"time"

	"github.com/pantau-id/pantau/models"
)

// digestWords are the words of a weekly digest, per language.
var digestWords = map[string]map[string]string{
	"id": {"scope_all": "Seluruh Indonesia", "scope_province": "Provinsi {province}", "since": "Pekan {span}",
		"totals": "{verified} butir diverifikasi, {rejected} ditolak, {claimed} diajukan; {queue} butir menunggu verifikasi.",
		"moved":  "Yang bergerak minggu ini", "waiting": "Yang menunggu verifikasi", "behind": "Yang tertinggal",
		"verified": "diverifikasi", "rejected": "ditolak", "claimed": "diajukan", "items": "butir", "left": "belum selesai",
		"score": "skor", "more": "dan {n} Pemda lainnya", "none": "Tidak ada."},
	"en": {"scope_all": "All of Indonesia", "scope_province": "Province {province}", "since": "The week of {span}",
		"totals": "{verified} items verified, {rejected} rejected, {claimed} claimed; {queue} items waiting for review.",
		"moved":  "What moved this week", "waiting": "What waits for review", "behind": "Who is behind",
		"verified": "verified", "rejected": "rejected", "claimed": "claimed", "items": "items", "left": "not done",
		"score": "score", "more": "and {n} more Pemda", "none": "None."},
}

// digestSection is one list of a digest, its lines already worded.
type digestSection struct {
	Heading string
	Lines   []string
	More    string
}

// digestView is a digest as the templates show it.
type digestView struct {
	Scope, Since, Totals string
	Sections             []digestSection
}

// newDigestView words a digest in lang.
func newDigestView(d *models.Digest, lang string) *digestView {
	w := digestWords[lang]
	scope := w["scope_all"]
	if d.Province != "" {
		scope = strings.ReplaceAll(w["scope_province"], "{province}", d.Province)
	}
	v := &digestView{Scope: scope, Since: strings.ReplaceAll(w["since"], "{span}", digestSpan(d, lang)),
		Totals: strings.NewReplacer("{verified}", strconv.Itoa(d.Verified), "{rejected}", strconv.Itoa(d.Rejected),
			"{claimed}", strconv.Itoa(d.Claimed), "{queue}", strconv.Itoa(d.Queue)).Replace(w["totals"])}
	section := func(heading string, list []models.DigestRegion, total int, line func(r models.DigestRegion) string) {
		s := digestSection{Heading: w[heading]}
		for _, r := range list {
			s.Lines = append(s.Lines, r.Name+" ("+r.Code+"): "+line(r))
		}
		if len(list) == 0 {
			s.Lines = []string{w["none"]}
		}
		if more := total - len(list); more > 0 {
			s.More = strings.ReplaceAll(w["more"], "{n}", strconv.Itoa(more))
		}
		v.Sections = append(v.Sections, s)
	}
	count := func(n int, word string) string { return strconv.Itoa(n) + " " + w[word] }
	section("moved", d.Moved, d.MovedTotal, func(r models.DigestRegion) string {
		return count(r.Verified, "verified") + ", " + count(r.Rejected, "rejected") + ", " + count(r.Claimed, "claimed")
	})
	section("waiting", d.Waiting, d.WaitingTotal, func(r models.DigestRegion) string { return count(r.Waiting, "items") })
	section("behind", d.Behind, d.BehindTotal, func(r models.DigestRegion) string {
		score := "–"
		if r.Percent != nil {
			score = r.Percent.String() + "%"
			if lang == "id" {
				score = r.Percent.Indonesian() + "%"
			}
		}
		zone := ""
		if r.Zone != "" {
			zone = " (" + r.Zone.Label(models.Lang(lang)) + ")"
		}
		return w["score"] + " " + score + zone + ", " + count(r.Left, "left")
	})
	return v
}

var _ = texttemplate.Must(textMail.New("digest").Parse(`{{.Scope}} — {{.Since}}
{{.Totals}}
{{range .Sections}}
{{.Heading}}:
{{range .Lines}}- {{.}}
{{end}}{{if .More}}  ({{.More}})
{{end}}{{end}}`))

var _ = htmltemplate.Must(htmlMail.New("digest").Parse(`<p>{{.Scope}} — {{.Since}}<br>{{.Totals}}</p>
{{range .Sections}}<h3 style="margin-bottom: 0.25em">{{.Heading}}</h3>
<ul style="margin-top: 0">{{range .Lines}}<li>{{.}}</li>{{end}}</ul>{{if .More}}<p style="font-size: small">{{.More}}</p>{{end}}
{{end}}`))

// digestSpan names the seven days a digest looks back on, as people write them:
// "18–24 November 2019", "30 November – 6 Desember 2026" (in English, "… December 2026"); a
// digest without its first day is named by its ISO week.
func digestSpan(d *models.Digest, lang string) string {
	first, err := time.ParseInLocation(time.DateOnly, d.Since, models.WIB)
	if err != nil {
		return d.Week
	}
	last := first.AddDate(0, 0, 6)
	date := models.DateIndonesian
	if lang == "en" {
		date = func(t time.Time) string { return t.In(models.WIB).Format("2 January 2006") }
	}
	from := date(first)
	switch {
	case first.Month() == last.Month() && first.Year() == last.Year():
		from = strconv.Itoa(first.Day())
	case first.Year() == last.Year():
		from = strings.TrimSuffix(from, " "+strconv.Itoa(first.Year()))
	}
	sep := "–"
	if strings.Contains(from, " ") {
		sep = " – "
	}
	return from + sep + date(last)
}
