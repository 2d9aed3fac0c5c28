package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Item is one region's action item for one indicator: what it claims, what a reviewer verified,
// where it stands, and the evidence behind it. An item nobody has touched is a draft at 0.
type Item struct {
	IndicatorCode string  `json:"indicator_code"`
	Area          string  `json:"area"`
	Parent        *string `json:"parent"`
	ParentTitle   *string `json:"parent_title"`
	Title         string  `json:"title"`
	Requirement   string  `json:"requirement"`
	Weight        Fixed   `json:"weight"`
	// Applicability says whether the item counts: applicable, pending (the region says it lies
	// outside its authority; a reviewer decides), confirmed, or catalogue (the leaf does not
	// apply to the region's kind). Status is then not_applicable_pending or not_applicable.
	Applicability       Applicability `json:"applicability"`
	ApplicabilityReason string        `json:"applicability_reason"`
	Progress            Fixed         `json:"progress"`
	VerifiedProgress    Fixed         `json:"verified_progress"`
	Status              ItemStatus    `json:"status"`
	Version             int64         `json:"version"`
	Note                string        `json:"note"`
	UpdatedAt           *time.Time    `json:"updated_at"`
	LastReview          *ReviewInfo   `json:"last_review"`
	Evidence            []Evidence    `json:"evidence"`

	itemID int64
}

// ReviewInfo is the latest review of an item.
type ReviewInfo struct {
	Decision         Decision  `json:"decision"`
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
	Status           ItemStatus
	Note             string
	ClaimedBy        *int64
	Version          int64
	UpdatedAt        time.Time
	// Applicability is applicable, pending or confirmed (see Applicability).
	Applicability       Applicability
	ApplicabilityReason string
	ApplicabilityBy     *int64
	// updated is the row as updateItem left it, when the update answered it (PostgreSQL).
	updated *itemRow
}

func (itemRow) TableName() string { return "items" }

// leafValue is the item as the scorer takes it.
func (r *itemRow) leafValue() LeafValue {
	return LeafValue{Verified: r.VerifiedProgress, Claimed: r.Progress, NotApplicable: r.Applicability == ApplicabilityConfirmed}
}

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
	Decision         Decision `json:"decision"`
	VerifiedProgress *Fixed   `json:"verified_progress"`
	Comment          string   `json:"comment"`
	Version          *int64   `json:"version"`
	// AcceptEvidence lists documents that the reviewer accepts with this approval, each
	// recorded as its own decision.
	AcceptEvidence []int64 `json:"accept_evidence"`
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
	if len(r.AcceptEvidence) > 0 && r.Decision != DecisionApprove {
		errs.add("accept_evidence", "accept_with_approval")
	} else if len(r.AcceptEvidence) > 100 {
		errs.add("accept_evidence", "too_long")
	}
	return errs.err()
}

// itemScope is what an item lives in, loaded inside a transaction.
type itemScope struct {
	period    *Period
	region    *Region
	indicator Indicator
	// applies is false when the catalogue leaves the region's kind out of the indicator.
	applies bool
	// catalogue is the period's catalogue at the revision read with period.
	catalogue *cachedCatalogue
	// item is the item's row as read with period, nil when it has none yet.
	item *itemRow
}

func (db *DB) loadScope(tx *gorm.DB, ref ItemRef) (*itemScope, error) {
	// The period, the region and the item's row (when it exists) in one query.
	var rows []struct {
		Period Period  `gorm:"embedded;embeddedPrefix:p_"`
		Region Region  `gorm:"embedded;embeddedPrefix:r_"`
		Item   itemRow `gorm:"embedded;embeddedPrefix:i_"`
	}
	err := tx.Raw("SELECT "+periodColumns()+", "+regionColumns()+", "+itemColumns()+" FROM periods JOIN regions ON regions.code = ? "+
		"LEFT JOIN indicators ON indicators.period_id = periods.id AND indicators.code = ? "+
		"LEFT JOIN items ON items.indicator_id = indicators.id AND items.region_id = regions.id WHERE periods.year = ?",
		ref.RegionCode, ref.IndicatorCode, ref.Year).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, ErrNotFound
	}
	p, r := &rows[0].Period, &rows[0].Region
	c, err := db.catalogueAt(tx, p.ID, p.Revision)
	if err != nil {
		return nil, err
	}
	// Items exist for leaves only.
	ind := c.byCode[ref.IndicatorCode]
	if ind == nil || c.parents[ind.ID] {
		return nil, ErrNotFound
	}
	s := &itemScope{period: p, region: r, indicator: *ind, applies: ind.AppliesTo.Has(r.Kind), catalogue: c}
	if rows[0].Item.ID != 0 {
		s.item = &rows[0].Item
	}
	if ind.ParentID != nil && s.applies {
		s.applies = c.byID[*ind.ParentID].AppliesTo.Has(r.Kind)
	}
	return s, nil
}

