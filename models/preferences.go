package models

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
)

// Preferences are a user's language and which e-mails they want.
type Preferences struct {
	// Language is "id" (the default) or "en": of notification titles and e-mails.
	Language string           `json:"language"`
	Email    EmailPreferences `json:"email"`
	// Chosen is false for the defaults of a user who never set any.
	Chosen bool `json:"-"`
}

// EmailPreferences say, per category, whether a user wants e-mail.
type EmailPreferences struct {
	Rejections bool `json:"rejections"`
	Comments   bool `json:"comments"`
	Reminders  bool `json:"reminders"`
	Digest     bool `json:"digest"`
}

// field is the setting of a category (nil for an unknown one).
func (e *EmailPreferences) field(c MailCategory) *bool {
	switch c {
	case MailRejections:
		return &e.Rejections
	case MailComments:
		return &e.Comments
	case MailReminders:
		return &e.Reminders
	case MailDigest:
		return &e.Digest
	}
	return nil
}

// wants reports whether e-mail of the category is on.
func (e EmailPreferences) wants(c MailCategory) bool {
	f := e.field(c)
	return f != nil && *f
}

// DefaultPreferences: Indonesian, every e-mail on.
var DefaultPreferences = Preferences{Language: "id", Email: EmailPreferences{true, true, true, true}}

// PreferencesInput changes preferences; a field left out keeps its value.
type PreferencesInput struct {
	Language *string `json:"language"`
	Email    *struct {
		Rejections *bool `json:"rejections"`
		Comments   *bool `json:"comments"`
		Reminders  *bool `json:"reminders"`
		Digest     *bool `json:"digest"`
	} `json:"email"`
}

// preferencesRow is the user_preferences table.
type preferencesRow struct {
	UserID          int64 `gorm:"primaryKey;autoIncrement:false"`
	Language        string
	EmailRejections bool
	EmailComments   bool
	EmailReminders  bool
	EmailDigest     bool
	UpdatedAt       time.Time
}

func (preferencesRow) TableName() string { return "user_preferences" }

func (r preferencesRow) preferences() Preferences {
	return Preferences{Language: r.Language, Email: EmailPreferences{r.EmailRejections, r.EmailComments, r.EmailReminders, r.EmailDigest}, Chosen: true}
}

// preferencesOf reads a user's preferences, the defaults when they never set any.
func preferencesOf(tx *gorm.DB, userID int64) (Preferences, error) {
	var row preferencesRow
	err := tx.Where("user_id = ?", userID).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return DefaultPreferences, nil
	}
	if err != nil {
		return Preferences{}, translate(err)
	}
	return row.preferences(), nil
}

// UserPreferences returns a user's preferences.
func (db *DB) UserPreferences(ctx context.Context, userID int64) (*Preferences, error) {
	p, err := preferencesOf(db.read(ctx), userID)
	return &p, err
}

// SetPreferences applies in to a user's preferences and records the change in the audit trail.
func (db *DB) SetPreferences(ctx context.Context, user *User, in PreferencesInput) (*Preferences, error) {
	if in.Language != nil && *in.Language != "id" && *in.Language != "en" {
		return nil, Invalid("language", "language")
	}
	return db.changePreferences(ctx, user, "preferences", func(p *Preferences) {
		if in.Language != nil {
			p.Language = *in.Language
		}
		if e := in.Email; e != nil {
			for _, f := range []struct {
				in  *bool
				out *bool
			}{{e.Rejections, &p.Email.Rejections}, {e.Comments, &p.Email.Comments}, {e.Reminders, &p.Email.Reminders}, {e.Digest, &p.Email.Digest}} {
				if f.in != nil {
					*f.out = *f.in
				}
			}
		}
	})
}

// Unsubscribe turns off one category of e-mail for a user (an unsubscribe link's work).
func (db *DB) Unsubscribe(ctx context.Context, user *User, c MailCategory) (*Preferences, error) {
	return db.changePreferences(ctx, user, "unsubscribe", func(p *Preferences) {
		if f := p.Email.field(c); f != nil {
			*f = false
		}
	})
}

// changePreferences reads, changes and stores a user's preferences in one transaction.
func (db *DB) changePreferences(ctx context.Context, user *User, action string, change func(p *Preferences)) (*Preferences, error) {
	var out Preferences
	err := db.tx(ctx, func(tx *gorm.DB) error {
		before, err := preferencesOf(tx, user.ID)
		if err != nil {
			return err
		}
		out = before
		change(&out)
		out.Chosen = true
		row := preferencesRow{UserID: user.ID, Language: out.Language, EmailRejections: out.Email.Rejections, EmailComments: out.Email.Comments,
			EmailReminders: out.Email.Reminders, EmailDigest: out.Email.Digest, UpdatedAt: db.Now()}
		if err := tx.Save(&row).Error; err != nil {
			return err
		}
		audit(tx, "user", user.Email, action, before, out)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}
