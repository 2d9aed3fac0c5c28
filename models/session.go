package models

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Session is a signed-in browser or script. Only the SHA-256 of its token is stored, so a
// copy of the database does not hand out live tokens; several server instances share them.
type Session struct {
	ID        int64
	TokenHash string
	CSRFToken string `gorm:"column:csrf_token"`
	UserID    int64
	IP        string
	UserAgent string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// ErrBadCredentials: the e-mail or the password is wrong, or the account is deactivated (a
// deactivated account's right password gets the same answer, so that it confirms nothing).
var ErrBadCredentials = errors.New("wrong e-mail or password")

// ErrRateLimited: too many recent failed attempts (sign-ins for the account or the address,
// or signing passphrases for the signer).
var ErrRateLimited = errors.New("too many failed attempts")

// LoginPolicy bounds failed sign-ins within Window, per account and per client address.
type LoginPolicy struct {
	Window     time.Duration
	PerAccount int
	PerAddress int
	SessionTTL time.Duration
}

// DefaultLoginPolicy allows 5 failures per account and 20 per address in 15 minutes,
// and keeps a session for 12 hours.
var DefaultLoginPolicy = LoginPolicy{Window: 15 * time.Minute, PerAccount: 5, PerAddress: 20, SessionTTL: 12 * time.Hour}

func randomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// loginAttempt is a reserved or failed sign-in (table login_failures; see attempts.go).
type loginAttempt struct {
	ID        int64
	Email     string
	IP        string
	Pending   bool
	CreatedAt time.Time
}

func (loginAttempt) TableName() string { return "login_failures" }

func loginSubjects(email, ip string) []string {
	return []string{"login:email:" + email, "login:ip:" + ip}
}

// Login checks the credentials and opens a session, returning the user, the session and its
// bearer token. The attempt is reserved first (see attempts.go): past the policy's limits for
// the account or the address it answers ErrRateLimited without checking the password. A wrong
// password, an unknown e-mail and a deactivated account all answer ErrBadCredentials, count as
// failures and are audited; the failure that reaches a limit is audited as a lock-out.
func (db *DB) Login(ctx context.Context, p LoginPolicy, email, password, ip, userAgent string) (*User, *Session, string, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	attempt, err := db.reserveLogin(ctx, p, email, ip)
	if err != nil {
		return nil, nil, "", err
	}
	u, err := db.UserByEmail(ctx, email)
	var ok bool
	switch {
	case err == ErrNotFound:
		_, err = checkPassword(ctx, dummyHash(), password)
	case err == nil:
		ok, err = checkPassword(ctx, u.PasswordHash, password)
	}
	if err != nil { // the password was not judged: the attempt does not count
		db.releaseLogin(ctx, attempt)
		return nil, nil, "", err
	}
	if !ok || !u.Active {
		reason := "wrong_password"
		switch {
		case u == nil:
			reason = "unknown_email"
		case ok:
			reason = "account_disabled"
		}
		if err := db.failLogin(ctx, p, attempt, reason); err != nil {
			return nil, nil, "", err
		}
		return nil, nil, "", ErrBadCredentials
	}
	token := randomToken()
	now := db.Now()
	s := &Session{TokenHash: hashToken(token), CSRFToken: randomToken(), UserID: u.ID, IP: ip,
		UserAgent: ShortenText(userAgent, MaxUserAgentLen), CreatedAt: now, ExpiresAt: now.Add(p.SessionTTL)}
	err = db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Exec("DELETE FROM login_failures WHERE email = ?", email).Error; err != nil {
			return err
		}
		audit(tx, "session", email, "login", nil, map[string]string{"ip": ip, "user_agent": s.UserAgent})
		return tx.Create(s).Error
	})
	if err != nil {
		db.releaseLogin(ctx, attempt)
		return nil, nil, "", err
	}
	return u, s, token, nil
}

