package pdfsigntest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"testing"
	"time"

	"software.sslmate.com/src/go-pkcs12"
)

// PKCS12 packs a key and its chain into a PKCS#12 file, as a certification authority hands
// them out.
func PKCS12(tb testing.TB, key crypto.Signer, chain []*x509.Certificate, password string) []byte {
	tb.Helper()
	p12, err := pkcs12.Modern.Encode(key, chain[0], chain[1:], password)
	if err != nil {
		tb.Fatal(err)
	}
	return p12
}

// CA is a throwaway certificate authority for tests.
type CA struct {
	Cert *x509.Certificate
	Key  crypto.Signer
}

// NewCA makes a CA valid from a day ago for ten years.
func NewCA(tb testing.TB) *CA {
	tb.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	serial, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	tmpl := &x509.Certificate{
		SerialNumber: serial, Subject: pkix.Name{CommonName: "Pantau Test CA", Organization: []string{"Pantau"}, SerialNumber: serial.String()},
		NotBefore: time.Now().Add(-24 * time.Hour), NotAfter: time.Now().AddDate(10, 0, 0),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		tb.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	return &CA{Cert: cert, Key: key}
}

// Issue makes a signer key (RSA-2048 when rsaKey, else ECDSA P-256) and a two-year
// certificate; the chain is the certificate then the CA's.
func (ca *CA) Issue(tb testing.TB, name string, rsaKey bool) (crypto.Signer, []*x509.Certificate) {
	tb.Helper()
	var key crypto.Signer
	var err error
	if rsaKey {
		key, err = rsa.GenerateKey(rand.Reader, 2048)
	} else {
		key, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	}
	if err != nil {
		tb.Fatal(err)
	}
	return key, ca.certify(tb, name, key, time.Now().AddDate(2, 0, 0))
}

// IssueUntil makes an ECDSA P-256 signer key and a certificate valid until notAfter.
func (ca *CA) IssueUntil(tb testing.TB, name string, notAfter time.Time) (crypto.Signer, []*x509.Certificate) {
	tb.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	return key, ca.certify(tb, name, key, notAfter)
}

// certify issues a signing certificate for key and returns it with the CA's.
func (ca *CA) certify(tb testing.TB, name string, key crypto.Signer, notAfter time.Time) []*x509.Certificate {
	tb.Helper()
	serial, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	tmpl := &x509.Certificate{
		SerialNumber: serial, Subject: pkix.Name{CommonName: name, Organization: []string{"Pantau"}},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: notAfter,
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.Cert, key.Public(), ca.Key)
	if err != nil {
		tb.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	return []*x509.Certificate{cert, ca.Cert}
}
