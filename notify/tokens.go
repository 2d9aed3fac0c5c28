package notify

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/pantau-id/pantau/models"
)

// Tokens signs and checks unsubscribe links with the installation's key, so that a link works
// without signing in and nobody can make one for another user.
type Tokens struct{ key []byte }

// NewTokens uses key (at least 32 bytes) for signing.
func NewTokens(key []byte) (*Tokens, error) {
	if len(key) < 32 {
		return nil, errors.New("the unsubscribe key must have at least 32 bytes")
	}
	return &Tokens{key: key}, nil
}

// TokenKeyFile is the name of the key's file in the installation's key directory
// (PANTAU_CA_DIR).
const TokenKeyFile = "unsubscribe.key"

// OpenTokens loads the key from path, creating it (32 random bytes, hex, readable by the owner
// only) at first start; two instances starting at once keep one key.
func OpenTokens(path string) (*Tokens, error) {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		key := make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return nil, err
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err == nil {
			_, err = f.WriteString(hex.EncodeToString(key) + "\n")
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil && !errors.Is(err, os.ErrExist) {
			return nil, fmt.Errorf("unsubscribe key: %w", err)
		}
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("unsubscribe key: %w", err)
	}
	if st.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("unsubscribe key %s may be read by others (mode %v): chmod 600 it", path, st.Mode().Perm())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	key, err := hex.DecodeString(strings.TrimSpace(string(b)))
	if err != nil {
		return nil, fmt.Errorf("unsubscribe key %s is not hex", path)
	}
	return NewTokens(key)
}

// Unsubscribe returns the token that turns off one category of e-mail for a user.
func (t *Tokens) Unsubscribe(userID int64, c models.MailCategory) string {
	payload := strconv.FormatInt(userID, 10) + "." + string(c)
	return payload + "." + base64.RawURLEncoding.EncodeToString(t.sign(payload))
}

// ParseUnsubscribe checks a token and returns the user and category it names.
func (t *Tokens) ParseUnsubscribe(token string) (int64, models.MailCategory, bool) {
	i := strings.LastIndexByte(token, '.')
	if i < 0 {
		return 0, "", false
	}
	payload := token[:i]
	sig, err := base64.RawURLEncoding.DecodeString(token[i+1:])
	if err != nil || !hmac.Equal(sig, t.sign(payload)) {
		return 0, "", false
	}
	id, cat, _ := strings.Cut(payload, ".")
	userID, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return 0, "", false
	}
	for _, c := range models.MailCategories {
		if string(c) == cat {
			return userID, c, true
		}
	}
	return 0, "", false
}

func (t *Tokens) sign(payload string) []byte {
	m := hmac.New(sha256.New, t.key)
	m.Write([]byte("pantau-unsubscribe-v1\x00" + payload))
	return m.Sum(nil)
}
