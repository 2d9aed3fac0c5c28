package api

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// The contract check: every test server (newTestServer) validates each request it serves and
// each response it gives against the OpenAPI document the server serves at /api/openapi.json
// (openAPIDocument, byte for byte; TestOpenAPIMatchesRoutes holds them equal). A response is
// always checked: its status must be documented for the operation, its content type declared
// and its body valid against the declared schema (a documented answer without content must
// have no body). A request is checked when the server accepted it (2xx or 3xx): a request the
// document calls invalid but the server carries out is drift. Requests the tests send
// malformed on purpose are refused with a 4xx, and so are recognised without marking them.
// A request on a path the document does not know must get the contract's 404 or 405.

// contract is the served document, parsed, with a router that finds a request's operation.
type contract struct {
	doc    *openapi3.T
	router routers.Router
}

// contractDocument is the served document, loaded once for every test.
var contractDocument = sync.OnceValues(func() (*contract, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(openAPIDocument)
	if err != nil {
		return nil, fmt.Errorf("openapi.json does not load: %w", err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		return nil, fmt.Errorf("openapi.json is not a valid OpenAPI document: %w", err)
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, err
	}
	return &contract{doc: doc, router: router}, nil
})

// operations lists every documented operation ("GET /api/v1/me"), sorted.
func (c *contract) operations() []string {
	var ops []string
	for path, item := range c.doc.Paths.Map() {
		for method := range item.Operations() {
			ops = append(ops, method+" "+path)
		}
	}
	slices.Sort(ops)
	return ops
}

func init() {
	// The CA certificate is PEM, which is text.
	openapi3filter.RegisterBodyDecoder("application/x-pem-file", openapi3filter.PlainBodyDecoder)
	// The page a browser gets after unsubscribing is HTML, which is text.
	openapi3filter.RegisterBodyDecoder("text/html", openapi3filter.PlainBodyDecoder)
}

// tally counts what the contract check did.
type tally struct {
	mu                           sync.Mutex
	responses, requests, refused int
	operations                   map[string]bool // "GET /api/v1/me" for every operation answered
}

// add counts a response, and whether its request was checked (accepted) or not (refused); op
// is the operation, if the document has it.
func (t *tally) add(op string, accepted bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.responses++
	if op == "" {
		return
	}
	if t.operations == nil {
		t.operations = map[string]bool{}
	}
	t.operations[op] = true
	if accepted {
		t.requests++
	} else {
		t.refused++
	}
}

// contractTally is the traffic of every test server in this test binary; TestMain prints it.
var contractTally tally

// contractCheck validates the traffic of one test server and keeps the problems it found
// until the test that sent the request collects them (env.do), or its server closes.
type contractCheck struct {
	*contract
	tally    *tally // where the traffic is counted, if anywhere
	mu       sync.Mutex
	problems []string
}

// contractChecks are the checks of the running test servers, by host:port.
var contractChecks sync.Map

// newTestServer serves h over HTTP for the test, checking every request and its response
// against the document. Benchmarks get the bare handler: the check would be part of what
// they time.
func newTestServer(t testing.TB, h http.Handler) *httptest.Server {
	t.Helper()
	if _, bench := t.(*testing.B); bench {
		srv := httptest.NewServer(h)
		t.Cleanup(srv.Close)
		return srv
	}
	c, err := contractDocument()
	if err != nil {
		t.Fatal(err)
	}
	cc := &contractCheck{contract: c, tally: &contractTally}
	srv := httptest.NewServer(cc.wrap(h))
	host := strings.TrimPrefix(srv.URL, "http://")
	contractChecks.Store(host, cc)
	t.Cleanup(func() {
		srv.Close()
		contractChecks.Delete(host)
		for _, p := range cc.take() {
			t.Errorf("contract: %s", p)
		}
	})
	return srv
}

// contractProblems returns, and forgets, what the check of the server at host has found.
func contractProblems(host string) []string {
	if cc, ok := contractChecks.Load(host); ok {
		return cc.(*contractCheck).take()
	}
	return nil
}

func (cc *contractCheck) count(op string, accepted bool) {
	if cc.tally != nil {
		cc.tally.add(op, accepted)
	}
}

func (cc *contractCheck) take() []string {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	p := cc.problems
	cc.problems = nil
	return p
}

func (cc *contractCheck) report(r *http.Request, status int, format string, args ...any) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	cc.problems = append(cc.problems, fmt.Sprintf("%s %s → %d: ", r.Method, r.URL.RequestURI(), status)+fmt.Sprintf(format, args...))
}

