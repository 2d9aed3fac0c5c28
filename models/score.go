package models

import "math/big"

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

// share is an exact weighted mean being added up: Σ weight × value and Σ weight.
type share struct {
	num     *big.Rat
	weights int64
}

func newShare() share { return share{num: new(big.Rat)} }

func (s *share) add(weight int64, value *big.Rat) {
	s.num.Add(s.num, new(big.Rat).Mul(big.NewRat(weight, 1), value))
	s.weights += weight
}

// mean is the weighted mean, or nil when nothing was added (nothing applies).
func (s share) mean() *big.Rat {
	if s.weights == 0 {
		return nil
	}
	return new(big.Rat).Quo(s.num, big.NewRat(s.weights, 1))
}

func rounded(r *big.Rat) *Fixed {
	if r == nil {
		return nil
	}
	f := RoundRat(r)
	return &f
}

// value is a node's exact value for a region (in hundredths), nil when it does not apply.
func (n *scoreNode) value(kind RegionKind, values map[int64]LeafValue, pick func(LeafValue) Fixed) *big.Rat {
	if !n.appliesTo.Has(kind) {
		return nil
	}
	if len(n.children) == 0 {
		v := values[n.id]
		if v.NotApplicable {
			return nil
		}
		return big.NewRat(int64(pick(v)), 1)
	}
	sh := newShare()
	for i := range n.children {
		if cv := n.children[i].value(kind, values, pick); cv != nil {
			sh.add(n.children[i].weight, cv)
		}
	}
	return sh.mean()
}

// areaValue is an area's exact value for a region, nil when nothing in it applies.
func (a *scoreArea) value(kind RegionKind, values map[int64]LeafValue, pick func(LeafValue) Fixed) *big.Rat {
	sh := newShare()
	for i := range a.nodes {
		if v := a.nodes[i].value(kind, values, pick); v != nil {
			sh.add(a.nodes[i].weight, v)
		}
	}
	return sh.mean()
}

// Figures computes a region's figures from its leaves' values (by indicator ID; a missing leaf
// counts as 0).
func (s *Scorer) Figures(kind RegionKind, values map[int64]LeafValue) Figures {
	f := Figures{Areas: make([]AreaFigures, len(s.areas))}
	verified, claimed := newShare(), newShare()
	for i := range s.areas {
		a := &s.areas[i]
		v := a.value(kind, values, func(l LeafValue) Fixed { return l.Verified })
		c := a.value(kind, values, func(l LeafValue) Fixed { return l.Claimed })
		f.Areas[i] = AreaFigures{AreaID: a.id, Applicable: v != nil || len(a.nodes) == 0}
		if v == nil {
			continue
		}
		hundredth := big.NewRat(1, 100)
		f.Areas[i].Verified, f.Areas[i].Claimed = rounded(new(big.Rat).Mul(v, hundredth)), rounded(new(big.Rat).Mul(c, hundredth))
		verified.add(a.weight, v)
		claimed.add(a.weight, c)
	}
	f.Applicable = verified.weights > 0 || s.Empty()
	if m := verified.mean(); m != nil {
		f.Verified = rounded(m.Mul(m, big.NewRat(1, 100)))
		c := claimed.mean()
		f.Claimed = rounded(c.Mul(c, big.NewRat(1, 100)))
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
