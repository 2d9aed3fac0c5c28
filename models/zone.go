package models

import (
	"fmt"
	"sort"
)

// Metric names a scored quantity that has zones.
type Metric string

// The two metrics Pantau zones.
const (
	MetricActionPlan Metric = "action_plan"
	MetricDelegation Metric = "delegation"
)

// Metrics lists every metric, in display order.
var Metrics = []Metric{MetricActionPlan, MetricDelegation}

// Band is one zone: the values from Min to Max, each edge included or not.
type Band struct {
	Key          Zone  `json:"key"`
	Min          Fixed `json:"min"`
	MinInclusive bool  `json:"min_inclusive"`
	Max          Fixed `json:"max"`
	MaxInclusive bool  `json:"max_inclusive"`
}

// Contains reports whether p lies in the band.
func (b Band) Contains(p Fixed) bool {
	aboveMin := p > b.Min || (b.MinInclusive && p == b.Min)
	belowMax := p < b.Max || (b.MaxInclusive && p == b.Max)
	return aboveMin && belowMax
}

// Scheme is the ordered list of bands of one metric, highest first.
type Scheme []Band

// Zone returns the key of the band containing p, or ZoneNoData when p is nil.
func (s Scheme) Zone(p *Fixed) Zone {
	if p == nil {
		return ZoneNoData
	}
	for _, b := range s {
		if b.Contains(*p) {
			return b.Key
		}
	}
	return ZoneNoData
}

// Keys returns the scheme's zone keys, highest first.
func (s Scheme) Keys() []Zone {
	keys := make([]Zone, len(s))
	for i, b := range s {
		keys[i] = b.Key
	}
	return keys
}

// Validate checks that the bands have distinct keys and cover 0 to 100 exactly once.
func (s Scheme) Validate() error {
	if len(s) == 0 {
		return fmt.Errorf("at least one band is needed")
	}
	bands := append(Scheme(nil), s...)
	sort.SliceStable(bands, func(i, j int) bool {
		if bands[i].Min != bands[j].Min {
			return bands[i].Min < bands[j].Min
		}
		return bands[i].MinInclusive && !bands[j].MinInclusive
	})
	seen := map[Zone]bool{}
	for i, b := range bands {
		if b.Key == "" || b.Key == ZoneNoData || seen[b.Key] {
			return fmt.Errorf("band keys must be distinct and not empty or %q", ZoneNoData)
		}
		seen[b.Key] = true
		if b.Min > b.Max || (b.Min == b.Max && !(b.MinInclusive && b.MaxInclusive)) {
			return fmt.Errorf("band %q is empty", b.Key)
		}
		if i == 0 && (b.Min != 0 || !b.MinInclusive) {
			return fmt.Errorf("the lowest band must start at 0 inclusive")
		}
		if i > 0 {
			prev := bands[i-1]
			if prev.Max != b.Min || prev.MaxInclusive == b.MinInclusive {
				return fmt.Errorf("bands %q and %q must meet without a gap or overlap", prev.Key, b.Key)
			}
		}
	}
	last := bands[len(bands)-1]
	if last.Max != Hundred || !last.MaxInclusive {
		return fmt.Errorf("the highest band must end at 100 inclusive")
	}
	return nil
}

// ZonePresets are the named band schemes an admin may switch a period's metric to.
// "default" is Central Kalimantan's own banding (api.md); "kpk" is the KPK's national banding.
var ZonePresets = map[string]map[Metric]Scheme{
	"default": {
		MetricActionPlan: {
			{ZoneComplete, Hundred, true, Hundred, true},
			{ZoneGreen, FixedFromInt(75), true, Hundred, false},
			{ZoneYellow, FixedFromInt(50), false, FixedFromInt(75), false},
			{ZoneRed, 0, true, FixedFromInt(50), true},
		},
		MetricDelegation: {
			{ZoneComplete, Hundred, true, Hundred, true},
			{ZoneGreen, FixedFromInt(75), true, Hundred, false},
			{ZoneLightGreen, FixedFromInt(50), false, FixedFromInt(75), false},
			{ZoneYellow, FixedFromInt(25), true, FixedFromInt(50), true},
			{ZoneRed, 0, true, FixedFromInt(25), false},
		},
	},
	"kpk": {
		MetricActionPlan: kpkBands(),
		MetricDelegation: kpkBands(),
	},
}

// kpkBands are the KPK's national bands; the KPK does not publish which band owns an edge,
// so each band includes its lower edge and the top band includes 100.
func kpkBands() Scheme {
	return Scheme{
		{ZoneGreen, FixedFromInt(75), true, Hundred, true},
		{ZoneBlue, FixedFromInt(50), true, FixedFromInt(75), false},
		{ZoneYellow, FixedFromInt(25), true, FixedFromInt(50), false},
		{ZoneRed, 0, true, FixedFromInt(25), false},
	}
}
