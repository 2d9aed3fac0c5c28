package jobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/pantau-id/pantau/models"
)

// RemindArgs looks for due reminders and writes them: deadline reminders, and the remediation
// actions that passed their date (models.DB.NotifyOverdueActions).
type RemindArgs struct{}

// Kind names the job in River's table.
func (RemindArgs) Kind() string { return "pantau_reminders" }

type remindWorker struct {
	river.WorkerDefaults[RemindArgs]
	q *Queue
}

func (w *remindWorker) Work(ctx context.Context, _ *river.Job[RemindArgs]) error {
	n, err := w.q.cfg.DB.SendDeadlineReminders(ctx, w.q.cfg.ReminderDays)
	if n > 0 {
		w.q.cfg.Log.Info("sent deadline reminders", "reminders", n)
	}
	overdue, oerr := w.q.cfg.DB.NotifyOverdueActions(ctx)
	if overdue > 0 {
		w.q.cfg.Log.Info("told of overdue remediation actions", "actions", overdue)
	}
	return errors.Join(err, oerr)
}

// DigestPlanArgs queues this week's digest for every coordinator.
type DigestPlanArgs struct{}

// Kind names the job in River's table.
func (DigestPlanArgs) Kind() string { return "pantau_digest_plan" }

type digestPlanWorker struct {
	river.WorkerDefaults[DigestPlanArgs]
	q *Queue
}

func (w *digestPlanWorker) Work(ctx context.Context, _ *river.Job[DigestPlanArgs]) error {
	n, err := w.q.PlanDigests(ctx, w.q.cfg.DB.Now())
	if n > 0 {
		w.q.cfg.Log.Info("queued weekly digests", "digests", n)
	}
	return err
}

// DigestArgs writes one coordinator's digest of a period for an ISO week.
type DigestArgs struct {
	UserID int64  `json:"user_id"`
	Year   int    `json:"year"`
	Week   string `json:"week"`
}

// Kind names the job in River's table.
func (DigestArgs) Kind() string { return "pantau_digest" }

type digestWorker struct {
	river.WorkerDefaults[DigestArgs]
	q *Queue
}

func (w *digestWorker) Work(ctx context.Context, job *river.Job[DigestArgs]) error {
	_, err := w.q.SendDigest(ctx, job.Args)
	return err
}

// SendDigest computes and writes one coordinator's digest (a DigestArgs job's work); false when
// the user had it already or is no longer an active coordinator.
func (q *Queue) SendDigest(ctx context.Context, a DigestArgs) (bool, error) {
	db := q.cfg.DB
	u, err := db.UserByID(ctx, a.UserID)
	if err != nil {
		return false, fmt.Errorf("digest of user %d: %w", a.UserID, err)
	}
	if !u.Active || u.Role != models.RoleCoordinator {
		return false, nil
	}
	province := ""
	if u.Province != nil {
		province = *u.Province
	}
	d, err := db.DigestFor(ctx, a.Year, province, db.Now())
	if err != nil {
		return false, err
	}
	d.Week = a.Week // the week the job was planned for, whenever it runs
	return db.SendDigest(ctx, u.ID, d)
}

// PruneArgs deletes the read notifications older than the retention.
type PruneArgs struct{}

// Kind names the job in River's table.
func (PruneArgs) Kind() string { return "pantau_prune_notifications" }

type pruneWorker struct {
	river.WorkerDefaults[PruneArgs]
	q *Queue
}

func (w *pruneWorker) Work(ctx context.Context, _ *river.Job[PruneArgs]) error {
	n, err := w.q.cfg.DB.PruneReadNotifications(ctx, w.q.cfg.DB.Now().Add(-w.q.cfg.Retention))
	if n > 0 {
		w.q.cfg.Log.Info("pruned read notifications", "notifications", n)
	}
	return err
}

// weekly is a schedule at one hour of one weekday, in WIB.
type weekly struct {
	day  time.Weekday
	hour int
}

// Weekly returns the schedule of every weekday at hour:00 WIB.
func Weekly(day time.Weekday, hour int) river.PeriodicSchedule { return weekly{day, hour} }

// Next is the first such time after t.
func (w weekly) Next(t time.Time) time.Time {
	local := t.In(models.WIB)
	next := time.Date(local.Year(), local.Month(), local.Day(), w.hour, 0, 0, 0, models.WIB)
	next = next.AddDate(0, 0, (int(w.day)-int(next.Weekday())+7)%7)
	if !next.After(t) {
		next = next.AddDate(0, 0, 7)
	}
	return next
}
