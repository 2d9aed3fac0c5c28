package models

import (
	"context"
	"regexp"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Comment is one message in an item's discussion.
type Comment struct {
	ID int64 `json:"id"`
	// Author is the author's e-mail address (what mentions name), AuthorName their name.
	Author     string     `json:"author"`
	AuthorName string     `json:"author_name"`
	Body       string     `json:"body"`
	CreatedAt  time.Time  `json:"created_at"`
	EditedAt   *time.Time `json:"edited_at"`
	Version    int64      `json:"version"`
	// Mentions are the e-mail addresses of the users the comment mentions (@email) and who may
	// take part in the discussion; each was notified.
	Mentions []string `json:"mentions"`

	authorID int64
}

// CommentInput is a new comment.
type CommentInput struct {
	Body string `json:"body"`
}

// CommentPatch edits a comment; Version, when given, must be the comment's.
type CommentPatch struct {
	Body    string `json:"body"`
	Version *int64 `json:"version"`
}

// Limits on discussions.
const (
	// CommentEditWindow is how long after writing it an author may edit a comment.
	CommentEditWindow = 15 * time.Minute
	// MaxCommentLen bounds a comment, in characters.
	MaxCommentLen = MaxNoteLen
	// MaxMentions bounds the users one comment notifies by mention.
	MaxMentions = 20
	// MaxComments bounds one listing of a discussion (oldest first).
	MaxComments = 1000
)

// mentionPattern finds "@address" mentions; the address is checked against the users.
var mentionPattern = regexp.MustCompile(`(?:^|[^\w.@])@([\w.%+\-]+@[\w\-]+(?:\.[\w\-]+)+)`)

// mentionedAddresses returns the distinct, lower-cased addresses a body mentions.
func mentionedAddresses(body string) []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range mentionPattern.FindAllStringSubmatch(body, -1) {
		a := strings.ToLower(strings.TrimRight(m[1], ".-"))
		if !seen[a] && len(out) < MaxMentions {
			seen[a] = true
			out = append(out, a)
		}
	}
	return out
}

// CanDiscuss reports whether u may read and write a region's item discussions: admins; the
// region's operators; coordinators and reviewers in its province (everywhere without one).
func (u *User) CanDiscuss(code string) bool {
	switch u.Role {
	case RoleAdmin:
		return true
	case RoleCoordinator, RoleReviewer:
		return u.inProvince(code)
	case RoleOperator:
		return u.RegionCode != nil && *u.RegionCode == code
	}
	return false
}

func checkCommentBody(body string) (string, error) {
	body = strings.TrimSpace(body)
	errs := fieldErrors{}
	errs.requiredText("body", body, MaxCommentLen)
	return body, errs.err()
}

// commentRow is the comments table.
type commentRow struct {
	ID        int64
	ItemID    int64
	AuthorID  int64
	Body      string
	Version   int64
	CreatedAt time.Time
	EditedAt  *time.Time
}

func (commentRow) TableName() string { return "comments" }

// ItemComments lists an item's discussion, oldest first.
func (db *DB) ItemComments(ctx context.Context, actor *User, ref ItemRef) ([]Comment, error) {
	if !actor.CanDiscuss(ref.RegionCode) {
		return nil, Forbidden("region_scope")
	}
	out := []Comment{}
	err := db.snapshot(ctx, func(q *gorm.DB) error {
		s, err := db.loadScope(q, ref)
		if err != nil {
			return err
		}
		var itemIDs []int64
		if err := q.Table("items").Where("indicator_id = ? AND region_id = ?", s.indicator.ID, s.region.ID).Pluck("id", &itemIDs).Error; err != nil || len(itemIDs) == 0 {
			return err
		}
		out, err = commentsOf(q, "comments.item_id = ?", itemIDs[0])
		return err
	})
	return out, err
}

// commentsOf reads the comments a condition selects, with their authors and mentions.
func commentsOf(q *gorm.DB, cond string, args ...any) ([]Comment, error) {
	var rows []struct {
		ID, AuthorID, Version int64
		Body                  string
		CreatedAt             time.Time
		EditedAt              *time.Time
		Author, AuthorName    string
	}
	err := q.Table("comments").Select("comments.*, users.email AS author, users.name AS author_name").
		Joins("JOIN users ON users.id = comments.author_id").Where(cond, args...).Order("comments.id").Limit(MaxComments).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	out := make([]Comment, len(rows))
	byID := map[int64]*Comment{}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		out[i] = Comment{ID: r.ID, Author: r.Author, AuthorName: r.AuthorName, Body: r.Body, CreatedAt: r.CreatedAt.UTC(), Version: r.Version,
			Mentions: []string{}, authorID: r.AuthorID}
		if r.EditedAt != nil {
			t := r.EditedAt.UTC()
			out[i].EditedAt = &t
		}
		byID[r.ID], ids[i] = &out[i], r.ID
	}
	if len(ids) == 0 {
		return out, nil
	}
	var mentions []struct {
		CommentID int64
		Email     string
	}
	if err := q.Table("comment_mentions").Select("comment_mentions.comment_id, users.email").Joins("JOIN users ON users.id = comment_mentions.user_id").
		Where("comment_mentions.comment_id IN ?", ids).Order("users.email").Scan(&mentions).Error; err != nil {
		return nil, err
	}
	for _, m := range mentions {
		byID[m.CommentID].Mentions = append(byID[m.CommentID].Mentions, m.Email)
	}
	return out, nil
}

