package main

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/modelstest"
)

// cli runs the program with an environment and standard input, returning exit code and output.
func cli(t *testing.T, env map[string]string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	getenv := func(k string) string { return env[k] }
	code := run(context.Background(), args, getenv, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

// envs gives one environment per database: SQLite in a fresh directory, PostgreSQL in a fresh schema.
func envs(t *testing.T) map[string]map[string]string {
	out := map[string]map[string]string{"sqlite": {"PANTAU_DATA_DIR": t.TempDir()}}
	if os.Getenv(modelstest.PostgresURLEnv) != "" || os.Getenv(modelstest.RequirePostgresEnv) == "1" {
		out["postgres"] = map[string]string{"PANTAU_DATA_DIR": t.TempDir(), "DATABASE_URL": modelstest.PostgresURL(t)}
	}
	return out
}

func TestVersionHelpAndUsage(t *testing.T) {
	if code, out, _ := cli(t, nil, "", "version"); code != 0 || !strings.HasPrefix(out, "pantau ") {
		t.Fatalf("version: %d %q", code, out)
	}
	if code, out, _ := cli(t, nil, "", "help"); code != 0 || !strings.Contains(out, "pantau serve") {
		t.Fatalf("help: %d %q", code, out)
	}
	if code, _, errOut := cli(t, nil, "", "frobnicate"); code != 2 || !strings.Contains(errOut, "unknown command") {
		t.Fatalf("unknown: %d %q", code, errOut)
	}
	for _, cmd := range [][]string{{"serve", "--help"}, {"migrate", "--help"}, {"migrate", "--dry-run", "--help"}, {"user", "add", "--help"}, {"seed", "--help"}, {"backup", "--help"}, {"restore", "--help"}} {
		code, _, errOut := cli(t, nil, "", cmd...)
		if code != 0 || !strings.Contains(errOut, "Usage of pantau") {
			t.Errorf("%v: %d %q", cmd, code, errOut)
		}
	}
	if code, _, _ := cli(t, nil, "", "seed", "--nope"); code != 2 {
		t.Fatalf("bad flag: %d", code)
	}
	if code, _, errOut := cli(t, nil, "", "backup"); code != 2 || !strings.Contains(errOut, "-o FILE") {
		t.Fatalf("backup without -o: %d %q", code, errOut)
	}
	if code, _, errOut := cli(t, nil, "", "restore"); code != 2 || !strings.Contains(errOut, "name the one archive") {
		t.Fatalf("restore without an archive: %d %q", code, errOut)
	}
}

func TestConfigErrorsAreClear(t *testing.T) {
	dir := t.TempDir()
	cases := map[string]map[string]string{
		"DATABASE_URL must start with postgres://":    {"DATABASE_URL": "mysql://x", "PANTAU_DATA_DIR": dir},
		"PANTAU_MAX_UPLOAD_MB":                        {"PANTAU_MAX_UPLOAD_MB": "lots", "PANTAU_DATA_DIR": dir},
		"PANTAU_LOG_LEVEL":                            {"PANTAU_LOG_LEVEL": "loud", "PANTAU_DATA_DIR": dir},
		"PANTAU_SESSION_TTL":                          {"PANTAU_SESSION_TTL": "forever", "PANTAU_DATA_DIR": dir},
		"PANTAU_TSA_URL / --tsa-url":                  {"PANTAU_TSA_URL": "ftp://tsa.example", "PANTAU_DATA_DIR": dir},
		"must be set together":                        {"PANTAU_ADMIN_EMAIL": "a@b.id", "PANTAU_DATA_DIR": dir},
		"PANTAU_ADMIN_PASSWORD must have at least 10": {"PANTAU_ADMIN_EMAIL": "a@b.id", "PANTAU_ADMIN_PASSWORD": "short", "PANTAU_DATA_DIR": dir},
		"PANTAU_ARGON2_SLOTS":                         {"PANTAU_ARGON2_SLOTS": "many", "PANTAU_DATA_DIR": dir},
		"PANTAU_SWEEP_INTERVAL":                       {"PANTAU_SWEEP_INTERVAL": "10s", "PANTAU_DATA_DIR": dir},
		"metrics address \"localhost\"":               {"PANTAU_METRICS_ADDRESSES": "10.0.0.0/8, localhost", "PANTAU_DATA_DIR": dir},
		"PANTAU_SMTP_URL / --smtp-url":                {"PANTAU_SMTP_URL": "http://mail.example", "PANTAU_MAIL_FROM": "a@b.id", "PANTAU_DATA_DIR": dir},
		"PANTAU_MAIL_FROM / --mail-from":              {"PANTAU_SMTP_URL": "smtp://localhost:25", "PANTAU_DATA_DIR": dir},
		"PANTAU_MAIL_RATE / --mail-rate":              {"PANTAU_MAIL_RATE": "fast", "PANTAU_DATA_DIR": dir},
		"PANTAU_REMINDER_DAYS / --reminder-days":      {"PANTAU_REMINDER_DAYS": "14,seven", "PANTAU_DATA_DIR": dir},
		"PANTAU_NOTIFICATION_RETENTION_DAYS":          {"PANTAU_NOTIFICATION_RETENTION_DAYS": "-3", "PANTAU_DATA_DIR": dir},
	}
	for want, env := range cases {
		code, _, errOut := cli(t, env, "", "serve")
		if code != 1 || !strings.Contains(errOut, want) {
			t.Errorf("%v: exit %d, %q; want %q", env, code, errOut, want)
		}
	}
}

func TestMigrateUserAddSeed(t *testing.T) {
	for name, env := range envs(t) {
		t.Run(name, func(t *testing.T) {
			code, out, errOut := cli(t, env, "", "migrate")
			if code != 0 || !strings.Contains(out, "applied migration 0001") {
				t.Fatalf("migrate: %d %q %q", code, out, errOut)
			}
			if code, out, _ := cli(t, env, "", "migrate"); code != 0 || !strings.Contains(out, "up to date") {
				t.Fatalf("second migrate: %d %q", code, out)
			}
			code, out, errOut = cli(t, env, "kata-sandi-panjang\n", "user", "add", "--email", "Admin@Pemprov.id", "--name", "Admin Provinsi", "--role", "admin")
			if code != 0 || !strings.Contains(out, "added admin@pemprov.id (admin") {
				t.Fatalf("user add: %d %q %q", code, out, errOut)
			}
			if code, _, errOut := cli(t, env, "pendek\n", "user", "add", "--email", "x@y.id", "--name", "X", "--role", "reviewer"); code != 1 || !strings.Contains(errOut, "password") {
				t.Fatalf("short password: %d %q", code, errOut)
			}
			if code, _, errOut := cli(t, env, "kata-sandi-panjang\n", "user", "add", "--email", "admin@pemprov.id", "--name", "X", "--role", "admin"); code != 1 || !strings.Contains(errOut, "already exists") {
				t.Fatalf("duplicate: %d %q", code, errOut)
			}
			if code, _, errOut := cli(t, env, "", "seed", "--demo"); code != 1 || !strings.Contains(errOut, "not empty") {
				t.Fatalf("seed into a non-empty database: %d %q", code, errOut)
			}
		})
	}
}

// TestServeDemoWalkthrough starts "pantau serve --demo" as a newcomer would, walks the loop
// over HTTP (login, claim with evidence, verify, summary), and stops it as SIGTERM would.
func TestServeDemoWalkthrough(t *testing.T) {
	for name, env := range envs(t) {
		t.Run(name, func(t *testing.T) {
			env["PANTAU_DEMO_PASSWORD"] = "kata-sandi-demo"
			env["PANTAU_TSA_URL"] = "local"
			srv := serveInProcess(t, env, "--demo")
			base, out, logs := srv.base, srv.out, srv.logs
			if !strings.Contains(out.String(), "reviewer@demo.pantau.id") || !strings.Contains(out.String(), "kata-sandi-demo") {
				t.Fatalf("demo logins not shown:\n%s", out.String())
			}
			token := func(email string) string {
				var r struct{ Token string }
				post(t, base+"/api/v1/auth/login", "", "application/json", `{"email":"`+email+`","password":"kata-sandi-demo"}`, 200, &r)
				return r.Token
			}
			op, rev := token("operator.seruyan@demo.pantau.id"), token("reviewer@demo.pantau.id")
			claim := func(year string) int {
				req, _ := http.NewRequest("PATCH", base+"/api/v1/periods/"+year+"/regions/62.08/items/PTSP.1", strings.NewReader(`{"progress": 100, "note": "Perbup 16/2017"}`))
				req.Header.Set("Authorization", "Bearer "+op)
				req.Header.Set("Content-Type", "application/json")
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				return res.StatusCode
			}
			if code := claim("2019"); code != http.StatusConflict {
				t.Fatalf("claim in the closed year: %d, want 409", code)
			}
			if code := claim("2020"); code != http.StatusOK {
				t.Fatalf("claim: %d", code)
			}
			item := base + "/api/v1/periods/2020/regions/62.08/items/PTSP.1"
			var mp bytes.Buffer
			w := multipart.NewWriter(&mp)
			fw, _ := w.CreateFormFile("file", "perbup.pdf")
			fw.Write([]byte("%PDF-1.4\n% Perbup Seruyan 16/2017\n%%EOF\n"))
			w.Close()
			var ev struct{ ID int64 }
			post(t, item+"/evidence", op, w.FormDataContentType(), mp.String(), 201, &ev)
			var reviewed struct{ Status string }
			post(t, item+"/reviews", rev, "application/json", fmt.Sprintf(`{"decision":"approve","accept_evidence":[%d]}`, ev.ID), 201, &reviewed)
			if reviewed.Status != "approved" {
				t.Fatalf("review: %+v", reviewed)
			}
			var sum struct {
				Average float64
				Areas   []struct {
					Code   string
					Counts map[string]int
				}
			}
			get(t, base+"/api/v1/periods/2019/summary?province=62", rev, &sum)
			if sum.Average != 69 || len(sum.Areas) != 8 || sum.Areas[2].Code != "PTSP" ||
				sum.Areas[2].Counts["complete"] != 1 || sum.Areas[2].Counts["green"] != 10 || sum.Areas[2].Counts["yellow"] != 4 {
				t.Fatalf("2019 summary: %+v", sum)
			}
			// The installation's CA publishes its CRL; its own TSA was made beside it.
			crlRes, err := http.Get(base + "/api/v1/signing/crl")
			if err != nil {
				t.Fatal(err)
			}
			crlDER, _ := io.ReadAll(crlRes.Body)
			crlRes.Body.Close()
			caRes, err := http.Get(base + "/api/v1/signing/ca.pem")
			if err != nil {
				t.Fatal(err)
			}
			caPEM, _ := io.ReadAll(caRes.Body)
			caRes.Body.Close()
			blk, _ := pem.Decode(caPEM)
			if blk == nil {
				t.Fatalf("ca.pem: %s", caPEM)
			}
			caCert, err := x509.ParseCertificate(blk.Bytes)
			if err != nil {
				t.Fatal(err)
			}
			if crl, err := x509.ParseRevocationList(crlDER); err != nil || crl.CheckSignatureFrom(caCert) != nil {
				t.Fatalf("the CRL: %v", err)
			}
			if _, err := os.Stat(filepath.Join(env["PANTAU_DATA_DIR"], "ca", "tsa.pem")); err != nil {
				t.Fatalf("the local TSA: %v", err)
			}
			srv.stop()
			if strings.Contains(logs.String(), "kata-sandi-demo") || strings.Contains(logs.String(), op) {
				t.Fatal("the request log contains a password or a token")
			}
			if !strings.Contains(logs.String(), `"route":"/api/v1/periods/:year/regions/:code/items/:indicator/reviews"`) {
				t.Fatalf("no structured request log:\n%s", logs.String())
			}
		})
	}
}

// served is "pantau serve" running in the test's process.
type served struct {
	t         *testing.T
	base      string
	out, logs *syncBuffer
	cancel    context.CancelFunc
	done      chan int
}

// serveInProcess runs "pantau serve ARGS" with env on a free port until it says where it runs;
// it is stopped when the test ends, if the test did not stop it.
func serveInProcess(t *testing.T, env map[string]string, args ...string) *served {
	t.Helper()
	env["PANTAU_ADDR"] = "127.0.0.1:0"
	ctx, cancel := context.WithCancel(context.Background())
	s := &served{t: t, out: &syncBuffer{}, logs: &syncBuffer{}, cancel: cancel, done: make(chan int, 1)}
	go func() {
		s.done <- run(ctx, append([]string{"serve"}, args...), func(k string) string { return env[k] }, strings.NewReader(""), s.out, s.logs)
	}()
	t.Cleanup(cancel)
	running := regexp.MustCompile(`running on (http://\S+)`)
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if m := running.FindStringSubmatch(s.out.String()); m != nil {
			s.base = m[1]
			return s
		}
	}
	t.Fatalf("server did not start:\n%s\n%s", s.out.String(), s.logs.String())
	return nil
}

// stop shuts the server down and fails the test unless it exits 0 within 15 seconds.
func (s *served) stop() {
	s.t.Helper()
	s.cancel()
	select {
	case code := <-s.done:
		if code != 0 {
			s.t.Fatalf("serve exited %d:\n%s", code, s.logs.String())
		}
	case <-time.After(15 * time.Second):
		s.t.Fatal("serve did not shut down")
	}
}

func post(t *testing.T, url, token, ctype, body string, want int, into any) {
	t.Helper()
	req, _ := http.NewRequest("POST", url, strings.NewReader(body))
	req.Header.Set("Content-Type", ctype)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	send(t, req, want, into)
}

func get(t *testing.T, url, token string, into any) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	send(t, req, 200, into)
}

