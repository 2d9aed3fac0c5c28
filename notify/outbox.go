package notify

import (
	"context"
	"log/slog"
	"time"

	gomail "github.com/wneessen/go-mail"
	"golang.org/x/time/rate"

	"github.com/pantau-id/pantau/models"
)

// Outbox delivers the e-mails that notifications queued (models.DB.MailOutbox), after their
// transaction committed and outside any request: a poller over the table, which the events'
// transactions and the queue's jobs (package jobs: reminders, digests) fill.
//
// Each e-mail goes out at most once. A sender first connects to the SMTP server, then claims
// the row (pending → sending; another sender that claimed it first wins), sends, and marks it
// sent. A failure before the server accepted it puts the row back to pending with a growing
// delay (Backoff), up to MaxAttempts. If the process stops between the server's acceptance and
// the mark — a window of one database write — the row stays "sending"; a later pass finds the
// claim older than ClaimLease and marks it uncertain instead of sending it again: a lost
// e-mail there is preferred to a duplicate. Every e-mail keeps its own Message-ID across
// attempts.
type Outbox struct {
	DB       *models.DB
	SMTP     *SMTP
	Renderer *Renderer
	Log      *slog.Logger
	// Interval is the pause between passes when nothing is due; zero means 5 s.
	Interval time.Duration
	// Batch is how many e-mails one pass sends; zero means 50.
	Batch int
	// MaxAttempts is how often delivery is tried before the e-mail is given up; zero means 8.
	MaxAttempts int
	// ClaimLease is how old a claim must be to count as interrupted; zero means 10 minutes.
	ClaimLease time.Duration
	// Pace, when set, bounds the sending rate (PANTAU_MAIL_RATE): each e-mail waits for a
	// token before it is claimed, so that a digest to every coordinator does not flood the
	// SMTP server.
	Pace *rate.Limiter
}

// Backoff is the wait after the n-th failed attempt (1, 2, …): 30 s doubling, at most an hour.
func Backoff(n int) time.Duration {
	d := 30 * time.Second
	for i := 1; i < n && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}

// Run sends due e-mails until ctx ends.
func (o *Outbox) Run(ctx context.Context) {
	every := o.Interval
	if every == 0 {
		every = 5 * time.Second
	}
	for {
		n, err := o.Flush(ctx)
		if err != nil && ctx.Err() == nil {
			o.Log.Warn("sending e-mail failed; will retry", "err", err)
		}
		wait := every
		if n > 0 && err == nil {
			wait = 0 // more may be due
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

// Flush makes one pass: it marks interrupted claims uncertain and sends what is due. It
// returns how many e-mails it dealt with (sent, skipped or failed).
func (o *Outbox) Flush(ctx context.Context) (int, error) {
	lease := o.ClaimLease
	if lease == 0 {
		lease = 10 * time.Minute
	}
	if n, err := o.DB.MarkInterruptedMail(ctx, o.DB.Now().Add(-lease)); err != nil {
		return 0, err
	} else if n > 0 {
		o.Log.Warn("e-mails interrupted while sending are not sent again", "count", n)
	}
	batch := o.Batch
	if batch == 0 {
		batch = 50
	}
	all, err := o.DB.DueMail(ctx, batch)
	if err != nil {
		return 0, err
	}
	var due []models.OutboxMail
	for _, m := range all {
		if m.Wanted {
			due = append(due, m)
		} else if err := o.DB.MailSkipped(ctx, m.ID); err != nil {
			return 0, err
		}
	}
	if len(due) == 0 {
		return len(all), nil
	}
	client, err := o.SMTP.dial(ctx)
	if err != nil {
		for i := range due {
			if ferr := o.failed(ctx, &due[i], err); ferr != nil {
				return i, ferr
			}
		}
		return len(all), err
	}
	defer client.Close()
	for i := range due {
		m := &due[i]
		msg, err := o.compose(m)
		if err != nil {
			// Counted as an attempt, so that a message that cannot be made does not hold up
			// the others: it moves back in the queue and is given up in the end.
			if ferr := o.failed(ctx, m, err); ferr != nil {
				return i, ferr
			}
			continue
		}
		if o.Pace != nil {
			if err := o.Pace.Wait(ctx); err != nil {
				return i, err
			}
		}
		claimed, err := o.DB.ClaimMail(ctx, m.ID)
		if err != nil {
			return i, err
		}
		if !claimed {
			continue
		}
		if err := client.Send(msg); err != nil {
			if ferr := o.failed(ctx, m, err); ferr != nil {
				return i, ferr
			}
			continue
		}
		if err := o.DB.MailSent(ctx, m.ID); err != nil {
			return i, err
		}
	}
	return len(all), nil
}

// compose renders an outbox e-mail into its MIME message.
func (o *Outbox) compose(m *models.OutboxMail) (*gomail.Msg, error) {
	rendered, err := o.Renderer.Render(m)
	if err != nil {
		return nil, err
	}
	return o.SMTP.message(m.Email, m.Name, m.MessageID, rendered, m.CreatedAt)
}

// failed records a failed attempt and when to try again.
func (o *Outbox) failed(ctx context.Context, m *models.OutboxMail, problem error) error {
	max := o.MaxAttempts
	if max == 0 {
		max = 8
	}
	n := m.Attempts + 1
	var retry time.Time
	if n < max {
		retry = o.DB.Now().Add(Backoff(n))
	}
	o.Log.Warn("e-mail not delivered", "outbox_id", m.ID, "attempt", n, "err", problem)
	return o.DB.MailFailed(ctx, m.ID, n, problem.Error(), retry)
}
