package notify

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pantau-id/pantau/models"
)

// TestBackoff: 30 s doubling per attempt, at most an hour.
func TestBackoff(t *testing.T) {
	for n, want := range map[int]time.Duration{1: 30 * time.Second, 2: time.Minute, 3: 2 * time.Minute, 7: 32 * time.Minute, 8: time.Hour, 30: time.Hour} {
		if got := Backoff(n); got != want {
			t.Errorf("Backoff(%d) = %v, want %v", n, got, want)
		}
	}
}

func TestParseSMTPURL(t *testing.T) {
	for raw, want := range map[string]SMTP{
		"smtp://mail.local":                    {Host: "mail.local", Port: 25},
		"smtp://127.0.0.1:1025":                {Host: "127.0.0.1", Port: 1025},
		"smtps://user:p%40ss@mail.example:465": {Host: "mail.example", Port: 465, ImplicitTLS: true, Username: "user", Password: "p@ss"},
		"smtps://mail.example":                 {Host: "mail.example", Port: 465, ImplicitTLS: true},
	} {
		got, err := ParseSMTPURL(raw, "a@b.c")
		if err != nil {
			t.Errorf("%s: %v", raw, err)
			continue
		}
		want.From = "a@b.c"
		if *got != want {
			t.Errorf("%s: %+v, want %+v", raw, *got, want)
		}
	}
	for _, raw := range []string{"http://mail.local", "smtp://", "smtp://h:0", "smtp://h:99999", "smtp://h:x", "smtp://user:secret@h/path", "mail.local:25"} {
		_, err := ParseSMTPURL(raw, "a@b.c")
		if err == nil {
			t.Errorf("%s: accepted", raw)
		} else if strings.Contains(err.Error(), "secret") {
			t.Errorf("%s: the error shows the password: %v", raw, err)
		}
	}
}

// TestTokens: the key is made once, readable by its owner only, and kept; tokens verify only
// with it and only as made.
func TestTokens(t *testing.T) {
	path := filepath.Join(t.TempDir(), TokenKeyFile)
	a, err := OpenTokens(path)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v, %v", st.Mode().Perm(), err)
	}
	b, err := OpenTokens(path)
	if err != nil {
		t.Fatal(err)
	}
	tok := a.Unsubscribe(42, models.MailComments)
	if id, c, ok := b.ParseUnsubscribe(tok); !ok || id != 42 || c != models.MailComments {
		t.Fatalf("the reopened key does not verify: %d %s %v", id, c, ok)
	}
	for _, bad := range []string{tok + "x", strings.Replace(tok, "42.", "43.", 1), "42.comments", "x.y.z", strings.Replace(tok, "comments", "unknown", 1)} {
		if _, _, ok := a.ParseUnsubscribe(bad); ok {
			t.Errorf("%q verified", bad)
		}
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenTokens(path); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("a key readable by others was accepted: %v", err)
	}
}

// TestTitles: every kind has words in both languages, filled from its params.
func TestTitles(t *testing.T) {
	p := models.NoticeParams{Year: 2019, Region: "62.08", RegionName: "Kabupaten Seruyan", Indicator: "I1", IndicatorTitle: "Perkada",
		Actor: "Rina", Slot: "regent", Until: "2020-01-31", Text: "Menetapkan Perbup"}
	for _, kind := range models.NotificationKinds {
		for _, lang := range []string{"id", "en"} {
			got := Title(kind, lang, p)
			if strings.ContainsAny(got, "{}") || got == string(kind) {
				t.Errorf("%s in %s: %q", kind, lang, got)
			}
		}
		if Title(kind, "id", p) == Title(kind, "en", p) {
			t.Errorf("%s reads the same in both languages", kind)
		}
	}
	if len(titles) != len(models.NotificationKinds) {
		t.Errorf("%d kinds have titles, want %d", len(titles), len(models.NotificationKinds))
	}
}

func TestDigestTitleNamesItsDays(t *testing.T) {
	for _, c := range []struct{ since, lang, want string }{
		{"2019-11-18", "id", "Ringkasan mingguan 18–24 November 2019: 3 Pemda bergerak"},
		{"2019-11-18", "en", "Weekly digest, 18–24 November 2019: 3 Pemda moved"},
		{"2026-11-30", "id", "Ringkasan mingguan 30 November – 6 Desember 2026: 3 Pemda bergerak"},
		{"2026-11-30", "en", "Weekly digest, 30 November – 6 December 2026: 3 Pemda moved"},
		{"2025-12-29", "id", "Ringkasan mingguan 29 Desember 2025 – 4 Januari 2026: 3 Pemda bergerak"},
		{"", "id", "Ringkasan mingguan 2026-W49: 3 Pemda bergerak"},
	} {
		p := models.NoticeParams{Count: 3, Week: "2026-W49", Digest: &models.Digest{Since: c.since, Week: "2026-W49"}}
		if got := Title(models.NoticeWeeklyDigest, c.lang, p); got != c.want {
			t.Errorf("since %q in %s: %q, want %q", c.since, c.lang, got, c.want)
		}
	}
}
