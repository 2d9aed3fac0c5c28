package models

import (
	"context"
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/argon2"
	"gorm.io/gorm"
	"software.sslmate.com/src/go-pkcs12"
)

// Signing is what signing commitments needs: the installation's certificate authority, where
// signers' private keys come from, and where signed documents are kept.
type Signing struct {
	CA *CA
	// Keys unlocks a signer's key for one signature. The default (nil) is the keys stored
	// encrypted in the database (LocalKeys); an HSM or a national CA's remote signing service
	// implements KeyStore instead.
	Keys KeyStore
	// Documents keeps the PDF bytes of commitments, by SHA-256.
	Documents *BlobStore
	// Policy bounds wrong passphrases.
	Policy SigningPolicy
	// Timestamper obtains an RFC 3161 timestamp for every signature (PAdES B-T): an external
	// time-stamping authority or the installation's own; nil signs without one (B-B).
	Timestamper Timestamper
	// TimestampRoots are the roots trusted for time-stamping authorities when signatures are
	// verified (the installation's CA is trusted for its own TSA besides).
	TimestampRoots []*x509.Certificate
}

// Timestamper obtains RFC 3161 timestamp tokens over a SHA-256 digest (reports/pdfsign's
// TSAClient and LocalTSA are two).
type Timestamper interface {
	Timestamp(ctx context.Context, digest []byte) ([]byte, error)
}

// KeyStore hands out a signer's private key as a crypto.Signer, with the signer's certificate
// first in chain and its issuers after it. A wrong passphrase is ErrWrongPassphrase; a user
// without a key is ErrNoSigningKey.
type KeyStore interface {
	Unlock(ctx context.Context, u *User, passphrase string) (signer crypto.Signer, chain []*x509.Certificate, err error)
}

// KeyStore returns the configured key store, or the database's.
func (s *Signing) KeyStore(db *DB) KeyStore {
	if s.Keys != nil {
		return s.Keys
	}
	return LocalKeys{DB: db}
}

// policy is the configured bound on wrong passphrases, or the default.
func (s *Signing) policy() SigningPolicy {
	if s.Policy.MaxFailures > 0 {
		return s.Policy
	}
	return DefaultSigningPolicy
}

// SigningTry says where a signing passphrase is tried, for the record of a wrong one.
type SigningTry struct {
	CommitmentID *int64
	Slot         string
	// IP is the client's address; empty means the actor's (see WithActor).
	IP string
}

// Unlock unlocks u's key with the passphrase through the key store, within the policy's bound
// on wrong passphrases: the try is reserved first (see attempts.go), so that past the limit —
// also with tries arriving at once, on any instance — it answers ErrRateLimited without
// deriving anything. A wrong passphrase is recorded and audited (ErrWrongPassphrase); the one
// that reaches the limit is audited as the lock-out.
func (s *Signing) Unlock(ctx context.Context, db *DB, u *User, passphrase string, at SigningTry) (signer crypto.Signer, chain []*x509.Certificate, err error) {
	err = db.tryPassphrase(ctx, u, s.policy(), at, "wrong_passphrase", func() error {
		signer, chain, err = s.KeyStore(db).Unlock(ctx, u, passphrase)
		return err
	})
	return signer, chain, err
}

// Signing errors.
var (
	ErrWrongPassphrase = errors.New("wrong signing passphrase")
	ErrNoSigningKey    = errors.New("no signing key")
)

// MinPassphraseLength is the shortest signing passphrase accepted.
const MinPassphraseLength = 8

// SigningPolicy bounds wrong signing passphrases per user within Window.
type SigningPolicy struct {
	Window      time.Duration
	MaxFailures int
}

// DefaultSigningPolicy allows five wrong passphrases per signer in 15 minutes.
var DefaultSigningPolicy = SigningPolicy{Window: 15 * time.Minute, MaxFailures: 5}

// ---- The installation's certificate authority ----

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

// ---- Signers' keys ----

// Key sources.
const (
	KeySourceInstallation = "installation" // made here, certified by the installation's CA
	KeySourcePKCS12       = "pkcs12"       // imported, e.g. from a national certification authority
)

