package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/modelstest"
)

// fuzzTargets are the JSON writes the fuzzers aim at, with the role that may call each.
var fuzzTargets = []struct {
	method, path string
	role         models.Role
}{
	{"POST", "/api/v1/auth/login", asAnonymous},
	{"POST", "/api/v1/users", models.RoleAdmin},
	{"POST", "/api/v1/regions", models.RoleCoordinator},
	{"POST", "/api/v1/periods", models.RoleCoordinator},
	{"PATCH", "/api/v1/periods/2019", models.RoleCoordinator},
	{"POST", "/api/v1/periods/2019/areas", models.RoleCoordinator},
	{"POST", "/api/v1/periods/2019/indicators", models.RoleCoordinator},
	{"PUT", "/api/v1/periods/2019/zones/action_plan", models.RoleAdmin},
	{"PATCH", "/api/v1/periods/2019/regions/62.08/items/I1", models.RoleOperator},
	{"POST", "/api/v1/periods/2019/regions/62.08/items/I1/reviews", models.RoleReviewer},
	{"PUT", "/api/v1/periods/2019/regions/62.08/delegation", models.RoleOperator},
	{"PUT", "/api/v1/me/password", models.RoleSignatory},
	{"PATCH", "/api/v1/users/1", models.RoleAdmin},
	{"PATCH", "/api/v1/periods/2019/areas/PTSP", models.RoleCoordinator},
	{"PATCH", "/api/v1/periods/2019/indicators/I1", models.RoleCoordinator},
	{"PUT", "/api/v1/letterhead", models.RoleAdmin},
	{"POST", "/api/v1/periods/2019/regions/62.08/items/I1/comments", models.RoleOperator},
	{"PUT", "/api/v1/me/preferences", models.RoleOperator},
	{"POST", "/api/v1/me/notifications/read", models.RoleOperator},
}

// checkContract fails unless the answer is a success or a client error in the contract's shape.
func checkContract(t *testing.T, r *response, what string) {
	if r.Status >= 500 {
		t.Fatalf("%s: %d %s", what, r.Status, r.Body)
	}
	if r.Status >= 400 {
		var body struct {
			Error struct{ Code, Message string }
		}
		if err := json.Unmarshal(r.Body, &body); err != nil || body.Error.Code == "" || body.Error.Message == "" {
			t.Fatalf("%s: %d without the contract's error body: %q", what, r.Status, r.Body)
		}
	}
}

// FuzzJSONBodies sends arbitrary bytes to every JSON write: never a panic or a 500, always
// the contract's error shape.
func FuzzJSONBodies(f *testing.F) {
	for _, seed := range []string{`{}`, `{"progress": 50}`, `{"progress": 1e400}`, `{"progress": -0.005}`, `{"year": 2019}`,
		`{"total": 10, "delegated": 5, "legal_basis": "Perbup"}`, `{"decision": "approve", "verified_progress": 100.005}`,
		`{"bands": [{"key": "x", "min": 0, "min_inclusive": true, "max": 100, "max_inclusive": true}]}`, `[`, `null`, `"x"`,
		`{"email": "a@b.id", "name": "x", "role": "operator", "password": "0123456789", "region_code": "62.08"}`, "\x00\xff",
		// Text no database stores, text longer than its field, numbers that used to wrap around.
		`{"progress": 10, "note": "a\u0000b"}`, "{\"progress\": 10, \"note\": \"a\xff\xfe\"}", `{"name": "\u0000", "title": "\u0000", "weight": 2}`,
		"{\"name\": \"" + strings.Repeat("é", 201) + "\", \"institution\": \"\xc3\"}", `{"n\u0000": 1}`, `{"email": "a\u0000@b.id", "password": "x"}`,
		`{"progress": -184467440737095466.16}`, `{"progress": -1e6000}`, `{"weight": 1e30}`, `{"verified_progress": 1e-100, "decision": "approve"}`,
		`{"bands": [{"key": "\u0000", "min": -1e6000, "min_inclusive": true, "max": 100, "max_inclusive": true}]}`,
		`{"body": "@operator@test.pantau.id halo"}`, `{"language": "en", "email": {"rejections": false}}`, `{"language": null, "email": null}`, `{"ids": [1, 2]}`, `{"ids": [1.5]}`} {
		for i := range fuzzTargets {
			f.Add(uint8(i), []byte(seed))
		}
	}
	e := newEnv(f, modelstest.Open(f, models.SQLite))
	f.Fuzz(func(t *testing.T, target uint8, body []byte) {
		tg := fuzzTargets[int(target)%len(fuzzTargets)]
		req, _ := http.NewRequest(tg.method, e.srv.URL+tg.path, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if tg.role != asAnonymous {
			req.Header.Set("Authorization", "Bearer "+e.tokens[tg.role])
		}
		checkContract(t, e.as(t).do(req), tg.method+" "+tg.path)
	})
}

// FuzzUpload sends arbitrary multipart bodies to the evidence upload and the public file check.
func FuzzUpload(f *testing.F) {
	const boundary = "pantaufuzz"
	part := func(name, filename, content string) string {
		return "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename + "\"\r\n\r\n" + content + "\r\n"
	}
	for _, seed := range []string{
		part("file", "a.pdf", "%PDF-1.4\n%%EOF") + "--" + boundary + "--\r\n",
		part("replaces", "", "12") + part("file", "../../x.pdf", "%PDF-1.4") + "--" + boundary + "--\r\n",
		part("effective_date", "", "2019-02-30") + part("file", "a.png", "\x89PNG\r\n\x1a\n") + "--" + boundary + "--\r\n",
		part("file", "", ""), "--" + boundary, "", "garbage",
		// File names that used to be cut inside a character, bidi controls, NULs, invalid bytes.
		part("file", strings.Repeat("é", 150)+".docx", "%PDF-1.4\n%%EOF") + "--" + boundary + "--\r\n",
		part("file", "laporan\u202Efdp.exe", "%PDF-1.4\n%%EOF") + "--" + boundary + "--\r\n",
		part("file", "sk\xff\xfe.pdf", "%PDF-1.4\n%%EOF") + "--" + boundary + "--\r\n",
		"--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename*=UTF-8''sk%00%E2%80%AE.pdf\r\n\r\n%PDF-1.4\r\n--" + boundary + "--\r\n",
		part("effective_date", "", "2019-03-01\x00") + part("file", "a.pdf", "%PDF-1.4") + "--" + boundary + "--\r\n",
	} {
		f.Add(false, []byte(seed))
		f.Add(true, []byte(seed))
	}
	e := newEnv(f, modelstest.Open(f, models.SQLite))
	f.Fuzz(func(t *testing.T, public bool, body []byte) {
		path, role := "/api/v1/periods/2019/regions/62.08/items/I1/evidence", models.RoleOperator
		if public {
			path, role = "/api/v1/verify", asAnonymous
		}
		req, _ := http.NewRequest("POST", e.srv.URL+path, bytes.NewReader(body))
		req.Header.Set("Content-Type", "multipart/form-data; boundary="+boundary)
		if role != asAnonymous {
			req.Header.Set("Authorization", "Bearer "+e.tokens[role])
		}
		checkContract(t, e.as(t).do(req), path)
	})
}

// as returns the environment reporting to t (fuzz targets must not report to the F).
func (e *env) as(t *testing.T) *env {
	c := *e
	c.t = t
	return &c
}
