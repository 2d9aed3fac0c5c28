package pdfsigntest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/pantau-id/pantau/reports/pdfsign"
)

// OpenSSLTSA is an independent RFC 3161 time-stamping authority for tests: OpenSSL's
// `openssl ts -reply` behind an HTTP server, with its own root CA and a TSA certificate
// (extended key usage timeStamping, critical), all made at test time.
type OpenSSLTSA struct {
	URL  string
	Root *CA               // the TSA's root, to trust and to sign its CRLs
	Cert *x509.Certificate // the TSA's certificate
	// Requests counts the time stamps issued.
	Requests int
	mu       sync.Mutex
}

// NewOpenSSLTSA starts the TSA; the server stops when the test ends.
func NewOpenSSLTSA(tb testing.TB) *OpenSSLTSA {
	tb.Helper()
	openssl := Tool(tb, "openssl")
	root := NewCA(tb)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	cert, err := pdfsign.IssueTSACertificate(root.Cert, root.Key, key.Public(), pkix.Name{CommonName: "OpenSSL Test TSA", Organization: []string{"Uji"}},
		time.Now().Add(-time.Hour), time.Now().AddDate(10, 0, 0))
	if err != nil {
		tb.Fatal(err)
	}
	dir := tb.TempDir()
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		tb.Fatal(err)
	}
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			tb.Fatal(err)
		}
		return p
	}
	write("tsa.key", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8}))
	write("tsa.pem", PEM(cert))
	write("chain.pem", PEM(root.Cert))
	write("serial", []byte("01\n"))
	cfg := write("tsa.cnf", []byte(fmt.Sprintf(`[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
dir = %s
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.pem
certs = $dir/chain.pem
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
`, dir)))
	t := &OpenSSLTSA{Root: root, Cert: cert}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.mu.Lock()
		defer t.mu.Unlock()
		query, err := io.ReadAll(io.LimitReader(r.Body, 1<<16))
		if err != nil || r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/timestamp-query" {
			http.Error(w, "a POST of application/timestamp-query", http.StatusBadRequest)
			return
		}
		q := write("q.tsq", query)
		out := filepath.Join(dir, "r.tsr")
		if msg, err := exec.Command(openssl, "ts", "-reply", "-config", cfg, "-queryfile", q, "-out", out).CombinedOutput(); err != nil {
			http.Error(w, string(msg), http.StatusInternalServerError)
			return
		}
		reply, err := os.ReadFile(out)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		t.Requests++
		w.Header().Set("Content-Type", "application/timestamp-reply")
		w.Write(reply)
	}))
	tb.Cleanup(srv.Close)
	t.URL = srv.URL
	return t
}

// PEM encodes certificates.
func PEM(certs ...*x509.Certificate) []byte {
	var out []byte
	for _, c := range certs {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	return out
}