// AddComment adds actor's comment to an item's discussion (creating the item as an untouched
// draft when needed), records it in the item's history, and notifies the item's participants
// and the users it mentions, in the same transaction.
func (db *DB) AddComment(ctx context.Context, actor *User, ref ItemRef, in CommentInput) (*Comment, error) {
	if !actor.CanDiscuss(ref.RegionCode) {
		return nil, Forbidden("region_scope")
	}
	body, err := checkCommentBody(in.Body)
	if err != nil {
		return nil, err
	}
	var id int64
	err = db.tx(ctx, func(tx *gorm.DB) error {
		s, err := db.loadScope(tx, ref)
		if err != nil {
			return err
		}
		item, err := db.ensureItem(tx, s)
		if err != nil {
			return err
		}
		// Who took part before this comment: they hear of it.
		participants, err := itemParticipants(tx, item)
		if err != nil {
			return err
		}
		row := commentRow{ItemID: item.ID, AuthorID: actor.ID, Body: body, Version: 1, CreatedAt: db.Now().UTC().Truncate(time.Microsecond)}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		id = row.ID
		mentioned, err := db.mention(tx, s, &row, nil)
		if err != nil {
			return err
		}
		audit(tx, "item", ref.Key(), "comment", nil, map[string]any{"comment_id": row.ID, "body": body, "mentions": emails(mentioned)})
		return db.notifyComment(tx, actor, ref, s, body, participants, mentioned)
	})
	if err != nil {
		return nil, err
	}
	return db.comment(ctx, id)
}

// notifyComment tells the mentioned users they were mentioned and the other participants that
// a comment was written.
func (db *DB) notifyComment(tx *gorm.DB, actor *User, ref ItemRef, s *itemScope, body string, participants []int64, mentioned []User) error {
	params := itemParams(ref, s, actor)
	params.Text = body
	ids := map[int64]bool{}
	var mentionIDs []int64
	for _, u := range mentioned {
		ids[u.ID] = true
		mentionIDs = append(mentionIDs, u.ID)
	}
	if err := db.notify(tx, actor.ID, notice{users: mentionIDs, kind: NoticeMention, params: params, link: itemLink(ref)}); err != nil {
		return err
	}
	var rest []int64
	for _, id := range participants {
		if !ids[id] {
			rest = append(rest, id)
		}
	}
	return db.notify(tx, actor.ID, notice{users: rest, kind: NoticeComment, params: params, link: itemLink(ref)})
}

// itemParams describes an item for a notification.
func itemParams(ref ItemRef, s *itemScope, actor *User) NoticeParams {
	return NoticeParams{Year: ref.Year, Region: ref.RegionCode, RegionName: s.region.Name, Indicator: ref.IndicatorCode,
		IndicatorTitle: s.indicator.Title, Actor: actor.Name}
}

// itemParticipants are who take part in an item's discussion: the region's operators, whoever
// claimed or reviewed the item, and everyone who commented, if they may still discuss it.
func itemParticipants(tx *gorm.DB, item *itemRow) ([]int64, error) {
	var users []User
	err := userQuery(tx).Where("users.active = ?", true).
		Where("(users.role = ? AND users.region_id = ?) OR users.id IN (SELECT author_id FROM comments WHERE item_id = ?) "+
			"OR users.id IN (SELECT user_id FROM reviews WHERE item_id = ?) OR users.id IN (SELECT claimed_by FROM items WHERE id = ?)",
			RoleOperator, item.RegionID, item.ID, item.ID, item.ID).Order("users.id").Find(&users).Error
	if err != nil {
		return nil, err
	}
	return discussants(tx, users, item.RegionID)
}

// discussants keeps the ids of the users who may discuss the region's items.
func discussants(tx *gorm.DB, users []User, regionID int64) ([]int64, error) {
	var code string
	if err := tx.Table("regions").Where("id = ?", regionID).Pluck("code", &code).Error; err != nil {
		return nil, err
	}
	var out []int64
	for _, u := range users {
		if u.CanDiscuss(code) {
			out = append(out, u.ID)
		}
	}
	return out, nil
}

// mention records the users a comment mentions who may discuss the item, and returns those
// not in already (whom an edit newly mentions).
func (db *DB) mention(tx *gorm.DB, s *itemScope, row *commentRow, already map[int64]bool) ([]User, error) {
	addresses := mentionedAddresses(row.Body)
	if len(addresses) == 0 {
		return nil, nil
	}
	var users []User
	if err := userQuery(tx).Where("users.email IN ? AND users.active = ?", addresses, true).Order("users.email").Find(&users).Error; err != nil {
		return nil, err
	}
	var fresh []User
	for _, u := range users {
		if !u.CanDiscuss(s.region.Code) {
			continue
		}
		if err := tx.Table("comment_mentions").Create(map[string]any{"comment_id": row.ID, "user_id": u.ID}).Error; err != nil {
			return nil, err
		}
		if !already[u.ID] {
			fresh = append(fresh, u)
		}
	}
	return fresh, nil
}

