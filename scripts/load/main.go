// Command load is the helper scripts/bench.sh drives against a Pantau server on the loopback
// interface. It never talks to another host.
//
//	load port                          print a free TCP port on 127.0.0.1
//	load wait  -url U                  wait until GET /readyz answers 200
//	load token -url U                  sign in (PANTAU_ADMIN_EMAIL / PANTAU_ADMIN_PASSWORD) and print the bearer token
//	load get -url U -path P -token T   GET one path; print its status, size and time; fail unless 200
//	load writes -url U [flags]         claim → evidence → approve on many items at once; report ops/s and latency
//	load writes -mode claims …          single-item writes only: one claim per operation
//	load sqlite-bound -dir D            SQLite's own bound: one-row write transactions per second, one writer,
//	                                   with the server's settings (WAL, synchronous=FULL), in a file under D
//
// writes signs in as the admin, creates a coordinator and a reviewer through the API, and then
// has -concurrency workers each take the next untouched item of the period (an indicator across
// every Pemda, then the next indicator) and run the claim-and-verify workflow on it: PATCH the
// claim as the coordinator, POST a small PDF as evidence, POST an approving review as the
// reviewer (accepting the evidence it rests on). With -mode claims each operation is one claim
// on the next item, the single-item write that scripts/bench.sh compares with pgbench. It stops
// after -ops operations or -duration, whichever comes first.
package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/libtnb/sqlite" // the driver pantau serve uses, with its settings
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: load port | wait | token | get | writes [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "port":
		err = freePort()
	case "wait":
		err = wait(os.Args[2:])
	case "token":
		err = token(os.Args[2:])
	case "get":
		err = get(os.Args[2:])
	case "writes":
		err = writes(os.Args[2:])
	case "sqlite-bound":
		err = sqliteBound(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

func freePort() error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer ln.Close()
	fmt.Println(ln.Addr().(*net.TCPAddr).Port)
	return nil
}

// loopback refuses any server but 127.0.0.1 / localhost.
func loopback(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", err
	}
	if h := u.Hostname(); h != "127.0.0.1" && h != "localhost" && h != "::1" {
		return "", fmt.Errorf("refusing %s: only a server on the loopback interface", raw)
	}
	return strings.TrimRight(raw, "/"), nil
}

func baseFlags(name string, args []string, extra func(fs *flag.FlagSet)) (string, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	base := fs.String("url", "http://127.0.0.1:8080", "the server, on 127.0.0.1")
	if extra != nil {
		extra(fs)
	}
	if err := fs.Parse(args); err != nil {
		return "", err
	}
	return loopback(*base)
}

func wait(args []string) error {
	var timeout time.Duration
	base, err := baseFlags("wait", args, func(fs *flag.FlagSet) {
		fs.DurationVar(&timeout, "timeout", 60*time.Second, "how long to wait")
	})
	if err != nil {
		return err
	}
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	return fmt.Errorf("%s/readyz did not answer 200 within %s", base, timeout)
}

func token(args []string) error {
	base, err := baseFlags("token", args, nil)
	if err != nil {
		return err
	}
	c := &client{base: base, http: http.DefaultClient}
	tok, err := c.login(context.Background(), os.Getenv("PANTAU_ADMIN_EMAIL"), os.Getenv("PANTAU_ADMIN_PASSWORD"))
	if err != nil {
		return err
	}
	fmt.Println(tok)
	return nil
}

func get(args []string) error {
	var path, tok string
	base, err := baseFlags("get", args, func(fs *flag.FlagSet) {
		fs.StringVar(&path, "path", "/healthz", "the path to fetch")
		fs.StringVar(&tok, "token", "", "a bearer token")
	})
	if err != nil {
		return err
	}
	req, err := http.NewRequest(http.MethodGet, base+path, nil)
	if err != nil {
		return err
	}
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	start := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	if err != nil {
		return err
	}
	fmt.Printf("status=%d bytes=%d ms=%.1f\n", resp.StatusCode, n, ms(time.Since(start)))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: HTTP %d", path, resp.StatusCode)
	}
	return nil
}

