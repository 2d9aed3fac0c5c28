package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Item statuses.
const (
	StatusDraft     = "draft"
	StatusSubmitted = "submitted"
	StatusApproved  = "approved"
	StatusRejected  = "rejected"
)

// Review decisions.
const (
	DecisionApprove = "approve"
	DecisionReject  = "reject"
)

// Item is one region's action item for one indicator: what it claims, what a reviewer verified,
// where it stands, and the evidence behind it. An item nobody has touched is a draft at 0.
type Item struct {
	IndicatorCode    string      `json:"indicator_code"`
	Area             string      `json:"area"`
	Title            string      `json:"title"`
	Weight           Fixed       `json:"weight"`
	Progress         Fixed       `json:"progress"`
	VerifiedProgress Fixed       `json:"verified_progress"`
	Status           string      `json:"status"`
	Version          int64       `json:"version"`
	Note             string      `json:"note"`
	UpdatedAt        *time.Time  `json:"updated_at"`
	LastReview       *ReviewInfo `json:"last_review"`
	Evidence         []Evidence  `json:"evidence"`

	itemID int64
}

// ReviewInfo is the latest review of an item.
type ReviewInfo struct {
	Decision         string    `json:"decision"`
	VerifiedProgress Fixed     `json:"verified_progress"`
	Comment          string    `json:"comment"`
	Reviewer         string    `json:"reviewer"`
	CreatedAt        time.Time `json:"created_at"`
}

// itemRow is the items table.
type itemRow struct {
	ID               int64
	PeriodID         int64
	RegionID         int64
	IndicatorID      int64
	Progress         Fixed
	VerifiedProgress Fixed
	Status           string
	Note             string
	ClaimedBy        *int64
	Version          int64
	UpdatedAt        time.Time
}

func (itemRow) TableName() string { return "items" }

// ItemRef names one item: a period's year, a region's code and an indicator's code.
type ItemRef struct {
	Year          int
	RegionCode    string
	IndicatorCode string
}

// Key names the item in audit events: "2019/62.08/PTSP.1".
func (r ItemRef) Key() string { return fmt.Sprintf("%d/%s/%s", r.Year, r.RegionCode, r.IndicatorCode) }

// snapshot is the item's state as audit events record it.
func (r *itemRow) snapshot() map[string]any {
	return map[string]any{"progress": r.Progress, "verified_progress": r.VerifiedProgress, "status": r.Status, "note": r.Note, "version": r.Version}
}

// Claim is a region's statement of progress on an item.
type Claim struct {
	Progress *Fixed  `json:"progress"`
	Note     *string `json:"note"`
	Version  *int64  `json:"version"`
}

// Validate checks the claimed progress.
func (c *Claim) Validate() error {
	errs := fieldErrors{}
	if c.Progress == nil {
		errs.add("progress", "required")
	} else if *c.Progress < 0 || *c.Progress > Hundred {
		errs.add("progress", "percent_range")
	}
	if c.Note != nil {
		errs.text("note", *c.Note, MaxNoteLen)
	}
	return errs.err()
}

// ReviewInput is a reviewer's decision on an item.
type ReviewInput struct {
	Decision         string `json:"decision"`
	VerifiedProgress *Fixed `json:"verified_progress"`
	Comment          string `json:"comment"`
	Version          *int64 `json:"version"`
}

// Validate checks the decision, the value and the comment that a rejection needs.
func (r *ReviewInput) Validate() error {
	r.Comment = strings.TrimSpace(r.Comment)
	errs := fieldErrors{}
	switch r.Decision {
	case DecisionApprove:
		if r.VerifiedProgress != nil && (*r.VerifiedProgress < 0 || *r.VerifiedProgress > Hundred) {
			errs.add("verified_progress", "percent_range")
		}
	case DecisionReject:
		if r.Comment == "" {
			errs.add("comment", "reject_reason")
		}
	case "":
		errs.add("decision", "required")
	default:
		errs.add("decision", "decision")
	}
	errs.text("comment", r.Comment, MaxNoteLen)
	return errs.err()
}

// itemScope is what an item lives in, loaded inside a transaction.
type itemScope struct {
	period    *Period
	region    *Region
	indicator Indicator
}

func loadScope(tx *gorm.DB, ref ItemRef) (*itemScope, error) {
	p, err := periodByYear(tx, ref.Year)
	if err != nil {
		return nil, err
	}
	r, err := regionByCode(tx, ref.RegionCode)
	if err != nil {
		return nil, err
	}
	s := &itemScope{period: p, region: r}
	if err := tx.Where("period_id = ? AND code = ?", p.ID, ref.IndicatorCode).Take(&s.indicator).Error; err != nil {
		return nil, translate(err)
	}
	return s, nil
}

