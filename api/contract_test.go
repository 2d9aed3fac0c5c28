package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pantau-id/pantau/models"
)

func TestHealthReadyMetrics(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		r := e.call("GET", "/healthz", asAnonymous, nil)
		if r.Status != 200 || !strings.Contains(string(r.Body), `"status":"ok"`) {
			t.Fatalf("healthz: %d %s", r.Status, r.Body)
		}
		e.mustOK(e.call("GET", "/readyz", asAnonymous, nil))
		e.reopen(Options{MetricsAddresses: []string{"127.0.0.1"}})
		e.call("GET", "/api/v1/regions", roleAdmin, nil)
		m := e.call("GET", "/metrics", asAnonymous, nil)
		if !strings.Contains(string(m.Body), `pantau_http_requests_total{method="GET",route="/api/v1/regions",status="200"}`) {
			t.Fatalf("metrics lack the request counter by route:\n%s", m.Body)
		}
		if !strings.Contains(string(m.Body), "pantau_http_request_duration_seconds_bucket") {
			t.Fatal("metrics lack the latency histogram")
		}
		nf := e.call("GET", "/api/v1/nope", roleAdmin, nil)
		e.expect(nf, 404, "not_found")
	})
}

const roleAdmin = models.RoleAdmin

func TestLoginSessionsAndCSRF(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		bad := e.call("POST", "/api/v1/auth/login", asAnonymous, map[string]string{"email": "admin@test.pantau.id", "password": "salah-sekali-ya"})
		e.expect(bad, 401, "unauthenticated")
		e.expect(e.call("POST", "/api/v1/auth/login", asAnonymous, `{"email":`), 400, "bad_request")
		e.expect(e.call("POST", "/api/v1/auth/login", asAnonymous, map[string]string{}), 422, "validation_failed")
		e.expect(e.call("GET", "/api/v1/me", asAnonymous, nil), 401, "unauthenticated")

		ok := e.call("POST", "/api/v1/auth/login", asAnonymous, map[string]string{"email": "Coordinator@Test.Pantau.id", "password": testPassword})
		e.mustOK(ok)
		var login struct {
			Token     string
			CSRFToken string `json:"csrf_token"`
			User      struct {
				Email, Role string
			}
		}
		ok.decode(t, &login)
		if login.User.Role != "coordinator" || login.User.Email != "coordinator@test.pantau.id" || strings.Contains(string(ok.Body), "password") {
			t.Fatalf("login body: %s", ok.Body)
		}
		var cookie *http.Cookie
		for _, c := range (&http.Response{Header: ok.Header}).Cookies() {
			if c.Name == SessionCookie {
				cookie = c
			}
		}
		if cookie == nil || !cookie.HttpOnly || cookie.Value == "" {
			t.Fatalf("session cookie missing or not HttpOnly: %v", ok.Header["Set-Cookie"])
		}
		// The cookie signs a browser in; a state change also needs the CSRF header.
		req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/me", nil)
		req.AddCookie(cookie)
		me := e.do(req)
		e.mustOK(me)
		var meBody struct {
			CSRFToken string `json:"csrf_token"`
		}
		me.decode(t, &meBody)
		if meBody.CSRFToken == "" {
			t.Fatal("me has no csrf_token for a cookie session")
		}
		body := `{"code":"62.99","name":"Kabupaten Uji","kind":"regency"}`
		req, _ = http.NewRequest("POST", e.srv.URL+"/api/v1/regions", strings.NewReader(body))
		req.AddCookie(cookie)
		e.expect(e.do(req), 403, "forbidden")
		req, _ = http.NewRequest("POST", e.srv.URL+"/api/v1/regions", strings.NewReader(body))
		req.AddCookie(cookie)
		req.Header.Set(CSRFHeader, "wrong")
		e.expect(e.do(req), 403, "forbidden")
		req, _ = http.NewRequest("POST", e.srv.URL+"/api/v1/regions", strings.NewReader(body))
		req.AddCookie(cookie)
		req.Header.Set(CSRFHeader, login.CSRFToken)
		req.Header.Set("Content-Type", "application/json")
		if r := e.do(req); r.Status != 201 {
			t.Fatalf("cookie + CSRF: %d %s", r.Status, r.Body)
		}
		// Logout ends the session for the cookie and the token alike.
		e.tokens["fresh"] = login.Token
		if r := e.call("POST", "/api/v1/auth/logout", "fresh", nil); r.Status != 204 {
			t.Fatalf("logout: %d %s", r.Status, r.Body)
		}
		e.expect(e.call("GET", "/api/v1/me", "fresh", nil), 401, "unauthenticated")
		req, _ = http.NewRequest("GET", e.srv.URL+"/api/v1/me", nil)
		req.AddCookie(cookie)
		e.expect(e.do(req), 401, "unauthenticated")
	})
}

