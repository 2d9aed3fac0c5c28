package api

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pantau-id/pantau/models"
)

// raw sends a request with exactly the given headers.
func (e *env) raw(method, path, body string, header map[string]string, cookies ...*http.Cookie) *response {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	for _, c := range cookies {
		req.AddCookie(c)
	}
	return e.do(req)
}

// TestJSONBodiesNeedJSONContentType: a cross-site form can send text/plain, form-encoded or
// multipart bodies without a preflight, so JSON endpoints take only application/json (415
// otherwise, changing nothing).
func TestJSONBodiesNeedJSONContentType(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		login := loginBody("reviewer@test.pantau.id", testPassword)
		for _, ctype := range []string{"", "text/plain", "text/plain; charset=utf-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx"} {
			h := map[string]string{}
			if ctype != "" {
				h["Content-Type"] = ctype
			}
			e.expect(e.raw("POST", "/api/v1/auth/login", login, h), 415, "unsupported_media_type")
			before := e.counts()
			h["Authorization"] = "Bearer " + e.tokens[models.RoleCoordinator]
			e.expect(e.raw("POST", "/api/v1/regions", `{"code":"62.99","name":"Kabupaten Uji","kind":"regency"}`, h), 415, "unsupported_media_type")
			if after := e.counts(); after["regions"] != before["regions"] {
				t.Fatalf("a refused %q body created a region", ctype)
			}
		}
		for _, ctype := range []string{"application/json", "application/json; charset=utf-8", "Application/JSON;charset=UTF-8"} {
			e.mustOK(e.raw("POST", "/api/v1/auth/login", login, map[string]string{"Content-Type": ctype}))
		}
	})
}

// TestCrossSiteSignInAndCookieWritesRefused: a browser tells where a request comes from
// (Origin, Sec-Fetch-Site); signing in and cookie-authenticated writes are refused from
// another site, while scripts that send neither header (and bearer tokens) keep working.
func TestCrossSiteSignInAndCookieWritesRefused(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		login := loginBody("reviewer@test.pantau.id", testPassword)
		json := map[string]string{"Content-Type": "application/json"}
		with := func(extra map[string]string) map[string]string {
			h := map[string]string{"Content-Type": "application/json"}
			for k, v := range extra {
				h[k] = v
			}
			return h
		}
		for _, h := range []map[string]string{
			{"Origin": "https://penyerang.example"},
			{"Origin": "null"},
			{"Sec-Fetch-Site": "cross-site"},
			{"Sec-Fetch-Site": "same-site"},
			{"Origin": e.srv.URL, "Sec-Fetch-Site": "cross-site"},
		} {
			e.expect(e.raw("POST", "/api/v1/auth/login", login, with(h)), 403, "forbidden")
		}
		e.mustOK(e.raw("POST", "/api/v1/auth/login", login, json))
		e.mustOK(e.raw("POST", "/api/v1/auth/login", login, with(map[string]string{"Origin": e.srv.URL, "Sec-Fetch-Site": "same-origin"})))
		ok := e.mustOK(e.raw("POST", "/api/v1/auth/login", login, with(map[string]string{"Sec-Fetch-Site": "same-origin"})))
		var session struct {
			CSRFToken string `json:"csrf_token"`
		}
		ok.decode(t, &session)
		var cookie *http.Cookie
		for _, c := range (&http.Response{Header: ok.Header}).Cookies() {
			if c.Name == SessionCookie {
				cookie = c
			}
		}
		if cookie == nil {
			t.Fatal("no session cookie")
		}
		// A cookie write with the right CSRF token is still refused from another origin.
		region := func(code string) string {
			return `{"code":"` + code + `","name":"Kabupaten Uji","kind":"regency"}`
		}
		csrf := with(map[string]string{CSRFHeader: session.CSRFToken, "Origin": "https://penyerang.example"})
		e.expect(e.raw("POST", "/api/v1/auth/logout", "", csrf, cookie), 403, "forbidden")
		csrf = with(map[string]string{CSRFHeader: session.CSRFToken, "Sec-Fetch-Site": "cross-site"})
		e.expect(e.raw("POST", "/api/v1/auth/logout", "", csrf, cookie), 403, "forbidden")
		// Reading with the cookie from anywhere is a matter for CORS, not refused here.
		e.mustOK(e.raw("GET", "/api/v1/me", "", map[string]string{"Sec-Fetch-Site": "cross-site"}, cookie))
		// Same origin with the token passes; a bearer token is not a browser's ambient
		// credential, so a script's Origin does not matter.
		e.expect(e.raw("POST", "/api/v1/regions", region("62.98"), with(map[string]string{"Authorization": "Bearer " + e.tokens[models.RoleCoordinator], "Origin": "https://skrip.example"})), 201, "")
		csrf = with(map[string]string{CSRFHeader: session.CSRFToken, "Origin": e.srv.URL, "Sec-Fetch-Site": "same-origin"})
		if r := e.raw("POST", "/api/v1/auth/logout", "", csrf, cookie); r.Status != 204 {
			t.Fatalf("same-origin cookie logout: %d %s", r.Status, r.Body)
		}
	})
}
