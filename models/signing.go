package models

import (
	"context"
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"
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

// UserForSigning returns the user with this id, or ErrNotFound.
func (db *DB) UserForSigning(ctx context.Context, id int64) (*User, error) {
	var u User
	if err := userQuery(db.read(ctx)).Where("users.id = ?", id).Take(&u).Error; err != nil {
		return nil, translate(err)
	}
	return &u, nil
}
