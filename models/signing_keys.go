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
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/argon2"
	"gorm.io/gorm"
	"software.sslmate.com/src/go-pkcs12"
)

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
