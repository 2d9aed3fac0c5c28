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

// ErrBadCredentials: the e-mail or the password is wrong.
var ErrBadCredentials = errors.New("wrong e-mail or password")

// ErrAccountDisabled: the credentials are right but an admin has deactivated the account.
var ErrAccountDisabled = errors.New("account deactivated")

// ErrRateLimited: too many recent failed sign-ins for the account or the address.
var ErrRateLimited = errors.New("too many failed sign-ins")

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

// Login checks the credentials and opens a session, returning the user, the session and its
// bearer token. Failures are counted; past the policy's limits it answers ErrRateLimited
// without checking the password.
func (db *DB) Login(ctx context.Context, p LoginPolicy, email, password, ip, userAgent string) (*User, *Session, string, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	since := db.Now().Add(-p.Window)
	var byAccount, byAddress int64
	q := db.read(ctx).Table("login_failures").Where("created_at > ?", since)
	if err := q.Session(&gorm.Session{}).Where("email = ?", email).Count(&byAccount).Error; err != nil {
		return nil, nil, "", err
	}
	if err := q.Session(&gorm.Session{}).Where("ip = ?", ip).Count(&byAddress).Error; err != nil {
		return nil, nil, "", err
	}
	if byAccount >= int64(p.PerAccount) || byAddress >= int64(p.PerAddress) {
		return nil, nil, "", ErrRateLimited
	}
	u, err := db.UserByEmail(ctx, email)
	if err != nil && err != ErrNotFound {
		return nil, nil, "", err
	}
	if u == nil {
		CheckPassword(dummyHash, password)
	}
	if u == nil || !CheckPassword(u.PasswordHash, password) {
		err := db.tx(ctx, func(tx *gorm.DB) error {
			audit(tx, "session", email, "login_failed", nil, map[string]string{"ip": ip})
			if byAccount+1 == int64(p.PerAccount) {
				audit(tx, "user", email, "locked", nil, map[string]string{"until": db.Now().Add(p.Window).Format(time.RFC3339)})
			}
			return tx.Exec("INSERT INTO login_failures (email, ip, created_at) VALUES (?, ?, ?)", email, ip, db.Now()).Error
		})
		if err != nil {
			return nil, nil, "", err
		}
		return nil, nil, "", ErrBadCredentials
	}
	if !u.Active {
		return nil, nil, "", ErrAccountDisabled
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
		return nil, nil, "", err
	}
	return u, s, token, nil
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
		return tx.Exec("DELETE FROM sessions WHERE id = ?", sessionID).Error
	})
}

// ChangePassword sets a new password after checking the old one, and ends every other session
// of the user (the one making the change stays signed in).
func (db *DB) ChangePassword(ctx context.Context, u *User, keepSession int64, oldPassword, newPassword string) error {
	errs := fieldErrors{}
	if !CheckPassword(u.PasswordHash, oldPassword) {
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
	hash, err := HashPassword(newPassword)
	if err != nil {
		return err
	}
	return db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Exec("UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?", hash, db.Now(), u.ID).Error; err != nil {
			return err
		}
		res := tx.Exec("DELETE FROM sessions WHERE user_id = ? AND id <> ?", u.ID, keepSession)
		audit(tx, "user", u.Email, "password_changed", nil, map[string]int64{"sessions_ended": res.RowsAffected})
		return res.Error
	})
}
