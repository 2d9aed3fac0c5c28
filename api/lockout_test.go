package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/modelstest"
	"gorm.io/gorm"
)

// burst sends n requests at once, each built by mk(i) and sent to the server base(i), and
// returns how many answers had each status.
func burst(t *testing.T, n int, base func(i int) string, mk func(i int) (method, path, body string, header http.Header)) map[int]int {
	t.Helper()
	var wg sync.WaitGroup
	var mu sync.Mutex
	statuses := map[int]int{}
	start := make(chan struct{})
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			method, path, body, header := mk(i)
			req, _ := http.NewRequest(method, base(i)+path, strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			for k, v := range header {
				req.Header[k] = v
			}
			<-start
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Errorf("request %d: %v", i, err)
				return
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode == http.StatusTooManyRequests || res.StatusCode == http.StatusServiceUnavailable {
				if res.Header.Get("Retry-After") == "" {
					t.Errorf("%d without Retry-After", res.StatusCode)
				}
			}
			mu.Lock()
			statuses[res.StatusCode]++
			mu.Unlock()
		}(i)
	}
	close(start)
	wg.Wait()
	return statuses
}

// slowArgon2 lets every reserved attempt wait for its turn at argon2id for the test's duration:
// on a busy machine (or under -race) twenty derivations in a row take longer than the default
// wait, and the 503s would make the counts inexact. The default wait is measured by
// TestAttackOnPublicEndpoints in cmd/pantau.
func slowArgon2(t *testing.T) {
	models.LimitKeyDerivation(0, time.Minute)
	t.Cleanup(func() { models.LimitKeyDerivation(0, 0) })
}

