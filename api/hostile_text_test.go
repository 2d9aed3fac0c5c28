package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/modelstest"
	"github.com/pantau-id/pantau/reports/pdfsign/pdfsigntest"
)

// hostileKinds are the texts no input may carry: a NUL character, bytes that are not UTF-8,
// and text one character longer than the field allows.
var hostileKinds = []string{"nul", "invalid_utf8", "over_long"}

// unboundedLength stands for "longer than any field" where the API document declares no limit.
const unboundedLength = 20000

// hostileText returns the raw text of a kind; limit is the field's maxLength (0: none declared).
// Over-long text is made of "é", two bytes each, so a limit counted in bytes would show.
func hostileText(kind string, limit int) string {
	switch kind {
	case "nul":
		return "a\x00b"
	case "invalid_utf8":
		return "a\xff\xfeb"
	}
	if limit == 0 {
		limit = unboundedLength
	}
	return strings.Repeat("é", limit+1)
}

// jsonStringLiteral writes s as a JSON string without repairing it: invalid bytes stay as they
// are (json.Marshal would turn them into U+FFFD), a NUL becomes \u0000 as clients send it.
func jsonStringLiteral(s string) []byte {
	if utf8.ValidString(s) {
		b, _ := json.Marshal(s)
		return b
	}
	return []byte(`"` + s + `"`)
}

// hostilePassphrase is the signatory's signing passphrase in the hostile-text environment.
const hostilePassphrase = "frasa-sandi-ttd"

