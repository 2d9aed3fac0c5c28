// Package mailpittest starts a real SMTP server for tests — mailpit
// (github.com/axllent/mailpit), on free local ports — and reads what it received through its
// HTTP API.
package mailpittest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Server is a running mailpit.
type Server struct {
	// SMTPURL is its SMTP address as PANTAU_SMTP_URL spells it (smtp://127.0.0.1:PORT).
	SMTPURL string
	// API is the base address of its HTTP API.
	API string
}

// binary finds mailpit: $PANTAU_MAILPIT, then PATH, then the cache scripts/deps.sh installs
// it into (${XDG_CACHE_HOME:-$HOME/.cache}/pantau/bin).
func binary() string {
	if p := os.Getenv("PANTAU_MAILPIT"); p != "" {
		return p
	}
	if p, err := exec.LookPath("mailpit"); err == nil {
		return p
	}
	cache := os.Getenv("XDG_CACHE_HOME")
	if cache == "" {
		home, _ := os.UserHomeDir()
		cache = filepath.Join(home, ".cache")
	}
	p := filepath.Join(cache, "pantau", "bin", "mailpit")
	if _, err := os.Stat(p); err == nil {
		return p
	}
	return ""
}

// freePort returns a local TCP port nobody listens on right now.
func freePort(tb testing.TB) int {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// TLS modes for StartTLS.
const (
	// RequireSTARTTLS: plain SMTP that must be upgraded with STARTTLS (smtp://).
	RequireSTARTTLS = "--smtp-require-starttls"
	// RequireTLS: TLS from the first byte (smtps://).
	RequireTLS = "--smtp-require-tls"
)

// StartTLS runs a mailpit that speaks TLS as mode says, with a certificate for 127.0.0.1
// made for the test, accepting any user name and password; the returned pool trusts it.
func StartTLS(tb testing.TB, mode string) (*Server, *x509.CertPool) {
	tb.Helper()
	dir := tb.TempDir()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "mailpit test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		tb.Fatal(err)
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		tb.Fatal(err)
	}
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8}), 0o600); err != nil {
		tb.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		tb.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	s := Start(tb, "--smtp-tls-cert", certFile, "--smtp-tls-key", keyFile, mode, "--smtp-auth-accept-any")
	return s, pool
}

// Start runs a mailpit for the test, with extra command-line arguments, stopped at its end.
// Without mailpit installed the test is skipped, unless PANTAU_TEST_REQUIRE_MAILPIT is set (as
// scripts/test.sh and CI do): then it fails.
func Start(tb testing.TB, args ...string) *Server {
	tb.Helper()
	bin := binary()
	if bin == "" {
		if os.Getenv("PANTAU_TEST_REQUIRE_MAILPIT") != "" {
			tb.Fatal("mailpit is not installed (scripts/deps.sh installs it) and PANTAU_TEST_REQUIRE_MAILPIT is set")
		}
		tb.Skip("mailpit is not installed; scripts/deps.sh installs it")
	}
	for attempt := 0; ; attempt++ {
		smtp, web := freePort(tb), freePort(tb)
		cmd := exec.Command(bin, append([]string{"--smtp", fmt.Sprintf("127.0.0.1:%d", smtp), "--listen", fmt.Sprintf("127.0.0.1:%d", web),
			"--database", filepath.Join(tb.TempDir(), "mailpit.db"), "--quiet"}, args...)...)
		if err := cmd.Start(); err != nil {
			tb.Fatalf("start mailpit: %v", err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		s := &Server{SMTPURL: fmt.Sprintf("smtp://127.0.0.1:%d", smtp), API: fmt.Sprintf("http://127.0.0.1:%d", web)}
		if s.ready(done) {
			tb.Cleanup(func() {
				cmd.Process.Kill()
				<-done
			})
			return s
		}
		cmd.Process.Kill()
		if attempt == 2 {
			tb.Fatal("mailpit did not start")
		}
	}
}

// ready waits until both of mailpit's ports answer, or it exits.
func (s *Server) ready(exited chan error) bool {
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return false
		default:
		}
		res, err := http.Get(s.API + "/api/v1/messages")
		if err == nil {
			res.Body.Close()
			if c, err := net.Dial("tcp", strings.TrimPrefix(s.SMTPURL, "smtp://")); err == nil {
				c.Close()
				return res.StatusCode == http.StatusOK
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return false
}

// Address is a mailbox in mailpit's answers.
type Address struct {
	Name    string `json:"Name"`
	Address string `json:"Address"`
}

// Summary is a message as mailpit lists it.
type Summary struct {
	ID        string    `json:"ID"`
	MessageID string    `json:"MessageID"`
	From      Address   `json:"From"`
	To        []Address `json:"To"`
	Subject   string    `json:"Subject"`
}

// Message is one received message.
type Message struct {
	Summary
	Text string `json:"Text"`
	HTML string `json:"HTML"`
}

func (s *Server) get(tb testing.TB, path string, v any) {
	tb.Helper()
	res, err := http.Get(s.API + path)
	if err != nil {
		tb.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		tb.Fatalf("mailpit %s: %s", path, res.Status)
	}
	if err := json.NewDecoder(res.Body).Decode(v); err != nil {
		tb.Fatalf("mailpit %s: %v", path, err)
	}
}

// Messages lists what mailpit received, newest first.
func (s *Server) Messages(tb testing.TB) []Summary {
	tb.Helper()
	var out struct {
		Messages []Summary `json:"messages"`
	}
	s.get(tb, "/api/v1/messages?limit=1000", &out)
	return out.Messages
}

// Message reads one message.
func (s *Server) Message(tb testing.TB, id string) *Message {
	tb.Helper()
	var m Message
	s.get(tb, "/api/v1/message/"+id, &m)
	return &m
}

// Headers reads one message's headers.
func (s *Server) Headers(tb testing.TB, id string) map[string][]string {
	tb.Helper()
	h := map[string][]string{}
	s.get(tb, "/api/v1/message/"+id+"/headers", &h)
	return h
}

// Wait lists the messages once mailpit holds at least n (failing after 10 s).
func (s *Server) Wait(tb testing.TB, n int) []Summary {
	tb.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		list := s.Messages(tb)
		if len(list) >= n {
			return list
		}
		if time.Now().After(deadline) {
			tb.Fatalf("mailpit holds %d messages, want %d", len(list), n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
