package models

import (
	"context"
	"sort"

	"gorm.io/gorm"
)

// ItemGain is a leaf item that is not fully verified, and how many points the region's verified
// percentage would gain were it verified at 100%.
type ItemGain struct {
	IndicatorCode string `json:"indicator_code"`
	Title         string `json:"title"`
	Area          string `json:"area"`
	Verified      Fixed  `json:"verified"`
	Gain          Fixed  `json:"gain"`
}

// ZoneStep is the way into the next zone up: the fewest items, largest gains first, that
// verified in full bring the region there, and the percentage they would give.
type ZoneStep struct {
	Zone    Zone     `json:"zone"`
	Min     Fixed    `json:"min"`
	Items   []string `json:"items"`
	Percent *Fixed   `json:"percent"`
}

// ZoneExplanation says why a region stands where it does in a period: its verified percentage
// and zone, the items that pull it down most (largest gain first), and what gets it into the
// next zone up (nil at the top, or when even every item in full would not).
type ZoneExplanation struct {
	Percent *Fixed     `json:"percent"`
	Zone    Zone       `json:"zone"`
	Items   []ItemGain `json:"items"`
	Next    *ZoneStep  `json:"next"`
}

// maxExplained bounds the items an explanation lists.
const maxExplained = 10

// ExplainZone explains a region's action-plan zone in a period from its items, computed exactly
// as its standing is.
func (db *DB) ExplainZone(ctx context.Context, year int, regionCode string) (*ZoneExplanation, error) {
	var out *ZoneExplanation
	err := db.snapshot(ctx, func(q *gorm.DB) error {
		p, r, err := periodAndRegion(q, year, regionCode)
		if err != nil {
			return err
		}
		_, scorer, err := db.scorerFor(q, p.ID)
		if err != nil {
			return err
		}
		inds, err := indicatorsOf(q, p.ID)
		if err != nil {
			return err
		}
		values, err := leafValues(q, p.ID, []int64{r.ID})
		if err != nil {
			return err
		}
		schemes, err := zoneSchemes(q, p.ID)
		if err != nil {
			return err
		}
		out = explainZone(scorer, schemes[MetricActionPlan], r.Kind, inds, values[r.ID])
		return nil
	})
	return out, err
}

// explainZone computes an explanation from a region's leaf values.
func explainZone(scorer *Scorer, scheme Scheme, kind RegionKind, inds []Indicator, values map[int64]LeafValue) *ZoneExplanation {
	if values == nil {
		values = map[int64]LeafValue{}
	}
	now := scorer.Figures(kind, values).Verified
	out := &ZoneExplanation{Percent: now, Zone: scheme.Zone(now), Items: []ItemGain{}}
	if now == nil {
		return out
	}
	hasChildren := map[int64]bool{}
	for _, ind := range inds {
		if ind.ParentID != nil {
			hasChildren[*ind.ParentID] = true
		}
	}
	full := FixedFromInt(100)
	withFull := func(ids ...int64) map[int64]LeafValue {
		v := make(map[int64]LeafValue, len(values)+len(ids))
		for k, x := range values {
			v[k] = x
		}
		for _, id := range ids {
			x := v[id]
			x.Verified = full
			v[id] = x
		}
		return v
	}
	type gain struct {
		ItemGain
		id int64
	}
	var gains []gain
	for _, ind := range inds {
		if hasChildren[ind.ID] || values[ind.ID].NotApplicable || values[ind.ID].Verified >= full {
			continue
		}
		after := scorer.Figures(kind, withFull(ind.ID)).Verified
		if after == nil || *after <= *now {
			continue // does not apply to this kind of region, or too light to move the rounded figure
		}
		gains = append(gains, gain{ItemGain{IndicatorCode: ind.Code, Title: ind.Title, Area: ind.AreaCode, Verified: values[ind.ID].Verified, Gain: *after - *now}, ind.ID})
	}
	sort.SliceStable(gains, func(i, j int) bool { return gains[i].Gain > gains[j].Gain })
	for i := range gains[:min(len(gains), maxExplained)] {
		out.Items = append(out.Items, gains[i].ItemGain)
	}
	next := scheme.above(*now)
	if next == nil {
		return out
	}
	var ids []int64
	var codes []string
	for _, g := range gains {
		ids, codes = append(ids, g.id), append(codes, g.IndicatorCode)
		if p := scorer.Figures(kind, withFull(ids...)).Verified; p != nil && (next.Contains(*p) || *p > next.Max) {
			out.Next = &ZoneStep{Zone: next.Key, Min: next.Min, Items: codes, Percent: p}
			break
		}
	}
	return out
}

// above returns the band just above the one holding p (the lowest band whose lower bound is above
// p), or nil when p is in the top band.
func (s Scheme) above(p Fixed) *Band {
	var best *Band
	for i := range s {
		b := &s[i]
		if b.Contains(p) || b.Min < p || (b.Min == p && b.MinInclusive) {
			continue
		}
		if best == nil || b.Min < best.Min {
			best = b
		}
	}
	return best
}