// hostileBases are valid requests, one for every JSON write the API document describes. Each
// hostile case changes one string field of its base; the bases themselves must succeed (checked
// last, with every length-bounded free-text field at its exact limit), so that a refusal is the
// hostile field's doing and the limits count characters.
var hostileBases = map[string]struct {
	role models.Role
	body map[string]any
}{
	"POST /api/v1/auth/login":                   {asAnonymous, map[string]any{"email": "admin@test.pantau.id", "password": testPassword}},
	"POST /api/v1/users":                        {models.RoleAdmin, map[string]any{"email": "baru@test.pantau.id", "name": "Pengguna Baru", "role": "operator", "password": testPassword, "region_code": "62.08"}},
	"PATCH /api/v1/users/{id}":                  {models.RoleAdmin, map[string]any{"name": "Admin Provinsi", "region_code": ""}},
	"PUT /api/v1/me/password":                   {asOperator2, map[string]any{"old_password": testPassword, "new_password": "kata-sandi-yang-baru"}},
	"POST /api/v1/regions":                      {models.RoleCoordinator, map[string]any{"code": "62.03", "name": "Kabupaten Kapuas", "kind": "regency"}},
	"POST /api/v1/periods":                      {models.RoleCoordinator, map[string]any{"year": 2020, "name": "Rencana Aksi 2020"}},
	"PATCH /api/v1/periods/{year}":              {models.RoleCoordinator, map[string]any{"name": "Rencana Aksi 2019 (revisi)"}},
	"POST /api/v1/periods/{year}/areas":         {models.RoleCoordinator, map[string]any{"code": "PBJ", "name": "Pengadaan Barang dan Jasa"}},
	"PATCH /api/v1/periods/{year}/areas/{area}": {models.RoleCoordinator, map[string]any{"name": "PTSP"}},
	"POST /api/v1/periods/{year}/indicators": {models.RoleCoordinator, map[string]any{"code": "I3", "area": "PTSP", "title": "Standar pelayanan",
		"requirement": "SK standar pelayanan ditetapkan", "applies_to": []any{"regency", "city"}}},
	"PATCH /api/v1/periods/{year}/indicators/{indicator}": {models.RoleCoordinator, map[string]any{"title": "Perkada pendelegasian kewenangan", "area": "PTSP",
		"requirement": "Perkada ditetapkan", "applies_to": []any{"province", "regency", "city"}}},
	"PUT /api/v1/periods/{year}/zones/{metric}": {models.RoleAdmin, map[string]any{"bands": []any{
		map[string]any{"key": "semua", "min": 0, "min_inclusive": true, "max": 100, "max_inclusive": true}}}},
	"PATCH /api/v1/periods/{year}/regions/{code}/items/{indicator}":        {models.RoleOperator, map[string]any{"progress": 60, "note": "SK sudah terbit"}},
	"POST /api/v1/periods/{year}/regions/{code}/items/{indicator}/reviews": {models.RoleReviewer, map[string]any{"decision": "reject", "comment": "Lampiran belum lengkap"}},
	"PUT /api/v1/periods/{year}/regions/{code}/delegation":                 {models.RoleOperator, map[string]any{"total": 120, "delegated": 90, "legal_basis": "Peraturan Bupati Seruyan Nomor 1 Tahun 2019"}},
	"PUT /api/v1/periods/{year}/regions/{code}/delegation/permits": {models.RoleOperator, map[string]any{"legal_basis": "Peraturan Bupati Seruyan Nomor 16 Tahun 2017",
		"permits": []any{map[string]any{"name": "Izin Mendirikan Bangunan", "delegated": true, "regulation": "Lampiran I angka 12"}}}},
	"PUT /api/v1/evidence/{id}/review":                                            {models.RoleReviewer, map[string]any{"status": "rejected", "reason": "Belum ditandatangani"}},
	"PUT /api/v1/letterhead":                                                      {models.RoleAdmin, map[string]any{"government": "Pemerintah Provinsi Kalimantan Tengah", "institution": "DPMPTSP", "address": "Jl. Tjilik Riwut"}},
	"POST /api/v1/commitments":                                                    {models.RoleCoordinator, map[string]any{"region_code": "62.71", "year": 2019}},
	"PUT /api/v1/commitments/{id}/signatories/{slot}":                             {models.RoleCoordinator, map[string]any{"user_email": "signatory@test.pantau.id", "name": "H. Yulhaidir", "title": "Bupati Seruyan"}},
	"POST /api/v1/commitments/{id}/signatories/{slot}/sign":                       {models.RoleSignatory, map[string]any{"mode": "initial", "passphrase": hostilePassphrase}},
	"POST /api/v1/periods/{year}/regions/{code}/items/{indicator}/comments":       {models.RoleOperator, map[string]any{"body": "SK sudah kami unggah, @reviewer@test.pantau.id"}},
	"PATCH /api/v1/periods/{year}/regions/{code}/items/{indicator}/comments/{id}": {models.RoleReviewer, map[string]any{"body": "Mohon lampirkan SK yang ditandatangani", "version": 1}},
	"POST /api/v1/periods/{year}/regions/{code}/remediation":                      {models.RoleOperator, map[string]any{"what": "Menetapkan Perbup pendelegasian", "owner": "Kepala DPMPTSP", "due": "2019-10-31"}},
	"PATCH /api/v1/periods/{year}/regions/{code}/remediation/{id}":                {models.RoleCoordinator, map[string]any{"what": "Menetapkan Perbup pendelegasian yang baru", "status": "in_progress"}},
	"POST /api/v1/me/notifications/read":                                          {models.RoleOperator, map[string]any{"ids": []any{1}}},
	"PUT /api/v1/me/preferences":                                                  {models.RoleOperator, map[string]any{"language": "en", "email": map[string]any{"comments": false}}},
	"PUT /api/v1/commitment-template": {models.RoleAdmin, map[string]any{"title": "Komitmen {region}", "preamble": "Kami berkomitmen:", "commitments": "Satu.\nDua.",
		"closing": "Demikian.", "place": "Palangka Raya"}},
	"PUT /api/v1/me/signing-key":                                                {models.RoleSignatory, map[string]any{"passphrase": "frasa-sandi-baru", "old_passphrase": hostilePassphrase}},
	"POST /api/v1/periods/{year}/catalogue/copy":                                {models.RoleCoordinator, map[string]any{"from": 2019}},
	"POST /api/v1/periods/{year}/reopen":                                        {models.RoleAdmin, map[string]any{"reason": "Koreksi data Kota Palangka Raya"}},
	"PUT /api/v1/periods/{year}/regions/{code}/extension":                       {models.RoleCoordinator, map[string]any{"until": "2020-01-31", "reason": "Banjir"}},
	"PUT /api/v1/periods/{year}/regions/{code}/items/{indicator}/applicability": {models.RoleCoordinator, map[string]any{"applicable": false, "reason": "Kewenangan provinsi"}},
	"POST /api/v1/commitments/{id}/void":                                        {models.RoleCoordinator, map[string]any{"reason": "Nomor dokumen salah"}},
	"POST /api/v1/me/sign-batch": {models.RoleSignatory, map[string]any{"items": []any{map[string]any{"commitment_id": 2, "slot": "governor"}}, "mode": "sign",
		"passphrase": hostilePassphrase}},
	"POST /api/v1/users/{id}/signing-key/revoke": {models.RoleAdmin, map[string]any{"reason": "superseded"}},
}

