package jobs

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"

	"github.com/pantau-id/pantau/models"
)

// discard is the logger of a queue configured without one.
var discard = slog.New(slog.NewTextHandler(io.Discard, nil))

// Config says what the queue does and how often.
type Config struct {
	DB  *models.DB
	Log *slog.Logger
	// ReminderDays are the days before a deadline on which operators are reminded
	// (PANTAU_REMINDER_DAYS); nil means models.DefaultReminderDays.
	ReminderDays []int
	// Retention is how long read notifications are kept (PANTAU_NOTIFICATION_RETENTION); zero
	// means DefaultRetention, negative keeps them for ever.
	Retention time.Duration
	// Metrics, when set, receives the queue's collectors (see metrics.go).
	Metrics prometheus.Registerer
	// ReminderEvery is how often due reminders are looked for; zero means an hour.
	ReminderEvery time.Duration
	// Digest is when the weekly digest goes out; nil means Mondays 07:00 WIB.
	Digest river.PeriodicSchedule
	// Workers is how many jobs this instance works at once; zero means 2.
	Workers int
	// FetchPoll is how often an idle instance looks for new jobs; zero means River's default.
	FetchPoll time.Duration
}

// DefaultRetention is how long read notifications are kept.
const DefaultRetention = 180 * 24 * time.Hour

// maxAttempts bounds River's retries of one job (with its back-off, about a day in all).
const maxAttempts = 12

// Queue is this instance's River client with Pantau's jobs.
type Queue struct {
	cfg     Config
	client  *river.Client[*sql.Tx]
	metrics *metrics
}

// New builds the queue; Start runs it.
func New(cfg Config) (*Queue, error) {
	if cfg.Log == nil {
		cfg.Log = discard
	}
	if cfg.ReminderDays == nil {
		cfg.ReminderDays = models.DefaultReminderDays
	}
	if cfg.Retention == 0 {
		cfg.Retention = DefaultRetention
	}
	if cfg.ReminderEvery == 0 {
		cfg.ReminderEvery = time.Hour
	}
	if cfg.Digest == nil {
		cfg.Digest = Weekly(time.Monday, 7)
	}
	if cfg.Workers == 0 {
		cfg.Workers = 2
	}
	d, err := driver(cfg.DB)
	if err != nil {
		return nil, err
	}
	q := &Queue{cfg: cfg}
	workers := river.NewWorkers()
	river.AddWorker(workers, &remindWorker{q: q})
	river.AddWorker(workers, &digestPlanWorker{q: q})
	river.AddWorker(workers, &digestWorker{q: q})
	river.AddWorker(workers, &pruneWorker{q: q})
	periodic := []*river.PeriodicJob{
		river.NewPeriodicJob(river.PeriodicInterval(cfg.ReminderEvery), func() (river.JobArgs, *river.InsertOpts) { return RemindArgs{}, nil },
			&river.PeriodicJobOpts{ID: "reminders", RunOnStart: true}),
		river.NewPeriodicJob(cfg.Digest, func() (river.JobArgs, *river.InsertOpts) { return DigestPlanArgs{}, nil },
			&river.PeriodicJobOpts{ID: "digest"}),
	}
	if cfg.Retention > 0 {
		periodic = append(periodic, river.NewPeriodicJob(river.PeriodicInterval(24*time.Hour),
			func() (river.JobArgs, *river.InsertOpts) { return PruneArgs{}, nil }, &river.PeriodicJobOpts{ID: "prune", RunOnStart: true}))
	}
	q.client, err = river.NewClient(d, &river.Config{
		Logger:            cfg.Log,
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cfg.Workers}},
		Workers:           workers,
		PeriodicJobs:      periodic,
		MaxAttempts:       maxAttempts,
		FetchPollInterval: cfg.FetchPoll,
	})
	if err != nil {
		return nil, err
	}
	if cfg.Metrics != nil {
		if q.metrics, err = newMetrics(cfg.Metrics, cfg.DB); err != nil {
			return nil, err
		}
	}
	return q, nil
}

// Start runs the queue until Stop or until ctx ends.
func (q *Queue) Start(ctx context.Context) error {
	if q.metrics != nil {
		events, cancel := q.client.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
		go q.metrics.count(events, cancel)
	}
	return q.client.Start(ctx)
}

// Stop lets the jobs in hand finish (until ctx ends) and stops the queue.
func (q *Queue) Stop(ctx context.Context) error { return q.client.Stop(ctx) }

// PlanDigests queues the weekly digest of every coordinator for the week of now (what the
// weekly periodic job does), each at most once (River's unique jobs, and the digest's own key
// in the end). It returns how many it queued.
func (q *Queue) PlanDigests(ctx context.Context, now time.Time) (int, error) {
	year, err := q.cfg.DB.CurrentYear(ctx)
	if errors.Is(err, models.ErrNotFound) {
		return 0, nil // no open period: nothing to digest
	}
	if err != nil {
		return 0, err
	}
	users, err := q.cfg.DB.DigestRecipients(ctx)
	if err != nil || len(users) == 0 {
		return 0, err
	}
	week := models.ISOWeek(now)
	params := make([]river.InsertManyParams, len(users))
	for i, u := range users {
		params[i] = river.InsertManyParams{Args: DigestArgs{UserID: u.ID, Year: year, Week: week},
			InsertOpts: &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}}
	}
	res, err := q.client.InsertMany(ctx, params)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, r := range res {
		if !r.UniqueSkippedAsDuplicate {
			n++
		}
	}
	return n, nil
}