// SigningKey is a signer's certificate and encrypted private key.
type SigningKey struct {
	ID             int64     `json:"-"`
	UserID         int64     `json:"-"`
	Source         string    `json:"source"`
	CertificatePEM string    `json:"certificate_pem" gorm:"column:certificate_pem"`
	Fingerprint    string    `json:"fingerprint"`
	EncryptedKey   string    `json:"-"`
	KDF            string    `json:"-" gorm:"column:kdf"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// Chain parses the certificate chain, the signer's certificate first.
func (k *SigningKey) Chain() ([]*x509.Certificate, error) {
	var out []*x509.Certificate
	rest := []byte(k.CertificatePEM)
	for {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, errors.New("no certificate")
	}
	return out, nil
}

// Argon2id parameters for new keys; the ones used are stored with each key.
const (
	kdfTime    = 2
	kdfMemory  = 32 * 1024 // KiB
	kdfThreads = 2
)

// sealKey encrypts a PKCS#8 private key under the passphrase: AES-256-GCM with a key derived by
// argon2id from the passphrase and a random salt; the user id is bound in as associated data.
func sealKey(ctx context.Context, key crypto.Signer, passphrase string, userID int64) (sealed, kdf string, err error) {
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return "", "", err
	}
	salt := make([]byte, 16)
	nonce := make([]byte, 12)
	rand.Read(salt)
	rand.Read(nonce)
	kdf = fmt.Sprintf("argon2id:t=%d,m=%d,p=%d", kdfTime, kdfMemory, kdfThreads)
	gcm, err := keyCipher(ctx, passphrase, salt, kdfTime, kdfMemory, kdfThreads)
	if err != nil {
		return "", "", err
	}
	ct := gcm.Seal(nil, nonce, pkcs8, []byte(strconv.FormatInt(userID, 10)))
	return base64.StdEncoding.EncodeToString(append(append(salt, nonce...), ct...)), kdf, nil
}

// openKey decrypts a sealed key; a wrong passphrase is ErrWrongPassphrase.
func openKey(ctx context.Context, sealed, kdf, passphrase string, userID int64) (crypto.Signer, error) {
	var t, m, p uint32
	if _, err := fmt.Sscanf(kdf, "argon2id:t=%d,m=%d,p=%d", &t, &m, &p); err != nil {
		return nil, fmt.Errorf("unknown key derivation %q", kdf)
	}
	raw, err := base64.StdEncoding.DecodeString(sealed)
	if err != nil || len(raw) < 28+16 {
		return nil, errors.New("damaged sealed key")
	}
	gcm, err := keyCipher(ctx, passphrase, raw[:16], t, m, uint8(p))
	if err != nil {
		return nil, err
	}
	pkcs8, err := gcm.Open(nil, raw[16:28], raw[28:], []byte(strconv.FormatInt(userID, 10)))
	if err != nil {
		return nil, ErrWrongPassphrase
	}
	key, err := x509.ParsePKCS8PrivateKey(pkcs8)
	if err != nil {
		return nil, err
	}
	signer, ok := key.(crypto.Signer)
	if !ok {
		return nil, errors.New("the stored key cannot sign")
	}
	return signer, nil
}

// keyCipher derives the AES-256-GCM key from the passphrase, in the bounded argon2id pool.
func keyCipher(ctx context.Context, passphrase string, salt []byte, t, m uint32, p uint8) (cipher.AEAD, error) {
	var key []byte
	if err := deriving(ctx, p, func() { key = argon2.IDKey([]byte(passphrase), salt, t, m, p, 32) }); err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

func fingerprint(cert *x509.Certificate) string {
	sum := sha256.Sum256(cert.Raw)
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}

func chainPEM(chain []*x509.Certificate) string {
	var sb strings.Builder
	for _, c := range chain {
		sb.Write(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw}))
	}
	return sb.String()
}

// SigningKeyOf returns a user's signing key, or ErrNotFound.
func (db *DB) SigningKeyOf(ctx context.Context, userID int64) (*SigningKey, error) {
	var k SigningKey
	if err := db.read(ctx).Where("user_id = ?", userID).Take(&k).Error; err != nil {
		return nil, translate(err)
	}
	return &k, nil
}

// SigningKeyInput sets a signer's passphrase: the first call creates the key pair and its
// certificate; later calls re-encrypt the same key and need the old passphrase.
type SigningKeyInput struct {
	Passphrase    string `json:"passphrase"`
	OldPassphrase string `json:"old_passphrase"`
}

func checkPassphrase(ctx context.Context, u *User, passphrase string) error {
	if len([]rune(passphrase)) < MinPassphraseLength {
		return Invalid("passphrase", "passphrase_short")
	}
	if err := CheckText("passphrase", passphrase, MaxSecretLen); err != nil {
		return err
	}
	same, err := checkPassword(ctx, u.PasswordHash, passphrase)
	if err != nil {
		return err
	}
	if same {
		return Invalid("passphrase", "passphrase_is_password")
	}
	return nil
}

// SetSigningKey creates the signer's key (ECDSA P-256, certified by sg's CA) on the first
// call, or changes the passphrase it is stored under. The old passphrase is tried within sg's
// bound on wrong passphrases, like Unlock: a wrong one is ErrWrongPassphrase, recorded and
// audited; past the limit ErrRateLimited.
func (db *DB) SetSigningKey(ctx context.Context, sg *Signing, u *User, in SigningKeyInput) (*SigningKey, error) {
	if len([]rune(in.Passphrase)) < MinPassphraseLength {
		return nil, Invalid("passphrase", "passphrase_short")
	}
	if err := CheckText("passphrase", in.Passphrase, MaxSecretLen); err != nil {
		return nil, err
	}
	if err := CheckText("old_passphrase", in.OldPassphrase, MaxSecretLen); err != nil {
		return nil, err
	}
	existing, err := db.SigningKeyOf(ctx, u.ID)
	if err != nil && err != ErrNotFound {
		return nil, err
	}
	var key crypto.Signer
	var issued *x509.Certificate
	if existing != nil {
		// The old passphrase first, within the limit: comparing the new one with the sign-in
		// password before it would answer a guess at the password without any limit.
		if in.OldPassphrase == "" {
			return nil, Invalid("old_passphrase", "required")
		}
		err := db.tryPassphrase(ctx, u, sg.policy(), SigningTry{}, "wrong_old_passphrase", func() (err error) {
			key, err = openKey(ctx, existing.EncryptedKey, existing.KDF, in.OldPassphrase, u.ID)
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	if err := checkPassphrase(ctx, u, in.Passphrase); err != nil {
		return nil, err
	}
	now := db.Now()
	k := existing
	if existing == nil {
		ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return nil, err
		}
		cert, err := sg.CA.Issue(ec.Public(), u.Name, "", u.Email, now)
		if err != nil {
			return nil, err
		}
		key, issued = ec, cert
		k = &SigningKey{UserID: u.ID, Source: KeySourceInstallation, CertificatePEM: chainPEM([]*x509.Certificate{cert, sg.CA.Cert}),
			Fingerprint: fingerprint(cert), CreatedAt: now}
	}
	if k.EncryptedKey, k.KDF, err = sealKey(ctx, key, in.Passphrase, u.ID); err != nil {
		return nil, err
	}
	k.UpdatedAt = now
	err = db.tx(ctx, func(tx *gorm.DB) error {
		action := "passphrase_changed"
		if existing == nil {
			action = "key_created"
		}
		audit(tx, "signing_key", u.Email, action, nil, map[string]string{"source": k.Source, "fingerprint": k.Fingerprint})
		if issued != nil {
			if err := recordIssued(tx, issued, &u.ID, PurposeSigner, now); err != nil {
				return err
			}
		}
		return tx.Save(k).Error
	})
	if err != nil {
		return nil, err
	}
	return k, nil
}

// ImportSigningKey stores a signer's own certificate and key from a PKCS#12 file (e.g. issued
// by a national certification authority), encrypted under the signer's passphrase; it replaces
// any key the signer had.
func (db *DB) ImportSigningKey(ctx context.Context, u *User, p12 []byte, password, passphrase string) (*SigningKey, error) {
	if u.Role != RoleSignatory {
		return nil, Invalid("user", "not_signatory")
	}
	if err := checkPassphrase(ctx, u, passphrase); err != nil {
		return nil, err
	}
	if err := CheckText("password", password, MaxSecretLen); err != nil {
		return nil, err
	}
	priv, cert, issuers, err := pkcs12.DecodeChain(p12, password)
	if errors.Is(err, pkcs12.ErrIncorrectPassword) {
		return nil, Invalid("password", "pkcs12_password")
	}
	if err != nil {
		return nil, Invalid("file", "pkcs12_invalid")
	}
	key, ok := priv.(crypto.Signer)
	if !ok || !publicKeysEqual(key.Public(), cert.PublicKey) {
		return nil, Invalid("file", "pkcs12_invalid")
	}
	now := db.Now()
	if now.After(cert.NotAfter) {
		return nil, Invalid("file", "certificate_expired")
	}
	chain := append([]*x509.Certificate{cert}, issuers...)
	k := &SigningKey{UserID: u.ID, Source: KeySourcePKCS12, CertificatePEM: chainPEM(chain), Fingerprint: fingerprint(cert), CreatedAt: now, UpdatedAt: now}
	if k.EncryptedKey, k.KDF, err = sealKey(ctx, key, passphrase, u.ID); err != nil {
		return nil, err
	}
	err = db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Exec("DELETE FROM signing_keys WHERE user_id = ?", u.ID).Error; err != nil {
			return err
		}
		audit(tx, "signing_key", u.Email, "key_imported", nil, map[string]string{"fingerprint": k.Fingerprint, "subject": cert.Subject.String(), "issuer": cert.Issuer.String()})
		return tx.Create(k).Error
	})
	if err != nil {
		return nil, err
	}
	return k, nil
}

// LocalKeys is the default KeyStore: keys stored in the database, encrypted under each
// signer's passphrase.
type LocalKeys struct{ DB *DB }

// Unlock decrypts the user's key with the passphrase.
func (l LocalKeys) Unlock(ctx context.Context, u *User, passphrase string) (crypto.Signer, []*x509.Certificate, error) {
	k, err := l.DB.SigningKeyOf(ctx, u.ID)
	if err == ErrNotFound {
		return nil, nil, ErrNoSigningKey
	}
	if err != nil {
		return nil, nil, err
	}
	chain, err := k.Chain()
	if err != nil {
		return nil, nil, err
	}
	key, err := openKey(ctx, k.EncryptedKey, k.KDF, passphrase, u.ID)
	if err != nil {
		return nil, nil, err
	}
	return key, chain, nil
}

// ---- Failed signing attempts ----

// SigningFailure is a wrong signing passphrase, kept (never deleted) for the audit trail; while
// Pending it is a try in flight, reserved before the passphrase is checked (see attempts.go).
type SigningFailure struct {
	ID           int64
	UserID       int64
	CommitmentID *int64
	Slot         string
	Reason       string
	IP           string
	Pending      bool
	Cleared      bool
	CreatedAt    time.Time
}

func signingSubject(userID int64) string { return "signing:user:" + strconv.FormatInt(userID, 10) }

// tryPassphrase runs check, a use of u's signing passphrase, within the policy's bound: the try
// is reserved first, recorded as a failure (reason e.g. "wrong_passphrase") and audited when
// check says ErrWrongPassphrase, and removed otherwise.
func (db *DB) tryPassphrase(ctx context.Context, u *User, p SigningPolicy, at SigningTry, reason string, check func() error) error {
	if at.IP == "" {
		at.IP = actorFrom(ctx).IP
	}
	f := &SigningFailure{UserID: u.ID, CommitmentID: at.CommitmentID, Slot: at.Slot, Reason: reason, IP: at.IP,
		Pending: true, CreatedAt: db.Now()}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := db.lockSubjects(tx, signingSubject(u.ID)); err != nil {
			return err
		}
		var n int64
		err := tx.Table("signing_failures").Where("user_id = ? AND cleared = ? AND created_at > ?", u.ID, false, f.CreatedAt.Add(-p.Window)).Count(&n).Error
		if err != nil {
			return err
		}
		if n >= int64(p.MaxFailures) {
			return ErrRateLimited
		}
		return tx.Create(f).Error
	})
	if err != nil {
		return err
	}
	err = check()
	sctx, cancel := settleContext(ctx)
	defer cancel()
	if !errors.Is(err, ErrWrongPassphrase) {
		db.tx(sctx, func(tx *gorm.DB) error {
			return tx.Exec("DELETE FROM signing_failures WHERE id = ? AND pending = ?", f.ID, true).Error
		})
		return err
	}
	err = db.tx(sctx, func(tx *gorm.DB) error {
		if err := db.lockSubjects(tx, signingSubject(u.ID)); err != nil {
			return err
		}
		if err := tx.Exec("UPDATE signing_failures SET pending = ? WHERE id = ?", false, f.ID).Error; err != nil {
			return err
		}
		key := u.Email
		if at.CommitmentID != nil {
			key = fmt.Sprintf("%d/%s", *at.CommitmentID, at.Slot)
		}
		audit(tx, "signing_attempt", key, "failed", nil, map[string]any{"user": u.Email, "reason": reason, "ip": f.IP})
		var failed int64
		now := db.Now()
		err := tx.Table("signing_failures").Where("user_id = ? AND pending = ? AND cleared = ? AND created_at > ?", u.ID, false, false, now.Add(-p.Window)).
			Count(&failed).Error
		if err != nil {
			return err
		}
		if failed == int64(p.MaxFailures) {
			audit(tx, "signing_key", u.Email, "locked", nil, map[string]string{"until": now.Add(p.Window).Format(time.RFC3339)})
		}
		return nil
	})
	if err != nil {
		return err
	}
	return ErrWrongPassphrase
}

// clearSigningFailures marks a user's failures as settled after a successful signature.
func clearSigningFailures(tx *gorm.DB, userID int64) error {
	return tx.Exec("UPDATE signing_failures SET cleared = ? WHERE user_id = ? AND cleared = ?", true, userID, false).Error
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

// UserForSigning returns the user with this id, or ErrNotFound.
func (db *DB) UserForSigning(ctx context.Context, id int64) (*User, error) {
	var u User
	if err := userQuery(db.read(ctx)).Where("users.id = ?", id).Take(&u).Error; err != nil {
		return nil, translate(err)
	}
	return &u, nil
}
