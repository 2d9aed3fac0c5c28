package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/modelstest"
)

const testPassword = "rahasia-yang-panjang"

// env is a real Pantau HTTP server on a fresh database, with a signed-in user per role, a
// province, a regency and a city, and a 2019 period with two indicators in one area.
type env struct {
	t      testing.TB
	db     *models.DB
	server *Server
	engine *gin.Engine
	srv    *httptest.Server
	tokens map[models.Role]string
	users  map[models.Role]*models.User
}

// Role names used by tests; "operator" is the operator of 62.08, "operator_city" of 62.71.
const (
	asAnonymous models.Role = ""
	asOperator2 models.Role = "operator_city"
)

var testRoles = []models.Role{models.RoleAdmin, models.RoleCoordinator, models.RoleOperator, asOperator2, models.RoleReviewer, models.RoleSignatory}

// newAPI starts a server on db with no fixtures.
func newAPI(t testing.TB, db *models.DB, blobs *models.BlobStore) *env {
	t.Helper()
	return newAPIWith(t, db, blobs, Options{})
}

// newAPIWith starts a server on db with options and no fixtures.
func newAPIWith(t testing.TB, db *models.DB, blobs *models.BlobStore, opts Options) *env {
	t.Helper()
	if twoInstances(db) && blobs != nil && blobs.Remote == nil {
		blobs.Remote = twinBucket(t) // two instances share a bucket, as on two machines
	}
	s, h, err := New(db, blobs, slog.New(slog.NewTextHandler(testLogOutput(), nil)), models.DefaultLoginPolicy, opts)
	if err != nil {
		t.Fatal(err)
	}
	served := h
	if twoInstances(db) {
		served = newTwins(t, s, h, blobs, opts)
	}
	return &env{t: t, db: db, server: s, engine: h.(*gin.Engine), srv: newTestServer(t, served), tokens: map[models.Role]string{}, users: map[models.Role]*models.User{}}
}

// on returns the same users, signed in, calling another server on the same database.
func (e *env) on(srv *httptest.Server) *env {
	other := *e
	other.srv = srv
	return &other
}

func newEnv(t testing.TB, db *models.DB) *env {
	t.Helper()
	return newEnvWith(t, db, Options{})
}

// newEnvWith is newEnv with server options.
func newEnvWith(t testing.TB, db *models.DB, opts Options) *env {
	t.Helper()
	return newEnvOn(t, db, &models.BlobStore{Dir: t.TempDir(), MaxSize: 256 << 10}, opts)
}

// newEnvOn is newEnvWith with the given file store.
func newEnvOn(t testing.TB, db *models.DB, blobs *models.BlobStore, opts Options) *env {
	t.Helper()
	e := newAPIWith(t, db, blobs, opts)
	ctx := context.Background()
	for _, r := range []models.RegionInput{
		{Code: "62", Name: "Provinsi Kalimantan Tengah", Kind: models.KindProvince},
		{Code: "62.08", Name: "Kabupaten Seruyan", Kind: models.KindRegency},
		{Code: "62.71", Name: "Kota Palangka Raya", Kind: models.KindCity},
	} {
		if _, err := db.CreateRegion(ctx, r, false); err != nil {
			t.Fatal(err)
		}
	}
	for _, role := range testRoles {
		in := models.UserInput{Email: string(role) + "@test.pantau.id", Name: "User " + string(role), Role: role, Password: testPassword}
		switch role {
		case models.RoleOperator:
			code := "62.08"
			in.RegionCode = &code
		case asOperator2:
			code := "62.71"
			in.Role, in.RegionCode = models.RoleOperator, &code
		}
		u, err := db.CreateUser(ctx, in, false)
		if err != nil {
			t.Fatal(err)
		}
		e.users[role] = u
		e.tokens[role] = e.login(in.Email)
	}
	e.mustOK(e.call("POST", "/api/v1/periods", models.RoleCoordinator, map[string]any{"year": 2019, "name": "Rencana Aksi 2019"}))
	e.mustOK(e.call("POST", "/api/v1/periods/2019/areas", models.RoleCoordinator, map[string]any{"code": "PTSP", "name": "Pelayanan Terpadu Satu Pintu"}))
	e.mustOK(e.call("POST", "/api/v1/periods/2019/indicators", models.RoleCoordinator, map[string]any{"code": "I1", "area": "PTSP", "title": "Perkada pendelegasian", "weight": 1}))
	e.mustOK(e.call("POST", "/api/v1/periods/2019/indicators", models.RoleCoordinator, map[string]any{"code": "I2", "area": "PTSP", "title": "Perizinan daring", "weight": 3}))
	return e
}

