package api

import (
	"context"
	"fmt"
	"maps"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/pantau-id/pantau/jobs"
	"github.com/pantau-id/pantau/jobs/jobstest"
	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/modelstest"
	"github.com/pantau-id/pantau/notify/mailpittest"
)

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
		if _, err := db.SetPreferences(ctx, quiet, models.PreferencesInput{Email: &emailPrefs{Reminders: &off}}); err != nil {
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
		queues := []*jobs.Queue{jobstest.Start(t, db, jobs.Config{}), jobstest.Start(t, db, jobs.Config{})}
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

// emailPrefs is the e-mail part of a preferences change.
type emailPrefs = struct {
	Rejections *bool `json:"rejections"`
	Comments   *bool `json:"comments"`
	Reminders  *bool `json:"reminders"`
	Digest     *bool `json:"digest"`
}

// TestWeeklyDigest: the weekly plan queues one digest per coordinator (planned twice, still
// one); each tells its scope's week — the national coordinator's, in English, names the Pemda
// that moved, what waits and who is behind; a province without moves says so; a coordinator who
// turned the digest e-mail off gets it in the app only.
func TestWeeklyDigest(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.DB) {
		e := newMailEnv(t, db)
		ctx := context.Background()
		setClock(db, "2019-11-20 10:00")
		db.MailOutbox = false // the week's own notifications are not what this test reads
		e.mustOK(e.call("PATCH", "/api/v1/periods/2019/regions/62.08/items/I1", models.RoleOperator, map[string]any{"progress": 80}))
		e.mustOK(e.call("POST", "/api/v1/periods/2019/regions/62.08/items/I1/reviews", models.RoleReviewer, map[string]any{"decision": "reject", "comment": "SK belum ada"}))
		e.mustOK(e.call("PATCH", "/api/v1/periods/2019/regions/62.71/items/I2", asOperator2, map[string]any{"progress": 50}))
		// Before the week the digest looks back on: not counted.
		setClock(db, "2019-11-10 10:00")
		e.mustOK(e.call("PATCH", "/api/v1/periods/2019/regions/62.71/items/I1", asOperator2, map[string]any{"progress": 30}))

		db.MailOutbox = true
		national := e.users[models.RoleCoordinator]
		en := "en"
		if _, err := db.SetPreferences(ctx, national, models.PreferencesInput{Language: &en}); err != nil {
			t.Fatal(err)
		}
		coordinator := func(email, province string) *models.User {
			u, err := db.CreateUser(ctx, models.UserInput{Email: email, Name: email, Role: models.RoleCoordinator, Province: &province, Password: testPassword}, false)
			if err != nil {
				t.Fatal(err)
			}
			return u
		}
		coordinator("kalteng@test.pantau.id", "63")
		quiet := coordinator("quiet@test.pantau.id", "62")
		off := false
		if _, err := db.SetPreferences(ctx, quiet, models.PreferencesInput{Email: &emailPrefs{Digest: &off}}); err != nil {
			t.Fatal(err)
		}

		setClock(db, "2019-11-25 07:00") // Monday
		q := jobstest.Start(t, db, jobs.Config{})
		for i, want := range []int{3, 0} {
			if n, err := q.PlanDigests(ctx, db.Now()); n != want || err != nil {
				t.Fatalf("plan %d: %d, %v; want %d", i, n, err, want)
			}
		}
		waitFor(t, "three digests", func() bool { return len(kindCounts(t, db, models.NoticeWeeklyDigest)) == 3 })
		if err := q.Stop(ctx); err != nil {
			t.Fatal(err)
		}
		if again, err := q.SendDigest(ctx, jobs.DigestArgs{UserID: national.ID, Year: 2019, Week: "2019-W48"}); again || err != nil {
			t.Fatalf("a second digest of the week: %v, %v", again, err)
		}
		if got := kindCounts(t, db, models.NoticeWeeklyDigest); got[national.Email] != 1 || got["quiet@test.pantau.id"] != 1 || got["kalteng@test.pantau.id"] != 1 {
			t.Fatalf("digests: %v", got)
		}
		e.flush()
		mails := map[string]*mailpittest.Message{}
		for _, s := range e.mail.Wait(t, 2) {
			m := e.mail.Message(t, s.ID)
			m.Text = strings.ReplaceAll(m.Text, "\r\n", "\n")
			mails[s.To[0].Address] = m
		}
		if len(mails) != 2 || mails["quiet@test.pantau.id"] != nil {
			t.Fatalf("digest e-mails to %v", mails)
		}
		m := mails[national.Email]
		for _, want := range []string{"Weekly digest, 18–24 November 2019: 2 Pemda moved", "All of Indonesia — The week of 18–24 November 2019",
			"0 items verified, 1 rejected, 2 claimed; 2 items waiting for review.",
			"What moved this week:\n- Kabupaten Seruyan (62.08): 0 verified, 1 rejected, 1 claimed\n- Kota Palangka Raya (62.71): 0 verified, 0 rejected, 1 claimed\n",
			"What waits for review:\n- Kota Palangka Raya (62.71): 2 items\n",
			"Who is behind:\n- Provinsi Kalimantan Tengah (62): score 0% (Red), 2 not done\n- Kabupaten Seruyan (62.08): score 0% (Red), 2 not done\n"} {
			if !strings.Contains(m.Text, want) {
				t.Errorf("national digest lacks %q:\n%s", want, m.Text)
			}
		}
		if !strings.Contains(m.HTML, "<li>Kabupaten Seruyan (62.08): 0 verified, 1 rejected, 1 claimed</li>") {
			t.Errorf("national digest's HTML:\n%s", m.HTML)
		}
		if p := mails["kalteng@test.pantau.id"]; p == nil || !strings.Contains(p.Text, "Provinsi 63") || !strings.Contains(p.Text, "Yang bergerak minggu ini:\n- Tidak ada.") {
			t.Errorf("provincial digest: %+v", p)
		}
	})
}

