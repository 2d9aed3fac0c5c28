package api

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/modelstest"
	"github.com/pantau-id/pantau/notify"
)

type outboxRow struct {
	ID            int64
	Status        string
	Attempts      int
	NextAttemptAt time.Time
	LastError     string
	MessageID     string
}

func (m *mailEnv) outboxRows() []outboxRow {
	m.t.Helper()
	var rows []outboxRow
	if err := modelstest.Raw(m.t, m.db).Table("mail_outbox").Order("id").Find(&rows).Error; err != nil {
		m.t.Fatal(err)
	}
	return rows
}

// closedPort is a local address nobody listens on.
func closedPort(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// TestOutboxDelivery: an unreachable server leaves e-mails pending with a growing delay; once
// it answers, each is delivered exactly once with its own Message-ID; a claim interrupted
// mid-send is not sent again; an e-mail whose category was turned off after it was queued is
// skipped; one that cannot be made holds up no other; and with e-mail off nothing is queued.
func TestOutboxDelivery(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.DB) {
		e := newMailEnv(t, db)
		clock := time.Date(2019, 6, 1, 8, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return clock }
		ctx := context.Background()
		working := e.outbox.SMTP
		down, err := notify.ParseSMTPURL("smtp://"+closedPort(t), working.From)
		if err != nil {
			t.Fatal(err)
		}
		down.Timeout = 2 * time.Second
		e.outbox.SMTP = down

		e.rejectClaim("Belum lengkap")
		if _, err := e.outbox.Flush(ctx); err == nil {
			t.Fatal("Flush with the server down reported no error")
		}
		rows := e.outboxRows()
		if len(rows) != 1 || rows[0].Status != "pending" || rows[0].Attempts != 1 || !rows[0].NextAttemptAt.Equal(clock.Add(30*time.Second)) || rows[0].LastError == "" {
			t.Fatalf("after a failed attempt: %+v", rows)
		}
		// Not due yet: nothing is tried.
		if n, err := e.outbox.Flush(ctx); n != 0 || err != nil {
			t.Fatalf("Flush before the retry time: %d, %v", n, err)
		}
		clock = clock.Add(31 * time.Second)
		e.outbox.Flush(ctx)
		if rows = e.outboxRows(); rows[0].Attempts != 2 || !rows[0].NextAttemptAt.Equal(clock.Add(time.Minute)) {
			t.Fatalf("after a second failed attempt: %+v", rows)
		}

		// The server is back: delivered once, and never again.
		e.outbox.SMTP = working
		clock = clock.Add(2 * time.Minute)
		e.flush()
		e.flush()
		list := e.mail.Wait(t, 1)
		if rows = e.outboxRows(); len(list) != 1 || rows[0].Status != "sent" || list[0].MessageID != rows[0].MessageID {
			t.Fatalf("after delivery: %+v, mailpit %+v", rows, list)
		}

		// A claim left by a sender that stopped mid-send is marked uncertain, not sent again.
		e.rejectClaim("Masih belum lengkap")
		raw := modelstest.Raw(t, db)
		if err := raw.Exec("UPDATE mail_outbox SET status = 'sending', claimed_at = ? WHERE status = 'pending'", clock.Add(-time.Hour)).Error; err != nil {
			t.Fatal(err)
		}
		e.flush()
		if rows = e.outboxRows(); len(rows) != 2 || rows[1].Status != "uncertain" {
			t.Fatalf("interrupted claim: %+v", rows)
		}

		// Queued, then the category turned off: skipped.
		e.rejectClaim("Ketiga")
		e.mustOK(e.call("PUT", "/api/v1/me/preferences", models.RoleOperator, map[string]any{"email": map[string]any{"rejections": false}}))
		e.flush()
		if rows = e.outboxRows(); len(rows) != 3 || rows[2].Status != "skipped" {
			t.Fatalf("unwanted e-mail: %+v", rows)
		}
		if n := len(e.mail.Messages(t)); n != 1 {
			t.Fatalf("mailpit holds %d messages, want 1", n)
		}

		// An e-mail that cannot be made (the address was broken behind the application's back)
		// counts as a failed attempt and holds up nobody else's.
		e.mustOK(e.call("PUT", "/api/v1/me/preferences", models.RoleOperator, map[string]any{"email": map[string]any{"rejections": true}}))
		e.rejectClaim("Kelima")
		e.mustOK(e.call("POST", itemPath+"/comments", models.RoleOperator, map[string]any{"body": "Sudah diperbaiki"}))
		if err := raw.Exec("UPDATE users SET email = 'bukan alamat' WHERE id = ?", e.users[models.RoleOperator].ID).Error; err != nil {
			t.Fatal(err)
		}
		e.flush()
		rows = e.outboxRows()
		if len(rows) != 5 || rows[3].Status != "pending" || rows[3].Attempts != 1 || rows[4].Status != "sent" {
			t.Fatalf("a broken address: %+v", rows)
		}
		e.mail.Wait(t, 2)

		// With e-mail off (no PANTAU_SMTP_URL), notifications queue nothing.
		db.MailOutbox = false
		e.rejectClaim("Keempat")
		if rows = e.outboxRows(); len(rows) != 5 {
			t.Fatalf("e-mail off queued %d rows, want none more than 5", len(rows))
		}
	})
}

// TestOutboxTwoSenders: two senders (two instances) working the same outbox at once deliver
// every e-mail exactly once.
func TestOutboxTwoSenders(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.DB) {
		e := newMailEnv(t, db)
		const n = 12
		for i := 0; i < n; i++ {
			e.rejectClaim("Belum lengkap")
		}
		other := *e.outbox
		other.Batch, e.outbox.Batch = 5, 5
		errs := make(chan error, 2)
		for _, o := range []*notify.Outbox{e.outbox, &other} {
			go func() {
				for {
					k, err := o.Flush(context.Background())
					if err != nil || k == 0 {
						errs <- err
						return
					}
				}
			}()
		}
		for range 2 {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		list := e.mail.Wait(t, n)
		seen := map[string]bool{}
		for _, m := range list {
			if seen[m.MessageID] {
				t.Fatalf("%s delivered twice", m.MessageID)
			}
			seen[m.MessageID] = true
		}
		time.Sleep(300 * time.Millisecond) // a duplicate still on its way would show now
		if got := len(e.mail.Messages(t)); got != n {
			t.Fatalf("mailpit holds %d messages, want %d", got, n)
		}
		for _, r := range e.outboxRows() {
			if r.Status != "sent" {
				t.Fatalf("row %d is %s", r.ID, r.Status)
			}
		}
	})
}
