package models

import "testing"

func TestScorerWeightedMeanOfAreas(t *testing.T) {
	areas := []Area{{ID: 1, Weight: FixedFromInt(3)}, {ID: 2, Weight: FixedFromInt(1)}, {ID: 3, Weight: FixedFromInt(5)}}
	inds := []Indicator{
		{ID: 10, AreaID: 1, Weight: FixedFromInt(1)},
		{ID: 11, AreaID: 1, Weight: FixedFromInt(3)},
		{ID: 20, AreaID: 2, Weight: FixedFromInt(1)},
		// area 3 has no indicators and is left out
	}
	s := NewScorer(areas, inds)
	// area 1: (1·100 + 3·50)/4 = 62.5; area 2: 20
	// region: (3·62.5 + 1·20)/4 = 51.875 → 51.88
	got := s.Score(KindRegency, map[int64]Fixed{10: FixedFromInt(100), 11: FixedFromInt(50), 20: FixedFromInt(20)})
	if got == nil || got.String() != "51.88" {
		t.Fatalf("score = %v, want 51.88", got)
	}
	// An untouched item counts as 0: area 1 = 25, area 2 = 0 → 75/4 = 18.75.
	if got := s.Score(KindRegency, map[int64]Fixed{10: FixedFromInt(100)}); got.String() != "18.75" {
		t.Fatalf("score = %v, want 18.75", got)
	}
	if got := s.Score(KindRegency, nil); got.String() != "0" {
		t.Fatalf("nothing verified = %v, want 0", got)
	}
	if got := NewScorer(areas, nil).Score(KindRegency, nil); got != nil {
		t.Fatalf("empty catalogue = %v, want nil", got)
	}
}

func TestScorerRoundsBeforeZoning(t *testing.T) {
	// Two of three equal indicators at 100 and one at 24.99: 74.9966… rounds to 75.00, which is green.
	areas := []Area{{ID: 1, Weight: FixedFromInt(1)}}
	inds := []Indicator{{ID: 1, AreaID: 1, Weight: FixedFromInt(1)}, {ID: 2, AreaID: 1, Weight: FixedFromInt(1)}, {ID: 3, AreaID: 1, Weight: FixedFromInt(1)}}
	got := NewScorer(areas, inds).Score(KindRegency, map[int64]Fixed{1: Hundred, 2: Hundred, 3: 2499})
	if got.String() != "75" {
		t.Fatalf("score = %v, want 75", got)
	}
	if z := ZonePresets["default"][MetricActionPlan].Zone(got); z != ZoneGreen {
		t.Fatalf("zone = %s, want green", z)
	}
}

// TestScorerSubIndicatorsAndApplicability: sub-indicators roll up into their indicator; what
// does not apply — a confirmed item, or a leaf whose applies_to leaves the region's kind out —
// leaves numerator and denominator, weights renormalised within the parent; an indicator none
// of whose children apply, and an area with nothing that applies, drop out in turn.
func TestScorerSubIndicatorsAndApplicability(t *testing.T) {
	w := FixedFromInt
	parent := func(id int64) *int64 { return &id }
	areas := []Area{{ID: 1, Weight: w(3)}, {ID: 2, Weight: w(1)}}
	inds := []Indicator{
		{ID: 10, AreaID: 1, Weight: w(1)},                                  // A, with two sub-indicators
		{ID: 11, AreaID: 1, Weight: w(1), ParentID: parent(10)},            // a1
		{ID: 12, AreaID: 1, Weight: w(3), ParentID: parent(10)},            // a2
		{ID: 20, AreaID: 1, Weight: w(1)},                                  // B, a leaf
		{ID: 30, AreaID: 2, Weight: w(1), AppliesTo: KindSet{KindRegency}}, // village funds: regencies only
	}
	s := NewScorer(areas, inds)
	values := map[int64]LeafValue{11: {Verified: w(100)}, 12: {Verified: 0}, 20: {Verified: w(50)}, 30: {Verified: w(20)}}
	// A = (1·100 + 3·0)/4 = 25; area 1 = (25 + 50)/2 = 37.5; area 2 = 20; region = (3·37.5 + 20)/4 = 33.125 → 33.13
	f := s.Figures(KindRegency, values)
	if f.Verified.String() != "33.13" || f.Areas[0].Verified.String() != "37.5" || f.Areas[1].Verified.String() != "20" {
		t.Fatalf("regency: %v, areas %v %v", f.Verified, f.Areas[0].Verified, f.Areas[1].Verified)
	}
	// For a city the village-funds area does not apply: region = area 1 = 37.5.
	f = s.Figures(KindCity, values)
	if f.Verified.String() != "37.5" || f.Areas[1].Verified != nil || f.Areas[1].Applicable || !f.Applicable {
		t.Fatalf("city: %v, area 2 %+v", f.Verified, f.Areas[1])
	}
	// a2 confirmed not applicable: A = 100, area 1 = 75, region (regency) = (3·75 + 20)/4 = 61.25.
	values[12] = LeafValue{NotApplicable: true}
	if got := s.Figures(KindRegency, values).Verified.String(); got != "61.25" {
		t.Fatalf("a2 not applicable: %s", got)
	}
	// Both sub-indicators not applicable: A drops out, area 1 = B = 50, region = (150 + 20)/4 = 42.5.
	values[11] = LeafValue{NotApplicable: true}
	if got := s.Figures(KindRegency, values).Verified.String(); got != "42.5" {
		t.Fatalf("A not applicable: %s", got)
	}
	// Nothing applies to a city any more but B; B too: no figure at all, and not applicable.
	values[20] = LeafValue{NotApplicable: true}
	if f := s.Figures(KindCity, values); f.Verified != nil || f.Applicable {
		t.Fatalf("nothing applies: %+v", f)
	}
}

