package main

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// buildPantau compiles the real binary once per test run.
func buildPantau(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "pantau")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// server is a running pantau process.
type server struct {
	cmd  *exec.Cmd
	base string
	logs *syncBuffer
}

func startServer(t *testing.T, bin string, env map[string]string) *server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(), "PANTAU_ADDR="+addr)
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	s := &server{cmd: cmd, base: "http://" + addr, logs: &syncBuffer{}}
	cmd.Stdout, cmd.Stderr = s.logs, s.logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if res, err := http.Get(s.base + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return s
			}
		}
	}
	t.Fatalf("server did not become ready:\n%s", s.logs.String())
	return nil
}

// api sends a JSON or multipart request and returns the status and body; a transport error
// (the server was killed) is status 0.
func (s *server) api(method, path, token, ctype string, body []byte) (int, []byte) {
	req, _ := http.NewRequest(method, s.base+path, bytes.NewReader(body))
	req.Header.Set("Content-Type", ctype)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	client := &http.Client{Timeout: 20 * time.Second}
	res, err := client.Do(req)
	if err != nil {
		return 0, nil
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return 0, nil
	}
	return res.StatusCode, b
}

func (s *server) mustJSON(t *testing.T, method, path, token string, body any, into any) {
	t.Helper()
	b, _ := json.Marshal(body)
	code, out := s.api(method, path, token, "application/json", b)
	if code < 200 || code > 299 {
		t.Fatalf("%s %s: %d %s", method, path, code, out)
	}
	if into != nil {
		json.Unmarshal(out, into)
	}
}

type ackedUpload struct {
	id  int64
	sha string
}

// TestCrashLosesNoAcknowledgedWrite runs concurrent claims and uploads against a real server,
// kills it with SIGKILL mid-way, restarts it, and checks that every acknowledged write is there
// (evidence byte for byte) and that the audit chain still verifies.
func TestCrashLosesNoAcknowledgedWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills a real server")
	}
	bin := buildPantau(t)
	for name, env := range envs(t) {
		t.Run(name, func(t *testing.T) {
			env["PANTAU_ADMIN_EMAIL"], env["PANTAU_ADMIN_PASSWORD"] = "admin@crash.test", "kata-sandi-panjang"
			s := startServer(t, bin, env)
			var login struct{ Token string }
			s.mustJSON(t, "POST", "/api/v1/auth/login", "", map[string]string{"email": "admin@crash.test", "password": "kata-sandi-panjang"}, &login)
			tok := login.Token
			s.mustJSON(t, "POST", "/api/v1/regions", tok, map[string]string{"code": "62.08", "name": "Kabupaten Seruyan", "kind": "regency"}, nil)
			s.mustJSON(t, "POST", "/api/v1/periods", tok, map[string]any{"year": 2019}, nil)
			s.mustJSON(t, "POST", "/api/v1/periods/2019/areas", tok, map[string]string{"code": "PTSP", "name": "PTSP"}, nil)
			const indicators = 6
			for i := 0; i < indicators; i++ {
				s.mustJSON(t, "POST", "/api/v1/periods/2019/indicators", tok, map[string]string{"code": fmt.Sprintf("I%d", i), "area": "PTSP", "title": "Indikator"}, nil)
			}

			var mu sync.Mutex
			claims := map[string]int{} // indicator → acknowledged claims
			var uploads []ackedUpload
			stop := make(chan struct{})
			var wg sync.WaitGroup
			for w := 0; w < 6; w++ {
				wg.Add(1)
				go func(w int) {
					defer wg.Done()
					ind := fmt.Sprintf("I%d", w%indicators)
					item := "/api/v1/periods/2019/regions/62.08/items/" + ind
					for n := 0; ; n++ {
						select {
						case <-stop:
							return
						default:
						}
						if w%2 == 0 {
							body, _ := json.Marshal(map[string]any{"progress": n % 101})
							if code, _ := s.api("PATCH", item, tok, "application/json", body); code == 200 {
								mu.Lock()
								claims[ind]++
								mu.Unlock()
							}
							continue
						}
						doc := make([]byte, 4096+n%4096)
						rand.Read(doc)
						copy(doc, "%PDF-1.4\n")
						var buf bytes.Buffer
						mw := multipart.NewWriter(&buf)
						fw, _ := mw.CreateFormFile("file", "bukti.pdf")
						fw.Write(doc)
						mw.Close()
						code, out := s.api("POST", item+"/evidence", tok, mw.FormDataContentType(), buf.Bytes())
						if code == 201 {
							var ev struct{ ID int64 }
							json.Unmarshal(out, &ev)
							sum := sha256.Sum256(doc)
							mu.Lock()
							uploads = append(uploads, ackedUpload{ev.ID, hex.EncodeToString(sum[:])})
							mu.Unlock()
						}
					}
				}(w)
			}
			// Kill once enough writes were acknowledged to prove something, with more in flight;
			// how long that takes depends on the machine's load, so it is awaited, not timed.
			acked := func() int {
				mu.Lock()
				defer mu.Unlock()
				n := len(uploads)
				for _, c := range claims {
					n += c
				}
				return n
			}
			for wait := time.Now().Add(60 * time.Second); acked() < 30 && time.Now().Before(wait); {
				time.Sleep(20 * time.Millisecond)
			}
			if err := s.cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			s.cmd.Wait()
			close(stop)
			wg.Wait()
			mu.Lock()
			defer mu.Unlock()
			total := len(uploads)
			for _, n := range claims {
				total += n
			}
			if total < 10 {
				t.Fatalf("too few acknowledged writes before the kill (%d) to prove anything", total)
			}

			s = startServer(t, bin, env)
			s.mustJSON(t, "POST", "/api/v1/auth/login", "", map[string]string{"email": "admin@crash.test", "password": "kata-sandi-panjang"}, &login)
			for _, u := range uploads {
				code, body := s.api("GET", fmt.Sprintf("/api/v1/evidence/%d", u.id), login.Token, "", nil)
				sum := sha256.Sum256(body)
				if code != 200 || hex.EncodeToString(sum[:]) != u.sha {
					t.Errorf("acknowledged evidence %d: %d, sha256 %x, want %s", u.id, code, sum, u.sha)
				}
			}
			for ind, n := range claims {
				var hist []struct{ Action string }
				s.mustJSON(t, "GET", "/api/v1/periods/2019/regions/62.08/items/"+ind+"/history", login.Token, nil, &hist)
				got := 0
				for _, h := range hist {
					if h.Action == "claim" {
						got++
					}
				}
				if got < n {
					t.Errorf("%s: %d claims in the history, %d were acknowledged", ind, got, n)
				}
			}
			s.cmd.Process.Signal(syscall.SIGTERM)
			s.cmd.Wait()
			code, out, errOut := cli(t, env, "", "audit", "verify")
			if code != 0 || !strings.Contains(out, "intact") {
				t.Fatalf("audit chain after the crash: %d %s %s", code, out, errOut)
			}
			t.Logf("%s: %d acknowledged uploads and %d claims survived SIGKILL", name, len(uploads), total-len(uploads))
		})
	}
}