// hostilePaths are the paths of base requests that would not succeed where fillSpec points:
// hostileEnv prepares an empty year to copy into and a closed one to reopen, and an item's
// applicability is set on another item than the one other bases claim.
var hostilePaths = map[string]string{
	"POST /api/v1/periods/{year}/catalogue/copy":                                "/api/v1/periods/2021/catalogue/copy",
	"POST /api/v1/periods/{year}/reopen":                                        "/api/v1/periods/2017/reopen",
	"PUT /api/v1/periods/{year}/regions/{code}/items/{indicator}/applicability": "/api/v1/periods/2019/regions/62.71/items/I2/applicability",
}

// hostileForm is a valid multipart request: its text fields, and the file it carries.
type hostileForm struct {
	role     models.Role
	fields   map[string]string
	filename string
	file     func(t *testing.T, e *env) []byte
}

// hostileForms are valid multipart requests for every multipart write the document describes.
var hostileForms = map[string]hostileForm{
	"POST /api/v1/periods/{year}/regions/{code}/items/{indicator}/evidence": {models.RoleCoordinator, map[string]string{"effective_date": "2019-03-01"}, "sk.pdf",
		func(t *testing.T, e *env) []byte { return samplePDF(t, "bukti") }},
	"POST /api/v1/users/{id}/signing-key": {models.RoleAdmin, map[string]string{"password": "sandi-berkas", "passphrase": "frasa-impor-ttd"}, "kunci.p12",
		func(t *testing.T, e *env) []byte {
			key, chain := pdfsigntest.NewCA(t).Issue(t, "Gubernur Kalimantan Tengah", false)
			return pdfsigntest.PKCS12(t, key, chain, "sandi-berkas")
		}},
	"POST /api/v1/verify": {asAnonymous, nil, "dokumen.pdf", func(t *testing.T, e *env) []byte { return samplePDF(t, "periksa") }},
	"POST /api/v1/periods/{year}/import/catalogue": {models.RoleAdmin, nil, "katalog.csv",
		func(t *testing.T, e *env) []byte {
			return []byte("area_code,area_name,indicator_code,title\nPTSP,,I1,\n")
		}},
	"POST /api/v1/periods/{year}/import/claims": {models.RoleAdmin, nil, "klaim.csv",
		func(t *testing.T, e *env) []byte { return []byte("region_code,indicator_code,progress\n62.08,I1,50\n") }},
	"POST /api/v1/periods/{year}/regions/{code}/delegation/documents": {models.RoleCoordinator, map[string]string{"kind": "regulation"}, "perbup.pdf",
		func(t *testing.T, e *env) []byte { return samplePDF(t, "peraturan bupati") }},
	"PUT /api/v1/commitments/{id}/signatories/{slot}/delegation": {models.RoleCoordinator, map[string]string{"kind": "an", "reference": "800/12/2019"}, "sp.pdf",
		func(t *testing.T, e *env) []byte { return samplePDF(t, "surat perintah") }},
}