func TestLoginRateLimit(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		for i := 0; i < 5; i++ {
			e.expect(e.call("POST", "/api/v1/auth/login", asAnonymous, map[string]string{"email": "reviewer@test.pantau.id", "password": "tebakan-salah"}), 401, "unauthenticated")
		}
		r := e.call("POST", "/api/v1/auth/login", asAnonymous, map[string]string{"email": "reviewer@test.pantau.id", "password": testPassword})
		e.expect(r, 429, "rate_limited")
		if r.Header.Get("Retry-After") == "" {
			t.Fatal("429 without Retry-After")
		}
		// Another account from the same address is still let in.
		e.mustOK(e.call("POST", "/api/v1/auth/login", asAnonymous, map[string]string{"email": "signatory@test.pantau.id", "password": testPassword}))
	})
}

func TestUsers(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		r := e.call("POST", "/api/v1/users", roleAdmin, map[string]any{"email": "op@kapuas.go.id", "name": "Operator Kapuas", "role": "operator", "password": testPassword})
		e.expect(r, 422, "validation_failed")
		if r.fields(t)["region_code"] == "" {
			t.Fatalf("want a region_code field error: %s", r.Body)
		}
		r = e.call("POST", "/api/v1/users", roleAdmin, map[string]any{"email": "op@seruyan.go.id", "name": "Operator Seruyan", "role": "operator", "password": testPassword, "region_code": "62.08"})
		e.mustOK(r)
		if r.Status != 201 || strings.Contains(string(r.Body), "argon2") || !strings.Contains(string(r.Body), `"region_code":"62.08"`) {
			t.Fatalf("create user: %d %s", r.Status, r.Body)
		}
		e.expect(e.call("POST", "/api/v1/users", roleAdmin, map[string]any{"email": "OP@seruyan.go.id", "name": "x", "role": "reviewer", "password": testPassword}), 409, "conflict")
		e.expect(e.call("POST", "/api/v1/users", roleAdmin, map[string]any{"email": "x@y.id", "name": "x", "role": "operator", "password": testPassword, "region_code": "99.99"}), 422, "validation_failed")
		list := e.call("GET", "/api/v1/users", roleAdmin, nil)
		e.mustOK(list)
		if strings.Contains(string(list.Body), "argon2") || strings.Contains(string(list.Body), "password") {
			t.Fatalf("user list leaks password hashes: %s", list.Body)
		}
		e.login("op@seruyan.go.id")
	})
}

func TestRegionsPeriodsCatalogue(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		r := e.call("POST", "/api/v1/regions", "coordinator", map[string]string{"code": "62.03", "name": "Kabupaten Kapuas", "kind": "regency"})
		if r.Status != 201 || string(r.Body) != `{"code":"62.03","name":"Kabupaten Kapuas","kind":"regency"}` {
			t.Fatalf("create region: %d %s", r.Status, r.Body)
		}
		e.expect(e.call("POST", "/api/v1/regions", "coordinator", map[string]string{"code": "62.03", "name": "Lagi", "kind": "regency"}), 409, "conflict")
		list := e.call("GET", "/api/v1/regions", "signatory", nil)
		var regions []struct{ Code, Name, Kind string }
		list.decode(t, &regions)
		if len(regions) != 4 || regions[0].Code != "62" || regions[0].Kind != "province" {
			t.Fatalf("regions: %s", list.Body)
		}

		r = e.call("POST", "/api/v1/periods", "coordinator", map[string]any{"year": 2020, "name": "Rencana Aksi 2020"})
		if r.Status != 201 || string(r.Body) != `{"year":2020,"name":"Rencana Aksi 2020","deadline":null,"status":"open","closed_at":null,"version":1}` {
			t.Fatalf("create period: %d %s", r.Status, r.Body)
		}
		e.expect(e.call("POST", "/api/v1/periods", "coordinator", map[string]any{"year": 2020, "name": "x"}), 409, "conflict")
		r = e.call("POST", "/api/v1/periods/2020/areas", "coordinator", map[string]any{"code": "PBJ", "name": "Pengadaan Barang dan Jasa"})
		if r.Status != 201 || !strings.Contains(string(r.Body), `"weight":1`) {
			t.Fatalf("area default weight: %d %s", r.Status, r.Body)
		}
		e.expect(e.call("POST", "/api/v1/periods/2020/indicators", "coordinator", map[string]any{"code": "X1", "area": "NOPE", "title": "t"}), 422, "validation_failed")
		r = e.call("POST", "/api/v1/periods/2020/indicators", "coordinator", map[string]any{"code": "X1", "area": "PBJ", "title": "Rencana umum pengadaan diumumkan", "weight": 2.5})
		if r.Status != 201 || string(r.Body) != `{"area":"PBJ","parent":null,"code":"X1","title":"Rencana umum pengadaan diumumkan","weight":2.5,"requirement":"","applies_to":["province","regency","city"],"version":1}` {
			t.Fatalf("create indicator: %d %s", r.Status, r.Body)
		}
		e.expect(e.call("GET", "/api/v1/periods/2031/indicators", "reviewer", nil), 404, "not_found")
		inds := e.call("GET", "/api/v1/periods/2019/indicators", "reviewer", nil)
		if !strings.Contains(string(inds.Body), `"code":"I1"`) || !strings.Contains(string(inds.Body), `"code":"I2"`) {
			t.Fatalf("indicators: %s", inds.Body)
		}
		// The catalogue is per year: 2020 has its own.
		if strings.Contains(string(e.call("GET", "/api/v1/periods/2020/indicators", "reviewer", nil).Body), `"I1"`) {
			t.Fatal("2020 shows 2019's indicators")
		}
	})
}

