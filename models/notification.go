package models

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// NotificationKind says what happened.
type NotificationKind string

// The kinds of notification.
const (
	NoticeItemRejected     NotificationKind = "item_rejected"
	NoticeItemApproved     NotificationKind = "item_approved"
	NoticeComment          NotificationKind = "comment"
	NoticeMention          NotificationKind = "mention"
	NoticeSlotAssigned     NotificationKind = "slot_assigned"
	NoticeExtensionGranted NotificationKind = "extension_granted"
	NoticeActionOverdue    NotificationKind = "action_overdue"
	// NoticeDeadlineReminder: a Pemda's deadline is N days away and some of its items are not
	// submitted (see SendDeadlineReminders).
	NoticeDeadlineReminder NotificationKind = "deadline_reminder"
	// NoticeWeeklyDigest: a coordinator's weekly digest (see SendDigest).
	NoticeWeeklyDigest NotificationKind = "weekly_digest"
)

// NotificationKinds lists every kind.
var NotificationKinds = []NotificationKind{NoticeItemRejected, NoticeItemApproved, NoticeComment, NoticeMention, NoticeSlotAssigned,
	NoticeExtensionGranted, NoticeActionOverdue, NoticeDeadlineReminder, NoticeWeeklyDigest}

// MailCategory is what a user may turn e-mail off for: each kind of notification that is
// e-mailed belongs to one (see Category).
type MailCategory string

// The e-mail categories of PUT /me/preferences and the unsubscribe links.
const (
	MailRejections MailCategory = "rejections"
	MailComments   MailCategory = "comments"
	MailReminders  MailCategory = "reminders"
	MailDigest     MailCategory = "digest"
)

// MailCategories lists every category.
var MailCategories = []MailCategory{MailRejections, MailComments, MailReminders, MailDigest}

// Category is the e-mail category of a kind, or "" for kinds that are shown in the app only.
func (k NotificationKind) Category() MailCategory {
	switch k {
	case NoticeItemRejected:
		return MailRejections
	case NoticeComment, NoticeMention:
		return MailComments
	case NoticeActionOverdue, NoticeDeadlineReminder:
		return MailReminders
	case NoticeWeeklyDigest:
		return MailDigest
	}
	return ""
}

// NoticeParams is what a notification's title and e-mail are made from, in any language.
type NoticeParams struct {
	Year           int    `json:"year,omitempty"`
	Region         string `json:"region,omitempty"`
	RegionName     string `json:"region_name,omitempty"`
	Indicator      string `json:"indicator,omitempty"`
	IndicatorTitle string `json:"indicator_title,omitempty"`
	// Actor is the name of who did it.
	Actor string `json:"actor,omitempty"`
	// Text is the reason of a rejection or extension, or the start of a comment.
	Text       string `json:"text,omitempty"`
	Commitment int64  `json:"commitment,omitempty"`
	Slot       string `json:"slot,omitempty"`
	Until      string `json:"until,omitempty"`
	// Days is how many days are left before a reminder's deadline; Count how many items wait.
	Days  int `json:"days,omitempty"`
	Count int `json:"count,omitempty"`
	// Week is a digest's ISO week ("2026-W49"), Digest its content.
	Week   string  `json:"week,omitempty"`
	Digest *Digest `json:"digest,omitempty"`
}

// Notification is one thing a user is told in the app.
type Notification struct {
	ID        int64
	UserID    int64
	Kind      NotificationKind
	Params    NoticeParams `gorm:"-"`
	RawParams string       `gorm:"column:params"`
	Link      string
	CreatedAt time.Time
	ReadAt    *time.Time
	// DedupeKey is set on notices that exist at most once per user (see notice.key).
	DedupeKey *string `json:"-"`
}

// TableName is the notifications table.
func (Notification) TableName() string { return "notifications" }

// notice is a notification to write in the current transaction.
type notice struct {
	users  []int64
	kind   NotificationKind
	params NoticeParams
	link   string
	// key, when set, makes the notice exist at most once per user (notifications.dedupe_key):
	// a user who already has it is skipped, and gets no second e-mail.
	key string
}

// itemLink is the web app's address of an item.
func itemLink(ref ItemRef) string {
	return fmt.Sprintf("/pemda/%s?year=%d&item=%s", ref.RegionCode, ref.Year, ref.IndicatorCode)
}

// maxNoticeText bounds the text a notification keeps (a comment's start, a reason).
const maxNoticeText = 300

// notify writes a notification for each user (once each, never to the actor) in tx, the
// transaction of the event, and, when e-mail is on (DB.MailOutbox) and the user has not turned
// the kind's category off, an outbox row that a sender delivers after the commit.
func (db *DB) notify(tx *gorm.DB, actorID int64, n notice) error {
	_, err := db.writeNotices(tx, actorID, n)
	return err
}

