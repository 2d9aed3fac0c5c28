package models

import (
	"context"
	"crypto"
	"crypto/x509"
	"encoding/asn1"
	"math/big"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Purposes of the certificates the installation's CA issues.
const (
	PurposeSigner = "signer" // a signer's, for their signatures
	PurposeTSA    = "tsa"    // the installation's own time-stamping authority's
)

// oidTitle is the X.520 title attribute, which carries a signer's title in their certificate.
var oidTitle = asn1.ObjectIdentifier{2, 5, 4, 12}

// CertificateTitle is the title attribute of a certificate's subject ("" when none).
func CertificateTitle(c *x509.Certificate) string {
	for _, n := range c.Subject.Names {
		if n.Type.Equal(oidTitle) {
			if s, ok := n.Value.(string); ok {
				return s
			}
		}
	}
	return ""
}

// IssuedCertificate is a certificate the installation's CA issued, and whether it was revoked.
type IssuedCertificate struct {
	ID               int64
	Serial           string // upper-case hexadecimal
	UserID           *int64
	Purpose          string
	Subject          string
	NotBefore        time.Time
	NotAfter         time.Time
	CertificatePEM   string `gorm:"column:certificate_pem"`
	RevokedAt        *time.Time
	RevocationReason int
	CreatedAt        time.Time
}

// SerialKey is how a serial number is kept: upper-case hexadecimal.
func SerialKey(n *big.Int) string { return strings.ToUpper(n.Text(16)) }

// recordIssued keeps a certificate the CA issued (once; recording it again changes nothing).
func recordIssued(tx *gorm.DB, cert *x509.Certificate, userID *int64, purpose string, now time.Time) error {
	var n int64
	if err := tx.Table("issued_certificates").Where("serial = ?", SerialKey(cert.SerialNumber)).Count(&n).Error; err != nil || n > 0 {
		return err
	}
	return tx.Create(&IssuedCertificate{Serial: SerialKey(cert.SerialNumber), UserID: userID, Purpose: purpose, Subject: cert.Subject.String(),
		NotBefore: cert.NotBefore, NotAfter: cert.NotAfter, CertificatePEM: certificatePEM(cert), CreatedAt: now}).Error
}

// RecordIssuedCertificate keeps a certificate the CA issued outside the signing keys (the
// installation's TSA's), so that OCSP answers for it.
func (db *DB) RecordIssuedCertificate(ctx context.Context, cert *x509.Certificate, purpose string) error {
	return db.tx(ctx, func(tx *gorm.DB) error { return recordIssued(tx, cert, nil, purpose, db.Now()) })
}

// CertificateStatus says whether the CA issued a certificate with this serial number and, when
// it was revoked, the record says when and why.
func (db *DB) CertificateStatus(ctx context.Context, serial *big.Int) (*IssuedCertificate, error) {
	var c IssuedCertificate
	if err := db.read(ctx).Where("serial = ?", SerialKey(serial)).Take(&c).Error; err != nil {
		return nil, translate(err)
	}
	return &c, nil
}

// RevokedCertificates lists the revoked certificates, for the CRL.
func (db *DB) RevokedCertificates(ctx context.Context) ([]IssuedCertificate, error) {
	out := []IssuedCertificate{}
	err := db.read(ctx).Where("revoked_at IS NOT NULL").Order("id").Find(&out).Error
	return out, err
}

// Revocation reasons an admin may give (RFC 5280 reason codes).
var revocationReasons = map[string]int{
	"unspecified":            0,
	"key_compromise":         1,
	"affiliation_changed":    3,
	"superseded":             4,
	"cessation_of_operation": 5,
}

// RevokeSigningKey revokes every certificate the CA issued to a signer and deletes their key:
// the CRL and OCSP say so from now on (signatures made before stay valid where their
// timestamps prove the time), and the signer makes a new key with PUT /me/signing-key.
// reason is one of unspecified, key_compromise, affiliation_changed, superseded and
// cessation_of_operation.
func (db *DB) RevokeSigningKey(ctx context.Context, u *User, reason string) error {
	if reason == "" {
		reason = "unspecified"
	}
	code, ok := revocationReasons[reason]
	if !ok {
		return Invalid("reason", "revocation_reason")
	}
	return db.tx(ctx, func(tx *gorm.DB) error {
		now := db.Now()
		var keys int64
		if err := tx.Table("signing_keys").Where("user_id = ?", u.ID).Count(&keys).Error; err != nil {
			return err
		}
		if keys == 0 {
			return ErrNotFound
		}
		res := tx.Exec("UPDATE issued_certificates SET revoked_at = ?, revocation_reason = ? WHERE user_id = ? AND revoked_at IS NULL", now, code, u.ID)
		if res.Error != nil {
			return res.Error
		}
		if err := tx.Exec("DELETE FROM signing_keys WHERE user_id = ?", u.ID).Error; err != nil {
			return err
		}
		audit(tx, "signing_key", u.Email, "revoked", nil, map[string]any{"reason": reason, "certificates": res.RowsAffected})
		return nil
	})
}

// SignerChain returns the certificate chain a signer signs with, carrying the name and title
// printed for them on the document. A certificate from the installation's CA whose subject
// names someone else (or another title), or that has expired, is replaced: the CA certifies
// the same key again for this name and title, and the signer's key keeps the new certificate.
// Certificates from other authorities (imported, or a remote signing service's) are used as
// they are.
func (db *DB) SignerChain(ctx context.Context, ca *CA, u *User, pub crypto.PublicKey, chain []*x509.Certificate, name, title string) ([]*x509.Certificate, error) {
	cert, now := chain[0], db.Now()
	if ca == nil || cert.CheckSignatureFrom(ca.Cert) != nil || !publicKeysEqual(cert.PublicKey, pub) {
		return chain, nil
	}
	if cert.Subject.CommonName == name && CertificateTitle(cert) == title && now.Before(cert.NotAfter) && !now.Before(cert.NotBefore) {
		return chain, nil
	}
	issued, err := ca.Issue(pub, name, title, u.Email, now)
	if err != nil {
		return nil, err
	}
	out := []*x509.Certificate{issued, ca.Cert}
	err = db.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Exec("UPDATE signing_keys SET certificate_pem = ?, fingerprint = ?, updated_at = ? WHERE user_id = ? AND fingerprint = ?",
			chainPEM(out), fingerprint(issued), now, u.ID, fingerprint(cert))
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return ErrConflict // the key was replaced meanwhile
		}
		if err := recordIssued(tx, issued, &u.ID, PurposeSigner, now); err != nil {
			return err
		}
		audit(tx, "signing_key", u.Email, "certificate_issued", map[string]string{"subject": cert.Subject.String(), "fingerprint": fingerprint(cert)},
			map[string]string{"subject": issued.Subject.String(), "fingerprint": fingerprint(issued)})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