// forEachEnv runs fn on both databases.
func forEachEnv(t *testing.T, fn func(t *testing.T, e *env)) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.DB) { fn(t, newEnv(t, db)) })
}

func (e *env) login(email string) string {
	e.t.Helper()
	pw := testPassword
	if strings.HasSuffix(email, "@demo.pantau.id") {
		pw = "kata-sandi-demo"
	}
	r := e.call("POST", "/api/v1/auth/login", asAnonymous, map[string]string{"email": email, "password": pw})
	if r.Status != http.StatusOK {
		e.t.Fatalf("login %s: %d %s", email, r.Status, r.Body)
	}
	var out struct{ Token string }
	r.decode(e.t, &out)
	return out.Token
}

// response is what the server answered.
type response struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r *response) decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %q: %v", r.Body, err)
	}
}

// errorCode returns the contract error body's code, failing the test if the body is not one.
func (r *response) errorCode(t testing.TB) string {
	t.Helper()
	var body struct {
		Error struct {
			Code    string            `json:"code"`
			Message string            `json:"message"`
			Fields  map[string]string `json:"fields"`
		} `json:"error"`
	}
	r.decode(t, &body)
	if body.Error.Code == "" || body.Error.Message == "" {
		t.Fatalf("not an error body: %s", r.Body)
	}
	return body.Error.Code
}

// fields returns the error body's field messages.
func (r *response) fields(t testing.TB) map[string]string {
	t.Helper()
	var body struct {
		Error struct {
			Fields map[string]string `json:"fields"`
		} `json:"error"`
	}
	r.decode(t, &body)
	return body.Error.Fields
}

// call sends a request as a role (bearer token); body is JSON-encoded unless it is a string
// (sent raw) or nil.
func (e *env) call(method, path string, role models.Role, body any) *response {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(buf)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if role != asAnonymous {
		req.Header.Set("Authorization", "Bearer "+e.tokens[role])
	}
	return e.do(req)
}

// do sends req and reports, as failures of the test, what the contract check found wrong
// with the exchange (see newTestServer).
func (e *env) do(req *http.Request) *response {
	e.t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, p := range contractProblems(req.URL.Host) {
		e.t.Errorf("contract: %s", p)
	}
	return &response{Status: res.StatusCode, Header: res.Header, Body: b}
}

// upload posts a file as the multipart field "file".
func (e *env) upload(path string, role models.Role, filename string, content []byte) *response {
	e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile("file", filename)
	if err != nil {
		e.t.Fatal(err)
	}
	fw.Write(content)
	mw.Close()
	req, err := http.NewRequest("POST", e.srv.URL+path, &buf)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if role != asAnonymous {
		req.Header.Set("Authorization", "Bearer "+e.tokens[role])
	}
	return e.do(req)
}

func (e *env) mustOK(r *response) *response {
	e.t.Helper()
	if r.Status < 200 || r.Status > 299 {
		e.t.Fatalf("want 2xx, got %d: %s", r.Status, r.Body)
	}
	return r
}

func (e *env) expect(r *response, status int, code string) {
	e.t.Helper()
	if r.Status != status {
		e.t.Fatalf("want %d %s, got %d: %s", status, code, r.Status, r.Body)
	}
	if code != "" {
		if got := r.errorCode(e.t); got != code {
			e.t.Fatalf("want code %s, got %s", code, got)
		}
	}
}

// counts returns the row count of every domain table, to show that a failed request changed nothing.
func (e *env) counts() map[string]int64 {
	e.t.Helper()
	out := map[string]int64{}
	raw := modelstest.Raw(e.t, e.db)
	for _, table := range []string{"regions", "users", "periods", "zone_bands", "areas", "indicators", "items", "claims", "reviews", "evidence", "delegations"} {
		var n int64
		if err := raw.Table(table).Count(&n).Error; err != nil {
			e.t.Fatal(err)
		}
		out[table] = n
	}
	var rev, standings int64
	raw.Raw("SELECT COALESCE(SUM(revision), 0) FROM periods").Scan(&rev)
	raw.Raw("SELECT COALESCE(SUM(revision), 0) FROM standings").Scan(&standings)
	out["revisions"], out["standings"] = rev, standings
	return out
}

// samplePDF is a small but valid PDF.
func samplePDF(t testing.TB, text string) []byte {
	t.Helper()
	return []byte("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
		"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n% " + text + "\ntrailer<</Root 1 0 R>>\n%%EOF\n")
}

// testLogOutput is where test servers log: nowhere, unless PANTAU_TEST_LOG=1.
func testLogOutput() io.Writer {
	if os.Getenv("PANTAU_TEST_LOG") == "1" {
		return os.Stderr
	}
	return io.Discard
}
