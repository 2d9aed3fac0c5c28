package models

import (
	"context"
	"strings"

	"gorm.io/gorm"
)

// Items outside a Pemda's authority: the region marks a leaf not applicable with a reason (and
// usually the regulation that puts it elsewhere, as evidence); a reviewer confirms or refuses
// it. A confirmed item — like a leaf whose applies_to leaves the region's kind out — leaves both
// numerator and denominator of the region's figures (see Scorer).

// Applicability says whether an item counts for its region.
type Applicability string

// Applicability states. Catalogue is never stored: it is read from the leaf's applies_to.
const (
	ApplicabilityApplicable Applicability = "applicable"
	ApplicabilityPending    Applicability = "pending"
	ApplicabilityConfirmed  Applicability = "confirmed"
	ApplicabilityCatalogue  Applicability = "catalogue"
)

// applicabilityConfirmed is the stored value the scorer leaves out.
const applicabilityConfirmed = string(ApplicabilityConfirmed)

// status is the item status shown for a claim status under this applicability.
func (a Applicability) status(claim ItemStatus) ItemStatus {
	switch a {
	case ApplicabilityPending:
		return StatusNotApplicablePending
	case ApplicabilityConfirmed, ApplicabilityCatalogue:
		return StatusNotApplicable
	}
	return claim
}

// ApplicabilityInput marks an item not applicable (with a reason) or withdraws that.
type ApplicabilityInput struct {
	Applicable *bool  `json:"applicable"`
	Reason     string `json:"reason"`
	Version    *int64 `json:"version"`
}

// Validate checks that the caller says which, and why when it is not applicable.
func (in *ApplicabilityInput) Validate() error {
	in.Reason = strings.TrimSpace(in.Reason)
	errs := fieldErrors{}
	if in.Applicable == nil {
		errs.add("applicable", "required")
	} else if !*in.Applicable {
		errs.requiredText("reason", in.Reason, MaxNoteLen)
	} else {
		errs.text("reason", in.Reason, MaxNoteLen)
	}
	return errs.err()
}

// SetApplicability marks an item outside the region's authority (pending a reviewer's
// decision) or withdraws that, for whoever may enter the region's data, before the deadline.
func (db *DB) SetApplicability(ctx context.Context, actor *User, ref ItemRef, in ApplicabilityInput) (*Item, error) {
	if !actor.CanWriteRegion(ref.RegionCode) {
		return nil, Forbidden("region_scope")
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	return db.changeItem(ctx, actor, ref, itemChange{callerVersion: in.Version, rescore: true, entry: true, answer: true}, func(tx *gorm.DB, s *itemScope, row *itemRow) error {
		if !s.applies {
			return Invalid("applicable", "catalogue_not_applicable")
		}
		changes := map[string]any{"updated_at": db.Now()}
		if *in.Applicable {
			if row.Applicability == ApplicabilityApplicable {
				return Invalid("applicable", "already_applicable")
			}
			changes["applicability"], changes["applicability_reason"], changes["applicability_by"] = ApplicabilityApplicable, "", nil
		} else {
			if row.Applicability != ApplicabilityApplicable {
				return Invalid("applicable", "already_not_applicable")
			}
			changes["applicability"], changes["applicability_reason"], changes["applicability_by"] = ApplicabilityPending, in.Reason, actor.ID
		}
		if err := updateItem(tx, row, changes); err != nil {
			return err
		}
		audit(tx, "item", ref.Key(), "applicability", map[string]any{"applicability": row.Applicability, "reason": row.ApplicabilityReason},
			map[string]any{"applicability": changes["applicability"], "reason": changes["applicability_reason"]})
		return nil
	})
}

// reviewApplicability decides a pending claim that an item does not apply: approval confirms
// it, rejection (with its reason) returns the item to where it stood. Nobody decides their own.
func (db *DB) reviewApplicability(tx *gorm.DB, actor *User, ref ItemRef, row *itemRow, in ReviewInput) error {
	if row.ApplicabilityBy != nil && *row.ApplicabilityBy == actor.ID {
		return Forbidden("own_claim")
	}
	to := ApplicabilityConfirmed
	if in.Decision == DecisionReject {
		to = ApplicabilityApplicable
	}
	now := db.Now()
	if err := updateItem(tx, row, map[string]any{"applicability": to, "updated_at": now}); err != nil {
		return err
	}
	audit(tx, "item", ref.Key(), "applicability_review", map[string]any{"applicability": row.Applicability, "reason": row.ApplicabilityReason},
		map[string]any{"decision": in.Decision, "applicability": to, "comment": in.Comment})
	review := map[string]any{"item_id": row.ID, "user_id": actor.ID, "decision": in.Decision, "subject": "applicability",
		"claimed_progress": row.Progress, "verified_progress": row.VerifiedProgress, "comment": in.Comment, "created_at": now}
	return tx.Table("reviews").Create(review).Error
}