// TestScorerRoundsOnce: figures are exact until the one final rounding. A = 0.02/3 = 0.00667
// (rounded alone it would be 0.01); with an equal area at 0 the region is 0.00333 → 0.00,
// where rounding each level would give 0.01.
func TestScorerRoundsOnce(t *testing.T) {
	w := FixedFromInt
	parent := func(id int64) *int64 { return &id }
	areas := []Area{{ID: 1, Weight: w(1)}, {ID: 2, Weight: w(1)}}
	inds := []Indicator{
		{ID: 10, AreaID: 1, Weight: w(1)},
		{ID: 11, AreaID: 1, Weight: w(1), ParentID: parent(10)},
		{ID: 12, AreaID: 1, Weight: w(1), ParentID: parent(10)},
		{ID: 13, AreaID: 1, Weight: w(1), ParentID: parent(10)},
		{ID: 20, AreaID: 2, Weight: w(1)},
	}
	f := NewScorer(areas, inds).Figures(KindRegency, map[int64]LeafValue{11: {Verified: 2}})
	if f.Verified.String() != "0" || f.Areas[0].Verified.String() != "0.01" {
		t.Fatalf("region %v, area 1 %v", f.Verified, f.Areas[0].Verified)
	}
}

func TestScorerExactBeyondInt64Products(t *testing.T) {
	// Weights too large for weight × value to fit in an int64 are added up exactly all the
	// same: (w·100 + 2w·50)/3w = 66.666… → 66.67, in the area and overall.
	const w = Fixed(1) << 58 // w × 100.00 overflows an int64; 3w does not
	areas := []Area{{ID: 1, Weight: w}, {ID: 2, Weight: FixedFromInt(1)}}
	inds := []Indicator{
		{ID: 10, AreaID: 1, Weight: w},
		{ID: 11, AreaID: 1, Weight: 2 * w},
		{ID: 20, AreaID: 2, Weight: FixedFromInt(1)},
	}
	f := NewScorer(areas, inds).Figures(KindRegency, map[int64]LeafValue{
		10: {Verified: Hundred, Claimed: Hundred}, 11: {Verified: FixedFromInt(50), Claimed: Hundred}, 20: {Verified: FixedFromInt(40), Claimed: FixedFromInt(40)},
	})
	if got := f.Areas[0].Verified; got == nil || got.String() != "66.67" {
		t.Fatalf("area verified = %v, want 66.67", got)
	}
	if got := f.Areas[0].Claimed; got == nil || got.String() != "100" {
		t.Fatalf("area claimed = %v, want 100", got)
	}
	// Overall: (w·66.666… + 1·40)/(w + 1), a hair below 66.67 that still rounds to it.
	if f.Verified == nil || f.Verified.String() != "66.67" {
		t.Fatalf("verified = %v, want 66.67", f.Verified)
	}
}