// auditCount counts audit events of an action, optionally for one entity key, through a
// connection of its own (raw).
func auditCount(t *testing.T, raw *gorm.DB, entity, key, action string) int64 {
	t.Helper()
	q := raw.Table("audit_events").Where("entity = ? AND action = ?", entity, action)
	if key != "" {
		q = q.Where("entity_key = ?", key)
	}
	var n int64
	if err := q.Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func loginBody(email, password string) string {
	b, _ := json.Marshal(map[string]string{"email": email, "password": password})
	return string(b)
}

// TestLoginLimitHoldsUnderConcurrency fires wrong passwords for one account, and attempts on
// unknown e-mails from one address, all at once: at most the policy's limit is ever checked
// (each checked attempt is audited as login_failed), the rest are refused with 429, and each
// lock-out is one audit event.
func TestLoginLimitHoldsUnderConcurrency(t *testing.T) {
	slowArgon2(t)
	forEachEnv(t, func(t *testing.T, e *env) {
		raw := modelstest.Raw(t, e.db)
		p := models.DefaultLoginPolicy
		const account = "reviewer@test.pantau.id"
		one := func(int) string { return e.srv.URL }
		st := burst(t, 30, one, func(int) (string, string, string, http.Header) {
			return "POST", "/api/v1/auth/login", loginBody(account, "tebakan-salah"), nil
		})
		checked := auditCount(t, raw, "session", account, "login_failed")
		t.Logf("30 wrong passwords for one account at once: %d checked, answers %v", checked, st)
		if checked > int64(p.PerAccount) || st[401] > p.PerAccount || st[401]+st[429]+st[503] != 30 || st[429] == 0 {
			t.Fatalf("per-account limit %d broken: %d checked, answers %v", p.PerAccount, checked, st)
		}
		if n := auditCount(t, raw, "user", account, "locked"); n != 1 {
			t.Fatalf("%d lock-out events for one lock-out", n)
		}
		// Even the right password is refused now.
		e.expect(e.call("POST", "/api/v1/auth/login", asAnonymous, map[string]string{"email": account, "password": testPassword}), 429, "rate_limited")

		before := auditCount(t, raw, "session", "", "login_failed")
		st = burst(t, 50, one, func(i int) (string, string, string, http.Header) {
			return "POST", "/api/v1/auth/login", loginBody(fmt.Sprintf("tidak-ada-%d@test.pantau.id", i), "tebakan-salah"), nil
		})
		checked = auditCount(t, raw, "session", "", "login_failed") - before
		t.Logf("50 unknown e-mails from one address at once: %d checked, answers %v", checked, st)
		// The address had already used 5 of its 20 attempts on the account above.
		if left := int64(p.PerAddress - p.PerAccount); checked > left || st[401] > int(left) || st[429] == 0 {
			t.Fatalf("per-address limit %d broken: %d checked, answers %v", p.PerAddress, checked, st)
		}
		if n := auditCount(t, raw, "address", "", "locked"); n != 1 {
			t.Fatalf("%d address lock-out events for one lock-out", n)
		}
	})
}

// TestLoginLimitAcrossTwoInstances runs two servers on one PostgreSQL database and sends them
// bursts of wrong passwords, for one account and then for unknown e-mails from one address:
// both limits are the database's, not a process's.
func TestLoginLimitAcrossTwoInstances(t *testing.T) {
	slowArgon2(t)
	dsn := modelstest.PostgresURL(t)
	e := newEnv(t, openPostgres(t, dsn))
	_, h, err := New(openPostgres(t, dsn), &models.BlobStore{Dir: t.TempDir(), MaxSize: 1 << 20}, slog.New(slog.NewTextHandler(io.Discard, nil)), models.DefaultLoginPolicy, Options{})
	if err != nil {
		t.Fatal(err)
	}
	second := newTestServer(t, h)
	raw := modelstest.RawOpen(t, models.Options{DatabaseURL: dsn})
	both := func(i int) string {
		if i%2 == 0 {
			return e.srv.URL
		}
		return second.URL
	}
	p := models.DefaultLoginPolicy
	const account = "coordinator@test.pantau.id"
	st := burst(t, 40, both, func(int) (string, string, string, http.Header) {
		return "POST", "/api/v1/auth/login", loginBody(account, "tebakan-salah"), nil
	})
	checked := auditCount(t, raw, "session", account, "login_failed")
	t.Logf("40 wrong passwords for one account over two instances: %d checked, answers %v", checked, st)
	if checked > int64(p.PerAccount) || st[401] > p.PerAccount || st[429] == 0 {
		t.Fatalf("two instances checked %d passwords (limit %d): %v", checked, p.PerAccount, st)
	}

	before := auditCount(t, raw, "session", "", "login_failed")
	st = burst(t, 50, both, func(i int) (string, string, string, http.Header) {
		return "POST", "/api/v1/auth/login", loginBody(fmt.Sprintf("tidak-ada-%d@test.pantau.id", i), "tebakan-salah"), nil
	})
	checked = auditCount(t, raw, "session", "", "login_failed") - before
	t.Logf("50 unknown e-mails from one address over two instances: %d checked, answers %v", checked, st)
	// The address had already used its attempts on the account above.
	if left := int64(p.PerAddress) - before; checked > left || st[401] > int(left) || st[429] == 0 {
		t.Fatalf("two instances checked %d unknown e-mails (%d left of %d): %v", checked, left, p.PerAddress, st)
	}
}

// TestSigningLimitHoldsUnderConcurrency sends wrong signing passphrases all at once, to the
// signature route and to the passphrase change: at most the policy's limit is tried (each try
// costs an argon2id derivation and is audited), the rest are refused with 429.
func TestSigningLimitHoldsUnderConcurrency(t *testing.T) {
	slowArgon2(t)
	forEachEnv(t, func(t *testing.T, e *env) {
		raw := modelstest.Raw(t, e.db)
		cmSigning(t, e)
		cmSignatory(t, e, "bupati", "Yulhaidir")
		e.mustOK(e.call("PUT", "/api/v1/me/signing-key", "bupati", map[string]string{"passphrase": "frasa-bupati-rahasia"}))
		var cm cmJSON
		e.mustOK(e.call("POST", "/api/v1/commitments", models.RoleCoordinator, map[string]any{"region_code": "62.08", "year": 2019})).decode(t, &cm)
		base := fmt.Sprintf("/api/v1/commitments/%d", cm.ID)
		e.mustOK(e.call("PUT", base+"/signatories/regent", models.RoleCoordinator, map[string]string{"user_email": "bupati@sign.pantau.id", "name": "Yulhaidir"}))
		limit := models.DefaultSigningPolicy.MaxFailures
		auth := http.Header{"Authorization": {"Bearer " + e.tokens["bupati"]}}
		st := burst(t, 20, func(int) string { return e.srv.URL }, func(i int) (string, string, string, http.Header) {
			if i%2 == 0 {
				return "POST", base + "/signatories/regent/sign", `{"mode":"sign","passphrase":"salah-salah-salah"}`, auth
			}
			return "PUT", "/api/v1/me/signing-key", `{"passphrase":"frasa-baru-sekali","old_passphrase":"salah-salah-salah"}`, auth
		})
		tried := auditCount(t, raw, "signing_attempt", "", "failed")
		t.Logf("20 wrong signing passphrases at once: %d tried, answers %v", tried, st)
		if tried > int64(limit) || st[422] > limit || st[429] == 0 || st[422]+st[429]+st[503] != 20 {
			t.Fatalf("signing limit %d broken: %d tried, answers %v", limit, tried, st)
		}
		if n := auditCount(t, raw, "signing_key", "bupati@sign.pantau.id", "locked"); n != 1 {
			t.Fatalf("%d signing lock-out events for one lock-out", n)
		}
		e.expect(e.call("POST", base+"/signatories/regent/sign", "bupati", map[string]string{"mode": "sign", "passphrase": "frasa-bupati-rahasia"}), 429, "rate_limited")
	})
}

// TestDeactivatedAccountLooksLikeAWrongPassword: the right password of a deactivated account
// gets exactly the answer a wrong password gets, and the attempt is audited.
func TestDeactivatedAccountLooksLikeAWrongPassword(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		raw := modelstest.Raw(t, e.db)
		u := e.users[models.RoleReviewer]
		e.mustOK(e.call("PATCH", fmt.Sprintf("/api/v1/users/%d", u.ID), roleAdmin, map[string]any{"active": false}))
		wrong := e.call("POST", "/api/v1/auth/login", asAnonymous, map[string]string{"email": u.Email, "password": "tebakan-salah"})
		right := e.call("POST", "/api/v1/auth/login", asAnonymous, map[string]string{"email": u.Email, "password": testPassword})
		e.expect(right, 401, "unauthenticated")
		if !bytes.Equal(wrong.Body, right.Body) {
			t.Fatalf("a deactivated account's right password is told apart:\nwrong: %s\nright: %s", wrong.Body, right.Body)
		}
		if n := auditCount(t, raw, "session", u.Email, "login_failed"); n != 2 {
			t.Fatalf("%d failed sign-ins audited, want 2", n)
		}
	})
}
