package api

import (
	"context"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/modelstest"
	"github.com/pantau-id/pantau/notify"
	"github.com/pantau-id/pantau/notify/mailpittest"
)

// mailEnv is newEnv with e-mail on: unsubscribe tokens, an outbox, and a mailpit it delivers to.
type mailEnv struct {
	*env
	mail   *mailpittest.Server
	outbox *notify.Outbox
}

func newMailEnv(t *testing.T, db *models.DB) *mailEnv {
	t.Helper()
	mp := mailpittest.Start(t)
	tokens, err := notify.OpenTokens(t.TempDir() + "/" + notify.TokenKeyFile)
	if err != nil {
		t.Fatal(err)
	}
	db.MailOutbox = true
	e := newEnvWith(t, db, Options{Tokens: tokens})
	smtp, err := notify.ParseSMTPURL(mp.SMTPURL, "Pantau <pantau@test.pantau.id>")
	if err != nil {
		t.Fatal(err)
	}
	o := &notify.Outbox{DB: db, SMTP: smtp, Renderer: &notify.Renderer{PublicURL: e.srv.URL, Tokens: tokens},
		Log: slog.New(slog.NewTextHandler(testLogOutput(), nil))}
	return &mailEnv{env: e, mail: mp, outbox: o}
}

// flush runs one pass of the outbox and fails the test on an error.
func (m *mailEnv) flush() {
	m.t.Helper()
	if _, err := m.outbox.Flush(context.Background()); err != nil {
		m.t.Fatalf("outbox: %v", err)
	}
}

type notificationOut struct {
	ID    int64  `json:"id"`
	Kind  string `json:"kind"`
	Title string `json:"title"`
	Link  string `json:"link"`
	Read  bool   `json:"read"`
}

func (e *env) notifications(role models.Role, query string) []notificationOut {
	e.t.Helper()
	var out []notificationOut
	e.mustOK(e.call("GET", "/api/v1/me/notifications"+query, role, nil)).decode(e.t, &out)
	return out
}

func (e *env) unread(role models.Role) int64 {
	e.t.Helper()
	var me struct {
		Unread *int64 `json:"unread_notifications"`
	}
	e.mustOK(e.call("GET", "/api/v1/me", role, nil)).decode(e.t, &me)
	if me.Unread == nil {
		e.t.Fatal("GET /me has no unread_notifications")
	}
	return *me.Unread
}

// mailTo returns the newest messages to an address, newest first.
func (m *mailEnv) mailTo(address string) []mailpittest.Summary {
	var out []mailpittest.Summary
	for _, s := range m.mail.Messages(m.t) {
		for _, to := range s.To {
			if to.Address == address {
				out = append(out, s)
			}
		}
	}
	return out
}

const itemPath = "/api/v1/periods/2019/regions/62.08/items/I1"

// rejectClaim has the operator claim I1 and the reviewer reject it with reason.
func (e *env) rejectClaim(reason string) {
	e.t.Helper()
	e.mustOK(e.call("PATCH", itemPath, models.RoleOperator, map[string]any{"progress": 40}))
	e.mustOK(e.call("POST", itemPath+"/reviews", models.RoleReviewer, map[string]any{"decision": "reject", "comment": reason}))
}

var unsubscribeLink = regexp.MustCompile(`https?://\S+/api/v1/unsubscribe\?token=\S+`)

