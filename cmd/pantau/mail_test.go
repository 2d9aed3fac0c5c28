package main

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pantau-id/pantau/notify/mailpittest"
)

// TestServeSendsMail: with PANTAU_SMTP_URL, "pantau serve" makes the unsubscribe key at first
// start (mode 0600) and its outbox sender delivers a rejection to the operator through a real
// SMTP server, after the request that caused it has answered.
func TestServeSendsMail(t *testing.T) {
	mp := mailpittest.Start(t)
	dir := t.TempDir()
	env := map[string]string{"PANTAU_DATA_DIR": dir, "PANTAU_ADDR": "127.0.0.1:0", "PANTAU_DEMO_PASSWORD": "kata-sandi-demo",
		"PANTAU_SMTP_URL": mp.SMTPURL, "PANTAU_MAIL_FROM": "Pantau <pantau@test.pantau.id>", "PANTAU_PUBLIC_URL": "https://pantau.example"}
	ctx, cancel := context.WithCancel(context.Background())
	out, logs := &syncBuffer{}, &syncBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--demo"}, func(k string) string { return env[k] }, strings.NewReader(""), out, logs)
	}()
	defer func() {
		cancel()
		<-done
	}()
	running := regexp.MustCompile(`running on (http://\S+)`)
	var base string
	for deadline := time.Now().Add(60 * time.Second); base == "" && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if m := running.FindStringSubmatch(out.String()); m != nil {
			base = m[1]
		}
	}
	if base == "" {
		t.Fatalf("server did not start:\n%s\n%s", out.String(), logs.String())
	}
	if st, err := os.Stat(filepath.Join(dir, "ca", "unsubscribe.key")); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("unsubscribe key: %v", err)
	}
	token := func(email string) string {
		var r struct{ Token string }
		post(t, base+"/api/v1/auth/login", "", "application/json", `{"email":"`+email+`","password":"kata-sandi-demo"}`, 200, &r)
		return r.Token
	}
	op, rev := token("operator.seruyan@demo.pantau.id"), token("reviewer@demo.pantau.id")
	item := base + "/api/v1/periods/2020/regions/62.08/items/PTSP.1"
	req, _ := http.NewRequest("PATCH", item, strings.NewReader(`{"progress": 80}`))
	req.Header.Set("Authorization", "Bearer "+op)
	req.Header.Set("Content-Type", "application/json")
	send(t, req, 200, nil)
	post(t, item+"/reviews", rev, "application/json", `{"decision":"reject","comment":"Perbup belum diunggah"}`, 201, nil)
	var m *mailpittest.Message
	for _, s := range mp.Wait(t, 1) {
		if s.To[0].Address == "operator.seruyan@demo.pantau.id" {
			m = mp.Message(t, s.ID)
		}
	}
	if m == nil || !strings.HasPrefix(m.Subject, "[Pantau] Ditolak: PTSP.1") ||
		!strings.Contains(m.Text, "https://pantau.example/api/v1/unsubscribe?token=") || !strings.Contains(m.Text, "Perbup belum diunggah") {
		t.Fatalf("e-mail to the operator: %+v", m)
	}
}