// ensureItem returns the item's row, creating an untouched draft when none exists yet.
func (db *DB) ensureItem(tx *gorm.DB, s *itemScope) (*itemRow, error) {
	row := itemRow{PeriodID: s.period.ID, RegionID: s.region.ID, IndicatorID: s.indicator.ID, Status: StatusDraft, UpdatedAt: db.Now()}
	if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error; err != nil {
		return nil, err
	}
	var got itemRow
	err := tx.Where("indicator_id = ? AND region_id = ?", s.indicator.ID, s.region.ID).Take(&got).Error
	return &got, translate(err)
}

// errRaced: another transaction changed the row between our read and our write.
var errRaced = errors.New("raced with a concurrent change")

// updateItem writes changes to an item only if its version is still expected, and bumps it.
func updateItem(tx *gorm.DB, id, expected int64, changes map[string]any) error {
	changes["version"] = gorm.Expr("version + 1")
	res := tx.Model(&itemRow{}).Where("id = ? AND version = ?", id, expected).Updates(changes)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return errRaced
	}
	return nil
}

// txRetrying is tx for writes that read a row's version and then update it: when a concurrent
// writer got there first and the caller named no version of its own, the change is applied
// again to the new state; with a version it is a conflict (409), as the caller saw stale data.
func (db *DB) txRetrying(ctx context.Context, callerVersion *int64, fn func(tx *gorm.DB) error) error {
	for attempt := 0; ; attempt++ {
		err := db.tx(ctx, fn)
		if !errors.Is(err, errRaced) {
			return err
		}
		if callerVersion != nil || attempt == 4 {
			return ErrConflict
		}
	}
}

// changeItem runs fn on an item's row in a transaction (retried when a concurrent writer got
// there first and the caller named no version), creating the item as an untouched draft when
// needed. A callerVersion that is not the item's is ErrConflict. The period's summary changes.
func (db *DB) changeItem(ctx context.Context, ref ItemRef, callerVersion *int64, fn func(tx *gorm.DB, row *itemRow) error) error {
	return db.txRetrying(ctx, callerVersion, func(tx *gorm.DB) error {
		s, err := loadScope(tx, ref)
		if err != nil {
			return err
		}
		row, err := db.ensureItem(tx, s)
		if err != nil {
			return err
		}
		if callerVersion != nil && *callerVersion != row.Version {
			return ErrConflict
		}
		if err := fn(tx, row); err != nil {
			return err
		}
		return bumpPeriod(tx, s.period.ID)
	})
}

// ClaimItem records a claim by actor and puts the item up for review. A stale version is ErrConflict.
func (db *DB) ClaimItem(ctx context.Context, actor *User, ref ItemRef, c Claim) (*Item, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	err := db.changeItem(ctx, ref, c.Version, func(tx *gorm.DB, row *itemRow) error {
		note := row.Note
		if c.Note != nil {
			note = strings.TrimSpace(*c.Note)
		}
		now := db.Now()
		err := updateItem(tx, row.ID, row.Version, map[string]any{
			"progress": *c.Progress, "note": note, "status": StatusSubmitted, "claimed_by": actor.ID, "updated_at": now,
		})
		if err != nil {
			return err
		}
		audit(tx, "item", ref.Key(), "claim", row.snapshot(), map[string]any{"progress": *c.Progress, "note": note, "status": StatusSubmitted})
		claim := map[string]any{"item_id": row.ID, "user_id": actor.ID, "progress": *c.Progress, "note": note, "created_at": now}
		return tx.Table("claims").Create(claim).Error
	})
	if err != nil {
		return nil, err
	}
	return db.Item(ctx, ref)
}

// ReviewItem records a reviewer's decision. Approval sets the verified value (the claim when
// none is given); rejection keeps the last approved value. A reviewer cannot review their own
// claim, nor approve more than was claimed, nor approve a value above 0 with no evidence.
func (db *DB) ReviewItem(ctx context.Context, actor *User, ref ItemRef, in ReviewInput) (*Item, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	err := db.changeItem(ctx, ref, in.Version, func(tx *gorm.DB, row *itemRow) error {
		if row.ClaimedBy != nil && *row.ClaimedBy == actor.ID {
			return ErrForbidden
		}
		verified, status := row.VerifiedProgress, StatusRejected
		var approvedEvidence []string
		if in.Decision == DecisionApprove {
			status, verified = StatusApproved, row.Progress
			if in.VerifiedProgress != nil {
				verified = *in.VerifiedProgress
			}
			if verified > row.Progress {
				return Invalid("verified_progress", "verified_above_claim")
			}
			if err := tx.Table("evidence").Where("item_id = ? AND superseded = ? AND status <> ?", row.ID, false, EvidenceRejected).
				Order("sha256").Pluck("sha256", &approvedEvidence).Error; err != nil {
				return err
			}
			if verified > 0 && len(approvedEvidence) == 0 {
				return Invalid("evidence", "evidence_required")
			}
		}
		now := db.Now()
		if err := updateItem(tx, row.ID, row.Version, map[string]any{"verified_progress": verified, "status": status, "updated_at": now}); err != nil {
			return err
		}
		evidence := strings.Join(approvedEvidence, ",")
		if in.Decision == DecisionApprove {
			// Approving the item accepts the documents it rests on that were still waiting.
			err := tx.Model(&Evidence{}).Where("item_id = ? AND superseded = ? AND status = ?", row.ID, false, EvidenceWaiting).
				Updates(map[string]any{"status": EvidenceAccepted, "reviewed_by": actor.ID, "reviewed_at": now, "version": gorm.Expr("version + 1")}).Error
			if err != nil {
				return err
			}
		}
		audit(tx, "item", ref.Key(), "review", row.snapshot(), map[string]any{"decision": in.Decision, "verified_progress": verified,
			"status": status, "comment": in.Comment, "claimed_progress": row.Progress, "evidence_sha256": approvedEvidence})
		review := map[string]any{"item_id": row.ID, "user_id": actor.ID, "decision": in.Decision,
			"claimed_progress": row.Progress, "verified_progress": verified, "comment": in.Comment, "created_at": now, "evidence_sha256": evidence}
		return tx.Table("reviews").Create(review).Error
	})
	if err != nil {
		return nil, err
	}
	return db.Item(ctx, ref)
}