// hostileEnv is newEnv with a signing service, a signatory with a signing key, a commitment
// for 62.08 (id 1) whose regent slot is theirs and whose DPRD chair slot they hold as a deputy,
// Palangka Raya's 2020 commitment (id 2, theirs to sign as governor, in a batch), Seruyan's
// 2020 commitment (id 3, to void), a second signatory with a key (to revoke), a document on
// item I1 (evidence 1, uploaded by the coordinator), the operator's claim on it and the reviewer's
// comment on it (comment 1, which notified the operator: notification 1).
func hostileEnv(t *testing.T, db *models.DB) *env {
	e := newEnv(t, db)
	cmSigning(t, e)
	e.mustOK(e.call("PUT", "/api/v1/me/signing-key", models.RoleSignatory, map[string]string{"passphrase": hostilePassphrase}))
	cmSignatory(t, e, "revoked", "Penanda Tangan Lain")
	e.mustOK(e.call("PUT", "/api/v1/me/signing-key", "revoked", map[string]string{"passphrase": hostilePassphrase}))
	for _, c := range []map[string]any{{"region_code": "62.08", "year": 2019}, {"region_code": "62.71", "year": 2020}, {"region_code": "62.08", "year": 2020}} {
		e.mustOK(e.call("POST", "/api/v1/commitments", models.RoleCoordinator, c))
	}
	for _, a := range []struct{ path, title string }{{"/1/signatories/regent", "Bupati Seruyan"}, {"/1/signatories/dprd_chair", "Wakil Ketua DPRD Kabupaten Seruyan"},
		{"/2/signatories/governor", ""}} {
		e.mustOK(e.call("PUT", "/api/v1/commitments"+a.path, models.RoleCoordinator,
			map[string]string{"user_email": "signatory@test.pantau.id", "name": "H. Yulhaidir", "title": a.title}))
	}
	e.mustOK(e.upload("/api/v1/periods/2019/regions/62.08/items/I1/evidence", models.RoleCoordinator, "sk.pdf", samplePDF(t, "bukti")))
	e.mustOK(e.call("PATCH", "/api/v1/periods/2019/regions/62.08/items/I1", models.RoleOperator, map[string]any{"progress": 50}))
	// Comment 1, the reviewer's, which notifies the operator (notification 1).
	e.mustOK(e.call("POST", "/api/v1/periods/2019/regions/62.08/items/I1/comments", models.RoleReviewer, map[string]any{"body": "Mohon lampirkan SK"}))
	// Remediation action 1 of Seruyan's 2019 plan.
	e.mustOK(e.call("POST", "/api/v1/periods/2019/regions/62.08/remediation", models.RoleCoordinator, map[string]any{"what": "Menyusun SOP", "owner": "Sekretaris DPMPTSP", "due": "2019-09-30"}))
	// An empty year to copy a catalogue into, and a closed one to reopen.
	e.mustOK(e.call("POST", "/api/v1/periods", models.RoleCoordinator, map[string]any{"year": 2021, "name": "Rencana Aksi 2021"}))
	e.mustOK(e.call("POST", "/api/v1/periods", models.RoleCoordinator, map[string]any{"year": 2017, "name": "Rencana Aksi 2017"}))
	e.mustOK(e.call("POST", "/api/v1/periods/2017/close", models.RoleCoordinator, nil))
	return e
}

// fillSpec puts the hostile environment's values into an API document path.
func fillSpec(e *env, path string) string {
	path = strings.NewReplacer("/users/{id}/signing-key/revoke", fmt.Sprintf("/users/%d/signing-key/revoke", e.users["revoked"].ID),
		"/signatories/{slot}/delegation", "/signatories/dprd_chair/delegation", "/commitments/{id}/void", "/commitments/3/void").Replace(path)
	path = strings.ReplaceAll(path, "/users/{id}/signing-key", fmt.Sprintf("/users/%d/signing-key", e.users[models.RoleSignatory].ID))
	return strings.NewReplacer("{year}", "2019", "{code}", "62.08", "{indicator}", "I1", "{area}", "PTSP", "{metric}", "action_plan",
		"{id}", "1", "{slot}", "regent", "{file}", "audit.csv").Replace(path)
}