// writeNotices is notify, returning how many notifications it wrote (fewer than n.users when
// some already had a keyed notice).
func (db *DB) writeNotices(tx *gorm.DB, actorID int64, n notice) (int, error) {
	if cut := firstChars(n.params.Text, maxNoticeText); cut != n.params.Text {
		n.params.Text = cut + "…"
	}
	raw, err := json.Marshal(n.params)
	if err != nil {
		return 0, err
	}
	now := db.Now().UTC().Truncate(time.Microsecond)
	seen := map[int64]bool{actorID: true}
	written := 0
	for _, uid := range n.users {
		if seen[uid] {
			continue
		}
		seen[uid] = true
		row := Notification{UserID: uid, Kind: n.kind, RawParams: string(raw), Link: n.link, CreatedAt: now}
		create := tx
		if n.key != "" {
			row.DedupeKey = &n.key
			create = tx.Clauses(clause.OnConflict{DoNothing: true})
		}
		res := create.Create(&row)
		if res.Error != nil {
			return written, res.Error
		}
		if res.RowsAffected == 0 {
			continue // the user has this keyed notice already
		}
		written++
		if err := db.queueMail(tx, &row, now); err != nil {
			return written, err
		}
	}
	return written, nil
}

// queueMail adds the outbox row of a notification when it is to be e-mailed.
func (db *DB) queueMail(tx *gorm.DB, n *Notification, now time.Time) error {
	cat := n.Kind.Category()
	if !db.MailOutbox || cat == "" {
		return nil
	}
	prefs, err := preferencesOf(tx, n.UserID)
	if err != nil || !prefs.Email.wants(cat) {
		return err
	}
	id := make([]byte, 16)
	if _, err := rand.Read(id); err != nil {
		return err
	}
	return tx.Table("mail_outbox").Create(map[string]any{"notification_id": n.ID, "user_id": n.UserID, "category": cat,
		"message_id": hex.EncodeToString(id) + "@pantau", "status": "pending", "attempts": 0, "next_attempt_at": now, "created_at": now}).Error
}

// activeUsers returns the ids of the active users a query over users selects.
func activeUsers(q *gorm.DB) ([]int64, error) {
	var ids []int64
	err := q.Where("users.active = ?", true).Order("users.id").Pluck("users.id", &ids).Error
	return ids, err
}

// regionOperators returns the active operators of a region.
func regionOperators(tx *gorm.DB, regionID int64) ([]int64, error) {
	return activeUsers(tx.Table("users").Where("role = ? AND region_id = ?", RoleOperator, regionID))
}

// NotificationFilter selects a user's notifications.
type NotificationFilter struct {
	UnreadOnly bool
	// Limit is at most MaxNotifications; 0 means 50.
	Limit int
}

// MaxNotifications bounds one listing.
const MaxNotifications = 200

// Notifications lists a user's notifications, newest first.
func (db *DB) Notifications(ctx context.Context, userID int64, f NotificationFilter) ([]Notification, error) {
	if f.Limit <= 0 || f.Limit > MaxNotifications {
		f.Limit = 50
	}
	q := db.read(ctx).Where("user_id = ?", userID)
	if f.UnreadOnly {
		q = q.Where("read_at IS NULL")
	}
	var out []Notification
	if err := q.Order("id DESC").Limit(f.Limit).Find(&out).Error; err != nil {
		return nil, translate(err)
	}
	for i := range out {
		if err := json.Unmarshal([]byte(out[i].RawParams), &out[i].Params); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// UnreadNotifications counts a user's unread notifications (one indexed count).
func (db *DB) UnreadNotifications(ctx context.Context, userID int64) (int64, error) {
	var n int64
	err := db.read(ctx).Table("notifications").Where("user_id = ? AND read_at IS NULL", userID).Count(&n).Error
	return n, translate(err)
}

// MaxReadIDs bounds how many notifications one request marks read.
const MaxReadIDs = 500

// MarkNotificationsRead marks the listed notifications of a user read; ids of other users'
// notifications change nothing. It returns the user's unread count afterwards.
func (db *DB) MarkNotificationsRead(ctx context.Context, userID int64, ids []int64) (int64, error) {
	if len(ids) == 0 {
		return 0, Invalid("ids", "required")
	}
	if len(ids) > MaxReadIDs {
		return 0, Invalid("ids", "too_long")
	}
	var unread int64
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Table("notifications").Where("user_id = ? AND id IN ? AND read_at IS NULL", userID, ids).
			Update("read_at", db.Now()).Error; err != nil {
			return err
		}
		return tx.Table("notifications").Where("user_id = ? AND read_at IS NULL", userID).Count(&unread).Error
	})
	return unread, err
}

// notifyReview tells the region's operators, and whoever claimed the item, of a review.
func (db *DB) notifyReview(tx *gorm.DB, actor *User, ref ItemRef, s *itemScope, row *itemRow, in ReviewInput) error {
	users, err := regionOperators(tx, s.region.ID)
	if err != nil {
		return err
	}
	if row.ClaimedBy != nil {
		users = append(users, *row.ClaimedBy)
	}
	kind := NoticeItemApproved
	if in.Decision == DecisionReject {
		kind = NoticeItemRejected
	}
	params := itemParams(ref, s, actor)
	params.Text = in.Comment
	return db.notify(tx, actor.ID, notice{users: users, kind: kind, params: params, link: itemLink(ref)})
}
