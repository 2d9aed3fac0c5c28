package jobs_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/pantau-id/pantau/jobs"
	"github.com/pantau-id/pantau/jobs/jobstest"
	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/modelstest"
)

// TestWeekly: the digest's schedule is the next Monday 07:00 WIB strictly after a time.
func TestWeekly(t *testing.T) {
	s := jobs.Weekly(time.Monday, 7)
	wib := func(v string) time.Time {
		at, err := time.ParseInLocation("2006-01-02 15:04", v, models.WIB)
		if err != nil {
			t.Fatal(err)
		}
		return at
	}
	for from, want := range map[string]string{
		"2026-11-30 06:59": "2026-11-30 07:00", // a Monday, before the hour
		"2026-11-30 07:00": "2026-12-07 07:00", // at the hour: the next week
		"2026-12-01 10:00": "2026-12-07 07:00",
		"2026-12-06 23:59": "2026-12-07 07:00", // Sunday night
	} {
		if got := s.Next(wib(from).UTC()); !got.Equal(wib(want)) {
			t.Errorf("after %s: %s, want %s", from, got.In(models.WIB).Format("2006-01-02 15:04 Mon"), want)
		}
	}
}

// TestRetentionAndMetrics: the daily retention job, run at start, deletes the notifications read
// longer ago than the retention, with their finished e-mails, and keeps unread ones, recently
// read ones and those whose e-mail still waits; the queue's metrics count the jobs it finished
// and the jobs waiting.
func TestRetentionAndMetrics(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		if behind, err := jobs.Pending(ctx, db); !behind || err != nil {
			t.Fatalf("pending before migrating: %v, %v", behind, err)
		}
		db.MailOutbox = true
		clock := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return clock }
		u, err := db.CreateUser(ctx, models.UserInput{Email: "koordinator@uji.id", Name: "Koordinator", Role: models.RoleCoordinator, Password: "kata-sandi-uji-123"}, false)
		if err != nil {
			t.Fatal(err)
		}
		ids := map[string]int64{}
		for _, week := range []string{"sent", "waiting", "unread", "recent"} {
			if ok, err := db.SendDigest(ctx, u.ID, &models.Digest{Year: 2026, Week: week}); !ok || err != nil {
				t.Fatalf("digest %s: %v, %v", week, ok, err)
			}
			list, err := db.Notifications(ctx, u.ID, models.NotificationFilter{Limit: 1})
			if err != nil {
				t.Fatal(err)
			}
			ids[week] = list[0].ID
		}
		if _, err := db.MarkNotificationsRead(ctx, u.ID, []int64{ids["sent"], ids["waiting"]}); err != nil {
			t.Fatal(err)
		}
		mails, err := db.DueMail(ctx, 10)
		if err != nil || len(mails) != 4 {
			t.Fatalf("outbox: %d, %v", len(mails), err)
		}
		if err := db.MailSent(ctx, mails[0].ID); err != nil { // the "sent" digest's
			t.Fatal(err)
		}
		clock = clock.AddDate(0, 0, 100)
		if _, err := db.MarkNotificationsRead(ctx, u.ID, []int64{ids["recent"]}); err != nil {
			t.Fatal(err)
		}
		clock = clock.AddDate(0, 0, 100) // 200 days after the first reads, 100 after the last

		reg := prometheus.NewRegistry()
		jobstest.Start(t, db, jobs.Config{Metrics: reg, ReminderDays: []int{}})
		if applied, err := jobs.Migrate(ctx, db); len(applied) != 0 || err != nil {
			t.Fatalf("second migration: %v, %v", applied, err)
		}
		if behind, err := jobs.Pending(ctx, db); behind || err != nil {
			t.Fatalf("pending after migrating: %v, %v", behind, err)
		}
		left := func() map[int64]bool {
			var rows []int64
			if err := modelstest.Raw(t, db).Table("notifications").Order("id").Pluck("id", &rows).Error; err != nil {
				t.Fatal(err)
			}
			out := map[int64]bool{}
			for _, id := range rows {
				out[id] = true
			}
			return out
		}
		deadline := time.Now().Add(20 * time.Second)
		for left()[ids["sent"]] && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
		}
		if got := left(); len(got) != 3 || got[ids["sent"]] || !got[ids["waiting"]] || !got[ids["unread"]] || !got[ids["recent"]] {
			t.Fatalf("after pruning: %v (ids %v)", got, ids)
		}
		var outbox int64
		if err := modelstest.Raw(t, db).Table("mail_outbox").Count(&outbox).Error; err != nil || outbox != 3 {
			t.Fatalf("outbox rows after pruning: %d, %v", outbox, err)
		}

		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			n, err := testutil.GatherAndCount(reg, "pantau_jobs_finished_total")
			if err != nil {
				t.Fatal(err)
			}
			if n >= 2 || time.Now().After(deadline) {
				break
			}
		}
		want := `
# HELP pantau_jobs_finished_total Background jobs this instance finished, by kind and outcome (completed, failed).
# TYPE pantau_jobs_finished_total counter
pantau_jobs_finished_total{kind="pantau_prune_notifications",outcome="completed"} 1
pantau_jobs_finished_total{kind="pantau_reminders",outcome="completed"} 1
# HELP pantau_jobs_queued Background jobs waiting to run (available, scheduled or retryable).
# TYPE pantau_jobs_queued gauge
pantau_jobs_queued 0
`
		if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "pantau_jobs_finished_total", "pantau_jobs_queued"); err != nil {
			t.Fatal(err)
		}
	})
}