// TestConversationNotificationsAndMail is the story on both databases: a reviewer asks
// on an item, the operator sees it and answers; the reviewer rejects the item, and the operator
// gets a notification and an e-mail (Indonesian, then English after choosing it); the e-mail's
// unsubscribe link, opened without signing in, stops rejection e-mails but not notifications.
func TestConversationNotificationsAndMail(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.DB) {
		e := newMailEnv(t, db)
		operator, reviewer := e.users[models.RoleOperator].Email, e.users[models.RoleReviewer].Email

		// The reviewer asks, mentioning the operator.
		var asked models.Comment
		r := e.call("POST", itemPath+"/comments", models.RoleReviewer, map[string]any{"body": "SK-nya belum ada. @" + operator + " mohon diunggah."})
		e.expect(r, http.StatusCreated, "")
		r.decode(t, &asked)
		if asked.Author != reviewer || len(asked.Mentions) != 1 || asked.Mentions[0] != operator || asked.Version != 1 {
			t.Fatalf("comment: %+v", asked)
		}
		if n := e.unread(models.RoleOperator); n != 1 {
			t.Fatalf("operator's unread count %d, want 1", n)
		}
		got := e.notifications(models.RoleOperator, "")
		if len(got) != 1 || got[0].Kind != "mention" || !strings.Contains(got[0].Title, "menyebut Anda") || got[0].Link != "/pemda/62.08?year=2019&item=I1" {
			t.Fatalf("operator's notifications: %+v", got)
		}

		// The operator answers; the reviewer hears of it. Reading marks only one's own.
		e.mustOK(e.call("POST", itemPath+"/comments", models.RoleOperator, map[string]any{"body": "Sudah kami unggah, silakan diperiksa."}))
		toReviewer := e.notifications(models.RoleReviewer, "?unread=true")
		if len(toReviewer) != 1 || toReviewer[0].Kind != "comment" {
			t.Fatalf("reviewer's notifications: %+v", toReviewer)
		}
		var read struct{ Unread int64 }
		e.mustOK(e.call("POST", "/api/v1/me/notifications/read", models.RoleOperator, map[string]any{"ids": []int64{got[0].ID, toReviewer[0].ID}})).decode(t, &read)
		if read.Unread != 0 || e.unread(models.RoleReviewer) != 1 || !e.notifications(models.RoleOperator, "")[0].Read {
			t.Fatalf("after reading: operator %d unread, reviewer %d", read.Unread, e.unread(models.RoleReviewer))
		}
		var comments []models.Comment
		e.mustOK(e.call("GET", itemPath+"/comments", models.RoleOperator, nil)).decode(t, &comments)
		if len(comments) != 2 || comments[0].ID != asked.ID || comments[1].Author != operator {
			t.Fatalf("discussion: %+v", comments)
		}

		// The mention and the answer were e-mailed.
		e.flush()
		e.mail.Wait(t, 2)
		if len(e.mailTo(operator)) != 1 || len(e.mailTo(reviewer)) != 1 {
			t.Fatalf("e-mails after the conversation: %+v", e.mail.Messages(t))
		}

		// The reviewer rejects: a notification and an e-mail in Indonesian, the reason escaped in HTML.
		e.rejectClaim("SK belum <b>ditandatangani</b>")
		if got := e.notifications(models.RoleOperator, "?unread=true"); len(got) != 1 || got[0].Kind != "item_rejected" || !strings.HasPrefix(got[0].Title, "Ditolak: I1") {
			t.Fatalf("operator's unread notifications after the rejection: %+v", got)
		}
		e.flush()
		e.mail.Wait(t, 3)
		rejected := e.mailTo(operator)[0]
		msg := e.mail.Message(t, rejected.ID)
		if !strings.HasPrefix(msg.Subject, "[Pantau] Ditolak: I1 Perkada pendelegasian") || !strings.Contains(msg.Text, "SK belum <b>ditandatangani</b>") ||
			!strings.Contains(msg.HTML, "SK belum &lt;b&gt;ditandatangani&lt;/b&gt;") || !strings.Contains(msg.Text, "Yth. User operator") {
			t.Fatalf("rejection e-mail: %q\n%s\n%s", msg.Subject, msg.Text, msg.HTML)
		}
		if h := e.mail.Headers(t, rejected.ID)["List-Unsubscribe"]; len(h) != 1 || !strings.Contains(h[0], "/api/v1/unsubscribe?token=") {
			t.Fatalf("List-Unsubscribe: %v", h)
		}

		// In English once the operator chooses it.
		var prefs models.Preferences
		e.mustOK(e.call("PUT", "/api/v1/me/preferences", models.RoleOperator, map[string]any{"language": "en"})).decode(t, &prefs)
		if prefs.Language != "en" || !prefs.Email.Rejections || !prefs.Email.Digest {
			t.Fatalf("preferences: %+v", prefs)
		}
		e.rejectClaim("Still unsigned")
		e.flush()
		e.mail.Wait(t, 4)
		msg = e.mail.Message(t, e.mailTo(operator)[0].ID)
		if !strings.HasPrefix(msg.Subject, "[Pantau] Rejected: I1") || !strings.Contains(msg.Text, "Dear User operator") {
			t.Fatalf("English rejection e-mail: %q\n%s", msg.Subject, msg.Text)
		}
		if got := e.notifications(models.RoleOperator, "?limit=1"); len(got) != 1 || !strings.HasPrefix(got[0].Title, "Rejected: I1") {
			t.Fatalf("English notification: %+v", got)
		}

		// The link in the e-mail, opened without signing in, turns rejection e-mails off.
		link := unsubscribeLink.FindString(msg.Text)
		if link == "" {
			t.Fatalf("no unsubscribe link in %s", msg.Text)
		}
		req, _ := http.NewRequest("GET", link, nil)
		r = e.do(req)
		e.expect(r, http.StatusOK, "")
		var off struct{ Category, Email string }
		r.decode(t, &off)
		if off.Category != "rejections" || off.Email != operator {
			t.Fatalf("unsubscribe: %s", r.Body)
		}
		e.mustOK(e.call("GET", "/api/v1/me/preferences", models.RoleOperator, nil)).decode(t, &prefs)
		if prefs.Email.Rejections || !prefs.Email.Comments || prefs.Language != "en" {
			t.Fatalf("preferences after unsubscribing: %+v", prefs)
		}

		// The next rejection: a notification, no e-mail.
		before := len(e.mail.Messages(t))
		unread := e.unread(models.RoleOperator)
		e.rejectClaim("Third time")
		e.flush()
		if n := e.unread(models.RoleOperator); n != unread+1 {
			t.Fatalf("unread after the third rejection: %d, want %d", n, unread+1)
		}
		if n := len(e.mail.Messages(t)); n != before {
			t.Fatalf("mailpit holds %d messages after unsubscribing, want %d", n, before)
		}
	})
}

