package notify

import (
	"strconv"
	"strings"

	"github.com/pantau-id/pantau/models"
)

// phrase is a text in Indonesian and English, with {placeholders} for NoticeParams fields.
type phrase struct{ id, en string }

func (p phrase) in(lang string) string {
	if lang == "en" {
		return p.en
	}
	return p.id
}

var titles = map[models.NotificationKind]phrase{
	models.NoticeItemRejected:     {"Ditolak: {indicator} {indicator_title} ({region_name}, {year})", "Rejected: {indicator} {indicator_title} ({region_name}, {year})"},
	models.NoticeItemApproved:     {"Disetujui: {indicator} {indicator_title} ({region_name}, {year})", "Approved: {indicator} {indicator_title} ({region_name}, {year})"},
	models.NoticeComment:          {"Komentar baru dari {actor} pada {indicator} ({region_name}, {year})", "New comment by {actor} on {indicator} ({region_name}, {year})"},
	models.NoticeMention:          {"{actor} menyebut Anda pada {indicator} ({region_name}, {year})", "{actor} mentioned you on {indicator} ({region_name}, {year})"},
	models.NoticeSlotAssigned:     {"Anda ditugaskan menandatangani komitmen {region} {year} (slot {slot})", "You are assigned to sign the {region} {year} commitment (slot {slot})"},
	models.NoticeExtensionGranted: {"Batas waktu {region_name} {year} diperpanjang sampai {until}", "The {region_name} {year} deadline is extended to {until}"},
	models.NoticeActionOverdue:    {"Lewat tenggat ({until}): {text} — rencana perbaikan {region_name} {year}", "Overdue since {until}: {text} — {region_name}'s {year} remediation plan"},
	models.NoticeDeadlineReminder: {"Tenggat {region_name} {year}: {until}, {days} hari lagi — {count} butir belum diajukan",
		"{region_name}'s {year} deadline is {until}, {days} days away — {count} items not submitted"},
	models.NoticeWeeklyDigest: {"Ringkasan mingguan {week}: {count} Pemda bergerak", "Weekly digest, {week}: {count} Pemda moved"},
}

// Title is a notification's title in lang ("en", otherwise Indonesian).
func Title(kind models.NotificationKind, lang string, p models.NoticeParams) string {
	t, ok := titles[kind]
	if !ok {
		return string(kind)
	}
	if p.Digest != nil {
		p.Week = digestSpan(p.Digest, lang)
	}
	return fill(t.in(lang), p)
}

// fill puts a notification's params into a text.
func fill(text string, p models.NoticeParams) string {
	year := ""
	if p.Year != 0 {
		year = strconv.Itoa(p.Year)
	}
	return strings.NewReplacer("{indicator}", p.Indicator, "{indicator_title}", p.IndicatorTitle, "{region}", p.Region,
		"{region_name}", p.RegionName, "{year}", year, "{actor}", p.Actor, "{slot}", p.Slot, "{until}", p.Until, "{text}", p.Text,
		"{days}", strconv.Itoa(p.Days), "{count}", strconv.Itoa(p.Count), "{week}", p.Week).Replace(text)
}
