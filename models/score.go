package models

import (
	"math"
	"math/big"
)

// Scorer computes a region's figures for one period's catalogue, as the programme's official
// formula does: a region's percentage is Σ over areas of the area's weight × Σ over its
// indicators of the indicator's weight × (Σ over its sub-indicators of the sub-indicator's
// weight × the verified value), every weight taken as its share of its siblings' weights. An
// item nobody touched counts as 0. What does not apply to the region — a leaf marked not
// applicable by a confirmed claim, or an indicator whose applies_to leaves the region's kind
// out — leaves both numerator and denominator: the weights are renormalised within its parent.
// A parent none of whose children apply does not apply either; an area without indicators is
// left out. Everything is exact until each figure's one half-up rounding to two decimals.
type Scorer struct {
	areas []scoreArea
}

type scoreArea struct {
	id     int64
	weight int64
	nodes  []scoreNode
}

type scoreNode struct {
	id        int64
	weight    int64
	appliesTo KindSet
	children  []scoreNode
}

// NewScorer prepares a scorer for a period's areas and indicators (in catalogue order; a
// sub-indicator names its parent with ParentID).
func NewScorer(areas []Area, indicators []Indicator) *Scorer {
	children := map[int64][]Indicator{}
	for _, ind := range indicators {
		if ind.ParentID != nil {
			children[*ind.ParentID] = append(children[*ind.ParentID], ind)
		}
	}
	var node func(ind Indicator) scoreNode
	node = func(ind Indicator) scoreNode {
		n := scoreNode{id: ind.ID, weight: int64(ind.Weight), appliesTo: ind.AppliesTo}
		for _, c := range children[ind.ID] {
			n.children = append(n.children, node(c))
		}
		return n
	}
	s := &Scorer{}
	for _, a := range areas {
		sa := scoreArea{id: a.ID, weight: int64(a.Weight)}
		for _, ind := range indicators {
			if ind.AreaID == a.ID && ind.ParentID == nil {
				sa.nodes = append(sa.nodes, node(ind))
			}
		}
		s.areas = append(s.areas, sa)
	}
	return s
}

// Empty reports whether the catalogue has no indicators (the percentage is then no data).
func (s *Scorer) Empty() bool {
	for _, a := range s.areas {
		if len(a.nodes) > 0 {
			return false
		}
	}
	return true
}

// LeafValue is what a region's item on a leaf holds: its verified and claimed progress, and
// whether it was confirmed not to apply to the region.
type LeafValue struct {
	Verified, Claimed Fixed
	NotApplicable     bool
}

// Figures are a region's rounded verified and claimed percentages, overall and per area in
// catalogue order. A nil percentage is no data (an empty catalogue) or, where Applicable is
// false, nothing of it applies to the region.
type Figures struct {
	Verified, Claimed *Fixed
	Applicable        bool
	Areas             []AreaFigures
}

// number is an exact value: a whole number while frac is nil, else frac. Leaves are whole
// (hundredths), and so is most of what is added up from them, which spares big.Rat's
// normalisations on every write's restatement.
type number struct {
	whole int64
	frac  *big.Rat
}

func (n number) rat() *big.Rat {
	if n.frac != nil {
		return n.frac
	}
	return new(big.Rat).SetInt64(n.whole)
}

// percent is n (in hundredths) rounded half-up to two decimals as a percentage.
func (n number) percent() *Fixed {
	f := Fixed(n.whole)
	if n.frac != nil {
		f = RoundRat(new(big.Rat).Mul(n.frac, big.NewRat(1, 100)))
	}
	return &f
}

// share is an exact weighted mean being added up: Σ weight × value (the whole products in
// whole while they fit in an int64, the rest in frac) and Σ weight.
type share struct {
	whole   int64
	frac    *big.Rat
	weights int64
}

