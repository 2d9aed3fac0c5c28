package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/modelstest"
)

// TestTwoInstancesShareOneCAAndOneLeader starts two real servers on one PostgreSQL database,
// each with a data directory of its own and the same PANTAU_SECRET_KEY: both publish the same
// CA, exactly one leads the housekeeping (sealer, sweeper, reminders), and when the leader is
// killed the other takes over. A third start with another key is refused.
func TestTwoInstancesShareOneCAAndOneLeader(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs real servers")
	}
	url := modelstest.PostgresURL(t)
	bin := buildPantau(t)
	instance := func(key string) map[string]string {
		return map[string]string{"DATABASE_URL": url, "PANTAU_DATA_DIR": t.TempDir(), "PANTAU_SECRET_KEY": key,
			"PANTAU_ADMIN_EMAIL": "admin@instances.test", "PANTAU_ADMIN_PASSWORD": "kata-sandi-panjang", "PANTAU_LOG_FORMAT": "text"}
	}
	const key = "kunci-bersama-yang-cukup-panjang-32+"
	a := startServer(t, bin, instance(key))
	b := startServer(t, bin, instance(key))
	_, caA := a.api("GET", "/api/v1/signing/ca.pem", "", "", nil)
	_, caB := b.api("GET", "/api/v1/signing/ca.pem", "", "", nil)
	if !bytes.Contains(caA, []byte("BEGIN CERTIFICATE")) || !bytes.Equal(caA, caB) {
		t.Fatalf("the instances publish different CAs:\n%s\n%s", caA, caB)
	}
	const leads = "leading the housekeeping"
	leader, follower := a, b
	if !strings.Contains(a.logs.String(), leads) {
		leader, follower = b, a
	}
	if !strings.Contains(leader.logs.String(), leads) || strings.Contains(follower.logs.String(), leads) {
		t.Fatalf("want exactly one leader:\nfirst:\n%s\nsecond:\n%s", a.logs.String(), b.logs.String())
	}

	// A write on the follower is sealed into the audit chain by the leader.
	var login struct{ Token string }
	follower.mustJSON(t, "POST", "/api/v1/auth/login", "", map[string]string{"email": "admin@instances.test", "password": "kata-sandi-panjang"}, &login)
	follower.mustJSON(t, "POST", "/api/v1/regions", login.Token, map[string]string{"code": "62.08", "name": "Kabupaten Seruyan", "kind": "regency"}, nil)
	raw := modelstest.RawOpen(t, models.Options{DatabaseURL: url})
	sealedAll := func() bool {
		var unsealed int64
		raw.Table("audit_events").Where("seq IS NULL").Count(&unsealed)
		return unsealed == 0
	}
	if !eventually(5*time.Second, sealedAll) {
		t.Error("the leader did not seal the follower's write")
	}

	// The leader dies; the follower takes over at its next try (every 5 s), after waiting 15 s
	// for a leader that might still be alive to notice it has lost the lock.
	leader.cmd.Process.Kill()
	leader.cmd.Wait()
	killed := time.Now()
	if !eventually(40*time.Second, func() bool { return strings.Contains(follower.logs.String(), leads) }) {
		t.Fatalf("the follower did not take over:\n%s", follower.logs.String())
	}
	t.Logf("the follower took over %v after the leader was killed", time.Since(killed).Round(100*time.Millisecond))
	follower.mustJSON(t, "POST", "/api/v1/regions", login.Token, map[string]string{"code": "62.71", "name": "Kota Palangka Raya", "kind": "city"}, nil)
	if !eventually(5*time.Second, sealedAll) {
		t.Error("the new leader does not seal")
	}

	// Another key cannot open the shared CA: the server refuses to start, saying why.
	env := instance("another-key-that-is-long-enough-too")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second) // should it serve after all
	defer cancel()
	var out, errOut bytes.Buffer
	code := run(ctx, []string{"serve", "--addr", "127.0.0.1:0"}, func(k string) string { return env[k] }, strings.NewReader(""), &out, &errOut)
	if code == 0 || !strings.Contains(errOut.String(), "cannot be opened with this key") {
		t.Errorf("another key: exit %d, %q", code, errOut.String())
	}
}

// eventually polls cond every 50 ms for up to d.
func eventually(d time.Duration, cond func() bool) bool {
	for deadline := time.Now().Add(d); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if cond() {
			return true
		}
	}
	return cond()
}