// specField is a string a request carries: its place in the body (JSON keys; "[]" steps into
// an array's first element) and what the document says of it.
type specField struct {
	path    []string
	limit   int  // maxLength; 0 when none is declared
	free    bool // free text: no format, pattern or enum constrains it
	display string
}

// specRoute is one operation of the API document with what it takes.
type specRoute struct {
	key         string // "METHOD /path/{param}"
	method      string
	path        string
	contentType string
	fields      []specField // body strings (JSON) or form fields (multipart, every non-file field)
	query       []string
}

// apiSpec walks api/openapi.json.
type apiSpec struct{ doc map[string]any }

func loadSpec(t *testing.T) apiSpec {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(openAPIDocument, &doc); err != nil {
		t.Fatal(err)
	}
	return apiSpec{doc}
}

// resolve follows $ref until it reaches the node itself.
func (s apiSpec) resolve(node map[string]any) map[string]any {
	for {
		ref, ok := node["$ref"].(string)
		if !ok {
			return node
		}
		var cur any = s.doc
		for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
			cur = cur.(map[string]any)[part]
		}
		node = cur.(map[string]any)
	}
}

// strings lists every string a schema holds, with its path.
func (s apiSpec) strings(schema map[string]any, path []string, multipart bool, out *[]specField) {
	schema = s.resolve(schema)
	for _, sub := range asList(schema["allOf"]) {
		s.strings(sub.(map[string]any), path, multipart, out)
	}
	switch schema["type"] {
	case "string":
		if schema["format"] != "binary" {
			limit, _ := schema["maxLength"].(float64)
			_, hasEnum := schema["enum"]
			_, hasPattern := schema["pattern"]
			_, hasFormat := schema["format"]
			*out = append(*out, specField{path: path, limit: int(limit), free: !hasEnum && !hasPattern && !hasFormat, display: strings.Join(path, ".")})
		}
	case "array":
		s.strings(schema["items"].(map[string]any), append(append([]string(nil), path...), "[]"), multipart, out)
	case "integer", "number", "boolean":
		if multipart && len(path) == 1 {
			*out = append(*out, specField{path: path, display: path[0]}) // a form field is text on the wire
		}
	}
	props, _ := schema["properties"].(map[string]any)
	for _, name := range slices.Sorted(maps.Keys(props)) {
		s.strings(props[name].(map[string]any), append(append([]string(nil), path...), name), multipart, out)
	}
}

// routes lists every operation with a request body or query parameters, sorted by key.
func (s apiSpec) routes() []specRoute {
	var out []specRoute
	paths := s.doc["paths"].(map[string]any)
	for _, p := range slices.Sorted(maps.Keys(paths)) {
		item := paths[p].(map[string]any)
		for _, m := range slices.Sorted(maps.Keys(item)) {
			if !openAPIMethods[m] {
				continue
			}
			op := item[m].(map[string]any)
			rt := specRoute{key: strings.ToUpper(m) + " " + p, method: strings.ToUpper(m), path: p}
			for _, prm := range asList(op["parameters"]) {
				if prm := s.resolve(prm.(map[string]any)); prm["in"] == "query" {
					rt.query = append(rt.query, prm["name"].(string))
				}
			}
			if rb, ok := op["requestBody"].(map[string]any); ok {
				content := rb["content"].(map[string]any)
				for _, ct := range slices.Sorted(maps.Keys(content)) {
					rt.contentType = ct
					schema := content[ct].(map[string]any)["schema"].(map[string]any)
					s.strings(schema, nil, ct == "multipart/form-data", &rt.fields)
				}
			}
			if rt.contentType != "" || len(rt.query) > 0 {
				out = append(out, rt)
			}
		}
	}
	return out
}

func asList(v any) []any { l, _ := v.([]any); return l }

