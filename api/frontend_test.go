package api

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/modelstest"
)

// TestUIMountedOutsideAPI: with a UI handler, the app's paths reach it, while unknown API,
// health and metrics paths — and any non-GET request — still get the contract's JSON 404.
func TestUIMountedOutsideAPI(t *testing.T) {
	ui := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<!doctype html>app")
	})
	_, h, err := New(modelstest.Open(t, models.SQLite), nil, slog.New(slog.NewTextHandler(io.Discard, nil)), models.DefaultLoginPolicy, Options{UI: ui})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		method, path string
		ui           bool
	}{
		{"GET", "/", true},
		{"GET", "/pemda/62.08", true},
		{"HEAD", "/verify/K7QM-2XPA-9RTD", true},
		{"GET", "/assets/index-abc123.js", true},
		{"GET", "/api", false},
		{"GET", "/api/v1/nope", false},
		{"GET", "/api/v2/periods", false},
		{"GET", "/healthz/extra", false},
		{"GET", "/readyz/x", false},
		{"GET", "/metrics/x", false},
		{"POST", "/pemda/62.08", false},
		{"DELETE", "/", false},
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(tc.method, tc.path, nil))
		if tc.ui {
			if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") ||
				!strings.Contains(rec.Header().Get("Content-Security-Policy"), "object-src 'self' blob:") {
				t.Errorf("%s %s: got %d %q, want the UI", tc.method, tc.path, rec.Code, rec.Header().Get("Content-Type"))
			}
			continue
		}
		var body errorBody
		if rec.Code != http.StatusNotFound || json.Unmarshal(rec.Body.Bytes(), &body) != nil || body.Error.Code != "not_found" {
			t.Errorf("%s %s: got %d %s, want a JSON not_found", tc.method, tc.path, rec.Code, rec.Body.String())
		}
	}
}
