package backup

import (
	"encoding/json"
	"testing"
	"time"
)

// TestValuesRoundTrip encodes what the drivers hand out and decodes it back unchanged,
// including text that is not UTF-8 and times with their own offset and nanoseconds.
func TestValuesRoundTrip(t *testing.T) {
	wib := time.FixedZone("WIB", 7*3600)
	at := time.Date(2020, 3, 4, 9, 30, 15, 123456789, wib)
	cases := []struct {
		kind Kind
		in   any
		want any
	}{
		{Integer, int64(-9007199254740993), int64(-9007199254740993)}, // beyond a float64's exact integers
		{Text, "Kabupaten Seruyan — \"uji\"\n", "Kabupaten Seruyan — \"uji\"\n"},
		{Text, []byte("%PDF\xff\xfe"), "%PDF\xff\xfe"},
		{Boolean, int64(1), true},
		{Boolean, false, false},
		{Timestamp, at, at},
		{Timestamp, "2020-03-04 09:30:15.123456789+07:00", at},
		{Text, nil, nil},
	}
	for _, c := range cases {
		enc, err := encode(c.kind, c.in)
		if err != nil {
			t.Fatalf("encode %v: %v", c.in, err)
		}
		raw, _ := json.Marshal(enc)
		got, err := decode(c.kind, raw)
		if err != nil {
			t.Fatalf("decode %s: %v", raw, err)
		}
		if tm, ok := c.want.(time.Time); ok {
			g, ok := got.(time.Time)
			if !ok || !g.Equal(tm) || g.Format(time.RFC3339Nano) != tm.Format(time.RFC3339Nano) {
				t.Fatalf("%v came back as %v", c.in, got)
			}
			continue
		}
		if got != c.want {
			t.Fatalf("%v (%s) came back as %#v", c.in, raw, got)
		}
	}
	if _, err := encode(Integer, "12"); err == nil {
		t.Fatal("a string in an integer column was accepted")
	}
	if _, err := kindOf("bytea"); err == nil {
		t.Fatal("a type without an exact round trip was accepted")
	}
}
