// Package negotiate reads what a client says it accepts.
package negotiate

import (
	"net/http"
	"strconv"
	"strings"
)

// AcceptsGzip reports whether the request's Accept-Encoding lists gzip with a q-value above
// zero (or none, which means 1).
func AcceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, params, _ := strings.Cut(part, ";")
		if !strings.EqualFold(strings.TrimSpace(enc), "gzip") {
			continue
		}
		q, found := strings.CutPrefix(strings.ReplaceAll(params, " ", ""), "q=")
		if !found {
			return true
		}
		v, err := strconv.ParseFloat(q, 64)
		return err == nil && v > 0
	}
	return false
}
