package models

import (
	"context"
	"encoding/json"
	"time"

	"gorm.io/gorm"
)

// OutboxMail is an e-mail waiting in the outbox, with what rendering it needs.
type OutboxMail struct {
	ID        int64
	MessageID string
	Category  MailCategory
	Attempts  int
	// Recipient.
	UserID      int64
	Email, Name string
	// Wanted is false when the user turned the category off or was deactivated since.
	Wanted      bool
	Preferences Preferences
	// The notification.
	Kind      NotificationKind
	Params    NoticeParams
	Link      string
	CreatedAt time.Time
}

// DueMail returns up to limit pending e-mails whose time has come, oldest first.
func (db *DB) DueMail(ctx context.Context, limit int) ([]OutboxMail, error) {
	var rows []struct {
		ID, UserID, NotificationID int64
		MessageID, Category        string
		Attempts                   int
		Email, Name                string
		Active                     bool
		Kind, Params, Link         string
		CreatedAt                  time.Time
	}
	err := db.read(ctx).Table("mail_outbox").
		Select("mail_outbox.id, mail_outbox.user_id, mail_outbox.message_id, mail_outbox.category, mail_outbox.attempts, "+
			"users.email, users.name, users.active, notifications.kind, notifications.params, notifications.link, notifications.created_at").
		Joins("JOIN users ON users.id = mail_outbox.user_id").Joins("JOIN notifications ON notifications.id = mail_outbox.notification_id").
		Where("mail_outbox.status = ? AND mail_outbox.next_attempt_at <= ?", "pending", db.Now()).
		Order("mail_outbox.next_attempt_at, mail_outbox.id").Limit(limit).Scan(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	out := make([]OutboxMail, len(rows))
	for i, r := range rows {
		prefs, err := preferencesOf(db.read(ctx), r.UserID)
		if err != nil {
			return nil, err
		}
		m := OutboxMail{ID: r.ID, MessageID: r.MessageID, Category: MailCategory(r.Category), Attempts: r.Attempts, UserID: r.UserID,
			Email: r.Email, Name: r.Name, Preferences: prefs, Kind: NotificationKind(r.Kind), Link: r.Link, CreatedAt: r.CreatedAt.UTC()}
		m.Wanted = r.Active && prefs.Email.wants(m.Category)
		if err := json.Unmarshal([]byte(r.Params), &m.Params); err != nil {
			return nil, err
		}
		out[i] = m
	}
	return out, nil
}

// ClaimMail marks a pending e-mail as being sent by this process; false when another sender
// took it first.
func (db *DB) ClaimMail(ctx context.Context, id int64) (bool, error) {
	var claimed bool
	err := db.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Table("mail_outbox").Where("id = ? AND status = ?", id, "pending").
			Updates(map[string]any{"status": "sending", "claimed_at": db.Now()})
		claimed = res.RowsAffected == 1
		return res.Error
	})
	return claimed, err
}

// MailSent records that the SMTP server accepted an e-mail.
func (db *DB) MailSent(ctx context.Context, id int64) error {
	return db.setMail(ctx, id, map[string]any{"status": "sent", "sent_at": db.Now(), "last_error": ""})
}

// MailSkipped records an e-mail that is no longer wanted (its category was turned off, or the
// user deactivated, after it was queued).
func (db *DB) MailSkipped(ctx context.Context, id int64) error {
	return db.setMail(ctx, id, map[string]any{"status": "skipped"})
}

// MailFailed records a failed attempt: the e-mail waits until retryAt, or, with retryAt zero,
// is given up (failed).
func (db *DB) MailFailed(ctx context.Context, id int64, attempts int, problem string, retryAt time.Time) error {
	changes := map[string]any{"status": "pending", "attempts": attempts, "last_error": ShortenText(problem, 1000), "next_attempt_at": retryAt}
	if retryAt.IsZero() {
		changes["status"], changes["next_attempt_at"] = "failed", db.Now()
	}
	return db.setMail(ctx, id, changes)
}

func (db *DB) setMail(ctx context.Context, id int64, changes map[string]any) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		return tx.Table("mail_outbox").Where("id = ?", id).Updates(changes).Error
	})
}

// MarkInterruptedMail turns claims older than before into "uncertain": their sender stopped
// between handing the e-mail to the SMTP server and recording it, so it may have gone out, and
// is not sent again. It returns how many it found.
func (db *DB) MarkInterruptedMail(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := db.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Table("mail_outbox").Where("status = ? AND claimed_at < ?", "sending", before).
			Updates(map[string]any{"status": "uncertain", "last_error": "the sender stopped while sending; not sent again to avoid a duplicate"})
		n = res.RowsAffected
		return res.Error
	})
	return n, err
}