// client is a minimal JSON client of the Pantau API.
type client struct {
	base string
	http *http.Client
}

type apiError struct {
	Status int
	Body   string
}

func (e *apiError) Error() string { return fmt.Sprintf("HTTP %d: %s", e.Status, e.Body) }

func (c *client) do(ctx context.Context, method, path, token, contentType string, body io.Reader, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		return &apiError{Status: resp.StatusCode, Body: strings.TrimSpace(string(b))}
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}

func (c *client) json(ctx context.Context, method, path, token string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	return c.do(ctx, method, path, token, "application/json", body, out)
}

func (c *client) login(ctx context.Context, email, password string) (string, error) {
	if email == "" || password == "" {
		return "", errors.New("PANTAU_ADMIN_EMAIL and PANTAU_ADMIN_PASSWORD must be set")
	}
	var out struct {
		Token string `json:"token"`
	}
	err := c.json(ctx, http.MethodPost, "/api/v1/auth/login", "", map[string]string{"email": email, "password": password}, &out)
	return out.Token, err
}

// createUser adds a user with a random password through the API and signs them in.
func (c *client) createUser(ctx context.Context, adminToken, role, tag string) (string, error) {
	b := make([]byte, 12)
	rand.Read(b)
	password := hex.EncodeToString(b)
	email := fmt.Sprintf("load-%s-%s@example.com", role, tag)
	in := map[string]string{"email": email, "name": "Load " + role, "role": role, "password": password}
	if err := c.json(ctx, http.MethodPost, "/api/v1/users", adminToken, in, nil); err != nil {
		return "", fmt.Errorf("create %s: %w", role, err)
	}
	return c.login(ctx, email, password)
}

type target struct{ region, indicator string }

// workload lists the period's items in the order workers take them: each indicator across
// every Pemda in turn, so that concurrent workers touch different Pemda.
func (c *client) workload(ctx context.Context, token string, year int) ([]target, error) {
	var regions []struct {
		Code string `json:"code"`
	}
	if err := c.json(ctx, http.MethodGet, "/api/v1/regions", token, nil, &regions); err != nil {
		return nil, fmt.Errorf("regions: %w", err)
	}
	var indicators []struct {
		Code string `json:"code"`
	}
	if err := c.json(ctx, http.MethodGet, fmt.Sprintf("/api/v1/periods/%d/indicators", year), token, nil, &indicators); err != nil {
		return nil, fmt.Errorf("indicators: %w", err)
	}
	if len(regions) == 0 || len(indicators) == 0 {
		return nil, errors.New("the period has no regions or indicators: seed it first (pantau seed --national)")
	}
	out := make([]target, 0, len(regions)*len(indicators))
	for _, ind := range indicators {
		for _, r := range regions {
			out = append(out, target{r.Code, ind.Code})
		}
	}
	return out, nil
}

