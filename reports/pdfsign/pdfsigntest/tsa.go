package pdfsigntest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/pantau-id/pantau/reports/pdfsign"
)

// OpenSSLTSA is an independent RFC 3161 time-stamping authority for tests: OpenSSL's
// `openssl ts -reply` behind an HTTP server, with its own root CA and a TSA certificate
// (extended key usage timeStamping, critical) that OpenSSL issues, all made at test time. The
// certificate names a CRL distribution point on the same server (CRLURL), where the root's
// current CRL is published, as a public TSA does.
type OpenSSLTSA struct {
	URL string
	// CRLURL is where the root's CRL is served (named in the TSA certificate).
	CRLURL string
	Root   *CA               // the TSA's root, to trust and to sign its CRLs
	Cert   *x509.Certificate // the TSA's certificate
	// Requests counts the time stamps issued.
	Requests int
	mu       sync.Mutex
}

// NewOpenSSLTSA starts the TSA; the server stops when the test ends.
func NewOpenSSLTSA(tb testing.TB) *OpenSSLTSA {
	tb.Helper()
	openssl := Tool(tb, "openssl")
	root := NewCA(tb)
	dir := tb.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			tb.Fatal(err)
		}
		return p
	}
	run := func(args ...string) {
		if out, err := exec.Command(openssl, args...).CombinedOutput(); err != nil {
			tb.Fatalf("openssl %s: %v\n%s", args[0], err, out)
		}
	}
	t := &OpenSSLTSA{Root: root}
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	tb.Cleanup(srv.Close)
	t.URL, t.CRLURL = srv.URL, srv.URL+"/root.crl"

	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	write("tsa.key", pemKey(tb, key))
	write("root.key", pemKey(tb, root.Key))
	write("root.pem", PEM(root.Cert))
	run("req", "-new", "-key", filepath.Join(dir, "tsa.key"), "-subj", "/O=Uji/CN=OpenSSL Test TSA", "-out", filepath.Join(dir, "tsa.csr"))
	write("tsa.ext", []byte("extendedKeyUsage = critical, timeStamping\nkeyUsage = critical, digitalSignature, nonRepudiation\n"+
		"crlDistributionPoints = URI:"+t.CRLURL+"\n"))
	run("x509", "-req", "-in", filepath.Join(dir, "tsa.csr"), "-CA", filepath.Join(dir, "root.pem"), "-CAkey", filepath.Join(dir, "root.key"),
		"-set_serial", "0x"+strconv.FormatInt(time.Now().UnixNano(), 16), "-days", "3650", "-sha256", "-extfile", filepath.Join(dir, "tsa.ext"),
		"-out", filepath.Join(dir, "tsa.pem"))
	certPEM, err := os.ReadFile(filepath.Join(dir, "tsa.pem"))
	if err != nil {
		tb.Fatal(err)
	}
	blk, _ := pem.Decode(certPEM)
	if blk == nil {
		tb.Fatal("openssl x509 wrote no certificate")
	}
	if t.Cert, err = x509.ParseCertificate(blk.Bytes); err != nil {
		tb.Fatal(err)
	}
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
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
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
	})
	mux.HandleFunc("GET /root.crl", func(w http.ResponseWriter, r *http.Request) {
		now := time.Now()
		crl, err := pdfsign.CRL(root.Cert, root.Key, nil, big.NewInt(now.UnixNano()), now.Add(-time.Minute), now.AddDate(0, 0, 7))
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/pkix-crl")
		w.Write(crl)
	})
	return t
}

// pemKey encodes a private key as PKCS#8 PEM.
func pemKey(tb testing.TB, key crypto.Signer) []byte {
	tb.Helper()
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		tb.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8})
}

// PEM encodes certificates.
func PEM(certs ...*x509.Certificate) []byte {
	var out []byte
	for _, c := range certs {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	return out
}
