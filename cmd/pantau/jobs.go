package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/time/rate"

	"github.com/pantau-id/pantau/jobs"
	"github.com/pantau-id/pantau/models"
)

// jobSettings are the settings of the job queue and the e-mail pace.
type jobSettings struct {
	reminders     string
	reminderDays  []int
	mailRate      float64
	retentionDays int
}

// jobFlags registers them.
func jobFlags(fs *flag.FlagSet, getenv func(string) string) *jobSettings {
	j := &jobSettings{}
	fs.StringVar(&j.reminders, "reminder-days", env(getenv, "PANTAU_REMINDER_DAYS", "14,7,3,1"),
		"days before a period's deadline on which operators with items not submitted are reminded, comma-separated; empty sends none (env PANTAU_REMINDER_DAYS)")
	r, err := strconv.ParseFloat(env(getenv, "PANTAU_MAIL_RATE", "5"), 64)
	if err != nil {
		r = -1 // refused by check
	}
	fs.Float64Var(&j.mailRate, "mail-rate", r, "e-mails sent per second at most; 0 means no limit (env PANTAU_MAIL_RATE)")
	fs.IntVar(&j.retentionDays, "notification-retention-days", envInt(getenv, "PANTAU_NOTIFICATION_RETENTION_DAYS", 180),
		"read notifications older than this many days are deleted daily; 0 keeps them (env PANTAU_NOTIFICATION_RETENTION_DAYS)")
	return j
}

// check parses and bounds the settings.
func (j *jobSettings) check() error {
	j.reminderDays = []int{}
	for _, f := range strings.Split(j.reminders, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 || n > 366 {
			return fmt.Errorf("PANTAU_REMINDER_DAYS / --reminder-days: %q is not a list of days from 1 to 366 (e.g. 14,7,3,1)", j.reminders)
		}
		j.reminderDays = append(j.reminderDays, n)
	}
	if j.mailRate < 0 || j.mailRate > 10000 {
		return fmt.Errorf("PANTAU_MAIL_RATE / --mail-rate must be a number of e-mails per second from 0 (no limit) to 10000")
	}
	if j.retentionDays < 0 || j.retentionDays > 100000 {
		return fmt.Errorf("PANTAU_NOTIFICATION_RETENTION_DAYS / --notification-retention-days must be a whole number of days, 0 to keep them")
	}
	return nil
}

// pace is the outbox's rate limiter; nil for no limit.
func (j *jobSettings) pace() *rate.Limiter {
	if j.mailRate == 0 {
		return nil
	}
	return rate.NewLimiter(rate.Limit(j.mailRate), 1)
}

// startJobs runs this instance's job queue (reminders, digests, retention) until stopped.
func startJobs(ctx context.Context, db *models.DB, j *jobSettings, log *slog.Logger, reg prometheus.Registerer) (*jobs.Queue, error) {
	retention := time.Duration(j.retentionDays) * 24 * time.Hour
	if retention == 0 {
		retention = -1 // kept for ever
	}
	q, err := jobs.New(jobs.Config{DB: db, Log: log, ReminderDays: j.reminderDays, Retention: retention, Metrics: reg})
	if err != nil {
		return nil, err
	}
	return q, q.Start(ctx)
}

// migrateJobs applies River's migrations and reports them.
func migrateJobs(ctx context.Context, db *models.DB, stdout io.Writer) error {
	applied, err := jobs.Migrate(ctx, db)
	for _, v := range applied {
		fmt.Fprintf(stdout, "applied job queue migration %d\n", v)
	}
	return err
}
