package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
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