// ensureItem returns the item's row, creating an untouched draft when none exists yet.
func (db *DB) ensureItem(tx *gorm.DB, s *itemScope) (*itemRow, error) {
	// Most items exist, read with the scope; one is created only when missing (under the
	// region's lock, so nobody else creates it meanwhile; DoNothing keeps a race harmless all
	// the same).
	if s.item != nil {
		return s.item, nil
	}
	var got itemRow
	take := func() error {
		return tx.Where("indicator_id = ? AND region_id = ?", s.indicator.ID, s.region.ID).Take(&got).Error
	}
	row := itemRow{PeriodID: s.period.ID, RegionID: s.region.ID, IndicatorID: s.indicator.ID, Status: StatusDraft, Applicability: ApplicabilityApplicable, UpdatedAt: db.Now()}
	if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error; err != nil {
		return nil, err
	}
	return &got, translate(take())
}

// updateItem writes changes to an item whose row the caller read under the region's standing
// lock (see changeItem), and bumps the version. row stays as read; on PostgreSQL the row as
// changed comes back with the update, in row.updated, which spares changeItem reading it again.
func updateItem(tx *gorm.DB, row *itemRow, changes map[string]any) error {
	changes["version"] = gorm.Expr("version + 1")
	// SQLite's RETURNING would make the update keep a statement journal: there changeItem reads.
	var after *itemRow
	q := tx.Model(&itemRow{})
	if tx.Dialector.Name() == string(Postgres) {
		after = &itemRow{}
		q = tx.Model(after).Clauses(clause.Returning{})
	}
	res := q.Where("id = ? AND version = ?", row.ID, row.Version).Updates(changes)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("item %d changed under its region's lock", row.ID)
	}
	row.updated = after
	return nil
}

// itemChange says what a change to an item needs besides its row.
type itemChange struct {
	// callerVersion, when set, must be the item's version (else ErrConflict).
	callerVersion *int64
	// rescore: the change can move the region's figures (claims and reviews). A change without
	// it (documents) leaves every item's progress, verified progress and applicability as they
	// were.
	rescore bool
	// entry: the region's own entry (a claim, an upload, applicability), refused after the
	// deadline unless extended; otherwise (reviews) only a closed period refuses it.
	entry bool
	// answer: return the item as the transaction leaves it (read inside it, which spares a
	// second transaction).
	answer bool
}