// withValue returns a deep copy of body with the string at path set to v (creating what is missing).
func withValue(body map[string]any, path []string, v any) map[string]any {
	var cp map[string]any
	b, _ := json.Marshal(body)
	json.Unmarshal(b, &cp)
	var node any = cp
	for i, step := range path {
		last := i == len(path)-1
		switch n := node.(type) {
		case map[string]any:
			if last {
				n[step] = v
				break
			}
			if _, ok := n[step]; !ok {
				if path[i+1] == "[]" {
					n[step] = []any{}
				} else {
					n[step] = map[string]any{}
				}
			}
			node = n[step]
		case []any:
			if len(n) == 0 {
				panic("withValue: no element to change at " + strings.Join(path, "."))
			}
			if last {
				n[0] = v
				break
			}
			node = n[0]
		}
	}
	return cp
}

// fieldText is a text to put in a field of a request.
type fieldText struct {
	field specField
	text  string
}

// sendBase sends a route's valid base request (hostileBases, hostileForms) with the given
// fields set to the given texts, written as they are (invalid bytes are not repaired).
func sendBase(t *testing.T, e *env, rt specRoute, texts ...fieldText) *response {
	t.Helper()
	path := fillSpec(e, rt.path)
	if p := hostilePaths[rt.key]; p != "" {
		path = p
	}
	if rt.contentType == "multipart/form-data" {
		form := hostileForms[rt.key]
		fields := map[string]string{}
		maps.Copy(fields, form.fields)
		for _, ft := range texts {
			fields[ft.field.display] = ft.text
		}
		return e.form(rt.method, path, form.role, fields, form.filename, form.file(t, e))
	}
	base := hostileBases[rt.key]
	body, literals := base.body, []string{}
	for i, ft := range texts {
		marker := fmt.Sprintf("\u2603%d\u2603", i)
		body = withValue(body, ft.field.path, marker)
		literals = append(literals, string(jsonStringLiteral(marker)), string(jsonStringLiteral(ft.text)))
	}
	b, _ := json.Marshal(body)
	return e.call(rt.method, path, base.role, strings.NewReplacer(literals...).Replace(string(b)))
}

// dbSnapshot is every table's rows, serialised and sorted, to show that nothing changed.
func dbSnapshot(t testing.TB, db *models.DB) map[string][]string {
	t.Helper()
	raw := modelstest.Raw(t, db)
	q := "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
	if db.Dialect == models.Postgres {
		q = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
	}
	var tables []string
	if err := raw.Raw(q).Scan(&tables).Error; err != nil || len(tables) < 10 {
		t.Fatalf("list tables: %v %v", tables, err)
	}
	out := map[string][]string{}
	for _, table := range tables {
		var rows []map[string]any
		if err := raw.Table(table).Find(&rows).Error; err != nil {
			t.Fatalf("read %s: %v", table, err)
		}
		for _, r := range rows {
			b, _ := json.Marshal(r)
			out[table] = append(out[table], string(b))
		}
		sort.Strings(out[table])
	}
	return out
}

func diffSnapshots(before, after map[string][]string) []string {
	var changed []string
	for table, rows := range after {
		if strings.Join(rows, "\n") != strings.Join(before[table], "\n") {
			changed = append(changed, fmt.Sprintf("%s (%d → %d rows)", table, len(before[table]), len(rows)))
		}
	}
	sort.Strings(changed)
	return changed
}

// ginRouteKey turns an API document key ("GET /periods/{year}") into the router's ("GET /periods/:year").
func ginRouteKey(specKey string) string {
	return strings.NewReplacer("{", ":", "}", "").Replace(specKey)
}

// routeRole is who may call a route (roleMatrix's first role), for requests that should get
// past authentication.
func routeRole(ginKey string) models.Role {
	acc := roleMatrix[ginKey]
	if acc.public || len(acc.roles) == 0 {
		return asAnonymous
	}
	return acc.roles[0]
}