// wrap serves each request through next, keeping a copy of the request body the handler
// reads and holding the response until it is checked, so that a problem is recorded before
// the client sees the answer.
func (cc *contractCheck) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body := &readCopy{ReadCloser: r.Body}
		r.Body = body
		rec := &heldResponse{ResponseRecorder: httptest.NewRecorder(), w: w}
		next.ServeHTTP(rec, r)
		if rec.Code >= 200 && rec.Code < 400 {
			body.drain()
		}
		res := rec.Result() // the headers as they were when the status was written
		cc.check(r, body, res)
		for k, v := range res.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(res.StatusCode)
		w.Write(rec.Body.Bytes())
	})
}

// heldResponse records a response; deadlines and the like still reach the connection.
type heldResponse struct {
	*httptest.ResponseRecorder
	w http.ResponseWriter
}

// Unwrap lets http.ResponseController reach the real connection.
func (h *heldResponse) Unwrap() http.ResponseWriter { return h.w }

// readCopy keeps what is read through it.
type readCopy struct {
	io.ReadCloser
	buf    bytes.Buffer
	broken bool // a read failed: buf is not the whole body
}

func (rc *readCopy) Read(p []byte) (int, error) {
	n, err := rc.ReadCloser.Read(p)
	rc.buf.Write(p[:n])
	if err != nil && err != io.EOF {
		rc.broken = true
	}
	return n, err
}

// drain reads what the handler left of the body (say, the newline after a JSON value).
func (rc *readCopy) drain() {
	if _, err := io.Copy(io.Discard, rc); err != nil {
		rc.broken = true
	}
}

// check validates one exchange and records every disagreement with the document.
func (cc *contractCheck) check(r *http.Request, body *readCopy, res *http.Response) {
	ctx := context.Background()
	status := res.StatusCode
	resBody, _ := io.ReadAll(res.Body)
	if res.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(resBody))
		if err == nil {
			resBody, err = io.ReadAll(zr)
		}
		if err != nil {
			cc.report(r, status, "Content-Encoding: gzip, but the body does not decompress: %v", err)
			return
		}
	}
	accepted := status >= 200 && status < 400
	route, params, err := cc.router.FindRoute(r)
	if err != nil {
		cc.count("", accepted)
		cc.checkUnrouted(r, status, res.Header, resBody, err)
		return
	}
	opName := r.Method + " " + route.Path
	cc.count(opName, accepted)

	opts := &openapi3filter.Options{
		MultiError:            true,
		IncludeResponseStatus: true,
		SkipSettingDefaults:   true,
		AuthenticationFunc:    presentCredentials,
	}
	reqIn := &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: route, Options: opts}
	if accepted {
		if body.broken {
			opts.ExcludeRequestBody = true
			cc.report(r, status, "the request body could not be read whole, so it was not checked")
		}
		checked := r.Clone(ctx)
		checked.Body = io.NopCloser(bytes.NewReader(body.buf.Bytes()))
		if rb := route.Operation.RequestBody; rb != nil && rb.Value.Content.Get(r.Header.Get("Content-Type")) == nil && rb.Value.Content["application/json"] != nil {
			// The server reads a JSON body whatever its Content-Type says, as the document
			// tells (curl -d sends form-urlencoded): check the body as JSON.
			checked.Header.Set("Content-Type", "application/json")
		}
		reqIn.Request = checked
		if err := openapi3filter.ValidateRequest(ctx, reqIn); err != nil {
			cc.report(r, status, "the server accepted a request the document does not allow: %v", err)
		}
	}

	declared := route.Operation.Responses.Status(status)
	if declared == nil {
		cc.report(r, status, "status %d is not documented for %s", status, opName)
		return
	}
	if declared.Value != nil && len(declared.Value.Content) == 0 && len(resBody) > 0 {
		cc.report(r, status, "the document declares no body, the server sent %d bytes of %q", len(resBody), res.Header.Get("Content-Type"))
	}
	resIn := &openapi3filter.ResponseValidationInput{RequestValidationInput: reqIn, Status: status, Header: res.Header, Options: opts}
	resIn.SetBodyBytes(resBody)
	if err := openapi3filter.ValidateResponse(ctx, resIn); err != nil {
		cc.report(r, status, "the response does not match the document: %v", err)
	}
}

