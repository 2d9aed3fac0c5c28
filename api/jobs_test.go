package api

import (
	"context"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/pantau-id/pantau/jobs"
	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/modelstest"
)

// startQueue migrates River's tables and runs a job queue (an instance) on db until the test ends.
func startQueue(t *testing.T, db *models.DB, cfg jobs.Config) *jobs.Queue {
	t.Helper()
	ctx := context.Background()
	if _, err := jobs.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	cfg.DB = db
	cfg.FetchPoll = 200 * time.Millisecond
	q, err := jobs.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stop, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := q.Stop(stop); err != nil {
			t.Errorf("stop the queue: %v", err)
		}
	})
	return q
}

// kindCounts counts the notifications of a kind per user e-mail.
func kindCounts(t *testing.T, db *models.DB, kind models.NotificationKind) map[string]int {
	t.Helper()
	var rows []struct {
		Email string
		N     int
	}
	err := modelstest.Raw(t, db).Table("notifications").Select("users.email, COUNT(*) AS n").Joins("JOIN users ON users.id = notifications.user_id").
		Where("notifications.kind = ?", kind).Group("users.email").Scan(&rows).Error
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, r := range rows {
		out[r.Email] = r.N
	}
	return out
}

// waitFor polls cond until it holds, failing after 20 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); !cond(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// setClock sets the database's clock to a time in WIB.
func setClock(db *models.DB, wib string) {
	at, err := time.ParseInLocation("2006-01-02 15:04", wib, models.WIB)
	if err != nil {
		panic(err)
	}
	db.Now = func() time.Time { return at.UTC() }
}

// TestDeadlineReminders: operators whose Pemda has items not submitted are reminded on the
// configured days before the deadline, once per day count, even with two instances' queues on one
// database and reminders looked for concurrently; an operator whose items are all submitted is
// not; one who turned reminder e-mails off gets the notification but no e-mail.
func TestDeadlineReminders(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.DB) {
		e := newMailEnv(t, db)
		ctx := context.Background()
		setClock(db, "2019-11-01 08:00")
		e.mustOK(e.call("PATCH", "/api/v1/periods/2019", models.RoleCoordinator, map[string]any{"deadline": "2019-11-30"}))
		// The city's operator submits both items; Seruyan's leave theirs.
		for _, code := range []string{"I1", "I2"} {
			e.mustOK(e.call("PATCH", "/api/v1/periods/2019/regions/62.71/items/"+code, asOperator2, map[string]any{"progress": 100}))
		}
		seruyan := "62.08"
		quiet, err := db.CreateUser(ctx, models.UserInput{Email: "quiet@test.pantau.id", Name: "Quiet", Role: models.RoleOperator, RegionCode: &seruyan, Password: testPassword}, false)
		if err != nil {
			t.Fatal(err)
		}
		off := false
		if _, err := db.SetPreferences(ctx, quiet, models.PreferencesInput{Email: &struct {
			Rejections *bool `json:"rejections"`
			Comments   *bool `json:"comments"`
			Reminders  *bool `json:"reminders"`
			Digest     *bool `json:"digest"`
		}{Reminders: &off}}); err != nil {
			t.Fatal(err)
		}
		operator := e.users[models.RoleOperator].Email

		setClock(db, "2019-11-10 08:00") // 20 days out: nothing is due
		if n, err := db.SendDeadlineReminders(ctx, models.DefaultReminderDays); n != 0 || err != nil {
			t.Fatalf("20 days before: %d, %v", n, err)
		}
		// 14 days out, two instances: each queue looks at start (River elects one scheduler),
		// and two more passes race each other; each operator is reminded once.
		setClock(db, "2019-11-16 07:00")
		queues := []*jobs.Queue{startQueue(t, db, jobs.Config{}), startQueue(t, db, jobs.Config{})}
		var wg sync.WaitGroup
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := db.SendDeadlineReminders(ctx, models.DefaultReminderDays); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		waitFor(t, "the queue's reminders", func() bool { return len(kindCounts(t, db, models.NoticeDeadlineReminder)) == 2 })
		for _, q := range queues { // before the clock moves
			if err := q.Stop(ctx); err != nil {
				t.Fatal(err)
			}
		}
		got := kindCounts(t, db, models.NoticeDeadlineReminder)
		if len(got) != 2 || got[operator] != 1 || got["quiet@test.pantau.id"] != 1 {
			t.Fatalf("14 days before: %v", got)
		}
		// Later the same week: the 14-day reminder is not sent again, the 7-day one not yet due.
		setClock(db, "2019-11-20 07:00")
		if n, err := db.SendDeadlineReminders(ctx, models.DefaultReminderDays); n != 0 || err != nil {
			t.Fatalf("10 days before: %d, %v", n, err)
		}
		e.flush()
		list := e.mail.Wait(t, 1)
		if len(list) != 1 || list[0].To[0].Address != operator {
			t.Fatalf("mailpit after the 14-day reminder: %+v", list)
		}
		m := e.mail.Message(t, list[0].ID)
		if want := "[Pantau] Tenggat Kabupaten Seruyan 2019: 2019-11-30, 14 hari lagi — 2 butir belum diajukan"; m.Subject != want {
			t.Fatalf("subject %q, want %q", m.Subject, want)
		}
		var titles []string
		for _, n := range e.notifications(models.RoleOperator, "") {
			titles = append(titles, n.Kind+": "+n.Title)
		}
		if len(titles) != 1 || titles[0] != "deadline_reminder: Tenggat Kabupaten Seruyan 2019: 2019-11-30, 14 hari lagi — 2 butir belum diajukan" {
			t.Fatalf("operator's notifications: %v", titles)
		}

		// 7 days out: the second reminder; the day after, nothing more.
		setClock(db, "2019-11-23 07:00")
		if n, err := db.SendDeadlineReminders(ctx, models.DefaultReminderDays); n != 2 || err != nil {
			t.Fatalf("7 days before: %d, %v", n, err)
		}
		setClock(db, "2019-11-24 07:00")
		if n, err := db.SendDeadlineReminders(ctx, models.DefaultReminderDays); n != 0 || err != nil {
			t.Fatalf("6 days before: %d, %v", n, err)
		}
		e.flush()
		var to []string
		for _, s := range e.mail.Wait(t, 2) {
			to = append(to, s.To[0].Address)
		}
		sort.Strings(to)
		if len(to) != 2 || to[0] != operator || to[1] != operator {
			t.Fatalf("mailpit after the 7-day reminder: %v", to)
		}
		// After the deadline, nothing.
		setClock(db, "2019-12-01 07:00")
		if n, err := db.SendDeadlineReminders(ctx, models.DefaultReminderDays); n != 0 || err != nil {
			t.Fatalf("after the deadline: %d, %v", n, err)
		}
	})
}
