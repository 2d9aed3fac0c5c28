package models

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"reflect"
	"regexp"
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

// ErrFixedRange is a number too long to read, or too large in either direction, to be a Fixed.
var ErrFixedRange = errors.New("number out of range")

// Bounds on the numbers ParseFixed reads, checked before any conversion: at most
// maxFixedText characters with at most two exponent digits, and a magnitude below
// maxFixedWhole (far beyond any percentage, weight or band edge, and far inside int64).
const (
	maxFixedText  = 40
	maxFixedWhole = 1_000_000_000_000
)

// fixedPattern is a decimal number; its second group is the exponent.
var fixedPattern = regexp.MustCompile(`^[+-]?(\d+\.?\d*|\.\d+)(?:[eE]([+-]?\d+))?$`)

// ParseFixed parses a decimal number ("87.5", "1e2", "-3") and rounds it half-up to two
// decimals. A number too long or too large (ErrFixedRange) is refused before it is converted.
func ParseFixed(s string) (Fixed, error) {
	s = strings.TrimSpace(s)
	if f, ok := parsePlainFixed(s); ok {
		return f, nil
	}
	if len(s) > maxFixedText {
		return 0, fmt.Errorf("%w: %d characters", ErrFixedRange, len(s))
	}
	m := fixedPattern.FindStringSubmatch(s)
	if m == nil {
		return 0, fmt.Errorf("not a number: %q", s)
	}
	if len(strings.TrimLeft(m[2], "+-0")) > 2 {
		return 0, fmt.Errorf("%w: exponent of %q", ErrFixedRange, s)
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return 0, fmt.Errorf("not a number: %q", s)
	}
	neg := r.Sign() < 0
	r.Abs(r)
	if r.Cmp(big.NewRat(maxFixedWhole, 1)) >= 0 {
		return 0, fmt.Errorf("%w: %q", ErrFixedRange, s)
	}
	if neg {
		return -RoundRat(r), nil
	}
	return RoundRat(r), nil
}

// parsePlainFixed parses the common form — an optional sign, at most 12 whole digits and at most
// two decimals ("87", "-3.5", "100.00") — exactly, without a regular expression or a big.Rat;
// ok is false for every other form, which ParseFixed handles in full.
func parsePlainFixed(s string) (f Fixed, ok bool) {
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg, s = s[0] == '-', s[1:]
	}
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" || len(whole) > 12 || len(frac) > 2 {
		return 0, false
	}
	var v int64
	for _, part := range []string{whole, frac + "00"[len(frac):]} {
		for i := 0; i < len(part); i++ {
			c := part[i]
			if c < '0' || c > '9' {
				return 0, false
			}
			v = v*10 + int64(c-'0')
		}
	}
	if neg {
		v = -v
	}
	return Fixed(v), true
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

// UnmarshalJSON reads a JSON number, rounding half-up to two decimals. A number out of
// range is reported as a *json.UnmarshalTypeError, so that encoding/json names the field.
func (f *Fixed) UnmarshalJSON(b []byte) error {
	s := string(b)
	if s == "null" || strings.HasPrefix(s, `"`) {
		return fmt.Errorf("expected a number, got %.40s", s)
	}
	v, err := ParseFixed(s)
	if errors.Is(err, ErrFixedRange) {
		return &json.UnmarshalTypeError{Value: "number " + firstChars(s, maxFixedText), Type: reflect.TypeFor[Fixed]()}
	}
	if err != nil {
		return err
	}
	*f = v
	return nil
}