// evidencePDF is a minimal well-formed one-page PDF, its cross-reference offsets computed.
func evidencePDF() []byte {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		"<< /Length 52 >>\nstream\nBT /F1 18 Tf 72 760 Td (Bukti dukung - uji beban) Tj ET\nendstream",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

type result struct {
	op, claim, evidence, review time.Duration
	err                         error
}

func writes(args []string) error {
	var (
		year        int
		concurrency int
		maxOps      int
		duration    time.Duration
		mode        string
	)
	base, err := baseFlags("writes", args, func(fs *flag.FlagSet) {
		fs.StringVar(&mode, "mode", "cycle", "cycle (claim → evidence → approve) or claims (one claim per operation)")
		fs.IntVar(&year, "year", 2025, "the period")
		fs.IntVar(&concurrency, "concurrency", 8, "operations in flight at once")
		fs.IntVar(&maxOps, "ops", 3000, "stop after this many operations")
		fs.DurationVar(&duration, "duration", 15*time.Second, "stop after this long")
	})
	if err != nil {
		return err
	}
	if concurrency < 1 || maxOps < 1 || duration <= 0 || duration > 10*time.Minute || (mode != "cycle" && mode != "claims") {
		return errors.New("concurrency and ops must be positive, duration between 0 and 10m, mode cycle or claims")
	}
	ctx := context.Background()
	c := &client{base: base, http: &http.Client{Timeout: 30 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: concurrency * 2, MaxConnsPerHost: concurrency * 2}}}
	admin, err := c.login(ctx, os.Getenv("PANTAU_ADMIN_EMAIL"), os.Getenv("PANTAU_ADMIN_PASSWORD"))
	if err != nil {
		return fmt.Errorf("admin sign-in: %w", err)
	}
	tag := fmt.Sprintf("%d", time.Now().UnixNano())
	coordinator, err := c.createUser(ctx, admin, "coordinator", tag)
	if err != nil {
		return err
	}
	reviewer, err := c.createUser(ctx, admin, "reviewer", tag)
	if err != nil {
		return err
	}
	targets, err := c.workload(ctx, admin, year)
	if err != nil {
		return err
	}
	maxOps = min(maxOps, len(targets))
	pdf := evidencePDF()

	var next atomic.Int64
	results := make(chan result, maxOps)
	runCtx, cancel := context.WithTimeout(ctx, duration)
	defer cancel()
	start := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < concurrency; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for runCtx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= maxOps {
					return
				}
				// Different values per operation so that every claim is a change.
				progress := 50 + (i*7)%51
				if mode == "claims" {
					results <- claimItem(runCtx, c, year, targets[i], coordinator, progress)
					continue
				}
				results <- verifyItem(runCtx, c, year, targets[i], coordinator, reviewer, pdf, progress)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(results)
	return report(results, elapsed, concurrency, mode)
}

func itemPath(year int, t target) string {
	return fmt.Sprintf("/api/v1/periods/%d/regions/%s/items/%s", year, url.PathEscape(t.region), url.PathEscape(t.indicator))
}

// claimItem is one single-item write: a claim.
func claimItem(ctx context.Context, c *client, year int, t target, coordinator string, progress int) result {
	begin := time.Now()
	err := c.json(ctx, http.MethodPatch, itemPath(year, t), coordinator, map[string]any{"progress": progress, "note": "uji beban"}, nil)
	if err != nil {
		err = fmt.Errorf("claim: %w", err)
	}
	d := time.Since(begin)
	return result{op: d, claim: d, err: err}
}

