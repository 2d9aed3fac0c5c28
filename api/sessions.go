package api

import (
	"context"
	"crypto/sha256"
	"errors"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/pantau-id/pantau/models"
)

// sessionCache remembers resolved sessions for a moment, so that an authenticated request does
// not always cost a database query. A sign-out, a password change or a change to the account
// takes effect at once: models announces it (models.TopicUser), through this process or, while
// models.DB.Follow runs, another instance sharing the database; without Follow another
// instance's change takes effect within ttl and one lookup. An entry past its ttl (by less than
// another ttl) is still used while one lookup in the background renews it, so that the
// requests of a busy client do not all wait for the database each time it expires.
type sessionCache struct {
	ttl     time.Duration
	max     int
	mu      sync.Mutex
	entries map[[32]byte]cachedSession // by SHA-256 of the token: raw tokens are not kept
	// forgets counts what forget dropped; a lookup that began before a forget does not put.
	forgets uint64
	renewal singleflight.Group
}

type cachedSession struct {
	sess  *models.Session
	user  *models.User
	until time.Time
}

func newSessionCache(ttl time.Duration) *sessionCache {
	return &sessionCache{ttl: ttl, max: 10000, entries: map[[32]byte]cachedSession{}}
}

// resolve returns the session and user of token: from the cache while the entry is fresh or
// being renewed, from the database otherwise (models.ErrNotFound when there is none).
func (sc *sessionCache) resolve(ctx context.Context, db *models.DB, token string) (*models.Session, *models.User, error) {
	key := sha256.Sum256([]byte(token))
	now := time.Now()
	sc.mu.Lock()
	e, ok := sc.entries[key]
	forgets := sc.forgets
	sc.mu.Unlock()
	switch {
	case ok && now.Before(e.until):
		return e.sess, e.user, nil
	case ok && now.Before(e.until.Add(sc.ttl)):
		sc.renewal.DoChan(string(key[:]), func() (any, error) {
			_, _, err := sc.lookup(context.WithoutCancel(ctx), db, token, key, forgets)
			return nil, err
		})
		return e.sess, e.user, nil
	}
	return sc.lookup(ctx, db, token, key, forgets)
}

// lookup reads token's session from the database and keeps it, unless a forget came in between
// (the session read may be the one forgotten); a session that is gone leaves the cache.
func (sc *sessionCache) lookup(ctx context.Context, db *models.DB, token string, key [32]byte, forgets uint64) (*models.Session, *models.User, error) {
	sess, user, err := db.SessionByToken(ctx, token)
	sc.mu.Lock()
	defer sc.mu.Unlock()
	switch {
	case errors.Is(err, models.ErrNotFound):
		delete(sc.entries, key)
	case err != nil || sc.ttl <= 0 || sc.forgets != forgets:
	default:
		if len(sc.entries) >= sc.max {
			sc.entries = map[[32]byte]cachedSession{} // bounded: start over rather than grow
		}
		sc.entries[key] = cachedSession{sess: sess, user: user, until: time.Now().Add(sc.ttl)}
	}
	return sess, user, err
}

// forget hears of a change: a user's account or sessions changed, or, for the zero Change,
// anything may have.
func (sc *sessionCache) forget(c models.Change) {
	switch c.Topic {
	case models.TopicUser:
		sc.forgetUser(c.ID)
	case "":
		sc.mu.Lock()
		sc.entries = map[[32]byte]cachedSession{}
		sc.forgets++
		sc.mu.Unlock()
	}
}

// forgetUser drops every cached session of a user.
func (sc *sessionCache) forgetUser(userID int64) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	sc.forgets++
	for k, e := range sc.entries {
		if e.user.ID == userID {
			delete(sc.entries, k)
		}
	}
}
