package models

import "math/big"

// Scorer computes a region's action-plan percentage for one period's catalogue: the weighted
// mean over areas of each area's weighted mean of its items' values, every indicator counting
// (an item never touched counts as 0). Areas without indicators are left out. The result is
// exact until the final half-up rounding to two decimals.
type Scorer struct {
	areaWeight   map[int64]Fixed
	areaOf       map[int64]int64 // indicator ID → area ID
	weight       map[int64]Fixed // indicator ID → weight
	areaIndTotal map[int64]int64 // area ID → Σ indicator weights
}

// NewScorer prepares a scorer for a period's areas and indicators.
func NewScorer(areas []Area, indicators []Indicator) *Scorer {
	s := &Scorer{areaWeight: map[int64]Fixed{}, areaOf: map[int64]int64{}, weight: map[int64]Fixed{}, areaIndTotal: map[int64]int64{}}
	for _, a := range areas {
		s.areaWeight[a.ID] = a.Weight
	}
	for _, ind := range indicators {
		s.areaOf[ind.ID] = ind.AreaID
		s.weight[ind.ID] = ind.Weight
		s.areaIndTotal[ind.AreaID] += int64(ind.Weight)
	}
	return s
}

// Empty reports whether the catalogue has no indicators (the percentage is then no data).
func (s *Scorer) Empty() bool { return len(s.weight) == 0 }

// Score returns the rounded percentage given each indicator's value (hundredths); missing
// indicators count as 0. It returns nil for an empty catalogue.
func (s *Scorer) Score(values map[int64]Fixed) *Fixed {
	sums := AreaSums{}
	for ind, v := range values {
		if area, ok := s.areaOf[ind]; ok {
			sums[area] += int64(s.weight[ind]) * int64(v)
		}
	}
	return s.ScoreSums(sums)
}

// AreaSums holds, per area ID, Σ indicator weight × value over a region's items (both in
// hundredths), as SQL can add them up.
type AreaSums map[int64]int64

// ScoreSums is Score from per-area sums.
func (s *Scorer) ScoreSums(sums AreaSums) *Fixed {
	if s.Empty() {
		return nil
	}
	total := new(big.Rat)
	var weights int64
	for area, indTotal := range s.areaIndTotal {
		w := int64(s.areaWeight[area])
		weights += w
		// w_a · (Σ w_i·v_i / Σ w_i), with v in hundredths: divide by 100 once at the end.
		num := new(big.Int).Mul(big.NewInt(w), big.NewInt(sums[area]))
		total.Add(total, new(big.Rat).SetFrac(num, big.NewInt(indTotal)))
	}
	total.Quo(total, big.NewRat(weights*100, 1))
	p := RoundRat(total)
	return &p
}

// AreaPercent returns one area's rounded percentage from a region's per-area sums (its
// indicators' weighted mean), or nil when the area has no indicators.
func (s *Scorer) AreaPercent(area int64, sums AreaSums) *Fixed {
	indTotal := s.areaIndTotal[area]
	if indTotal == 0 {
		return nil
	}
	p := RoundRat(big.NewRat(sums[area], indTotal*100))
	return &p
}