type itemJSON struct {
	IndicatorCode    string  `json:"indicator_code"`
	Area             string  `json:"area"`
	Progress         float64 `json:"progress"`
	VerifiedProgress float64 `json:"verified_progress"`
	Status           string  `json:"status"`
	Version          int64   `json:"version"`
	Evidence         []struct {
		ID          int64  `json:"id"`
		SHA256      string `json:"sha256"`
		ContentType string `json:"content_type"`
	} `json:"evidence"`
}

type summaryJSON struct {
	Regions []struct {
		Code       string
		ActionPlan struct {
			Percent        *float64 `json:"percent"`
			ClaimedPercent *float64 `json:"claimed_percent"`
			Zone           string
		} `json:"action_plan"`
		Delegation struct {
			Percent *float64
			Zone    string
		}
	}
	Counts    map[string]map[string]int
	Narrative string
}

func (e *env) summary(year string) summaryJSON {
	e.t.Helper()
	var s summaryJSON
	e.mustOK(e.call("GET", "/api/v1/periods/"+year+"/summary", "signatory", nil)).decode(e.t, &s)
	return s
}

func (s summaryJSON) region(code string) (verified, claimed *float64, zone string) {
	for _, r := range s.Regions {
		if r.Code == code {
			return r.ActionPlan.Percent, r.ActionPlan.ClaimedPercent, r.ActionPlan.Zone
		}
	}
	return nil, nil, ""
}