// TestHostileTextIsRefused is the property that text no database stores never reaches one:
// NUL, invalid UTF-8 and over-long text in every string of every JSON body and multipart form
// the API document describes, in every path parameter of every route and in every query
// parameter get a 4xx in the contract's shape (404 for path parameters), never a 500, and
// change nothing, on both databases. Then the untouched requests succeed, with every
// length-bounded free-text field at its exact limit in "é" (two bytes each).
func TestHostileTextIsRefused(t *testing.T) {
	routes := loadSpec(t).routes()
	for _, rt := range routes {
		_, hasBody := hostileBases[rt.key]
		_, hasForm := hostileForms[rt.key]
		if rt.contentType == "application/json" && !hasBody || rt.contentType == "multipart/form-data" && !hasForm {
			t.Fatalf("%s: no valid base request in hostileBases or hostileForms", rt.key)
		}
	}
	modelstest.ForEachDB(t, func(t *testing.T, db *models.DB) {
		e := hostileEnv(t, db)
		before := dbSnapshot(t, db)
		cases := 0
		refused := func(what string, r *response, want int) {
			t.Helper()
			cases++
			switch {
			case r.Status >= 500 || r.Status < 400:
				t.Errorf("%s: %d %.300s, want a 4xx", what, r.Status, r.Body)
			case want != 0 && r.Status != want:
				t.Errorf("%s: %d %.300s, want %d", what, r.Status, r.Body, want)
			default:
				var body struct {
					Error struct{ Code, Message string }
				}
				if err := json.Unmarshal(r.Body, &body); err != nil || body.Error.Code == "" || body.Error.Message == "" {
					t.Errorf("%s: %d without the contract's error body: %.300s", what, r.Status, r.Body)
				}
			}
		}

		for _, rt := range routes {
			for _, f := range rt.fields {
				if f.free && f.limit == 0 {
					t.Errorf("%s: free text %s declares no maxLength", rt.key, f.display)
				}
				for _, kind := range hostileKinds {
					r := sendBase(t, e, rt, fieldText{f, hostileText(kind, f.limit)})
					refused(fmt.Sprintf("%s %s=%s", rt.key, f.display, kind), r, 0)
				}
			}
			for _, q := range rt.query {
				for _, kind := range hostileKinds {
					path := fillSpec(e, rt.path) + "?" + url.Values{q: {hostileText(kind, 0)}}.Encode()
					refused(fmt.Sprintf("%s ?%s=%s", rt.key, q, kind), e.call(rt.method, path, routeRole(ginRouteKey(rt.key)), nil), 0)
				}
			}
		}

		for _, rt := range e.engine.Routes() {
			key := rt.Method + " " + rt.Path
			segments := strings.Split(rt.Path, "/")
			for i, seg := range segments {
				if !strings.HasPrefix(seg, ":") {
					continue
				}
				for _, kind := range hostileKinds {
					hostile := append([]string(nil), segments...)
					hostile[i] = url.PathEscape(hostileText(kind, 0))
					path := fill(strings.Join(hostile, "/"), "62.08")
					var body any
					if changesState(rt.Method) {
						body = "{}"
					}
					r := e.call(rt.Method, path, routeRole(key), body)
					refused(fmt.Sprintf("%s %s=%s", key, seg, kind), r, http.StatusNotFound)
					if r.Status == http.StatusNotFound && r.errorCode(t) != "not_found" {
						t.Errorf("%s %s=%s: code %s, want not_found", key, seg, kind, r.errorCode(t))
					}
				}
			}
			if rt.Method == http.MethodGet {
				for _, kind := range hostileKinds {
					path := fill(rt.Path, "62.08") + "?" + url.Values{"filter": {hostileText(kind, 0)}}.Encode()
					refused(fmt.Sprintf("%s ?filter=%s", key, kind), e.call("GET", path, routeRole(key), nil), 0)
				}
			}
		}

		if changed := diffSnapshots(before, dbSnapshot(t, db)); len(changed) > 0 {
			t.Errorf("refused requests changed %v", changed)
		}
		t.Logf("%d hostile requests, each refused", cases)

		// The untouched requests succeed, with every bounded free-text field at its limit.
		for _, rt := range routes {
			if rt.contentType != "application/json" && rt.contentType != "multipart/form-data" {
				continue // no body, or a binary one (an OCSP request) with no text in it
			}
			var atLimit []fieldText
			for _, f := range rt.fields {
				if f.free {
					atLimit = append(atLimit, fieldText{f, strings.Repeat("é", f.limit)})
				}
			}
			if r := sendBase(t, e, rt, atLimit...); r.Status >= 300 {
				t.Errorf("%s with its fields at their limits: %d %.300s", rt.key, r.Status, r.Body)
			}
		}
	})
}

