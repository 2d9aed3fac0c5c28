package models

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"
)

// Fixed is a decimal number with exactly two decimals, stored as an integer count of
// hundredths (87.5 is Fixed(8750)). Progress values, percentages and weights are Fixed, so
// that scores and zone edges are compared exactly on every machine and database.
type Fixed int64

// Hundred is 100 as a Fixed.
const Hundred Fixed = 10000

// FixedFromInt returns n as a Fixed.
func FixedFromInt(n int64) Fixed { return Fixed(n * 100) }

// RoundRat rounds r half-up (towards +∞ at .5) to two decimals.
func RoundRat(r *big.Rat) Fixed {
	scaled := new(big.Rat).Mul(r, big.NewRat(100, 1))
	scaled.Add(scaled, big.NewRat(1, 2))
	q := new(big.Int).Div(scaled.Num(), scaled.Denom()) // Euclidean division: floor for a positive denominator
	return Fixed(q.Int64())
}

// Rat returns f as an exact rational.
func (f Fixed) Rat() *big.Rat { return big.NewRat(int64(f), 100) }

// ParseFixed parses a decimal number ("87.5", "1e2", "-3") and rounds it half-up to two decimals.
func ParseFixed(s string) (Fixed, error) {
	s = strings.TrimSpace(s)
	r, ok := new(big.Rat).SetString(s)
	if !ok || strings.ContainsAny(s, "/") {
		return 0, fmt.Errorf("not a number: %q", s)
	}
	if r.Sign() < 0 {
		return -RoundRat(new(big.Rat).Neg(r)), nil
	}
	if r.Cmp(big.NewRat(1<<40, 1)) > 0 {
		return 0, fmt.Errorf("number too large: %q", s)
	}
	return RoundRat(r), nil
}

// String formats f with as few decimals as needed: "87.5", "100", "3.13".
func (f Fixed) String() string {
	sign := ""
	v := int64(f)
	if v < 0 {
		sign, v = "-", -v
	}
	whole, frac := v/100, v%100
	switch {
	case frac == 0:
		return sign + strconv.FormatInt(whole, 10)
	case frac%10 == 0:
		return fmt.Sprintf("%s%d.%d", sign, whole, frac/10)
	default:
		return fmt.Sprintf("%s%d.%02d", sign, whole, frac)
	}
}

// Indonesian formats f the Indonesian way, with a decimal comma: "82,78", "100".
func (f Fixed) Indonesian() string { return strings.Replace(f.String(), ".", ",", 1) }

// MarshalJSON writes f as a JSON number.
func (f Fixed) MarshalJSON() ([]byte, error) { return []byte(f.String()), nil }

// UnmarshalJSON reads a JSON number, rounding half-up to two decimals.
func (f *Fixed) UnmarshalJSON(b []byte) error {
	s := string(b)
	if s == "null" || strings.HasPrefix(s, `"`) {
		return fmt.Errorf("expected a number, got %s", s)
	}
	v, err := ParseFixed(s)
	if err != nil {
		return err
	}
	*f = v
	return nil
}
