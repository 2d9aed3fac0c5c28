package models

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/argon2"
	"golang.org/x/sync/semaphore"
)

// Argon2id parameters for new password hashes (OWASP's recommended minimum is m=19 MiB, t=2).
// Stored hashes carry their own parameters, so these can grow without breaking old ones.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// ErrBusy: every slot for key derivation (argon2id) stayed taken for longer than the wait
// allowed; the caller should try again shortly.
var ErrBusy = errors.New("server busy")

// kdfLimiter bounds the argon2id work of the whole process: each derivation takes as many
// slots as it runs threads, for as long as it runs, so that memory (19–32 MiB each) and CPU stay
// bounded however many sign-ins or signatures arrive at once.
type kdfLimiter struct {
	slots int64
	sem   *semaphore.Weighted
	wait  time.Duration
}

var kdf atomic.Pointer[kdfLimiter]

func init() { LimitKeyDerivation(0, 0) }

// DefaultKDFWait is how long a password check or key unlock waits for a free slot before it
// gives up with ErrBusy.
const DefaultKDFWait = 2 * time.Second

// LimitKeyDerivation sets how many argon2id threads may run at once in this process (slots;
// 0 means GOMAXPROCS, at least 2) and how long a derivation waits for a slot (0 means
// DefaultKDFWait). Call it at start, before serving.
func LimitKeyDerivation(slots int, wait time.Duration) {
	if slots <= 0 {
		slots = max(2, runtime.GOMAXPROCS(0))
	}
	if wait <= 0 {
		wait = DefaultKDFWait
	}
	kdf.Store(&kdfLimiter{slots: int64(slots), sem: semaphore.NewWeighted(int64(slots)), wait: wait})
}

// deriving runs fn, an argon2id derivation with the given number of threads, in the
// process's bounded pool; ErrBusy when no slot frees up in time.
func deriving(ctx context.Context, threads uint8, fn func()) error {
	l := kdf.Load()
	weight := min(max(int64(threads), 1), l.slots)
	wctx, cancel := context.WithTimeout(ctx, l.wait)
	defer cancel()
	if err := l.sem.Acquire(wctx, weight); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return ErrBusy
	}
	defer l.sem.Release(weight)
	fn()
	return nil
}

// hashPassword returns an Argon2id hash in the PHC string format.
func hashPassword(ctx context.Context, password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	var key []byte
	if err := deriving(ctx, argonThreads, func() {
		key = argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	}); err != nil {
		return "", err
	}
	return phcString(salt, key), nil
}

// phcString writes an argon2id key made with this package's parameters in the PHC format.
func phcString(salt, key []byte) string {
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key))
}

// checkPassword reports whether password matches a hash made by hashPassword; the error is
// ErrBusy (or the context's) when the check could not run.
func checkPassword(ctx context.Context, hash, password string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, nil
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false, nil
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil {
		return false, nil
	}
	var got []byte
	if err := deriving(ctx, p, func() { got = argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want))) }); err != nil {
		return false, err
	}
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummyHash is checked against when an e-mail is unknown, so that the answer takes as long.
// It is made on first use (argon2id at package import would slow every command's start).
var dummyHash = sync.OnceValue(func() string {
	salt := make([]byte, 16)
	rand.Read(salt)
	return phcString(salt, argon2.IDKey([]byte("pantau-timing-equaliser"), salt, argonTime, argonMemory, argonThreads, argonKeyLen))
})
