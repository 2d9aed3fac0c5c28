package reports

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pantau-id/pantau/models"
)

var months = [...]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
	"September", "Oktober", "November", "Desember"}

// DateID writes a date the Indonesian way: "22 November 2026".
func DateID(t time.Time) string {
	return fmt.Sprintf("%d %s %d", t.Day(), months[t.Month()-1], t.Year())
}

// TimeID writes a clock time the Indonesian way with its zone: "14.05 WIB".
func TimeID(t time.Time) string {
	return fmt.Sprintf("%02d.%02d %s", t.Hour(), t.Minute(), t.Format("MST"))
}

// PercentID writes a percentage as the summary gives it, with a decimal comma: "82,25%", "100%".
func PercentID(p *models.Fixed) string {
	if p == nil {
		return "–"
	}
	return p.Indonesian() + "%"
}

// IntID writes a whole number with Indonesian thousands separators: "1.234".
func IntID(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// ChangeID writes the change between two percentages in points with an arrow: "▲ 3,25",
// "▼ 1,5", "= 0"; "–" when either is missing.
func ChangeID(now, before *models.Fixed) string {
	if now == nil || before == nil {
		return "–"
	}
	d := *now - *before
	switch {
	case d > 0:
		return "▲ " + d.Indonesian()
	case d < 0:
		return "▼ " + (-d).Indonesian()
	}
	return "= 0"
}

// statusLabel names an item state as the label table does.
func statusLabel(s models.ItemStatus) string { return s.Label(models.Indonesian) }

// zoneName names a zone as the label table does.
func zoneName(key models.Zone) string { return key.Label(models.Indonesian) }

// bandText describes a band's range: "75% ≤ nilai < 100%", "nilai = 100%".
func bandText(b models.Band) string {
	if b.Min == b.Max {
		return "nilai = " + b.Min.Indonesian() + "%"
	}
	lo, hi := "<", "<"
	if b.MinInclusive {
		lo = "≤"
	}
	if b.MaxInclusive {
		hi = "≤"
	}
	switch {
	case b.Min == 0 && b.MinInclusive:
		return "nilai " + hi + " " + b.Max.Indonesian() + "%"
	}
	return b.Min.Indonesian() + "% " + lo + " nilai " + hi + " " + b.Max.Indonesian() + "%"
}

// rgb is a colour.
type rgb struct{ r, g, b int }

// luminance is the colour's perceived brightness, 0–255.
func (c rgb) luminance() int { return (c.r*299 + c.g*587 + c.b*114) / 1000 }

// zoneColours differ in hue and, as far as possible, in brightness; patterns and labels
// tell apart the ones that print alike in greyscale.
var zoneColours = map[models.Zone]rgb{
	models.ZoneComplete:   {27, 94, 32},
	models.ZoneGreen:      {76, 175, 80},
	models.ZoneLightGreen: {197, 225, 165},
	models.ZoneBlue:       {66, 133, 244},
	models.ZoneYellow:     {255, 214, 79},
	models.ZoneRed:        {211, 47, 47},
	models.ZoneNoData:     {238, 238, 238},
}

func zoneColour(key models.Zone) rgb {
	if c, ok := zoneColours[key]; ok {
		return c
	}
	return rgb{158, 158, 158}
}

// pattern is the hatching that tells zones apart in greyscale.
type pattern int

const (
	patternNone pattern = iota
	patternForward
	patternBackward
	patternHorizontal
	patternVertical
	patternCross
	patternDots
)

var zonePatterns = map[models.Zone]pattern{
	models.ZoneComplete:   patternNone,
	models.ZoneGreen:      patternForward,
	models.ZoneLightGreen: patternBackward,
	models.ZoneBlue:       patternHorizontal,
	models.ZoneYellow:     patternDots,
	models.ZoneRed:        patternCross,
	models.ZoneNoData:     patternNone,
}

func zonePattern(key models.Zone) pattern {
	if p, ok := zonePatterns[key]; ok {
		return p
	}
	return patternVertical
}
