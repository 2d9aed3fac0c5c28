package api

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pantau-id/pantau/models/modelstest"
)

// tcpProxy forwards connections to a target until it is cut, which drops every connection
// and refuses new ones, as a database outage would; restore listens again on the same port.
type tcpProxy struct {
	target, addr string
	mu           sync.Mutex
	ln           net.Listener
	conns        []net.Conn
}

func newProxy(t *testing.T, target string) *tcpProxy {
	p := &tcpProxy{target: target}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.addr = ln.Addr().String()
	p.serve(ln)
	t.Cleanup(p.cut)
	return p
}

func (p *tcpProxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, up)
			p.mu.Unlock()
			go func() { io.Copy(up, c); up.Close() }()
			go func() { io.Copy(c, up); c.Close() }()
		}
	}()
}

func (p *tcpProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

func (p *tcpProxy) restore(t *testing.T) {
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		t.Fatal(err)
	}
	p.serve(ln)
}

// TestReadyzFollowsTheDatabase cuts PostgreSQL away from a running server: /readyz and data
// routes answer 503 in the contract's shape, and both recover by themselves when it returns.
func TestReadyzFollowsTheDatabase(t *testing.T) {
	dsn := modelstest.PostgresURL(t)
	u, _ := url.Parse(dsn)
	proxy := newProxy(t, u.Host)
	u.Host = proxy.addr
	e := newEnv(t, openPostgres(t, u.String()))
	e.mustOK(e.call("GET", "/readyz", asAnonymous, nil))

	// Load before, during and after the cut: every answer is a success or a 503 in the
	// contract's shape — never a 500, never a hang.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	seen := map[int]int{}
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			client := &http.Client{Timeout: 10 * time.Second}
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				path, method, body := "/api/v1/periods/2019/summary", "GET", ""
				if w%2 == 1 {
					path, method, body = "/api/v1/periods/2019/regions/62.08/items/I1", "PATCH", fmt.Sprintf(`{"progress": %d}`, n%100)
				}
				req, _ := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+e.tokens["coordinator"])
				req.Header.Set("Content-Type", "application/json")
				res, err := client.Do(req)
				if err != nil {
					t.Errorf("%s %s: %v (a hang or a dropped connection)", method, path, err)
					return
				}
				b, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if res.StatusCode == 503 && !strings.Contains(string(b), `"code":"unavailable"`) {
					t.Errorf("503 without the contract's body: %s", b)
				}
				mu.Lock()
				seen[res.StatusCode]++
				mu.Unlock()
			}
		}(w)
	}
	time.Sleep(300 * time.Millisecond)
	proxy.cut()
	time.Sleep(time.Second)
	e.expect(e.call("GET", "/readyz", asAnonymous, nil), 503, "unavailable")
	e.expect(e.call("GET", "/api/v1/regions", "reviewer", nil), 503, "unavailable")
	e.mustOK(e.call("GET", "/healthz", asAnonymous, nil))

	proxy.restore(t)
	var last *response
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if last = e.call("GET", "/readyz", asAnonymous, nil); last.Status == 200 {
			break
		}
	}
	if last.Status != 200 {
		t.Fatalf("readyz did not recover: %d %s", last.Status, last.Body)
	}
	e.mustOK(e.call("GET", "/api/v1/regions", "reviewer", nil))
	time.Sleep(300 * time.Millisecond)
	close(stop)
	wg.Wait()
	for code, n := range seen {
		if code != 200 && code != 503 {
			t.Errorf("%d answers with status %d under the outage", n, code)
		}
	}
	if seen[503] == 0 || seen[200] == 0 {
		t.Errorf("the load saw no outage or no success: %v", seen)
	}
}