// rfc2231 percent-encodes every byte of s outside letters, digits, '.', '_' and '-'.
func rfc2231(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x80 && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("._-", c) >= 0) {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// TestUploadFileNames: names are kept as characters, never cut inside one; bidi controls,
// control characters, NULs and invalid bytes are removed; over-long names keep their extension.
// Each name is sent as a quoted filename and, RFC 2231-encoded, as filename* (the only way
// control characters get past the multipart reader).
func TestUploadFileNames(t *testing.T) {
	long := strings.Repeat("é", 150) + ".docx"
	cases := []struct{ sent, want string }{
		{long, long},
		{strings.Repeat("é", 250) + ".docx", strings.Repeat("é", 195) + ".docx"},
		{strings.Repeat("a", 300) + ".pdf", strings.Repeat("a", 196) + ".pdf"},
		{strings.Repeat("é", 300), strings.Repeat("é", 200)},
		{"laporan\u202Efdp.exe", "laporanfdp.exe"},
		{"\u2066sk\u2069\u200E\u200F.pdf", "sk.pdf"},
		{"sk\x00bupati.pdf", "skbupati.pdf"},
		{"sk\x01\x7f bupati.pdf", "sk bupati.pdf"},
		{"sk\xff\xfe.pdf", "sk.pdf"},
		{`C:\dokumen\sk.pdf`, "sk.pdf"},
		{"\u202E", "bukti.pdf"},
	}
	forEachEnv(t, func(t *testing.T, e *env) {
		item := "/api/v1/periods/2019/regions/62.08/items/I1/evidence"
		send := func(disposition string) *response {
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			h := textproto.MIMEHeader{}
			h.Set("Content-Disposition", `form-data; name="file"; `+disposition)
			fw, _ := mw.CreatePart(h)
			fw.Write(samplePDF(t, disposition))
			mw.Close()
			req, _ := http.NewRequest("POST", e.srv.URL+item, &buf)
			req.Header.Set("Content-Type", mw.FormDataContentType())
			req.Header.Set("Authorization", "Bearer "+e.tokens[models.RoleOperator])
			return e.do(req)
		}
		for _, c := range cases {
			dispositions := []string{"filename*=UTF-8''" + rfc2231(c.sent)}
			if !strings.ContainsFunc(c.sent, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
				dispositions = append(dispositions, `filename="`+strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(c.sent)+`"`)
			}
			for _, d := range dispositions {
				var ev struct {
					ID       int64
					Filename string
				}
				e.mustOK(send(d)).decode(t, &ev)
				if ev.Filename != c.want {
					t.Errorf("%+q stored as %+q, want %+q", d, ev.Filename, c.want)
				}
				stored, err := e.db.EvidenceByID(context.Background(), ev.ID)
				if err != nil || stored.Filename != c.want {
					t.Errorf("%+q in the database: %+v %v", d, stored, err)
				}
			}
		}
	})
}

// TestLoginUserAgent: the user agent kept with a session is shortened at a character boundary
// and loses bytes that are not UTF-8 (both used to make the sign-in fail on PostgreSQL).
func TestLoginUserAgent(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		for _, ua := range []string{"a" + strings.Repeat("é", 299), "Mozilla/5.0 \xff\xfe", strings.Repeat("Mozilla ", 100)} {
			req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/auth/login", strings.NewReader(`{"email":"admin@test.pantau.id","password":"`+testPassword+`"}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("User-Agent", ua)
			e.mustOK(e.do(req))
		}
		var agents []string
		if err := modelstest.Raw(t, e.db).Raw("SELECT user_agent FROM sessions").Scan(&agents).Error; err != nil {
			t.Fatal(err)
		}
		for _, a := range agents {
			if !utf8.ValidString(a) || utf8.RuneCountInString(a) > models.MaxUserAgentLen {
				t.Errorf("stored user agent %+q", a)
			}
		}
	})
}
