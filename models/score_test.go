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
	got := s.Score(map[int64]Fixed{10: FixedFromInt(100), 11: FixedFromInt(50), 20: FixedFromInt(20)})
	if got == nil || got.String() != "51.88" {
		t.Fatalf("score = %v, want 51.88", got)
	}
	// An untouched item counts as 0: area 1 = 25, area 2 = 0 → 75/4 = 18.75.
	if got := s.Score(map[int64]Fixed{10: FixedFromInt(100)}); got.String() != "18.75" {
		t.Fatalf("score = %v, want 18.75", got)
	}
	if got := s.Score(nil); got.String() != "0" {
		t.Fatalf("nothing verified = %v, want 0", got)
	}
	if got := NewScorer(areas, nil).Score(nil); got != nil {
		t.Fatalf("empty catalogue = %v, want nil", got)
	}
}

func TestScorerRoundsBeforeZoning(t *testing.T) {
	// Two of three equal indicators at 100 and one at 24.99: 74.9966… rounds to 75.00, which is green.
	areas := []Area{{ID: 1, Weight: FixedFromInt(1)}}
	inds := []Indicator{{ID: 1, AreaID: 1, Weight: FixedFromInt(1)}, {ID: 2, AreaID: 1, Weight: FixedFromInt(1)}, {ID: 3, AreaID: 1, Weight: FixedFromInt(1)}}
	got := NewScorer(areas, inds).Score(map[int64]Fixed{1: Hundred, 2: Hundred, 3: 2499})
	if got.String() != "75" {
		t.Fatalf("score = %v, want 75", got)
	}
	if z := ZonePresets["default"][MetricActionPlan].Zone(got); z != ZoneGreen {
		t.Fatalf("zone = %s, want green", z)
	}
}
