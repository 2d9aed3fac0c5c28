package main

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pantau-id/pantau/reports/pdfsign/pdfsigntest"
)

// proc reads a running server's memory and CPU from /proc.
type proc struct{ pid int }

// status returns a field of /proc/PID/status in bytes (VmRSS, VmHWM), or 0 once the process
// is gone.
func (p proc) status(field string) int64 {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.pid))
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, field+":") {
			kb, _ := strconv.ParseInt(strings.Fields(line)[1], 10, 64)
			return kb << 10
		}
	}
	return 0
}

// resetPeak starts a new VmHWM measurement.
func (p proc) resetPeak(t *testing.T) {
	t.Helper()
	if err := os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", p.pid), []byte("5"), 0); err != nil {
		t.Fatal(err)
	}
}

// cpu returns the process's user and system CPU time so far (clock ticks of 10 ms).
func (p proc) cpu(t *testing.T) time.Duration {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", p.pid))
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+2:]))
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

func mib(n int64) string { return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20)) }

// multipartFile is a multipart body with file as the field "file".
func multipartFile(file []byte) ([]byte, string) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	fw, _ := w.CreateFormFile("file", "dokumen.pdf")
	fw.Write(file)
	w.Close()
	return buf.Bytes(), w.FormDataContentType()
}

// rawConn opens a connection and sends head and then body at the pace of send; it returns a
// channel that receives once the server has ended the exchange (answered and closed, or cut
// the connection), with what the server sent.
func rawConn(t *testing.T, addr, head string, send func(w io.Writer) error) <-chan string {
	t.Helper()
	ended := make(chan string, 1)
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Errorf("dial: %v", err)
		ended <- ""
		return ended
	}
	t.Cleanup(func() { c.Close() })
	go func() {
		b, _ := io.ReadAll(c) // until the server closes, or resets
		ended <- string(b)
		c.Close()
	}()
	go func() {
		if _, err := io.WriteString(c, head); err == nil {
			send(c)
		}
	}()
	return ended
}

