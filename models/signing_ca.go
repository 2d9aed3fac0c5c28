package models

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"time"
)

// CA is the installation's own certificate authority; it issues every signer's certificate.
// Its key lives in a file readable by the owner only.
type CA struct {
	Cert *x509.Certificate
	key  crypto.Signer
	// OCSPURL and CRLURL are where the CA answers OCSP requests and publishes its CRL; the
	// certificates it issues name them (empty: not named).
	OCSPURL, CRLURL string
}

// Key is the CA's private key, for signing its OCSP responses, its CRL and its own TSA's
// certificate; it never leaves the process.
func (ca *CA) Key() crypto.Signer { return ca.key }

// CA file names inside its directory.
const (
	caCertFile = "ca.pem"
	caKeyFile  = "ca-key.pem"
)

// OpenCA loads the certificate authority from dir, creating it (an ECDSA P-256 key and a
// self-signed certificate valid for 20 years) on first start. name is the installation's name
// in the certificate's subject.
func OpenCA(dir, name string, now time.Time) (*CA, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("CA directory: %w", err)
	}
	key, cert, err := OpenKeyPair(filepath.Join(dir, caKeyFile), filepath.Join(dir, caCertFile), "CA", func() (crypto.Signer, []byte, error) {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return nil, nil, err
		}
		tmpl := &x509.Certificate{
			SerialNumber: randomSerial(),
			Subject:      pkix.Name{CommonName: "Pantau CA — " + name, Organization: []string{"Pantau"}, Country: []string{"ID"}},
			NotBefore:    now.Add(-time.Hour), NotAfter: now.AddDate(20, 0, 0),
			IsCA: true, BasicConstraintsValid: true, MaxPathLenZero: true,
			KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
		return key, der, err
	})
	if err != nil {
		return nil, err
	}
	return &CA{Cert: cert, key: key}, nil
}

// OpenKeyPair loads a private key and its certificate kept as two PEM files (the key
// readable by its owner only), making them with create (a new key and its certificate, DER)
// when the key file does not exist yet. what names the pair in errors ("CA").
func OpenKeyPair(keyPath, certPath, what string, create func() (crypto.Signer, []byte, error)) (crypto.Signer, *x509.Certificate, error) {
	if _, err := os.Stat(keyPath); errors.Is(err, os.ErrNotExist) {
		key, der, err := create()
		if err != nil {
			return nil, nil, err
		}
		if err := writeKeyPair(keyPath, certPath, key, der); err != nil && !errors.Is(err, os.ErrExist) {
			return nil, nil, err
		}
	}
	return loadKeyPair(keyPath, certPath, what)
}

func writeKeyPair(keyPath, certPath string, key crypto.Signer, der []byte) error {
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return err
	}
	// The key file is created exclusively, so two instances starting at once keep one pair.
	f, err := os.OpenFile(keyPath, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if err := pem.Encode(f, &pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8}); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	tmp := certPath + ".tmp"
	if err := os.WriteFile(tmp, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, certPath)
}

func loadKeyPair(keyPath, certPath, what string) (crypto.Signer, *x509.Certificate, error) {
	st, err := os.Stat(keyPath)
	if err != nil {
		return nil, nil, fmt.Errorf("%s key: %w", what, err)
	}
	if st.Mode().Perm()&0o077 != 0 {
		return nil, nil, fmt.Errorf("%s key %s may be read by others (mode %v): chmod 600 it", what, keyPath, st.Mode().Perm())
	}
	var certPEM []byte
	for i := 0; i < 50; i++ { // another instance may be writing the certificate right now
		if certPEM, err = os.ReadFile(certPath); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("%s certificate: %w", what, err)
	}
	keyPEM, err := os.ReadFile(keyPath)
	if err != nil {
		return nil, nil, err
	}
	cb, _ := pem.Decode(certPEM)
	kb, _ := pem.Decode(keyPEM)
	if cb == nil || kb == nil {
		return nil, nil, fmt.Errorf("the %s files are not PEM", what)
	}
	cert, err := x509.ParseCertificate(cb.Bytes)
	if err != nil {
		return nil, nil, fmt.Errorf("%s certificate: %w", what, err)
	}
	key, err := x509.ParsePKCS8PrivateKey(kb.Bytes)
	if err != nil {
		return nil, nil, fmt.Errorf("%s key: %w", what, err)
	}
	signer, ok := key.(crypto.Signer)
	if !ok || !publicKeysEqual(signer.Public(), cert.PublicKey) {
		return nil, nil, fmt.Errorf("the %s key does not belong to its certificate", what)
	}
	return signer, cert, nil
}

// CertPEM is the CA certificate in PEM, for readers to trust.
func (ca *CA) CertPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Cert.Raw})
}

// Issue certifies a signer's public key for five years (within the CA's own validity), in
// their name and, when not empty, their title as printed on the documents they sign.
func (ca *CA) Issue(pub crypto.PublicKey, name, title, email string, now time.Time) (*x509.Certificate, error) {
	notAfter := now.AddDate(5, 0, 0)
	if notAfter.After(ca.Cert.NotAfter) {
		notAfter = ca.Cert.NotAfter
	}
	subject := pkix.Name{CommonName: name, Organization: []string{"Pantau"}, Country: []string{"ID"}}
	if title != "" {
		subject.ExtraNames = []pkix.AttributeTypeAndValue{{Type: oidTitle, Value: title}}
	}
	tmpl := &x509.Certificate{
		SerialNumber:   randomSerial(),
		Subject:        subject,
		EmailAddresses: []string{email},
		NotBefore:      now.Add(-time.Hour), NotAfter: notAfter,
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection},
	}
	if ca.OCSPURL != "" {
		tmpl.OCSPServer = []string{ca.OCSPURL}
	}
	if ca.CRLURL != "" {
		tmpl.CRLDistributionPoints = []string{ca.CRLURL}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.Cert, pub, ca.key)
	if err != nil {
		return nil, err
	}
	return x509.ParseCertificate(der)
}

func randomSerial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		panic(err)
	}
	return n.Add(n, big.NewInt(1))
}

func publicKeysEqual(a, b crypto.PublicKey) bool {
	ka, err1 := x509.MarshalPKIXPublicKey(a)
	kb, err2 := x509.MarshalPKIXPublicKey(b)
	return err1 == nil && err2 == nil && string(ka) == string(kb)
}

// ReadCACertificate reads the installation CA's certificate from dir without its key (for
// checking signatures), or ErrNotFound when there is none.
func ReadCACertificate(dir string) (*x509.Certificate, error) {
	b, err := os.ReadFile(filepath.Join(dir, caCertFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	blk, _ := pem.Decode(b)
	if blk == nil {
		return nil, errors.New("the CA certificate is not PEM")
	}
	return x509.ParseCertificate(blk.Bytes)
}

// ImportedRoots are the top certificates of the chains imported with signers' PKCS#12 files
// (e.g. a national CA's root), which signatures made with those keys chain to.
func (db *DB) ImportedRoots(ctx context.Context) ([]*x509.Certificate, error) {
	var keys []SigningKey
	if err := db.read(ctx).Where("source = ?", KeySourcePKCS12).Find(&keys).Error; err != nil {
		return nil, err
	}
	var out []*x509.Certificate
	for i := range keys {
		if chain, err := keys[i].Chain(); err == nil {
			out = append(out, chain[len(chain)-1])
		}
	}
	return out, nil
}