// changeItem runs fn on an item's row in a transaction, creating the item as an untouched
// draft when needed. It first locks the region's standing for the period, so concurrent
// changes to the region's items are applied one after the other — nobody's change is refused
// because another came first; only a callerVersion that is not the item's is ErrConflict.
// The period, the region and the catalogue are read under that lock, so a change to the
// catalogue (which locks every standing of the period) is seen whole or not at all.
func (db *DB) changeItem(ctx context.Context, actor *User, ref ItemRef, ch itemChange, fn func(tx *gorm.DB, s *itemScope, row *itemRow) error) (*Item, error) {
	var answer *Item
	err := db.tx(ctx, func(tx *gorm.DB) error {
		revision, err := db.lockStandingOf(tx, ref)
		if err != nil {
			return err
		}
		s, err := db.loadScope(tx, ref)
		if err != nil {
			return err
		}
		if revision == 0 { // the standing's row is missing: create it, then read again under its lock
			if err := db.lockStanding(tx, s.period.ID, s.region.ID); err != nil {
				return err
			}
			if s, err = db.loadScope(tx, ref); err != nil {
				return err
			}
		}
		if ch.entry {
			err = beforeDeadline(tx, s.period, s.region.ID, db.Now())
		} else {
			err = periodOpen(s.period)
		}
		if err != nil {
			return err
		}
		row, err := db.ensureItem(tx, s)
		if err != nil {
			return err
		}
		if ch.callerVersion != nil && *ch.callerVersion != row.Version {
			return ErrConflict
		}
		if err := fn(tx, s, row); err != nil {
			return err
		}
		if !ch.rescore {
			db.carryLeaves(tx, s, revision)
		}
		if !ch.rescore && !ch.answer {
			return nil
		}
		after := row.updated
		if after == nil {
			after = &itemRow{}
			if err := tx.Where("id = ?", row.ID).Take(after).Error; err != nil {
				return translate(err)
			}
		}
		if ch.rescore {
			if err := db.restateItem(tx, s, revision, after); err != nil {
				return err
			}
		}
		if ch.answer {
			answer, err = scopeItem(tx, s, after)
		}
		return err
	})
	return answer, err
}