func verifyItem(ctx context.Context, c *client, year int, t target, coordinator, reviewer string, pdf []byte, progress int) result {
	item := itemPath(year, t)
	var r result
	begin := time.Now()
	r.err = c.json(ctx, http.MethodPatch, item, coordinator, map[string]any{"progress": progress, "note": "uji beban"}, nil)
	r.claim = time.Since(begin)
	if r.err != nil {
		r.err = fmt.Errorf("claim: %w", r.err)
		return r
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	part, _ := mw.CreateFormFile("file", fmt.Sprintf("bukti-%s-%s.pdf", t.region, t.indicator))
	part.Write(pdf)
	mw.Close()
	t0 := time.Now()
	var ev struct {
		ID int64 `json:"id"`
	}
	r.err = c.do(ctx, http.MethodPost, item+"/evidence", coordinator, mw.FormDataContentType(), &body, &ev)
	r.evidence = time.Since(t0)
	if r.err != nil {
		r.err = fmt.Errorf("evidence: %w", r.err)
		return r
	}
	t0 = time.Now()
	r.err = c.json(ctx, http.MethodPost, item+"/reviews", reviewer, map[string]any{"decision": "approve", "comment": "Sesuai bukti (uji beban).",
		"accept_evidence": []int64{ev.ID}}, nil)
	r.review = time.Since(t0)
	if r.err != nil {
		r.err = fmt.Errorf("review: %w", r.err)
	}
	r.op = time.Since(begin)
	return r
}

func report(results <-chan result, elapsed time.Duration, concurrency int, mode string) error {
	var ops, claims, evidence, reviews []time.Duration
	errs := map[string]int{}
	for r := range results {
		if r.err != nil {
			if errors.Is(r.err, context.DeadlineExceeded) {
				continue // cut off by -duration
			}
			msg := r.err.Error()
			if len(msg) > 160 {
				msg = msg[:160]
			}
			errs[msg]++
			continue
		}
		ops, claims, evidence, reviews = append(ops, r.op), append(claims, r.claim), append(evidence, r.evidence), append(reviews, r.review)
	}
	nerr := 0
	for msg, n := range errs {
		fmt.Fprintf(os.Stderr, "error ×%d: %s\n", n, msg)
		nerr += n
	}
	rate := float64(len(ops)) / elapsed.Seconds()
	if mode == "claims" {
		fmt.Printf("claims: %d single-item writes in %s with %d workers, %d errors; p50 %s p99 %s\n",
			len(ops), elapsed.Round(time.Millisecond), concurrency, nerr, pct(ops, 50), pct(ops, 99))
	} else {
		fmt.Printf("claim-and-verify: %d operations (3 requests each) in %s with %d workers, %d errors\n", len(ops), elapsed.Round(time.Millisecond), concurrency, nerr)
		fmt.Printf("  operation p50 %s p99 %s | claim p99 %s | evidence p99 %s | review p99 %s\n",
			pct(ops, 50), pct(ops, 99), pct(claims, 99), pct(evidence, 99), pct(reviews, 99))
	}
	fmt.Printf("RESULT ops=%d errors=%d ops_per_s=%.1f p50_ms=%.1f p99_ms=%.1f\n", len(ops), nerr, rate, ms(pct(ops, 50)), ms(pct(ops, 99)))
	if len(ops) == 0 {
		return errors.New("no operation succeeded")
	}
	return nil
}

func pct(d []time.Duration, p int) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := (len(s)*p+99)/100 - 1
	return s[max(0, min(i, len(s)-1))].Round(100 * time.Microsecond)
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// sqliteBound measures how many one-row write transactions per second SQLite commits on this
// disk with the settings pantau serve uses: the bound single-item writes on SQLite are held to.
func sqliteBound(args []string) error {
	fs := flag.NewFlagSet("sqlite-bound", flag.ContinueOnError)
	dir := fs.String("dir", os.TempDir(), "directory for the scratch database")
	duration := fs.Duration("duration", 10*time.Second, "how long to measure")
	if err := fs.Parse(args); err != nil {
		return err
	}
	path := filepath.Join(*dir, "bound.db")
	defer os.Remove(path)
	db, err := sql.Open("sqlite", "file:"+path+"?_txlock=immediate&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v INTEGER NOT NULL)"); err != nil {
		return err
	}
	for i := 0; i < 1000; i++ {
		if _, err := db.Exec("INSERT OR IGNORE INTO t (id, v) VALUES (?, 0)", i); err != nil {
			return err
		}
	}
	update, err := db.Prepare("UPDATE t SET v = v + 1 WHERE id = ?")
	if err != nil {
		return err
	}
	defer update.Close()
	var lat []time.Duration
	start := time.Now()
	for i := 0; time.Since(start) < *duration; i++ {
		t0 := time.Now()
		tx, err := db.Begin()
		if err != nil {
			return err
		}
		if _, err := tx.Stmt(update).Exec(i % 1000); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
		lat = append(lat, time.Since(t0))
	}
	elapsed := time.Since(start)
	fmt.Printf("RESULT tps=%.1f p99_ms=%.2f\n", float64(len(lat))/elapsed.Seconds(), ms(pct(lat, 99)))
	return nil
}