// checkUnrouted checks the answer to a request for a path or method the document does not
// have: the router's 404 (or 405) with the contract's error body.
func (cc *contractCheck) checkUnrouted(r *http.Request, status int, h http.Header, body []byte, routeErr error) {
	if !errors.Is(routeErr, routers.ErrPathNotFound) && !errors.Is(routeErr, routers.ErrMethodNotAllowed) {
		cc.report(r, status, "the document's router failed: %v", routeErr)
		return
	}
	if status != http.StatusNotFound && status != http.StatusMethodNotAllowed {
		cc.report(r, status, "not in the document (%v), yet answered %d", routeErr, status)
		return
	}
	if ct := h.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		cc.report(r, status, "an error answer with Content-Type %q, want application/json", ct)
		return
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		cc.report(r, status, "an error answer that is not JSON: %v", err)
		return
	}
	if err := cc.doc.Components.Schemas["Error"].Value.VisitJSON(v); err != nil {
		cc.report(r, status, "an error answer not in the Error shape: %v", err)
	}
}

// presentCredentials checks that a request carries what a security scheme names: the bearer
// token, the session cookie, the CSRF header. The CSRF header is needed only on
// state-changing calls, as the document says of the csrfToken scheme.
func presentCredentials(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	r := in.RequestValidationInput.Request
	s := in.SecurityScheme
	switch {
	case s.Type == "http" && strings.EqualFold(s.Scheme, "bearer"):
		if auth := r.Header.Get("Authorization"); len(auth) > 7 && strings.EqualFold(auth[:7], "bearer ") {
			return nil
		}
		return errors.New("no bearer token")
	case s.Type == "apiKey" && s.In == "cookie":
		if _, err := r.Cookie(s.Name); err == nil {
			return nil
		}
		return fmt.Errorf("no %s cookie", s.Name)
	case s.Type == "apiKey" && s.In == "header":
		if s.Name == CSRFHeader && slices.Contains([]string{http.MethodGet, http.MethodHead, http.MethodOptions}, r.Method) {
			return nil
		}
		if r.Header.Get(s.Name) != "" {
			return nil
		}
		return fmt.Errorf("no %s header", s.Name)
	}
	return fmt.Errorf("security scheme %s is not understood by the contract check", in.SecuritySchemeName)
}

// TestMain runs the tests and says how much traffic the contract check saw.
func TestMain(m *testing.M) {
	code := m.Run()
	stopTwinStorage()
	t := &contractTally
	if t.responses > 0 {
		c, _ := contractDocument()
		var missing []string
		ops := c.operations()
		for _, op := range ops {
			if !t.operations[op] {
				missing = append(missing, op)
			}
		}
		fmt.Printf("contract check: %d responses and %d accepted requests validated against openapi.json (%d refused requests not checked); %d of %d operations exercised\n",
			t.responses, t.requests, t.refused, len(ops)-len(missing), len(ops))
		if testing.Verbose() && len(missing) > 0 {
			fmt.Printf("contract check: never exercised: %s\n", strings.Join(missing, ", "))
		}
	}
	os.Exit(code)
}