func send(t *testing.T, req *http.Request, want int, into any) {
	t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(res.Body)
	if res.StatusCode != want {
		t.Fatalf("%s %s: %d %s, want %d", req.Method, req.URL.Path, res.StatusCode, buf.String(), want)
	}
	if into != nil {
		if err := json.Unmarshal(buf.Bytes(), into); err != nil {
			t.Fatal(err)
		}
	}
}

// syncBuffer is a bytes.Buffer safe for the server goroutine and the test to share.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestAuditVerifyCommand(t *testing.T) {
	for name, env := range envs(t) {
		t.Run(name, func(t *testing.T) {
			if code, _, errOut := cli(t, env, "kata-sandi-panjang\n", "user", "add", "--email", "a@pemprov.id", "--name", "A", "--role", "admin"); code != 0 {
				t.Fatal(errOut)
			}
			cli(t, env, "kata-sandi-panjang\n", "user", "add", "--email", "b@pemprov.id", "--name", "B", "--role", "reviewer")
			code, out, errOut := cli(t, env, "", "audit", "verify")
			if code != 0 || !strings.Contains(out, "audit chain intact: 2 events") {
				t.Fatalf("intact: %d %q %q", code, out, errOut)
			}
			raw := modelstest.RawOpen(t, models.Options{DatabaseURL: env["DATABASE_URL"], DataDir: env["PANTAU_DATA_DIR"]})
			if err := raw.Exec("UPDATE audit_events SET after_json = REPLACE(after_json, 'reviewer', 'admin') WHERE seq = 2").Error; err != nil {
				t.Fatal(err)
			}
			code, _, errOut = cli(t, env, "", "audit", "verify")
			if code != 1 || !strings.Contains(errOut, "event 2") || !strings.Contains(errOut, "edited") {
				t.Fatalf("tampered: %d %q", code, errOut)
			}
		})
	}
}
