package models

import (
	"encoding/json"
	"errors"
	"math/big"
	"strings"
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

// TestFixedBounds: numbers too long or too large in either direction are refused before any
// conversion, never wrapped around (-184467440737095466.16 used to read as 50, -1e6000 as 0).
func TestFixedBounds(t *testing.T) {
	for in, want := range map[string]string{"999999999999.99": "999999999999.99", "-999999999999.99": "-999999999999.99", "1e11": "100000000000",
		"1e-99": "0", "-0.004": "0", "100.00000000000000000000000000000000000": "100", "+5": "5", ".5": "0.5", "1E2": "100"} {
		f, err := ParseFixed(in)
		if err != nil || f.String() != want {
			t.Errorf("ParseFixed(%s) = %s, %v; want %s", in, f, err, want)
		}
	}
	for _, in := range []string{"-184467440737095466.16", "184467440737095466.16", "-1e6000", "1e6000", "1e-100", "1000000000000", "-1000000000000",
		"1e12", "0.12345678901234567890123456789012345678901", strings.Repeat("9", 100000)} {
		if f, err := ParseFixed(in); !errors.Is(err, ErrFixedRange) {
			t.Errorf("ParseFixed(%.40s) = %s, %v; want ErrFixedRange", in, f, err)
		}
		var f Fixed
		var typeErr *json.UnmarshalTypeError
		if err := json.Unmarshal([]byte(in), &f); !errors.As(err, &typeErr) {
			t.Errorf("unmarshal %.40s: %v, want a *json.UnmarshalTypeError", in, err)
		}
	}
	for _, in := range []string{"", "1/2", "0x10", "1e", "--1", "1.2.3", "Inf", "NaN", "1_000"} {
		if _, err := ParseFixed(in); err == nil || errors.Is(err, ErrFixedRange) {
			t.Errorf("ParseFixed(%q): %v, want not a number", in, err)
		}
	}
	// The field holding an out-of-range number is named.
	var claim Claim
	var typeErr *json.UnmarshalTypeError
	if err := json.Unmarshal([]byte(`{"progress": -184467440737095466.16}`), &claim); !errors.As(err, &typeErr) || typeErr.Field != "progress" {
		t.Errorf("claim: %v", err)
	}
}

// TestPlainFixedAgreesWithTheFullParser: the fast path for plain decimals gives what the full
// parser (regular expression and exact rational) gives, and declines every other form.
func TestPlainFixedAgreesWithTheFullParser(t *testing.T) {
	full := func(s string) Fixed {
		r, ok := new(big.Rat).SetString(s)
		if !ok {
			t.Fatalf("%q is not a number", s)
		}
		if r.Sign() < 0 {
			return -RoundRat(r.Abs(r))
		}
		return RoundRat(r)
	}
	for _, s := range []string{"0", "-0", "+5", "87", "87.", "87.5", "87.50", "-3.13", "100.00", "999999999999.99", "-999999999999.99", "007.07"} {
		got, ok := parsePlainFixed(s)
		if !ok || got != full(s) {
			t.Errorf("%q: %v %v, want %v", s, got, ok, full(s))
		}
	}
	for _, s := range []string{"", "-", ".5", "1e2", "87.555", "1000000000000", "8 7", "0x10", "1_000", "٣"} {
		if got, ok := parsePlainFixed(s); ok {
			t.Errorf("%q: taken as %v; the full parser decides it", s, got)
		}
	}
}