func TestClaimEvidenceReviewLoop(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		base := "/api/v1/periods/2019/regions/62.08/items"
		var items []itemJSON
		e.mustOK(e.call("GET", base, "reviewer", nil)).decode(t, &items)
		if len(items) != 2 || items[0].Status != "draft" || items[0].Progress != 0 || items[0].Version != 0 || items[0].Evidence == nil {
			t.Fatalf("untouched items: %+v", items)
		}
		if v, _, zone := e.summary("2019").region("62.08"); v == nil || *v != 0 || zone != "red" {
			t.Fatalf("nothing verified should be 0 and red, got %v %s", v, zone)
		}

		var it itemJSON
		e.mustOK(e.call("PATCH", base+"/I2", "operator", map[string]any{"progress": 80, "note": "OSS terintegrasi", "version": 0})).decode(t, &it)
		if it.Status != "submitted" || it.Progress != 80 || it.VerifiedProgress != 0 || it.Version != 1 {
			t.Fatalf("after claim: %+v", it)
		}
		e.expect(e.call("PATCH", base+"/I2", "operator", map[string]any{"progress": 85, "version": 0}), 409, "conflict")
		e.expect(e.call("POST", base+"/I2/reviews", "reviewer", map[string]any{"decision": "approve"}), 422, "validation_failed")

		pdf := samplePDF(t, "bukti OSS")
		up := e.upload(base+"/I2/evidence", "operator", "../../etc/bukti OSS.pdf", pdf)
		if up.Status != 201 {
			t.Fatalf("upload: %d %s", up.Status, up.Body)
		}
		var ev struct {
			ID               int64
			Filename, SHA256 string
			Size             int64
			ContentType      string `json:"content_type"`
		}
		up.decode(t, &ev)
		sum := sha256.Sum256(pdf)
		if ev.SHA256 != hex.EncodeToString(sum[:]) || ev.Size != int64(len(pdf)) || ev.ContentType != "application/pdf" || ev.Filename != "bukti OSS.pdf" {
			t.Fatalf("evidence: %+v", ev)
		}
		dl := e.call("GET", "/api/v1/evidence/"+itoa(ev.ID), "signatory", nil)
		if dl.Status != 200 || !bytes.Equal(dl.Body, pdf) || dl.Header.Get("X-Content-Type-Options") != "nosniff" ||
			!strings.HasPrefix(dl.Header.Get("Content-Disposition"), "attachment") || dl.Header.Get("Content-Type") != "application/pdf" {
			t.Fatalf("download: %d %v", dl.Status, dl.Header)
		}
		e.expect(e.call("GET", "/api/v1/evidence/"+itoa(ev.ID), asAnonymous, nil), 401, "unauthenticated")
		// Ranges and revalidation, as a PDF viewer asks for them.
		ranged := func(header, value string) *response {
			req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/evidence/"+itoa(ev.ID), nil)
			req.Header.Set("Authorization", "Bearer "+e.tokens["reviewer"])
			req.Header.Set(header, value)
			return e.do(req)
		}
		if r := ranged("Range", "bytes=0-3"); r.Status != 206 || string(r.Body) != "%PDF" {
			t.Fatalf("range: %d %q", r.Status, r.Body)
		}
		if r := ranged("Range", "bytes=0-0,2-3"); r.Status != 206 || !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/byteranges") {
			t.Fatalf("two ranges: %d %s", r.Status, r.Header.Get("Content-Type"))
		}
		if r := ranged("Range", "bytes=999999-"); r.Status != 416 {
			t.Fatalf("range past the end: %d %q", r.Status, r.Body)
		}
		if r := ranged("If-None-Match", dl.Header.Get("ETag")); r.Status != 304 || len(r.Body) != 0 {
			t.Fatalf("revalidation: %d %q", r.Status, r.Body)
		}
		e.expect(e.call("GET", "/api/v1/evidence/999999", "reviewer", nil), 404, "not_found")

		e.expect(e.call("POST", base+"/I2/reviews", "reviewer", map[string]any{"decision": "approve", "verified_progress": 90}), 422, "validation_failed")
		e.expect(e.call("POST", base+"/I2/reviews", "reviewer", map[string]any{"decision": "approve", "comment": "Sesuai"}), 422, "validation_failed")
		r := e.call("POST", base+"/I2/reviews", "reviewer", map[string]any{"decision": "approve", "comment": "Sesuai", "accept_evidence": []int64{ev.ID}})
		if r.Status != 201 {
			t.Fatalf("approve: %d %s", r.Status, r.Body)
		}
		r.decode(t, &it)
		if it.Status != "approved" || it.VerifiedProgress != 80 {
			t.Fatalf("after approve: %+v", it)
		}
		// (1·0 + 3·80)/4 = 60 → yellow; the claim equals the verified value.
		s := e.summary("2019")
		if v, c, zone := s.region("62.08"); *v != 60 || *c != 60 || zone != "yellow" {
			t.Fatalf("summary after approve: %v %v %s", *v, *c, zone)
		}

		// A new, higher claim waits for review; the approved value keeps counting.
		e.mustOK(e.call("PATCH", base+"/I2", "operator", map[string]any{"progress": 100})).decode(t, &it)
		if it.Status != "submitted" || it.VerifiedProgress != 80 {
			t.Fatalf("after second claim: %+v", it)
		}
		if v, c, _ := e.summary("2019").region("62.08"); *v != 60 || *c != 75 {
			t.Fatalf("claimed beside verified: %v %v", *v, *c)
		}
		e.expect(e.call("POST", base+"/I2/reviews", "reviewer", map[string]any{"decision": "reject"}), 422, "validation_failed")
		e.mustOK(e.call("POST", base+"/I2/reviews", "reviewer", map[string]any{"decision": "reject", "comment": "Lampirkan SK yang ditandatangani"})).decode(t, &it)
		if it.Status != "rejected" || it.VerifiedProgress != 80 || it.Progress != 100 {
			t.Fatalf("after reject: %+v", it)
		}
		var full []struct {
			LastReview struct{ Decision, Comment string } `json:"last_review"`
		}
		e.mustOK(e.call("GET", base, "operator", nil)).decode(t, &full)
		if full[1].LastReview.Decision != "reject" || full[1].LastReview.Comment != "Lampirkan SK yang ditandatangani" {
			t.Fatalf("last review: %+v", full[1])
		}

		// Approving at a lower value than claimed.
		e.mustOK(e.call("PATCH", base+"/I2", "coordinator", map[string]any{"progress": 100}))
		e.mustOK(e.call("POST", base+"/I2/reviews", "reviewer", map[string]any{"decision": "approve", "verified_progress": 95.5})).decode(t, &it)
		if it.VerifiedProgress != 95.5 {
			t.Fatalf("partial approval: %+v", it)
		}
		// Approving 0 needs no evidence.
		e.mustOK(e.call("POST", base+"/I1/reviews", "reviewer", map[string]any{"decision": "approve"}))
	})
}

