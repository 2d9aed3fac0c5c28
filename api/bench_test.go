package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/pantau-id/pantau/api"
	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/modelstest"
	"github.com/pantau-id/pantau/models/national"
)

// benchHandler is the whole HTTP handler over a database holding the national data set, and a
// bearer token of an admin signed in to it. Request logs are formatted and then discarded.
func benchHandler(b *testing.B, d models.Dialect) (http.Handler, string) {
	b.Helper()
	ctx := context.Background()
	db := modelstest.Open(b, d)
	if err := national.Seed(ctx, db, io.Discard); err != nil {
		b.Fatalf("seed: %v", err)
	}
	const email, password = "bench-admin@example.com", "bench-password-1"
	if _, err := db.CreateUser(ctx, models.UserInput{Email: email, Name: "Bench Admin", Role: models.RoleAdmin, Password: password}, false); err != nil {
		b.Fatalf("admin: %v", err)
	}
	_, _, token, err := db.Login(ctx, models.DefaultLoginPolicy, email, password, "127.0.0.1", "bench")
	if err != nil {
		b.Fatalf("login: %v", err)
	}
	blobs := &models.BlobStore{Dir: b.TempDir(), MaxSize: 20 << 20}
	_, h, err := api.New(db, blobs, slog.New(slog.NewJSONHandler(io.Discard, nil)), models.DefaultLoginPolicy, api.Options{})
	if err != nil {
		b.Fatalf("api: %v", err)
	}
	return h, token
}

// benchGet serves path again and again, as the bearer of token when there is one and to a
// client that accepts gzip when gzip is set.
func benchGet(b *testing.B, h http.Handler, path, token string, gzip bool) {
	b.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if gzip {
		req.Header.Set("Accept-Encoding", "gzip")
	}
	var size int
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body.String())
		}
		size = rec.Body.Len()
	}
	b.ReportMetric(float64(size), "resp-bytes")
}

// BenchmarkSummaryEndpoint serves GET /api/v1/periods/2025/summary for the national data set
// through the router, in process (no network): bearer-token sign-in, the summary cache and
// the response, uncompressed and as browsers take it (gzip). /healthz runs beside it as the
// floor a request costs.
func BenchmarkSummaryEndpoint(b *testing.B) {
	for _, d := range modelstest.Dialects() {
		b.Run(string(d), func(b *testing.B) {
			h, token := benchHandler(b, d)
			b.Run("healthz", func(b *testing.B) { benchGet(b, h, "/healthz", "", true) })
			b.Run("summary", func(b *testing.B) { benchGet(b, h, "/api/v1/periods/2025/summary", token, false) })
			b.Run("summary-gzip", func(b *testing.B) { benchGet(b, h, "/api/v1/periods/2025/summary", token, true) })
			b.Run("me", func(b *testing.B) { benchGet(b, h, "/api/v1/me", token, true) })
		})
	}
}

// BenchmarkClaimEndpoint serves PATCH …/items/:indicator (a claim, the single-item write) for
// the national data set through the router, in process: each iteration claims the next item,
// each indicator across every Pemda in turn, with a value that differs from the item's last.
func BenchmarkClaimEndpoint(b *testing.B) {
	for _, d := range modelstest.Dialects() {
		b.Run(string(d), func(b *testing.B) {
			h, token := benchHandler(b, d)
			targets := benchItemPaths(b, h, token, 2025)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				body := fmt.Sprintf(`{"progress":%d,"note":"uji beban"}`, 50+(i*7)%51)
				req := httptest.NewRequest(http.MethodPatch, targets[i%len(targets)], strings.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.Set("Content-Type", "application/json")
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("PATCH %s: %d %s", targets[i%len(targets)], rec.Code, rec.Body.String())
				}
				i++
			}
		})
	}
}

// benchItemPaths lists the period's item paths, each indicator across every Pemda in turn (the
// order the load tool writes them in), read through the API.
func benchItemPaths(b *testing.B, h http.Handler, token string, year int) []string {
	b.Helper()
	var regions, indicators []struct {
		Code string `json:"code"`
	}
	for path, out := range map[string]any{"/api/v1/regions": &regions, fmt.Sprintf("/api/v1/periods/%d/indicators", year): &indicators} {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body.String())
		}
		if err := json.Unmarshal(rec.Body.Bytes(), out); err != nil {
			b.Fatalf("GET %s: %v", path, err)
		}
	}
	paths := make([]string, 0, len(regions)*len(indicators))
	for _, ind := range indicators {
		for _, r := range regions {
			paths = append(paths, fmt.Sprintf("/api/v1/periods/%d/regions/%s/items/%s", year, url.PathEscape(r.Code), url.PathEscape(ind.Code)))
		}
	}
	return paths
}
