package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/modelstest"
)

// openAPIMethods are the keys of an OpenAPI path item that name operations.
var openAPIMethods = map[string]bool{
	"get": true, "put": true, "post": true, "delete": true, "options": true, "head": true, "patch": true, "trace": true,
}

// openAPIPathItemFields are the other keys a path item may carry.
var openAPIPathItemFields = map[string]bool{
	"$ref": true, "summary": true, "description": true, "servers": true, "parameters": true,
}

type openAPIParameter struct {
	Ref  string `json:"$ref"`
	Name string `json:"name"`
	In   string `json:"in"`
}

type openAPIOperation struct {
	Parameters []openAPIParameter         `json:"parameters"`
	Responses  map[string]json.RawMessage `json:"responses"`
}

type openAPIDoc struct {
	OpenAPI    string                                `json:"openapi"`
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Components struct {
		Parameters map[string]openAPIParameter `json:"parameters"`
	} `json:"components"`
}

var ginParam = regexp.MustCompile(`[:*]([A-Za-z0-9_]+)`)
var openAPIParam = regexp.MustCompile(`\{([^}]+)\}`)

// openAPIPath turns a gin route path ("/periods/:year") into OpenAPI's ("/periods/{year}").
func openAPIPath(ginPath string) string {
	return ginParam.ReplaceAllString(ginPath, "{$1}")
}

// TestOpenAPIMatchesRoutes keeps api/openapi.json true to the router: the same operations,
// each with responses and its path parameters declared, served unchanged.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	db := modelstest.Open(t, models.SQLite)
	_, h, err := New(db, &models.BlobStore{Dir: t.TempDir(), MaxSize: 1 << 20},
		slog.New(slog.NewTextHandler(io.Discard, nil)), models.DefaultLoginPolicy, Options{})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	engine, ok := h.(*gin.Engine)
	if !ok {
		t.Fatalf("New returned %T, want *gin.Engine", h)
	}

	onDisk, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatalf("read openapi.json: %v", err)
	}
	if !bytes.Equal(onDisk, openAPIDocument) {
		t.Errorf("embedded document differs from openapi.json on disk")
	}
	if err := checkNoDuplicateKeys(onDisk); err != nil {
		t.Errorf("openapi.json: %v", err)
	}

	var doc openAPIDoc
	if err := json.Unmarshal(onDisk, &doc); err != nil {
		t.Fatalf("openapi.json is not valid JSON: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Errorf("openapi = %q, want a 3.x version", doc.OpenAPI)
	}

	routes := map[string]bool{}
	for _, r := range engine.Routes() {
		routes[r.Method+" "+openAPIPath(r.Path)] = true
	}
	if len(routes) == 0 {
		t.Fatalf("the router has no routes")
	}

	documented := map[string]bool{}
	for path, item := range doc.Paths {
		for key, raw := range item {
			if !openAPIMethods[key] {
				if !openAPIPathItemFields[key] {
					t.Errorf("path %s: unexpected key %q (methods must be lower case)", path, key)
				}
				continue
			}
			name := strings.ToUpper(key) + " " + path
			documented[name] = true
			var o openAPIOperation
			if err := json.Unmarshal(raw, &o); err != nil {
				t.Errorf("%s: operation does not parse: %v", name, err)
				continue
			}
			if len(o.Responses) == 0 {
				t.Errorf("%s: operation has no responses", name)
			}
			for _, missing := range undeclaredPathParams(path, o.Parameters, item["parameters"], doc.Components.Parameters) {
				t.Errorf("%s: path parameter %q is not declared", name, missing)
			}
		}
	}

	for _, name := range sortedKeys(routes) {
		if !documented[name] {
			t.Errorf("route %s is not in openapi.json", name)
		}
	}
	for _, name := range sortedKeys(documented) {
		if !routes[name] {
			t.Errorf("openapi.json documents %s, which the router does not serve", name)
		}
	}

	srv := newTestServer(t, h)
	resp, err := http.Get(srv.URL + "/api/openapi.json")
	if err != nil {
		t.Fatalf("GET /api/openapi.json: %v", err)
	}
	defer resp.Body.Close()
	served, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read /api/openapi.json: %v", err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET /api/openapi.json: status %d, want 200", resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("GET /api/openapi.json: Content-Type %q, want application/json", ct)
	}
	if !bytes.Equal(served, onDisk) {
		t.Errorf("GET /api/openapi.json served %d bytes that differ from openapi.json (%d bytes)", len(served), len(onDisk))
	}
}

// undeclaredPathParams lists the {names} in path that neither the operation nor its path item
// declares as "in": "path" parameters (directly or through #/components/parameters).
func undeclaredPathParams(path string, opParams []openAPIParameter, itemParams json.RawMessage, components map[string]openAPIParameter) []string {
	params := append([]openAPIParameter(nil), opParams...)
	if len(itemParams) > 0 {
		var shared []openAPIParameter
		if err := json.Unmarshal(itemParams, &shared); err != nil {
			return []string{"(path item parameters do not parse)"}
		}
		params = append(params, shared...)
	}
	declared := map[string]bool{}
	for _, p := range params {
		if name, ok := strings.CutPrefix(p.Ref, "#/components/parameters/"); ok {
			p = components[name]
		}
		if p.In == "path" {
			declared[p.Name] = true
		}
	}
	var missing []string
	for _, m := range openAPIParam.FindAllStringSubmatch(path, -1) {
		if !declared[m[1]] {
			missing = append(missing, m[1])
		}
	}
	return missing
}

// checkNoDuplicateKeys reports an object key that appears twice, which encoding/json would
// silently collapse (hiding, say, a second "get" under one path).
func checkNoDuplicateKeys(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	var walk func(where string) error
	walk = func(where string) error {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'):
			seen := map[string]bool{}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return err
				}
				key := kt.(string)
				if seen[key] {
					return fmt.Errorf("duplicate key %q in %s", key, where)
				}
				seen[key] = true
				if err := walk(where + "/" + key); err != nil {
					return err
				}
			}
			_, err = dec.Token()
			return err
		case json.Delim('['):
			for i := 0; dec.More(); i++ {
				if err := walk(fmt.Sprintf("%s/%d", where, i)); err != nil {
					return err
				}
			}
			_, err = dec.Token()
			return err
		}
		return nil
	}
	if err := walk("#"); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("trailing data after the document")
	}
	return nil
}

func sortedKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
