package models

import "testing"

func p(s string) *Fixed {
	f, err := ParseFixed(s)
	if err != nil {
		panic(err)
	}
	return &f
}

func TestZoneEdges(t *testing.T) {
	def, kpk := ZonePresets["default"], ZonePresets["kpk"]
	cases := []struct {
		scheme Scheme
		value  string
		want   Zone
	}{
		{def[MetricActionPlan], "100", ZoneComplete},
		{def[MetricActionPlan], "99.99", ZoneGreen},
		{def[MetricActionPlan], "75", ZoneGreen},
		{def[MetricActionPlan], "74.99", ZoneYellow},
		{def[MetricActionPlan], "50.01", ZoneYellow},
		{def[MetricActionPlan], "50", ZoneRed},
		{def[MetricActionPlan], "25", ZoneRed},
		{def[MetricActionPlan], "0", ZoneRed},
		{def[MetricDelegation], "100", ZoneComplete},
		{def[MetricDelegation], "99.99", ZoneGreen},
		{def[MetricDelegation], "75", ZoneGreen},
		{def[MetricDelegation], "74.99", ZoneLightGreen},
		{def[MetricDelegation], "50.01", ZoneLightGreen},
		{def[MetricDelegation], "50", ZoneYellow},
		{def[MetricDelegation], "25", ZoneYellow},
		{def[MetricDelegation], "24.99", ZoneRed},
		{def[MetricDelegation], "0", ZoneRed},
		{kpk[MetricActionPlan], "100", ZoneGreen},
		{kpk[MetricActionPlan], "75", ZoneGreen},
		{kpk[MetricActionPlan], "74.99", ZoneBlue},
		{kpk[MetricActionPlan], "50", ZoneBlue},
		{kpk[MetricActionPlan], "49.99", ZoneYellow},
		{kpk[MetricActionPlan], "25", ZoneYellow},
		{kpk[MetricActionPlan], "24.99", ZoneRed},
		{kpk[MetricDelegation], "0", ZoneRed},
	}
	for _, c := range cases {
		if got := c.scheme.Zone(p(c.value)); got != c.want {
			t.Errorf("%v at %s: got %s, want %s", c.scheme.Keys(), c.value, got, c.want)
		}
	}
	if got := def[MetricActionPlan].Zone(nil); got != ZoneNoData {
		t.Errorf("nil → %s", got)
	}
}

func TestPresetsAreValid(t *testing.T) {
	for name, preset := range ZonePresets {
		for m, s := range preset {
			if err := s.Validate(); err != nil {
				t.Errorf("%s %s: %v", name, m, err)
			}
		}
	}
}

func TestSchemeValidateRefusesGapsAndOverlaps(t *testing.T) {
	h := Hundred
	bad := map[string]Scheme{
		"gap":       {{"hi", FixedFromInt(60), true, h, true}, {"lo", 0, true, FixedFromInt(50), true}},
		"overlap":   {{"hi", FixedFromInt(50), true, h, true}, {"lo", 0, true, FixedFromInt(50), true}},
		"open edge": {{"hi", FixedFromInt(50), false, h, true}, {"lo", 0, true, FixedFromInt(50), false}},
		"not 0":     {{"only", FixedFromInt(1), true, h, true}},
		"not 100":   {{"only", 0, true, FixedFromInt(99), true}},
		"dup key":   {{"a", FixedFromInt(50), false, h, true}, {"a", 0, true, FixedFromInt(50), true}},
		"no_data":   {{"no_data", 0, true, h, true}},
		"empty":     {},
	}
	for name, s := range bad {
		if err := s.Validate(); err == nil {
			t.Errorf("%s: want an error", name)
		}
	}
	good := Scheme{{"hi", FixedFromInt(50), false, h, true}, {"lo", 0, true, FixedFromInt(50), true}}
	if err := good.Validate(); err != nil {
		t.Errorf("good scheme: %v", err)
	}
}
