package api

import (
	"crypto/sha256"
	"sync"
	"time"

	"github.com/pantau-id/pantau/models"
)

// sessionCache remembers resolved sessions for a moment, so that an authenticated request does
// not always cost a database query. A sign-out, a password change or a change to the account
// takes effect at once: models announces it (models.TopicUser), through this process or, while
// models.DB.Follow runs, another instance sharing the database; without Follow another
// instance's change takes effect within ttl.
type sessionCache struct {
	ttl     time.Duration
	max     int
	mu      sync.Mutex
	entries map[[32]byte]cachedSession // by SHA-256 of the token: raw tokens are not kept
}

type cachedSession struct {
	sess  *models.Session
	user  *models.User
	until time.Time
}

func newSessionCache(ttl time.Duration) *sessionCache {
	return &sessionCache{ttl: ttl, max: 10000, entries: map[[32]byte]cachedSession{}}
}

func (sc *sessionCache) get(token string) (*models.Session, *models.User, bool) {
	key := sha256.Sum256([]byte(token))
	sc.mu.Lock()
	defer sc.mu.Unlock()
	e, ok := sc.entries[key]
	if !ok || time.Now().After(e.until) {
		return nil, nil, false
	}
	return e.sess, e.user, true
}

func (sc *sessionCache) put(token string, s *models.Session, u *models.User) {
	if sc.ttl <= 0 {
		return
	}
	key := sha256.Sum256([]byte(token))
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if len(sc.entries) >= sc.max {
		sc.entries = map[[32]byte]cachedSession{} // bounded: start over rather than grow
	}
	sc.entries[key] = cachedSession{sess: s, user: u, until: time.Now().Add(sc.ttl)}
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
		sc.mu.Unlock()
	}
}

// forgetUser drops every cached session of a user.
func (sc *sessionCache) forgetUser(userID int64) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	for k, e := range sc.entries {
		if e.user.ID == userID {
			delete(sc.entries, k)
		}
	}
}