// TestContractCheckFindsDrift shows the check failing where the document and the answers
// disagree, and staying quiet where they agree or a malformed request is refused.
func TestContractCheckFindsDrift(t *testing.T) {
	c, err := contractDocument()
	if err != nil {
		t.Fatal(err)
	}
	const region = `{"code":"62.03","name":"Kabupaten Kapuas","kind":"regency"}`
	gzipped := func(s string) []byte {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write([]byte(s))
		zw.Close()
		return b.Bytes()
	}
	cases := []struct {
		name, method, path, reqBody string
		status                      int
		contentType, encoding       string
		resBody                     []byte
		want                        string // in the problem reported; "" for none
	}{
		{"agrees", "GET", "/healthz", "", 200, "application/json", "", []byte(`{"status":"ok"}`), ""},
		{"gzipped and agrees", "GET", "/healthz", "", 200, "application/json", "gzip", gzipped(`{"status":"ok"}`), ""},
		{"undocumented status", "GET", "/healthz", "", 418, "application/json", "", []byte(`{"status":"ok"}`), "status 418 is not documented"},
		{"body off its schema", "GET", "/healthz", "", 200, "application/json", "", []byte(`{"status":5}`), "does not match the document"},
		{"undeclared content type", "GET", "/api/v1/evidence/1", "", 200, "application/octet-stream", "", []byte("%PDF-1.4"), "Content-Type"},
		{"declared content type", "GET", "/api/v1/evidence/1", "", 200, "image/png", "", []byte("\x89PNG"), ""},
		{"not gzip after all", "GET", "/healthz", "", 200, "application/json", "gzip", []byte(`{"status":"ok"}`), "does not decompress"},
		{"invalid request carried out", "POST", "/api/v1/regions", `{"code":5}`, 201, "application/json", "", []byte(region), "does not allow"},
		{"invalid request refused", "POST", "/api/v1/regions", `{"code":5}`, 422, "application/json", "",
			[]byte(`{"error":{"code":"validation_failed","message":"x","fields":{"code":"required"}}}`), ""},
		{"valid request carried out", "POST", "/api/v1/regions", region, 201, "application/json", "", []byte(region), ""},
		{"unknown path answered", "GET", "/api/v1/nope", "", 200, "application/json", "", []byte(`{}`), "not in the document"},
		{"unknown path, error not JSON", "GET", "/api/v1/nope", "", 404, "text/plain", "", []byte("404 page not found"), "Content-Type"},
		{"unknown path, contract's 404", "GET", "/api/v1/nope", "", 404, "application/json", "", []byte(`{"error":{"code":"not_found","message":"x"}}`), ""},
		{"a body where none is declared", "POST", "/api/v1/auth/logout", "", 204, "application/json", "", []byte(`{}`), "declares no body"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cc := &contractCheck{contract: c}
			h := cc.wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				io.ReadAll(r.Body)
				w.Header().Set("Content-Type", tc.contentType)
				if tc.encoding != "" {
					w.Header().Set("Content-Encoding", tc.encoding)
				}
				w.WriteHeader(tc.status)
				w.Write(tc.resBody)
			}))
			req := httptest.NewRequest(tc.method, tc.path, strings.NewReader(tc.reqBody))
			req.Header.Set("Authorization", "Bearer token")
			if tc.reqBody != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tc.status || !bytes.Equal(rec.Body.Bytes(), tc.resBody) {
				t.Errorf("the check changed the answer: %d %q", rec.Code, rec.Body.Bytes())
			}
			problems := strings.Join(cc.take(), "\n")
			switch {
			case tc.want == "" && problems != "":
				t.Errorf("want no problem, got:\n%s", problems)
			case tc.want != "" && !strings.Contains(problems, tc.want):
				t.Errorf("want a problem with %q, got:\n%s", tc.want, problems)
			}
		})
	}
}

// TestEveryTestServerChecksTheContract keeps the check on all api test traffic: test servers
// are made only by newTestServer.
func TestEveryTestServerChecksTheContract(t *testing.T) {
	files, err := filepath.Glob("*_test.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		n := bytes.Count(src, []byte("httptest."+"NewServer("))
		if f == "contract_check_test.go" {
			n -= 2 // newTestServer's own: checked, and bare for benchmarks
		}
		if n != 0 {
			t.Errorf("%s starts a test server without newTestServer (%d times): its traffic escapes the contract check", f, n)
		}
	}
}