// ClaimItem records a claim by actor and puts the item up for review. A stale version is
// ErrConflict; a region outside the actor's scope is forbidden.
func (db *DB) ClaimItem(ctx context.Context, actor *User, ref ItemRef, c Claim) (*Item, error) {
	if !actor.CanWriteRegion(ref.RegionCode) {
		return nil, Forbidden("region_scope")
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return db.changeItem(ctx, actor, ref, itemChange{callerVersion: c.Version, rescore: true, entry: true, answer: true}, func(tx *gorm.DB, s *itemScope, row *itemRow) error {
		if !s.applies || row.Applicability != ApplicabilityApplicable {
			return Invalid("progress", "item_not_applicable")
		}
		note := row.Note
		if c.Note != nil {
			note = strings.TrimSpace(*c.Note)
		}
		return db.recordClaim(tx, actor, ref, row, *c.Progress, note)
	})
}

// recordClaim writes a claim to an item's row (read under its region's standing lock), puts it
// up for review and records it in the item's history and the audit trail.
func (db *DB) recordClaim(tx *gorm.DB, actor *User, ref ItemRef, row *itemRow, progress Fixed, note string) error {
	now := db.Now()
	err := updateItem(tx, row, map[string]any{
		"progress": progress, "note": note, "status": StatusSubmitted, "claimed_by": actor.ID, "updated_at": now,
	})
	if err != nil {
		return err
	}
	audit(tx, "item", ref.Key(), "claim", row.snapshot(), map[string]any{"progress": progress, "note": note, "status": StatusSubmitted})
	claim := map[string]any{"item_id": row.ID, "user_id": actor.ID, "progress": progress, "note": note, "created_at": now}
	return tx.Table("claims").Create(claim).Error
}

// ReviewItem records a reviewer's decision. Approval sets the verified value (the claim when
// none is given); rejection keeps the last approved value. A reviewer cannot review their own
// claim, nor approve more than was claimed. Approval never accepts a document silently: every
// current document of the item must have been accepted or rejected on its own — beforehand, or
// in the same request through AcceptEvidence, never by its uploader — and a value above 0
// needs at least one accepted document.
func (db *DB) ReviewItem(ctx context.Context, actor *User, ref ItemRef, in ReviewInput) (*Item, error) {
	if !actor.CanReviewRegion(ref.RegionCode) {
		return nil, Forbidden("region_scope")
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	return db.changeItem(ctx, actor, ref, itemChange{callerVersion: in.Version, rescore: true, answer: true}, func(tx *gorm.DB, s *itemScope, row *itemRow) error {
		if !s.applies || row.Applicability == ApplicabilityConfirmed {
			return Invalid("decision", "item_not_applicable")
		}
		if row.Applicability == ApplicabilityPending {
			return db.reviewApplicability(tx, actor, ref, row, in)
		}
		if row.ClaimedBy != nil && *row.ClaimedBy == actor.ID {
			return Forbidden("own_claim")
		}
		now := db.Now()
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
			if err := db.acceptWithApproval(tx, actor, ref, row.ID, in.AcceptEvidence, now); err != nil {
				return err
			}
			var waiting int64
			if err := tx.Model(&Evidence{}).Where("item_id = ? AND superseded = ? AND status = ?", row.ID, false, EvidenceWaiting).
				Count(&waiting).Error; err != nil {
				return err
			}
			if waiting > 0 {
				return Invalid("evidence", "evidence_unreviewed")
			}
			if err := tx.Table("evidence").Where("item_id = ? AND superseded = ? AND status = ?", row.ID, false, EvidenceAccepted).
				Order("sha256").Pluck("sha256", &approvedEvidence).Error; err != nil {
				return err
			}
			if verified > 0 && len(approvedEvidence) == 0 {
				return Invalid("evidence", "evidence_required")
			}
		}
		if err := updateItem(tx, row, map[string]any{"verified_progress": verified, "status": status, "updated_at": now}); err != nil {
			return err
		}
		audit(tx, "item", ref.Key(), "review", row.snapshot(), map[string]any{"decision": in.Decision, "verified_progress": verified,
			"status": status, "comment": in.Comment, "claimed_progress": row.Progress, "evidence_sha256": approvedEvidence})
		review := map[string]any{"item_id": row.ID, "user_id": actor.ID, "decision": in.Decision, "claimed_progress": row.Progress,
			"verified_progress": verified, "comment": in.Comment, "created_at": now, "evidence_sha256": strings.Join(approvedEvidence, ",")}
		if err := tx.Table("reviews").Create(review).Error; err != nil {
			return err
		}
		return db.notifyReview(tx, actor, ref, s, row, in)
	})
}

// acceptWithApproval accepts the listed documents of an item as part of its approval: each
// must be a current document of the item that actor did not upload, and each is recorded as its
// own decision.
func (db *DB) acceptWithApproval(tx *gorm.DB, actor *User, ref ItemRef, itemID int64, ids []int64, now time.Time) error {
	for _, id := range ids {
		var e Evidence
		if err := tx.Where("id = ? AND item_id = ? AND superseded = ?", id, itemID, false).Take(&e).Error; err != nil {
			if translate(err) == ErrNotFound {
				return Invalid("accept_evidence", "evidence_not_current")
			}
			return err
		}
		if e.UploadedBy == actor.ID {
			return Forbidden("own_evidence")
		}
		if e.Status == EvidenceAccepted {
			continue
		}
		if err := db.decideEvidence(tx, actor, ref.Key(), &e, EvidenceReview{Status: EvidenceAccepted}, now); err != nil {
			return err
		}
	}
	return nil
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
	var out []Item
	err := db.snapshot(ctx, func(q *gorm.DB) error {
		var err error
		out, err = itemsOf(q, year, regionCode, indicatorCode...)
		return err
	})
	return out, err
}

// itemsOf reads a region's items (one per leaf of the catalogue) inside q's transaction.
func itemsOf(q *gorm.DB, year int, regionCode string, indicatorCode ...string) ([]Item, error) {
	p, r, err := periodAndRegion(q, year, regionCode)
	if err != nil {
		return nil, err
	}
	return itemsIn(q, p, r, indicatorCode...)
}

// itemLine is a leaf of the catalogue with its region's item (ItemID nil when there is none),
// as itemsIn reads them.
type itemLine struct {
	IndicatorCode, AreaCode, Title, Note, Requirement string
	ParentCode, ParentTitle                           *string
	AppliesTo, ParentAppliesTo                        KindSet
	Status                                            ItemStatus
	Weight, Progress, VerifiedProgress                Fixed
	ItemID                                            *int64
	Version                                           int64
	UpdatedAt                                         time.Time
	Applicability, ApplicabilityReason                *string
}

// item is the line as the API shows it to a region of the given kind, without its details.
func (row *itemLine) item(kind RegionKind) Item {
	it := Item{IndicatorCode: row.IndicatorCode, Area: row.AreaCode, Title: row.Title, Weight: row.Weight, Parent: row.ParentCode,
		ParentTitle: row.ParentTitle, Requirement: row.Requirement, Status: StatusDraft, Applicability: ApplicabilityApplicable,
		Evidence: []Evidence{}}
	if row.ItemID != nil {
		it.itemID = *row.ItemID
		it.Progress, it.VerifiedProgress, it.Status, it.Note, it.Version = row.Progress, row.VerifiedProgress, row.Status, row.Note, row.Version
		it.Applicability, it.ApplicabilityReason = Applicability(*row.Applicability), *row.ApplicabilityReason
		updated := row.UpdatedAt
		it.UpdatedAt = &updated
	}
	if !row.AppliesTo.Has(kind) || (row.ParentCode != nil && !row.ParentAppliesTo.Has(kind)) {
		it.Applicability = ApplicabilityCatalogue
	}
	it.Status = it.Applicability.status(it.Status)
	return it
}

// itemsIn is itemsOf with the period and region read.
func itemsIn(q *gorm.DB, p *Period, r *Region, indicatorCode ...string) ([]Item, error) {
	var rows []itemLine
	sel := indicatorQuery(q, p.ID).
		Select("indicators.code AS indicator_code, areas.code AS area_code, indicators.title, indicators.weight, indicators.requirement, "+
			"indicators.applies_to, parents.code AS parent_code, parents.title AS parent_title, parents.applies_to AS parent_applies_to, "+
			"items.id AS item_id, items.progress, items.verified_progress, items.status, items.note, items.version, items.updated_at, "+
			"items.applicability, items.applicability_reason").
		Joins("LEFT JOIN items ON items.indicator_id = indicators.id AND items.region_id = ?", r.ID).
		Where("NOT EXISTS (SELECT 1 FROM indicators AS children WHERE children.parent_id = indicators.id)")
	if len(indicatorCode) > 0 {
		sel = sel.Where("indicators.code = ?", indicatorCode[0])
	}
	if err := sel.Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Item, len(rows))
	var ids []int64
	for i := range rows {
		out[i] = rows[i].item(r.Kind)
		if out[i].itemID != 0 {
			ids = append(ids, out[i].itemID)
		}
	}
	if err := attachDetails(q, out, ids); err != nil {
		return nil, err
	}
	return out, nil
}