func (s *share) add(weight int64, value number) {
	s.weights += weight
	if value.frac == nil {
		if sum, ok := mulAdd(s.whole, weight, value.whole); ok {
			s.whole = sum
			return
		}
	}
	if s.frac == nil {
		s.frac = new(big.Rat)
	}
	s.frac.Add(s.frac, new(big.Rat).Mul(big.NewRat(weight, 1), value.rat()))
}

// mulAdd is acc + a×b, and false when that does not fit in an int64.
func mulAdd(acc, a, b int64) (int64, bool) {
	const limit = 1 << 31
	if a <= -limit || a >= limit || b <= -limit || b >= limit {
		return 0, false
	}
	p := a * b
	if (p > 0 && acc > math.MaxInt64-p) || (p < 0 && acc < math.MinInt64-p) {
		return 0, false
	}
	return acc + p, true
}

// mean is the weighted mean, and false when nothing was added (nothing applies).
func (s share) mean() (number, bool) {
	if s.weights == 0 {
		return number{}, false
	}
	if s.frac == nil && s.whole%s.weights == 0 {
		return number{whole: s.whole / s.weights}, true
	}
	total := new(big.Rat).SetInt64(s.whole)
	if s.frac != nil {
		total.Add(total, s.frac)
	}
	return number{frac: total.Quo(total, big.NewRat(s.weights, 1))}, true
}

// value is a node's exact value for a region (in hundredths), and false when it does not apply.
func (n *scoreNode) value(kind RegionKind, values map[int64]LeafValue, pick func(LeafValue) Fixed) (number, bool) {
	if !n.appliesTo.Has(kind) {
		return number{}, false
	}
	if len(n.children) == 0 {
		v := values[n.id]
		if v.NotApplicable {
			return number{}, false
		}
		return number{whole: int64(pick(v))}, true
	}
	var sh share
	for i := range n.children {
		if cv, ok := n.children[i].value(kind, values, pick); ok {
			sh.add(n.children[i].weight, cv)
		}
	}
	return sh.mean()
}

// areaValue is an area's exact value for a region, and false when nothing in it applies.
func (a *scoreArea) value(kind RegionKind, values map[int64]LeafValue, pick func(LeafValue) Fixed) (number, bool) {
	var sh share
	for i := range a.nodes {
		if v, ok := a.nodes[i].value(kind, values, pick); ok {
			sh.add(a.nodes[i].weight, v)
		}
	}
	return sh.mean()
}

// Figures computes a region's figures from its leaves' values (by indicator ID; a missing leaf
// counts as 0).
func (s *Scorer) Figures(kind RegionKind, values map[int64]LeafValue) Figures {
	f := Figures{Areas: make([]AreaFigures, len(s.areas))}
	var verified, claimed share
	for i := range s.areas {
		a := &s.areas[i]
		v, applies := a.value(kind, values, func(l LeafValue) Fixed { return l.Verified })
		f.Areas[i] = AreaFigures{AreaID: a.id, Applicable: applies || len(a.nodes) == 0}
		if !applies {
			continue
		}
		c, _ := a.value(kind, values, func(l LeafValue) Fixed { return l.Claimed })
		f.Areas[i].Verified, f.Areas[i].Claimed = v.percent(), c.percent()
		verified.add(a.weight, v)
		claimed.add(a.weight, c)
	}
	f.Applicable = verified.weights > 0 || s.Empty()
	if m, ok := verified.mean(); ok {
		c, _ := claimed.mean()
		f.Verified, f.Claimed = m.percent(), c.percent()
	}
	return f
}

// Score returns a region's rounded verified percentage given its leaves' verified values
// (missing leaves count as 0), or nil when nothing applies or the catalogue is empty.
func (s *Scorer) Score(kind RegionKind, verified map[int64]Fixed) *Fixed {
	values := make(map[int64]LeafValue, len(verified))
	for id, v := range verified {
		values[id] = LeafValue{Verified: v}
	}
	return s.Figures(kind, values).Verified
}