// Item returns one item with its evidence, or ErrNotFound when the period, region or indicator does not exist.
func (db *DB) Item(ctx context.Context, ref ItemRef) (*Item, error) {
	items, err := db.Items(ctx, ref.Year, ref.RegionCode, ref.IndicatorCode)
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, ErrNotFound
	}
	return &items[0], nil
}

// Items lists a region's items for a period, one per indicator, in catalogue order. With an
// indicator code it lists only that one.
func (db *DB) Items(ctx context.Context, year int, regionCode string, indicatorCode ...string) ([]Item, error) {
	q := db.read(ctx)
	p, err := periodByYear(q, year)
	if err != nil {
		return nil, err
	}
	r, err := regionByCode(q, regionCode)
	if err != nil {
		return nil, err
	}
	var rows []struct {
		IndicatorCode, AreaCode, Title, Status, Note string
		Weight, Progress, VerifiedProgress           Fixed
		ItemID                                       *int64
		Version                                      int64
		UpdatedAt                                    time.Time
	}
	sel := q.Table("indicators").
		Select("indicators.code AS indicator_code, areas.code AS area_code, indicators.title, indicators.weight, "+
			"items.id AS item_id, items.progress, items.verified_progress, items.status, items.note, items.version, items.updated_at").
		Joins("JOIN areas ON areas.id = indicators.area_id").
		Joins("LEFT JOIN items ON items.indicator_id = indicators.id AND items.region_id = ?", r.ID).
		Where("indicators.period_id = ?", p.ID).
		Order("areas.position, areas.id, indicators.position, indicators.id")
	if len(indicatorCode) > 0 {
		sel = sel.Where("indicators.code = ?", indicatorCode[0])
	}
	if err := sel.Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Item, len(rows))
	var ids []int64
	for i, row := range rows {
		it := Item{IndicatorCode: row.IndicatorCode, Area: row.AreaCode, Title: row.Title, Weight: row.Weight,
			Status: StatusDraft, Evidence: []Evidence{}}
		if row.ItemID != nil {
			it.itemID = *row.ItemID
			it.Progress, it.VerifiedProgress, it.Status, it.Note, it.Version = row.Progress, row.VerifiedProgress, row.Status, row.Note, row.Version
			updated := row.UpdatedAt
			it.UpdatedAt = &updated
			ids = append(ids, it.itemID)
		}
		out[i] = it
	}
	if err := db.attachDetails(ctx, out, ids); err != nil {
		return nil, err
	}
	return out, nil
}

// attachDetails loads the evidence and the latest review of the listed items in two queries.
func (db *DB) attachDetails(ctx context.Context, items []Item, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	byID := map[int64]*Item{}
	for i := range items {
		if items[i].itemID != 0 {
			byID[items[i].itemID] = &items[i]
		}
	}
	var ev []Evidence
	if err := db.read(ctx).Where("item_id IN ? AND superseded = ?", ids, false).Order("id").Find(&ev).Error; err != nil {
		return err
	}
	for _, e := range ev {
		byID[e.ItemID].Evidence = append(byID[e.ItemID].Evidence, e)
	}
	var reviews []struct {
		ReviewInfo
		ItemID int64
	}
	err := db.read(ctx).Table("reviews").
		Select("reviews.item_id, reviews.decision, reviews.verified_progress, reviews.comment, users.name AS reviewer, reviews.created_at").
		Joins("JOIN users ON users.id = reviews.user_id").
		Where("reviews.item_id IN ?", ids).Order("reviews.id").Scan(&reviews).Error
	if err != nil {
		return err
	}
	for _, r := range reviews {
		info := r.ReviewInfo
		byID[r.ItemID].LastReview = &info
	}
	return nil
}
