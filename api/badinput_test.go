package api

import (
	"strings"
	"testing"

	"github.com/pantau-id/pantau/models"
)

// TestBadInputChangesNothing sends every write malformed, invalid, duplicate and dangling
// input, checks the status, the error code and the named fields, and that no table changed.
func TestBadInputChangesNothing(t *testing.T) {
	item := "/api/v1/periods/2019/regions/62.08/items/I1"
	cases := []struct {
		name, method, path string
		body               any
		status             int
		code               string
		fields             []string
	}{
		{"user malformed", "POST", "/api/v1/users", `{"email":`, 400, "bad_request", nil},
		{"user trailing garbage", "POST", "/api/v1/users", `{} {}`, 400, "bad_request", nil},
		{"user invalid", "POST", "/api/v1/users", map[string]any{"email": "bukan-email", "name": "", "role": "raja", "password": "pendek"}, 422, "validation_failed", []string{"email", "name", "role", "password"}},
		{"user duplicate", "POST", "/api/v1/users", map[string]any{"email": "admin@test.pantau.id", "name": "A", "role": "admin", "password": testPassword}, 409, "conflict", nil},
		{"user unknown region", "POST", "/api/v1/users", map[string]any{"email": "o@x.id", "name": "O", "role": "operator", "password": testPassword, "region_code": "63.01"}, 422, "validation_failed", []string{"region_code"}},
		{"region malformed", "POST", "/api/v1/regions", `[`, 400, "bad_request", nil},
		{"region invalid", "POST", "/api/v1/regions", map[string]any{"code": "62-08", "name": " ", "kind": "desa"}, 422, "validation_failed", []string{"code", "name", "kind"}},
		{"region duplicate", "POST", "/api/v1/regions", map[string]any{"code": "62.08", "name": "Seruyan", "kind": "regency"}, 409, "conflict", nil},
		{"period malformed", "POST", "/api/v1/periods", `{"year":"2020"}`, 400, "bad_request", nil},
		{"period invalid", "POST", "/api/v1/periods", map[string]any{"year": 1900}, 422, "validation_failed", []string{"year"}},
		{"period duplicate", "POST", "/api/v1/periods", map[string]any{"year": 2019}, 409, "conflict", nil},
		{"area invalid", "POST", "/api/v1/periods/2019/areas", map[string]any{"code": "a b", "name": "", "weight": 0}, 422, "validation_failed", []string{"code", "name", "weight"}},
		{"area negative weight", "POST", "/api/v1/periods/2019/areas", map[string]any{"code": "PBJ", "name": "Pengadaan", "weight": -1}, 422, "validation_failed", []string{"weight"}},
		{"area duplicate", "POST", "/api/v1/periods/2019/areas", map[string]any{"code": "PTSP", "name": "Lagi"}, 409, "conflict", nil},
		{"area unknown period", "POST", "/api/v1/periods/2040/areas", map[string]any{"code": "PBJ", "name": "Pengadaan"}, 404, "not_found", nil},
		{"indicator unknown area", "POST", "/api/v1/periods/2019/indicators", map[string]any{"code": "I9", "area": "PBJ", "title": "t"}, 422, "validation_failed", []string{"area"}},
		{"indicator invalid", "POST", "/api/v1/periods/2019/indicators", map[string]any{"code": "", "area": "", "title": "", "weight": 0}, 422, "validation_failed", []string{"code", "area", "title", "weight"}},
		{"indicator duplicate", "POST", "/api/v1/periods/2019/indicators", map[string]any{"code": "I1", "area": "PTSP", "title": "t"}, 409, "conflict", nil},
		{"claim malformed", "PATCH", item, `{"progress":}`, 400, "bad_request", nil},
		{"claim string", "PATCH", item, map[string]any{"progress": "80"}, 400, "bad_request", nil},
		{"claim above 100", "PATCH", item, map[string]any{"progress": 100.01}, 422, "validation_failed", []string{"progress"}},
		{"claim negative", "PATCH", item, map[string]any{"progress": -1}, 422, "validation_failed", []string{"progress"}},
		{"claim missing", "PATCH", item, map[string]any{"note": "x"}, 422, "validation_failed", []string{"progress"}},
		{"claim stale", "PATCH", item, map[string]any{"progress": 10, "version": 7}, 409, "conflict", nil},
		{"claim unknown indicator", "PATCH", "/api/v1/periods/2019/regions/62.08/items/I9", map[string]any{"progress": 10}, 404, "not_found", nil},
		{"claim unknown region", "PATCH", "/api/v1/periods/2019/regions/62.99/items/I1", map[string]any{"progress": 10}, 404, "not_found", nil},
		{"claim unknown period", "PATCH", "/api/v1/periods/2040/regions/62.08/items/I1", map[string]any{"progress": 10}, 404, "not_found", nil},
		{"review malformed", "POST", item + "/reviews", `nope`, 400, "bad_request", nil},
		{"review decision", "POST", item + "/reviews", map[string]any{"decision": "maybe"}, 422, "validation_failed", []string{"decision"}},
		{"review range", "POST", item + "/reviews", map[string]any{"decision": "approve", "verified_progress": 101}, 422, "validation_failed", []string{"verified_progress"}},
		{"review reject reason", "POST", item + "/reviews", map[string]any{"decision": "reject", "comment": "  "}, 422, "validation_failed", []string{"comment"}},
		{"zones malformed", "PUT", "/api/v1/periods/2019/zones/delegation", `{`, 400, "bad_request", nil},
		{"zones gap", "PUT", "/api/v1/periods/2019/zones/delegation", map[string]any{"bands": []map[string]any{{"key": "x", "min": 0, "min_inclusive": true, "max": 99, "max_inclusive": true}}}, 422, "validation_failed", []string{"bands"}},
		{"delegation malformed", "PUT", "/api/v1/periods/2019/regions/62.08/delegation", `{"total":1`, 400, "bad_request", nil},
		{"delegation invalid", "PUT", "/api/v1/periods/2019/regions/62.08/delegation", map[string]any{"total": -3, "delegated": 5, "legal_basis": ""}, 422, "validation_failed", []string{"total", "legal_basis"}},
		// Numbers that do not fit: never wrapped around or rounded to something else.
		{"claim wraps around", "PATCH", item, `{"progress": -184467440737095466.16}`, 422, "validation_failed", []string{"progress"}},
		{"claim huge", "PATCH", item, `{"progress": 184467440737095466.16}`, 422, "validation_failed", []string{"progress"}},
		{"claim exponent", "PATCH", item, `{"progress": -1e6000}`, 422, "validation_failed", []string{"progress"}},
		{"claim digits", "PATCH", item, `{"progress": 0.` + strings.Repeat("1", 5000) + `}`, 422, "validation_failed", []string{"progress"}},
		{"area weight huge", "POST", "/api/v1/periods/2019/areas", `{"code": "PBJ", "name": "Pengadaan", "weight": 1e30}`, 422, "validation_failed", []string{"weight"}},
		{"indicator weight wraps", "PATCH", "/api/v1/periods/2019/indicators/I1", `{"weight": -184467440737095466.16}`, 422, "validation_failed", []string{"weight"}},
		{"review verified huge", "POST", item + "/reviews", `{"decision": "approve", "verified_progress": 1e6000}`, 422, "validation_failed", []string{"verified_progress"}},
		{"zones edge huge", "PUT", "/api/v1/periods/2019/zones/delegation", `{"bands": [{"key": "x", "min": -1e6000, "min_inclusive": true, "max": 100, "max_inclusive": true}]}`, 422, "validation_failed", []string{"bands"}},
		{"delegation total huge", "PUT", "/api/v1/periods/2019/regions/62.08/delegation", `{"total": 1e30, "delegated": 1, "legal_basis": "Perbup"}`, 422, "validation_failed", []string{"total"}},
		// Text no database stores, and text longer than its field.
		{"claim note NUL", "PATCH", item, `{"progress": 10, "note": "a\u0000b"}`, 422, "validation_failed", []string{"note"}},
		{"claim note not UTF-8", "PATCH", item, "{\"progress\": 10, \"note\": \"a\xff\"}", 422, "validation_failed", []string{"note"}},
		{"bad key", "PATCH", item, `{"progress": 10, "n\u0000": 1}`, 400, "bad_request", nil},
		{"region name too long", "POST", "/api/v1/regions", map[string]any{"code": "62.03", "name": strings.Repeat("é", 201), "kind": "regency"}, 422, "validation_failed", []string{"name"}},
		{"indicator title too long", "POST", "/api/v1/periods/2019/indicators", map[string]any{"code": "I9", "area": "PTSP", "title": strings.Repeat("x", 501)}, 422, "validation_failed", []string{"title"}},
		{"period name too long", "PATCH", "/api/v1/periods/2019", map[string]any{"name": strings.Repeat("x", 10000)}, 422, "validation_failed", []string{"name"}},
		{"user too long", "POST", "/api/v1/users", map[string]any{"email": strings.Repeat("a", 250) + "@b.id", "name": strings.Repeat("n", 201), "role": "admin", "password": strings.Repeat("p", 1001)}, 422, "validation_failed", []string{"email", "name", "password"}},
		{"audit filter NUL", "GET", "/api/v1/audit?entity=item%00", nil, 422, "validation_failed", []string{"entity"}},
		{"audit filter name", "GET", "/api/v1/audit?entity%FF=item", nil, 400, "bad_request", nil},
		{"items of a NUL region", "GET", "/api/v1/periods/2019/regions/62.08%00/items", nil, 404, "not_found", nil},
		{"verify a NUL code", "GET", "/api/v1/verify/AB%00CD", nil, 404, "not_found", nil},
	}
	forEachEnv(t, func(t *testing.T, e *env) {
		before := e.counts()
		for _, c := range cases {
			role := models.RoleAdmin
			if strings.HasSuffix(c.path, "/reviews") {
				role = models.RoleReviewer
			}
			if strings.HasPrefix(c.path, "/api/v1/verify/") {
				role = asAnonymous
			}
			r := e.call(c.method, c.path, role, c.body)
			if r.Status != c.status {
				t.Errorf("%s: %d %s, want %d", c.name, r.Status, r.Body, c.status)
				continue
			}
			if code := r.errorCode(t); code != c.code {
				t.Errorf("%s: code %s, want %s", c.name, code, c.code)
			}
			fields := r.fields(t)
			for _, f := range c.fields {
				if fields[f] == "" {
					t.Errorf("%s: no message for field %s in %s", c.name, f, r.Body)
				}
			}
			if len(fields) != len(c.fields) {
				t.Errorf("%s: fields %v, want exactly %v", c.name, fields, c.fields)
			}
		}
		if after := e.counts(); !equalCounts(before, after) {
			t.Fatalf("refused requests changed the database:\nbefore %v\nafter  %v", before, after)
		}
	})
}
