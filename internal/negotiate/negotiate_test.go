package negotiate

import (
	"net/http/httptest"
	"testing"
)

func TestAcceptsGzip(t *testing.T) {
	for header, want := range map[string]bool{
		"":                    false,
		"gzip":                true,
		"GZIP":                true,
		"br, gzip":            true,
		"deflate, gzip;q=0.5": true,
		"gzip; q=1.0, br":     true,
		"gzip;q=0":            false,
		"gzip;q=0.0, br":      false,
		"gzip;q=x":            false,
		"br, deflate":         false,
		"x-gzip":              false,
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Accept-Encoding", header)
		if got := AcceptsGzip(r); got != want {
			t.Errorf("Accept-Encoding %q: got %v, want %v", header, got, want)
		}
	}
}
