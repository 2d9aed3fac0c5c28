package models

import (
	"encoding/json"
	"math/big"
	"testing"
)

func TestRoundRatHalfUp(t *testing.T) {
	cases := []struct {
		num, den int64
		want     string
	}{
		{1, 32, "3.13"},       // 3.125 rounds up
		{201, 20000, "1.01"},  // 1.005
		{19999, 20000, "100"}, // 99.995
		{1, 3, "33.33"},
		{2, 3, "66.67"},
		{0, 1, "0"},
		{1, 1, "100"},
		{149999, 200000, "75"}, // 74.9995 rounds to 75.00
		{1499899, 2000000, "74.99"},
	}
	for _, c := range cases {
		got := RoundRat(big.NewRat(c.num*100, c.den))
		if got.String() != c.want {
			t.Errorf("%d/%d → %s, want %s", c.num, c.den, got, c.want)
		}
	}
}

func TestFixedJSON(t *testing.T) {
	for in, want := range map[string]string{"87.5": "87.5", "100": "100", "3.125": "3.13", "1e2": "100", "0.004": "0", "-5": "-5", "50.005": "50.01"} {
		var f Fixed
		if err := json.Unmarshal([]byte(in), &f); err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		b, _ := json.Marshal(f)
		if string(b) != want {
			t.Errorf("%s → %s, want %s", in, b, want)
		}
	}
	for _, bad := range []string{`"50"`, `null`, `true`, `1/2`} {
		var f Fixed
		if err := json.Unmarshal([]byte(bad), &f); err == nil {
			t.Errorf("%s: want an error", bad)
		}
	}
	if got := Fixed(8278).Indonesian(); got != "82,78" {
		t.Errorf("Indonesian = %s", got)
	}
}
