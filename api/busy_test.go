package api

import (
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/modelstest"
)

// stallVerify opens a file check that declares a body of length bytes, sends the start of it
// and stalls, holding whatever the check holds while its body is read; the connection closes
// when the test ends or when the returned function is called.
func stallVerify(t *testing.T, e *env, length int) (hangUp func()) {
	t.Helper()
	c, err := net.Dial("tcp", strings.TrimPrefix(e.srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	fmt.Fprintf(c, "POST /api/v1/verify HTTP/1.1\r\nHost: pantau\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: %d\r\n\r\n"+
		"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n%%PDF-1.7\n", length)
	return func() { c.Close() }
}

// verifyUntil sends small file checks until one is answered with status (within 20 s), and
// returns that answer.
func verifyUntil(t *testing.T, e *env, status int) *response {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		r := e.upload("/api/v1/verify", asAnonymous, "a.pdf", []byte("%PDF-1.4 kecil"))
		if r.Status == status {
			return r
		}
		if time.Now().After(deadline) {
			t.Fatalf("file checks never answered %d; the last: %d %s", status, r.Status, r.Body)
		}
	}
}

// expectBusy checks a 503 for a full work pool: the contract's shape, the "busy" message and
// Retry-After.
func expectBusy(t *testing.T, e *env, r *response) {
	t.Helper()
	e.expect(r, http.StatusServiceUnavailable, "unavailable")
	if r.Header.Get("Retry-After") == "" || !strings.Contains(string(r.Body), messages["busy"].id) {
		t.Fatalf("busy without Retry-After or its message: %v %s", r.Header, r.Body)
	}
}

// TestVerifyPoolIsBounded: while as many file checks as the pool has slots hold them (here one
// that stalls in its body), the next is answered 503 busy with Retry-After instead of queueing
// without bound; the slot frees when the stalled client goes away.
func TestVerifyPoolIsBounded(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		e.reopen(Options{Limits: Limits{Verify: 1, Wait: 50 * time.Millisecond}})
		hangUp := stallVerify(t, e, 100<<10)
		expectBusy(t, e, verifyUntil(t, e, http.StatusServiceUnavailable))
		hangUp()
		verifyUntil(t, e, http.StatusOK)
	})
}

// TestVerifyMemoryIsBounded: the file checks in flight are bounded by the bytes they declare,
// whatever the number of slots (cores): one check that declares the whole budget leaves free
// slots unusable until it ends.
func TestVerifyMemoryIsBounded(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		e.reopen(Options{Limits: Limits{Verify: 8, VerifyMemory: 200 << 10, Wait: 50 * time.Millisecond}})
		verifyUntil(t, e, http.StatusOK) // a small check fits beside nothing
		hangUp := stallVerify(t, e, 200<<10)
		expectBusy(t, e, verifyUntil(t, e, http.StatusServiceUnavailable))
		hangUp()
		verifyUntil(t, e, http.StatusOK)
	})
}

// TestKeyDerivationPoolIsBounded: with one argon2id slot and a short wait, sign-ins arriving
// at once beyond what the slot serves are answered 503 busy with Retry-After, and such an
// attempt, whose password was never checked, neither counts towards a lock-out nor stays
// reserved: only the answered attempts are recorded and audited. (Each attempt comes from an
// address of its own, through a trusted proxy, so that the reservations do not queue on one
// address's lock and all reach argon2id together.)
func TestKeyDerivationPoolIsBounded(t *testing.T) {
	models.LimitKeyDerivation(1, 10*time.Millisecond)
	t.Cleanup(func() { models.LimitKeyDerivation(0, 0) })
	forEachEnv(t, func(t *testing.T, e *env) {
		e.reopen(Options{TrustedProxies: []string{"127.0.0.1"}})
		raw := modelstest.Raw(t, e.db)
		const n = 16
		st := burst(t, n, func(int) string { return e.srv.URL }, func(i int) (string, string, string, http.Header) {
			return "POST", "/api/v1/auth/login", loginBody(fmt.Sprintf("tidak-ada-%d@test.pantau.id", i), "tebakan-salah"),
				http.Header{"X-Forwarded-For": {fmt.Sprintf("192.0.2.%d", i+1)}}
		})
		checked := auditCount(t, raw, "session", "", "login_failed")
		var kept, pending int64
		raw.Table("login_failures").Count(&kept)
		raw.Table("login_failures").Where("pending = ?", true).Count(&pending)
		t.Logf("%d sign-ins at once with one argon2id slot: answers %v, %d checked, %d failures kept, %d reservations left", n, st, checked, kept, pending)
		if st[503] == 0 || st[401] == 0 || st[401]+st[503] != n || checked != int64(st[401]) || kept != checked || pending != 0 {
			t.Fatalf("answers %v, %d checked, %d failures kept, %d reservations left", st, checked, kept, pending)
		}
	})
}