func TestSeparationOfDuties(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		base := "/api/v1/periods/2019/regions/62.08/items/I1"
		e.expect(e.call("PATCH", base, "reviewer", map[string]any{"progress": 50}), 403, "forbidden")
		e.expect(e.call("PATCH", base, "signatory", map[string]any{"progress": 50}), 403, "forbidden")
		e.expect(e.call("PATCH", base, asOperator2, map[string]any{"progress": 50}), 403, "forbidden")
		e.expect(e.upload(base+"/evidence", asOperator2, "a.pdf", samplePDF(t, "x")), 403, "forbidden")
		e.mustOK(e.call("PATCH", base, "operator", map[string]any{"progress": 50}))
		e.expect(e.call("POST", base+"/reviews", "operator", map[string]any{"decision": "approve"}), 403, "forbidden")
		e.expect(e.call("POST", base+"/reviews", "coordinator", map[string]any{"decision": "approve"}), 403, "forbidden")
		// An admin may review, but never a claim of their own.
		e.mustOK(e.call("PATCH", base, "admin", map[string]any{"progress": 0}))
		e.expect(e.call("POST", base+"/reviews", "admin", map[string]any{"decision": "approve"}), 403, "forbidden")
		e.mustOK(e.call("POST", base+"/reviews", "reviewer", map[string]any{"decision": "approve"}))
	})
}

func TestEvidenceRefusals(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		path := "/api/v1/periods/2019/regions/62.08/items/I1/evidence"
		before := e.counts()
		e.expect(e.upload(path, "operator", "besar.pdf", append([]byte("%PDF-1.4\n"), make([]byte, 300<<10)...)), 413, "too_large")
		e.expect(e.upload(path, "operator", "catatan.txt", []byte("hanya teks biasa")), 415, "unsupported_media_type")
		e.expect(e.upload(path, "operator", "menyamar.pdf", []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00")), 415, "unsupported_media_type")
		e.expect(e.upload(path, "operator", "kosong.pdf", nil), 422, "validation_failed")
		e.expect(e.call("POST", path, "operator", `{"file":"x"}`), 400, "bad_request")
		e.expect(e.upload("/api/v1/periods/2019/regions/62.08/items/NOPE/evidence", "operator", "a.pdf", samplePDF(t, "x")), 404, "not_found")
		if after := e.counts(); !equalCounts(before, after) {
			t.Fatalf("refused uploads changed the database:\nbefore %v\nafter  %v", before, after)
		}
		png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde")
		r := e.upload(path, "operator", "foto.png", png)
		if r.Status != 201 || !strings.Contains(string(r.Body), `"content_type":"image/png"`) {
			t.Fatalf("png upload: %d %s", r.Status, r.Body)
		}
		// The same file on another item is stored once but listed on both.
		e.mustOK(e.upload("/api/v1/periods/2019/regions/62.08/items/I2/evidence", "coordinator", "foto.png", png))
	})
}