func emails(users []User) []string {
	out := make([]string, len(users))
	for i, u := range users {
		out[i] = u.Email
	}
	return out
}

// comment reads one comment.
func (db *DB) comment(ctx context.Context, id int64) (*Comment, error) {
	out, err := commentsOf(db.read(ctx), "comments.id = ?", id)
	if err != nil {
		return nil, translate(err)
	}
	if len(out) == 0 {
		return nil, ErrNotFound
	}
	return &out[0], nil
}

// itemComment loads a comment of the item ref names for a change by actor, who must be its
// author.
func (db *DB) itemComment(tx *gorm.DB, actor *User, ref ItemRef, id int64) (*itemScope, *commentRow, error) {
	s, err := db.loadScope(tx, ref)
	if err != nil {
		return nil, nil, err
	}
	var row commentRow
	err = tx.Table("comments").Select("comments.*").Joins("JOIN items ON items.id = comments.item_id").
		Where("comments.id = ? AND items.indicator_id = ? AND items.region_id = ?", id, s.indicator.ID, s.region.ID).Take(&row).Error
	if err != nil {
		return nil, nil, translate(err)
	}
	if row.AuthorID != actor.ID {
		return nil, nil, Forbidden("not_your_comment")
	}
	return s, &row, nil
}

// EditComment changes the body of actor's own comment within CommentEditWindow of writing it;
// users it newly mentions are notified.
func (db *DB) EditComment(ctx context.Context, actor *User, ref ItemRef, id int64, in CommentPatch) (*Comment, error) {
	if !actor.CanDiscuss(ref.RegionCode) {
		return nil, Forbidden("region_scope")
	}
	body, err := checkCommentBody(in.Body)
	if err != nil {
		return nil, err
	}
	err = db.tx(ctx, func(tx *gorm.DB) error {
		s, row, err := db.itemComment(tx, actor, ref, id)
		if err != nil {
			return err
		}
		now := db.Now().UTC().Truncate(time.Microsecond)
		if now.Sub(row.CreatedAt) > CommentEditWindow {
			return Forbidden("comment_edit_window")
		}
		if in.Version != nil && *in.Version != row.Version {
			return ErrConflict
		}
		res := tx.Table("comments").Where("id = ? AND version = ?", row.ID, row.Version).
			Updates(map[string]any{"body": body, "version": row.Version + 1, "edited_at": now})
		if res.Error != nil || res.RowsAffected != 1 {
			return firstErr(res.Error, ErrConflict)
		}
		var before []int64
		if err := tx.Table("comment_mentions").Where("comment_id = ?", row.ID).Pluck("user_id", &before).Error; err != nil {
			return err
		}
		if err := tx.Exec("DELETE FROM comment_mentions WHERE comment_id = ?", row.ID).Error; err != nil {
			return err
		}
		already := map[int64]bool{}
		for _, id := range before {
			already[id] = true
		}
		edited := *row
		edited.Body = body
		fresh, err := db.mention(tx, s, &edited, already)
		if err != nil {
			return err
		}
		audit(tx, "item", ref.Key(), "comment_edit", map[string]any{"comment_id": row.ID, "body": row.Body},
			map[string]any{"comment_id": row.ID, "body": body, "mentions_added": emails(fresh)})
		params := itemParams(ref, s, actor)
		params.Text = body
		return db.notify(tx, actor.ID, notice{users: userIDs(fresh), kind: NoticeMention, params: params, link: itemLink(ref)})
	})
	if err != nil {
		return nil, err
	}
	return db.comment(ctx, id)
}

// DeleteComment removes actor's own comment while nobody has answered it (no later comment on
// the item); the audit trail keeps what it said.
func (db *DB) DeleteComment(ctx context.Context, actor *User, ref ItemRef, id int64) error {
	if !actor.CanDiscuss(ref.RegionCode) {
		return Forbidden("region_scope")
	}
	return db.tx(ctx, func(tx *gorm.DB) error {
		_, row, err := db.itemComment(tx, actor, ref, id)
		if err != nil {
			return err
		}
		var later int64
		if err := tx.Table("comments").Where("item_id = ? AND id > ?", row.ItemID, row.ID).Count(&later).Error; err != nil {
			return err
		}
		if later > 0 {
			return &ConflictError{Reason: "comment_answered"}
		}
		if err := tx.Exec("DELETE FROM comment_mentions WHERE comment_id = ?", row.ID).Error; err != nil {
			return err
		}
		if err := tx.Exec("DELETE FROM comments WHERE id = ?", row.ID).Error; err != nil {
			return err
		}
		audit(tx, "item", ref.Key(), "comment_delete", map[string]any{"comment_id": row.ID, "body": row.Body}, nil)
		return nil
	})
}

func userIDs(users []User) []int64 {
	out := make([]int64, len(users))
	for i, u := range users {
		out[i] = u.ID
	}
	return out
}

// firstErr returns the first error that is not nil.
func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
