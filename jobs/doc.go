// Package jobs runs Pantau's background work on a durable job queue, River
// (github.com/riverqueue/river), kept in the application's own database — PostgreSQL through
// riverdatabasesql, the embedded SQLite through riversqlite — instead of goroutines and timers:
//
//   - reminders (RemindArgs, every hour): operators of Pemda whose items are not all submitted,
//     N days before the deadline (models.SendDeadlineReminders), and the remediation actions
//     that passed their date (models.NotifyOverdueActions);
//   - the weekly digest (DigestPlanArgs, Mondays 07:00 WIB), which queues one DigestArgs per
//     coordinator (models.DigestFor, models.SendDigest);
//   - retention (PruneArgs, daily): read notifications older than the configured age.
//
// Every instance runs a Queue; River's leader election makes one of them the scheduler of the
// periodic jobs, and any of them works a job. A job that fails is retried with River's
// back-off; one whose process died is rescued and run again. Running a job twice changes
// nothing: each reminder and digest is written at most once per user (the notification's
// dedupe key, a unique index), together with its e-mail in the outbox, in one transaction. The
// e-mails themselves leave through notify.Outbox, paced, each once.
//
// River's tables are created by Migrate, which `pantau migrate` and serve's migration step run
// after the application's own migrations.
package jobs