// TestOutboxPace: with a pace of 10 e-mails a second, six take at least half a second to send,
// and all arrive.
func TestOutboxPace(t *testing.T) {
	db := modelstest.Open(t, models.SQLite)
	e := newMailEnv(t, db)
	ctx := context.Background()
	for i := range 6 {
		u, err := db.CreateUser(ctx, models.UserInput{Email: fmt.Sprintf("koordinator%d@test.pantau.id", i), Name: "Koordinator", Role: models.RoleCoordinator, Password: testPassword}, false)
		if err != nil {
			t.Fatal(err)
		}
		if ok, err := db.SendDigest(ctx, u.ID, &models.Digest{Year: 2019, Week: "2019-W01"}); !ok || err != nil {
			t.Fatalf("digest: %v, %v", ok, err)
		}
	}
	e.outbox.Pace = rate.NewLimiter(10, 1)
	start := time.Now()
	e.flush()
	if took := time.Since(start); took < 500*time.Millisecond {
		t.Fatalf("six e-mails at 10 a second took %s", took)
	}
	if n := len(e.mail.Wait(t, 6)); n != 6 {
		t.Fatalf("mailpit holds %d e-mails, want 6", n)
	}
}

// TestQueueTellsOfOverdueActions: the queue's hourly reminder job, run at start by two
// instances' queues on one database, tells of a remediation action past its date once: the
// Pemda's operator and the action's author.
func TestQueueTellsOfOverdueActions(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		setClock(db, "2019-09-01 08:00")
		e.mustOK(e.call("POST", "/api/v1/periods/2019/regions/62.08/remediation", models.RoleCoordinator,
			map[string]any{"what": "Menetapkan Perbup pendelegasian", "owner": "Kepala DPMPTSP", "due": "2019-09-15"}))
		setClock(db, "2019-09-20 08:00")
		queues := []*jobs.Queue{jobstest.Start(t, db, jobs.Config{}), jobstest.Start(t, db, jobs.Config{})}
		want := map[string]int{e.users[models.RoleOperator].Email: 1, e.users[models.RoleCoordinator].Email: 1}
		waitFor(t, "the overdue action's notices", func() bool { return len(kindCounts(t, db, models.NoticeActionOverdue)) == len(want) })
		for _, q := range queues {
			if err := q.Stop(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		if got := kindCounts(t, db, models.NoticeActionOverdue); !maps.Equal(got, want) {
			t.Fatalf("overdue notices %v, want %v", got, want)
		}
	})
}