// scopeItem is the item of s as the transaction leaves it: what itemsIn answers for it, from
// the catalogue read under the region's lock and row, the item's row read after the change,
// which spares the catalogue's join.
func scopeItem(tx *gorm.DB, s *itemScope, row *itemRow) (*Item, error) {
	ind := s.indicator
	applicability, reason := string(row.Applicability), row.ApplicabilityReason
	line := itemLine{IndicatorCode: ind.Code, AreaCode: ind.AreaCode, Title: ind.Title, Requirement: ind.Requirement, Weight: ind.Weight,
		AppliesTo: ind.AppliesTo, ParentCode: ind.ParentCode, ItemID: &row.ID, Note: row.Note, Status: row.Status, Progress: row.Progress,
		VerifiedProgress: row.VerifiedProgress, Version: row.Version, UpdatedAt: row.UpdatedAt, Applicability: &applicability, ApplicabilityReason: &reason}
	if ind.ParentID != nil {
		parent := s.catalogue.byID[*ind.ParentID]
		title := parent.Title
		line.ParentTitle, line.ParentAppliesTo = &title, parent.AppliesTo
	}
	items := []Item{line.item(s.region.Kind)}
	if err := attachDetails(tx, items, []int64{row.ID}); err != nil {
		return nil, err
	}
	return &items[0], nil
}

// attachDetails loads the evidence and the latest review of the listed items in two queries.
func attachDetails(q *gorm.DB, items []Item, ids []int64) error {
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
	if err := q.Where("item_id IN ? AND superseded = ?", ids, false).Order("id").Find(&ev).Error; err != nil {
		return err
	}
	for _, e := range ev {
		byID[e.ItemID].Evidence = append(byID[e.ItemID].Evidence, e)
	}
	var reviews []struct {
		ReviewInfo
		ItemID int64
	}
	err := q.Table("reviews").
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