func TestDelegation(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		path := "/api/v1/periods/2019/regions/62.08/delegation"
		var d struct {
			Percent    *float64
			Zone       string
			LegalBasis string `json:"legal_basis"`
		}
		e.mustOK(e.call("GET", path, "reviewer", nil)).decode(t, &d)
		if d.Percent != nil || d.Zone != "no_data" {
			t.Fatalf("unrecorded delegation: %+v", d)
		}
		r := e.call("PUT", path, "operator", map[string]any{"total": 120, "delegated": 90, "legal_basis": "Peraturan Bupati Seruyan Nomor 16 Tahun 2017"})
		if r.Status != 200 || !strings.Contains(string(r.Body), `"total":120,"delegated":90,"percent":75,"zone":"green","legal_basis":"Peraturan Bupati Seruyan Nomor 16 Tahun 2017"`) {
			t.Fatalf("set delegation: %d %s", r.Status, r.Body)
		}
		e.mustOK(e.call("PUT", path, "coordinator", map[string]any{"total": 3, "delegated": 1, "legal_basis": "Perbup 1/2019"})).decode(t, &d)
		if *d.Percent != 33.33 || d.Zone != "yellow" {
			t.Fatalf("1/3: %+v", d)
		}
		before := e.counts()
		for _, bad := range []map[string]any{
			{"total": 0, "delegated": 0, "legal_basis": "x"},
			{"total": 10, "delegated": 11, "legal_basis": "x"},
			{"total": 10, "delegated": -1, "legal_basis": "x"},
			{"total": 10, "delegated": 5, "legal_basis": "  "},
			{"delegated": 5, "legal_basis": "x"},
		} {
			e.expect(e.call("PUT", path, "coordinator", bad), 422, "validation_failed")
		}
		e.expect(e.call("PUT", path, "coordinator", map[string]any{"total": "sepuluh"}), 400, "bad_request")
		e.expect(e.call("PUT", path, "coordinator", map[string]any{"total": 10, "delegated": 5, "legal_basis": "x", "version": 1}), 409, "conflict")
		e.expect(e.call("PUT", path, asOperator2, map[string]any{"total": 10, "delegated": 5, "legal_basis": "x"}), 403, "forbidden")
		e.expect(e.call("PUT", path, "reviewer", map[string]any{"total": 10, "delegated": 5, "legal_basis": "x"}), 403, "forbidden")
		e.expect(e.call("PUT", "/api/v1/periods/2019/regions/99/delegation", "coordinator", map[string]any{"total": 10, "delegated": 5, "legal_basis": "x"}), 404, "not_found")
		if after := e.counts(); !equalCounts(before, after) {
			t.Fatalf("refused delegation changed the database:\nbefore %v\nafter  %v", before, after)
		}
		s := e.summary("2019")
		for _, r := range s.Regions {
			if r.Code == "62.08" && (r.Delegation.Percent == nil || *r.Delegation.Percent != 33.33 || r.Delegation.Zone != "yellow") {
				t.Fatalf("summary delegation: %+v", r.Delegation)
			}
			if r.Code == "62.71" && r.Delegation.Zone != "no_data" {
				t.Fatalf("unrecorded delegation in summary: %+v", r.Delegation)
			}
		}
		if s.Counts["delegation"]["no_data"] != 2 || s.Counts["delegation"]["yellow"] != 1 || s.Counts["delegation"]["light_green"] != 0 {
			t.Fatalf("delegation counts: %v", s.Counts["delegation"])
		}
	})
}

func TestZonesPresetAndBands(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		e.expect(e.call("PUT", "/api/v1/periods/2019/zones/action_plan", "coordinator", map[string]any{"preset": "kpk"}), 403, "forbidden")
		e.expect(e.call("PUT", "/api/v1/periods/2019/zones/action_plan", "admin", map[string]any{"preset": "nope"}), 422, "validation_failed")
		e.expect(e.call("PUT", "/api/v1/periods/2019/zones/action_plan", "admin", map[string]any{"bands": []map[string]any{
			{"key": "hi", "min": 60, "min_inclusive": true, "max": 100, "max_inclusive": true},
			{"key": "lo", "min": 0, "min_inclusive": true, "max": 50, "max_inclusive": true}}}), 422, "validation_failed")
		e.expect(e.call("PUT", "/api/v1/periods/2019/zones/nope", "admin", map[string]any{"preset": "kpk"}), 404, "not_found")
		e.mustOK(e.call("PUT", "/api/v1/periods/2019/zones/action_plan", "admin", map[string]any{"preset": "kpk"}))
		s := e.summary("2019")
		if _, ok := s.Counts["action_plan"]["blue"]; !ok || s.Counts["action_plan"]["red"] != 3 {
			t.Fatalf("kpk counts: %v", s.Counts["action_plan"])
		}
		if _, ok := s.Counts["action_plan"]["complete"]; ok {
			t.Fatalf("kpk preset has no complete band: %v", s.Counts["action_plan"])
		}
		if _, ok := s.Counts["delegation"]["light_green"]; !ok {
			t.Fatal("delegation kept its own scheme")
		}
	})
}

func TestSummaryWithoutIndicators(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		e.mustOK(e.call("POST", "/api/v1/periods", "admin", map[string]any{"year": 2021}))
		s := e.summary("2021")
		if v, c, zone := s.region("62"); v != nil || c != nil || zone != "no_data" {
			t.Fatalf("no indicators: %v %v %s", v, c, zone)
		}
		if s.Counts["action_plan"]["no_data"] != 3 || s.Counts["action_plan"]["red"] != 0 {
			t.Fatalf("counts: %v", s.Counts)
		}
		if !strings.Contains(s.Narrative, "belum") {
			t.Fatalf("narrative: %s", s.Narrative)
		}
		e.expect(e.call("GET", "/api/v1/periods/1999/summary", "reviewer", nil), 404, "not_found")
		e.expect(e.call("GET", "/api/v1/periods/abc/summary", "reviewer", nil), 400, "bad_request")
	})
}