// reserveLogin counts the account's and the address's attempts within the window (failures
// and reservations in flight) and reserves one more when both are under their limits.
func (db *DB) reserveLogin(ctx context.Context, p LoginPolicy, email, ip string) (*loginAttempt, error) {
	a := &loginAttempt{Email: email, IP: ip, Pending: true, CreatedAt: db.Now()}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := db.lockSubjects(tx, loginSubjects(email, ip)...); err != nil {
			return err
		}
		var byAccount, byAddress int64
		q := tx.Table("login_failures").Where("created_at > ?", a.CreatedAt.Add(-p.Window))
		if err := q.Session(&gorm.Session{}).Where("email = ?", email).Count(&byAccount).Error; err != nil {
			return err
		}
		if err := q.Session(&gorm.Session{}).Where("ip = ?", ip).Count(&byAddress).Error; err != nil {
			return err
		}
		if byAccount >= int64(p.PerAccount) || byAddress >= int64(p.PerAddress) {
			return ErrRateLimited
		}
		return tx.Create(a).Error
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// releaseLogin removes a reservation whose password was never judged, or that succeeded.
func (db *DB) releaseLogin(ctx context.Context, a *loginAttempt) {
	ctx, cancel := settleContext(ctx)
	defer cancel()
	db.tx(ctx, func(tx *gorm.DB) error {
		return tx.Exec("DELETE FROM login_failures WHERE id = ? AND pending = ?", a.ID, true).Error
	})
}

// failLogin turns a reservation into a failure and audits it; the failure that brings the
// account or the address to its limit is audited once more as the lock-out.
func (db *DB) failLogin(ctx context.Context, p LoginPolicy, a *loginAttempt, reason string) error {
	ctx, cancel := settleContext(ctx)
	defer cancel()
	return db.tx(ctx, func(tx *gorm.DB) error {
		if err := db.lockSubjects(tx, loginSubjects(a.Email, a.IP)...); err != nil {
			return err
		}
		res := tx.Exec("UPDATE login_failures SET pending = ? WHERE id = ?", false, a.ID)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 { // a concurrent success reset the count; this failure still counts
			if err := tx.Create(&loginAttempt{Email: a.Email, IP: a.IP, CreatedAt: a.CreatedAt}).Error; err != nil {
				return err
			}
		}
		audit(tx, "session", a.Email, "login_failed", nil, map[string]string{"ip": a.IP, "reason": reason})
		now := db.Now()
		until := map[string]string{"until": now.Add(p.Window).Format(time.RFC3339)}
		failed := tx.Table("login_failures").Where("pending = ? AND created_at > ?", false, now.Add(-p.Window))
		var byAccount, byAddress int64
		if err := failed.Session(&gorm.Session{}).Where("email = ?", a.Email).Count(&byAccount).Error; err != nil {
			return err
		}
		if err := failed.Session(&gorm.Session{}).Where("ip = ?", a.IP).Count(&byAddress).Error; err != nil {
			return err
		}
		if byAccount == int64(p.PerAccount) {
			audit(tx, "user", a.Email, "locked", nil, until)
		}
		if byAddress == int64(p.PerAddress) {
			audit(tx, "address", a.IP, "locked", nil, until)
		}
		return nil
	})
}

// SessionByToken returns the live session for a token and its user, or ErrNotFound.
func (db *DB) SessionByToken(ctx context.Context, token string) (*Session, *User, error) {
	// One query on every authenticated request: the session, its user and the user's region.
	var row struct {
		User
		SessionID        int64
		SessionCSRFToken string
	}
	err := userQuery(db.read(ctx)).Select("users.*, regions.code AS region_code, sessions.id AS session_id, sessions.csrf_token AS session_csrf_token").
		Joins("JOIN sessions ON sessions.user_id = users.id").
		Where("sessions.token_hash = ? AND sessions.expires_at > ? AND users.active = ?", hashToken(token), db.Now(), true).Take(&row).Error
	if err != nil {
		return nil, nil, translate(err)
	}
	u := row.User
	return &Session{ID: row.SessionID, CSRFToken: row.SessionCSRFToken, UserID: u.ID}, &u, nil
}

// Logout ends a session.
func (db *DB) Logout(ctx context.Context, sessionID int64) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		audit(tx, "session", actorFrom(ctx).Email, "logout", nil, nil)
		var owner []int64
		if err := tx.Table("sessions").Where("id = ?", sessionID).Pluck("user_id", &owner).Error; err != nil {
			return err
		}
		for _, id := range owner {
			announce(tx, Change{TopicUser, id})
		}
		return tx.Exec("DELETE FROM sessions WHERE id = ?", sessionID).Error
	})
}

// ChangePassword sets a new password after checking the old one, and ends every other session
// of the user (the one making the change stays signed in).
func (db *DB) ChangePassword(ctx context.Context, u *User, keepSession int64, oldPassword, newPassword string) error {
	errs := fieldErrors{}
	ok, err := checkPassword(ctx, u.PasswordHash, oldPassword)
	if err != nil {
		return err
	}
	if !ok {
		errs.add("old_password", "wrong_password")
	}
	if len([]rune(newPassword)) < MinPasswordLength {
		errs.add("new_password", "password_short")
	} else {
		errs.text("new_password", newPassword, MaxSecretLen)
	}
	if err := errs.err(); err != nil {
		return err
	}
	hash, err := hashPassword(ctx, newPassword)
	if err != nil {
		return err
	}
	return db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Exec("UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?", hash, db.Now(), u.ID).Error; err != nil {
			return err
		}
		announce(tx, Change{TopicUser, u.ID})
		res := tx.Exec("DELETE FROM sessions WHERE user_id = ? AND id <> ?", u.ID, keepSession)
		audit(tx, "user", u.Email, "password_changed", nil, map[string]int64{"sessions_ended": res.RowsAffected})
		return res.Error
	})
}