// TestUnsubscribeRefusesForgedTokens: a token altered in any way, or for another category or
// user, changes nothing.
func TestUnsubscribeRefusesForgedTokens(t *testing.T) {
	db := modelstest.Open(t, models.SQLite)
	tokens, err := notify.NewTokens([]byte(strings.Repeat("k", 32)))
	if err != nil {
		t.Fatal(err)
	}
	e := newEnvWith(t, db, Options{Tokens: tokens})
	id := e.users[models.RoleOperator].ID
	good := tokens.Unsubscribe(id, models.MailRejections)
	other, _ := notify.NewTokens([]byte(strings.Repeat("x", 32)))
	for _, bad := range []string{"", "abc", good[:len(good)-2], strings.Replace(good, ".rejections.", ".comments.", 1),
		strings.Replace(good, "rejections", "digest", 1), other.Unsubscribe(id, models.MailRejections)} {
		e.expect(e.call("GET", "/api/v1/unsubscribe?token="+bad, asAnonymous, nil), http.StatusBadRequest, "bad_request")
	}
	var prefs models.Preferences
	e.mustOK(e.call("GET", "/api/v1/me/preferences", models.RoleOperator, nil)).decode(t, &prefs)
	if !prefs.Email.Rejections {
		t.Fatal("a forged token unsubscribed")
	}
	// A mail client's one-click unsubscribe (RFC 8058).
	oneClick, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/unsubscribe?token="+good, strings.NewReader("List-Unsubscribe=One-Click"))
	oneClick.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	e.mustOK(e.do(oneClick))
	e.mustOK(e.call("GET", "/api/v1/me/preferences", models.RoleOperator, nil)).decode(t, &prefs)
	if prefs.Email.Rejections || !prefs.Email.Comments {
		t.Fatalf("one-click unsubscribe: %+v", prefs)
	}
	e.expect(e.call("GET", "/api/v1/unsubscribe?token="+tokens.Unsubscribe(99999, models.MailDigest), asAnonymous, nil), http.StatusNotFound, "not_found")

	// A browser gets a page, in the user's language.
	req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/unsubscribe?token="+tokens.Unsubscribe(id, models.MailDigest), nil)
	req.Header.Set("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
	r := e.do(req)
	if r.Status != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") ||
		!strings.Contains(string(r.Body), `E-mail kategori &#34;ringkasan mingguan&#34; untuk operator@test.pantau.id telah dihentikan`) {
		t.Fatalf("page: %d %s %s", r.Status, r.Header.Get("Content-Type"), r.Body)
	}
}