func TestErrorsInEnglish(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/me", nil)
		req.Header.Set("Accept-Language", "en-US,en;q=0.9,id;q=0.5")
		r := e.do(req)
		if !strings.Contains(string(r.Body), "Please sign in") {
			t.Fatalf("english: %s", r.Body)
		}
		req, _ = http.NewRequest("GET", e.srv.URL+"/api/v1/me", nil)
		r = e.do(req)
		if !strings.Contains(string(r.Body), "Silakan masuk") {
			t.Fatalf("indonesian by default: %s", r.Body)
		}
	})
}

func equalCounts(a, b map[string]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestPasswordChangeEndsOtherSessions(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		e.tokens["second"] = e.login("operator@test.pantau.id")
		r := e.call("PUT", "/api/v1/me/password", "operator", map[string]string{"old_password": "salah-salah-salah", "new_password": "pendek"})
		e.expect(r, 422, "validation_failed")
		if f := r.fields(t); f["old_password"] == "" || f["new_password"] == "" {
			t.Fatalf("fields: %v", f)
		}
		if r := e.call("PUT", "/api/v1/me/password", "operator", map[string]string{"old_password": testPassword, "new_password": "kata-sandi-baru-sekali"}); r.Status != 204 {
			t.Fatalf("change: %d %s", r.Status, r.Body)
		}
		e.mustOK(e.call("GET", "/api/v1/me", "operator", nil))
		e.expect(e.call("GET", "/api/v1/me", "second", nil), 401, "unauthenticated")
		e.expect(e.call("POST", "/api/v1/auth/login", asAnonymous, map[string]string{"email": "operator@test.pantau.id", "password": testPassword}), 401, "unauthenticated")
		e.mustOK(e.call("POST", "/api/v1/auth/login", asAnonymous, map[string]string{"email": "operator@test.pantau.id", "password": "kata-sandi-baru-sekali"}))
	})
}

func TestSecurityHeadersAndLockout(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		for _, path := range []string{"/healthz", "/api/v1/me", "/api/v1/nope"} {
			r := e.call("GET", path, "reviewer", nil)
			if !strings.Contains(r.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") || r.Header.Get("X-Content-Type-Options") != "nosniff" ||
				r.Header.Get("Referrer-Policy") == "" || r.Header.Get("Strict-Transport-Security") != "" {
				t.Fatalf("%s headers: %v", path, r.Header)
			}
		}
		for i := 0; i < 5; i++ {
			e.call("POST", "/api/v1/auth/login", asAnonymous, map[string]string{"email": "signatory@test.pantau.id", "password": "tebakan-salah"})
		}
		var page struct {
			Events []struct {
				Action string
			}
		}
		e.mustOK(e.call("GET", "/api/v1/audit?entity=user&entity_key=signatory@test.pantau.id", "admin", nil)).decode(t, &page)
		if len(page.Events) != 2 || page.Events[1].Action != "locked" {
			t.Fatalf("lock-out not audited: %+v", page.Events)
		}
	})
}

func TestSummaryCachingHeaders(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		first := e.call("GET", "/api/v1/periods/2019/summary", "reviewer", nil)
		etag := first.Header.Get("ETag")
		if etag == "" {
			t.Fatal("no ETag")
		}
		req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/periods/2019/summary", nil)
		req.Header.Set("Authorization", "Bearer "+e.tokens["reviewer"])
		req.Header.Set("If-None-Match", etag)
		if r := e.do(req); r.Status != 304 || len(r.Body) != 0 {
			t.Fatalf("revalidation: %d", r.Status)
		}
		// Go's client asks for gzip and decompresses transparently; the body must be the same JSON.
		req, _ = http.NewRequest("GET", e.srv.URL+"/api/v1/periods/2019/summary", nil)
		req.Header.Set("Authorization", "Bearer "+e.tokens["reviewer"])
		req.Header.Set("Accept-Encoding", "gzip")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.Header.Get("Content-Encoding") != "gzip" {
			t.Fatalf("no gzip: %v", res.Header)
		}
		// A write changes the summary and its ETag.
		e.mustOK(e.call("PATCH", "/api/v1/periods/2019/regions/62.08/items/I1", "operator", map[string]any{"progress": 10}))
		if next := e.call("GET", "/api/v1/periods/2019/summary", "reviewer", nil); next.Header.Get("ETag") == etag || string(next.Body) == string(first.Body) {
			t.Fatal("summary did not change after a claim")
		}
	})
}