// TestAttackOnPublicEndpoints mounts, against the real binary, the attack of the review: a
// hundred sign-ins at once, one hostile file check alone (the review's 190,000 objects in
// 18 MiB, and the costliest file within the verifier's bounds), then six of each at once
// together with twenty connections that send 19 MiB of a file and stall and three hundred that
// trickle a sign-in body, while a signed-in user keeps working. The limits must hold, the
// server must end every stalled and slow connection by itself and keep answering the user; its
// CPU, peak memory and the user's latencies are logged for the record (figures, not
// assertions: the machine's load decides them).
func TestAttackOnPublicEndpoints(t *testing.T) {
	bin := buildPantau(t)
	for name, env := range envs(t) {
		t.Run(name, func(t *testing.T) {
			env["PANTAU_ADMIN_EMAIL"], env["PANTAU_ADMIN_PASSWORD"] = "admin@uji.pantau.id", "kata-sandi-admin"
			env["PANTAU_LOG_LEVEL"] = "error"
			// An orphan from an earlier crash, which the sweep at start removes.
			orphan := filepath.Join(env["PANTAU_DATA_DIR"], "evidence", "ab", strings.Repeat("ab", 32))
			os.MkdirAll(filepath.Dir(orphan), 0o750)
			os.WriteFile(orphan, []byte("%PDF-1.4 orphan"), 0o600)
			old := time.Now().Add(-2 * time.Hour)
			os.Chtimes(orphan, old, old)

			s := startServer(t, bin, env)
			p := proc{pid: s.cmd.Process.Pid}
			addr := strings.TrimPrefix(s.base, "http://")
			var login struct{ Token string }
			s.mustJSON(t, "POST", "/api/v1/auth/login", "", map[string]string{"email": "admin@uji.pantau.id", "password": "kata-sandi-admin"}, &login)
			for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
				if _, err := os.Stat(orphan); os.IsNotExist(err) {
					break
				} else if time.Now().After(deadline) {
					t.Fatal("the sweep at start left an orphaned file")
				}
			}

			// A hundred sign-ins at once for one account, then for a hundred unknown e-mails from
			// one address: at most the limits (5 per account, 20 per address) are checked.
			failedSignIns := func() int {
				var page struct{ Events []struct{ Action string } }
				s.mustJSON(t, "GET", "/api/v1/audit?entity=session&limit=1000", login.Token, nil, &page)
				n := 0
				for _, e := range page.Events {
					if e.Action == "login_failed" {
						n++
					}
				}
				return n
			}
			for _, b := range []struct {
				name  string
				email func(i int) string
				limit int
			}{
				{"one account", func(int) string { return "admin@uji.pantau.id" }, 5},
				{"unknown e-mails from one address", func(i int) string { return fmt.Sprintf("tidak-ada-%d@uji.pantau.id", i) }, 20 - 5},
			} {
				p.resetPeak(t)
				before, cpu0 := failedSignIns(), p.cpu(t)
				statuses := make(chan int, 100)
				for i := 0; i < 100; i++ {
					go func(i int) {
						body := fmt.Sprintf(`{"email":%q,"password":"tebakan-salah"}`, b.email(i))
						code, _ := s.api("POST", "/api/v1/auth/login", "", "application/json", []byte(body))
						statuses <- code
					}(i)
				}
				answers := map[int]int{}
				for i := 0; i < 100; i++ {
					answers[<-statuses]++
				}
				checked := failedSignIns() - before
				t.Logf("100 sign-ins at once, %s: %d passwords checked, answers %v; server CPU %v, peak RSS %s",
					b.name, checked, answers, p.cpu(t)-cpu0, mib(p.status("VmHWM")))
				if checked > b.limit || answers[401] != checked || answers[401]+answers[429]+answers[503] != 100 {
					t.Fatalf("%s: %d checked (limit %d), answers %v", b.name, checked, b.limit, answers)
				}
			}

			// The review's file (190,000 objects in 18 MiB, refused by its size) and the costliest
			// file within the verifier's bounds (9,000 objects in 7 MiB, read again at each of
			// fifteen signed revisions until the time budget ends).
			review, reviewType := multipartFile(pdfsigntest.ManyObjects(190000, 18<<20))
			worst, worstType := multipartFile(pdfsigntest.SignedRevisions(9000, 7<<20, 15))
			verify := func(body []byte, ctype string) int {
				code, _ := s.api("POST", "/api/v1/verify", "", ctype, body)
				return code
			}
			for _, f := range []struct {
				name, ctype string
				body        []byte
			}{{"the review's 190,000 objects in 18 MiB", reviewType, review}, {"15 signed revisions of 9,000 objects in 7 MiB", worstType, worst}} {
				p.resetPeak(t)
				base, cpu0 := p.status("VmRSS"), p.cpu(t)
				if code := verify(f.body, f.ctype); code != 200 {
					t.Fatalf("hostile file check (%s): %d", f.name, code)
				}
				t.Logf("one hostile file check alone (%s): %v server CPU, peak RSS %s (%s before)",
					f.name, p.cpu(t)-cpu0, mib(p.status("VmHWM")), mib(base))
			}

			// The attack, with a user working throughout.
			p.resetPeak(t)
			cpu0 := p.cpu(t)
			stop := make(chan struct{})
			var latencies []time.Duration
			userStatus := map[int]int{}
			var user sync.WaitGroup
			user.Add(1)
			go func() {
				defer user.Done()
				client := &http.Client{Timeout: 30 * time.Second}
				for {
					select {
					case <-stop:
						return
					case <-time.After(25 * time.Millisecond):
					}
					req, _ := http.NewRequest("GET", s.base+"/api/v1/periods", nil)
					req.Header.Set("Authorization", "Bearer "+login.Token)
					start := time.Now()
					res, err := client.Do(req)
					code := 0
					if err == nil {
						io.Copy(io.Discard, res.Body)
						res.Body.Close()
						code = res.StatusCode
					}
					latencies = append(latencies, time.Since(start))
					userStatus[code]++
				}
			}()
			var peakRSS atomic.Int64
			go func() {
				for {
					select {
					case <-stop:
						return
					case <-time.After(100 * time.Millisecond):
						if r := p.status("VmRSS"); r > peakRSS.Load() {
							peakRSS.Store(r)
						}
					}
				}
			}()
			started := time.Now()
			hostile := make(chan int, 12)
			for i := 0; i < 6; i++ {
				go func() { hostile <- verify(worst, worstType) }()
				go func() { hostile <- verify(review, reviewType) }()
			}
			var stalled, slow []<-chan string
			chunk := bytes.Repeat([]byte("%PDF-1.7 stalled "), 1<<16)
			for i := 0; i < 20; i++ {
				head := fmt.Sprintf("POST /api/v1/verify HTTP/1.1\r\nHost: %s\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: %d\r\n\r\n", addr, 20<<20)
				stalled = append(stalled, rawConn(t, addr, head, func(w io.Writer) error {
					io.WriteString(w, "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n")
					for sent := 0; sent < 19<<20; sent += len(chunk) {
						if _, err := w.Write(chunk); err != nil {
							return err
						}
					}
					select {} // and stall
				}))
			}
			for i := 0; i < 300; i++ {
				head := fmt.Sprintf("POST /api/v1/auth/login HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n", addr)
				slow = append(slow, rawConn(t, addr, head, func(w io.Writer) error {
					for {
						if _, err := w.Write([]byte(" ")); err != nil {
							return err
						}
						time.Sleep(2 * time.Second)
					}
				}))
			}
			answers := map[int]int{}
			for i := 0; i < 12; i++ {
				answers[<-hostile]++
			}
			giveUp := started.Add(3 * time.Minute)
			var open []string
			waitAll := func(what string, conns []<-chan string) time.Duration {
				for i, c := range conns {
					select {
					case <-c:
					case <-time.After(time.Until(giveUp)):
						open = append(open, fmt.Sprintf("%s: %d of %d connections still open after 3 minutes", what, len(conns)-i, len(conns)))
						return 0
					}
				}
				return time.Since(started)
			}
			slowDone := waitAll("slow sign-in bodies", slow)
			stalledDone := waitAll("stalled 19 MiB uploads", stalled)
			close(stop)
			user.Wait()
			sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
			pct := func(q float64) time.Duration {
				return latencies[int(q*float64(len(latencies)-1))].Round(time.Millisecond)
			}
			t.Logf("attack: 12 hostile file checks %v; 300 slow bodies all ended after %v, 20 stalled uploads after %v; "+
				"server CPU %v, peak RSS %s (VmHWM %s); the user's %d requests %v: p50 %v, p99 %v, max %v",
				answers, slowDone.Round(time.Second), stalledDone.Round(time.Second), p.cpu(t)-cpu0, mib(peakRSS.Load()), mib(p.status("VmHWM")),
				len(latencies), userStatus, pct(0.5), pct(0.99), pct(1))
			if len(open) > 0 {
				t.Fatal(strings.Join(open, "; "))
			}
			if answers[200]+answers[503] != 12 {
				t.Fatalf("hostile file checks answered %v; want 200 or 503 (busy)", answers)
			}
			if userStatus[200] != len(latencies) {
				t.Fatalf("the user's requests failed during the attack: %v", userStatus)
			}
		})
	}
}