// TestLogoutReachesOtherInstances runs two servers on one database: a logout through one ends
// the session on the other within the session cache's lifetime.
func TestLogoutReachesOtherInstances(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		_, h, err := New(e.db, &models.BlobStore{Dir: t.TempDir(), MaxSize: 1 << 20}, slog.New(slog.NewTextHandler(testLogOutput(), nil)),
			models.DefaultLoginPolicy, Options{SessionCacheTTL: 300 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		other := newTestServer(t, h)
		token := e.login("reviewer@test.pantau.id")
		ask := func() int {
			req, _ := http.NewRequest("GET", other.URL+"/api/v1/me", nil)
			req.Header.Set("Authorization", "Bearer "+token)
			return e.do(req).Status
		}
		if got := ask(); got != 200 {
			t.Fatalf("other instance: %d", got)
		}
		e.tokens["ending"] = token
		if r := e.call("POST", "/api/v1/auth/logout", "ending", nil); r.Status != 204 {
			t.Fatalf("logout: %d", r.Status)
		}
		time.Sleep(400 * time.Millisecond)
		if got := ask(); got != 401 {
			t.Fatalf("other instance after its cache lifetime: %d, want 401", got)
		}
	})
}

func TestUserManagement(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		op := e.users["operator"]
		path := "/api/v1/users/" + itoa(op.ID)
		var u struct {
			Role       string
			RegionCode *string `json:"region_code"`
			Active     bool
			Version    int64
		}
		e.expect(e.call("PATCH", path, "coordinator", map[string]any{"active": false}), 403, "forbidden")
		e.expect(e.call("PATCH", path, "admin", map[string]any{"region_code": ""}), 422, "validation_failed")
		e.expect(e.call("PATCH", path, "admin", map[string]any{"region_code": "99.99"}), 422, "validation_failed")
		e.expect(e.call("PATCH", path, "admin", map[string]any{"role": "raja"}), 422, "validation_failed")
		e.expect(e.call("PATCH", path, "admin", map[string]any{"name": "x", "version": 9}), 409, "conflict")
		e.expect(e.call("PATCH", "/api/v1/users/999999", "admin", map[string]any{"name": "x"}), 404, "not_found")
		self := "/api/v1/users/" + itoa(e.users["admin"].ID)
		e.expect(e.call("PATCH", self, "admin", map[string]any{"active": false}), 422, "validation_failed")
		e.expect(e.call("PATCH", self, "admin", map[string]any{"role": "reviewer"}), 422, "validation_failed")

		// Moving the operator to another Pemda ends their sessions and their scope follows.
		e.mustOK(e.call("PATCH", path, "admin", map[string]any{"region_code": "62.71", "version": 1})).decode(t, &u)
		if u.RegionCode == nil || *u.RegionCode != "62.71" || u.Version != 2 || !u.Active {
			t.Fatalf("moved: %+v", u)
		}
		e.expect(e.call("GET", "/api/v1/me", "operator", nil), 401, "unauthenticated")
		e.tokens["operator"] = e.login("operator@test.pantau.id")
		e.expect(e.call("PATCH", "/api/v1/periods/2019/regions/62.08/items/I1", "operator", map[string]any{"progress": 5}), 403, "forbidden")
		e.mustOK(e.call("PATCH", "/api/v1/periods/2019/regions/62.71/items/I1", "operator", map[string]any{"progress": 5}))

		// A deactivated account cannot sign in (told like a wrong password, so that the answer
		// confirms nothing) and its sessions end at once.
		e.mustOK(e.call("PATCH", path, "admin", map[string]any{"active": false})).decode(t, &u)
		if u.Active {
			t.Fatalf("still active: %+v", u)
		}
		e.expect(e.call("GET", "/api/v1/me", "operator", nil), 401, "unauthenticated")
		r := e.call("POST", "/api/v1/auth/login", asAnonymous, map[string]string{"email": "operator@test.pantau.id", "password": testPassword})
		e.expect(r, 401, "unauthenticated")
		if !strings.Contains(string(r.Body), "kata sandi salah") {
			t.Fatalf("login of a deactivated account: %s", r.Body)
		}
		e.mustOK(e.call("PATCH", path, "admin", map[string]any{"active": true}))
		e.login("operator@test.pantau.id")
	})
}

// TestNullBodyIsMalformed: a JSON null is not the object a write takes. It used to decode as
// an empty request, so PATCH /periods/2019 with null answered 200.
func TestNullBodyIsMalformed(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		before := e.counts()
		for _, tg := range fuzzTargets {
			e.expect(e.call(tg.method, tg.path, tg.role, " null "), 400, "bad_request")
		}
		if after := e.counts(); fmt.Sprint(after) != fmt.Sprint(before) {
			t.Fatalf("a null body changed something: %v → %v", before, after)
		}
	})
}
