package models

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Evidence is a file attached to an item. Its bytes live in the BlobStore under their SHA-256,
// so the same file attached to several items is stored once. A revision replaces an earlier
// document, which is kept (superseded) and stays downloadable.
type Evidence struct {
	ID            int64          `json:"id"`
	ItemID        int64          `json:"-"`
	SHA256        string         `json:"sha256" gorm:"column:sha256"`
	Filename      string         `json:"filename"`
	Size          int64          `json:"size"`
	ContentType   string         `json:"content_type"`
	UploadedBy    int64          `json:"-"`
	CreatedAt     time.Time      `json:"uploaded_at"`
	Status        EvidenceStatus `json:"status"`
	Reason        string         `json:"reason"`
	ReviewedBy    *int64         `json:"-"`
	ReviewedAt    *time.Time     `json:"reviewed_at"`
	ReplacesID    *int64         `json:"replaces_id"`
	Superseded    bool           `json:"superseded"`
	EffectiveDate *string        `json:"effective_date"`
	Version       int64          `json:"version"`
}

// TableName is the evidence table.
func (Evidence) TableName() string { return "evidence" }

// EvidenceUpload is a stored blob to attach to an item, optionally as a revision of an
// earlier document of the same item, with the date the document took effect.
type EvidenceUpload struct {
	Blob          Blob
	Filename      string
	Replaces      *int64
	EffectiveDate *string
}

// Validate checks the effective date's form and makes the file name safe to store (see
// CleanFileName); a name with nothing left becomes "bukti" with the extension of its type.
func (u *EvidenceUpload) Validate() error {
	u.Filename = uploadName(u.Filename, "bukti", u.Blob.ContentType)
	if u.EffectiveDate != nil {
		d := strings.TrimSpace(*u.EffectiveDate)
		if _, err := time.Parse("2006-01-02", d); err != nil {
			return Invalid("effective_date", "date_format")
		}
		u.EffectiveDate = &d
	}
	return nil
}

// AddEvidence attaches a stored blob to an item (creating the item as a draft if nobody has
// touched it yet). The blob must already be durably stored. New evidence on a claimed item
// puts it back up for verification; the last approved value keeps counting meanwhile.
func (db *DB) AddEvidence(ctx context.Context, actor *User, ref ItemRef, up EvidenceUpload) (*Evidence, error) {
	if !actor.CanWriteRegion(ref.RegionCode) {
		return nil, Forbidden("region_scope")
	}
	if err := up.Validate(); err != nil {
		return nil, err
	}
	b := up.Blob
	e := &Evidence{SHA256: b.SHA256, Size: b.Size, ContentType: b.ContentType, Filename: up.Filename, UploadedBy: actor.ID,
		Status: EvidenceWaiting, ReplacesID: up.Replaces, EffectiveDate: up.EffectiveDate, Version: 1}
	_, err := db.changeItem(ctx, actor, ref, itemChange{entry: true}, func(tx *gorm.DB, s *itemScope, row *itemRow) error {
		if !s.applies {
			return Invalid("file", "item_not_applicable")
		}
		if up.Replaces != nil {
			res := tx.Model(&Evidence{}).Where("id = ? AND item_id = ? AND superseded = ?", *up.Replaces, row.ID, false).
				Updates(map[string]any{"superseded": true, "version": gorm.Expr("version + 1")})
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected == 0 {
				return Invalid("replaces", "evidence_not_current")
			}
		}
		e.ItemID, e.CreatedAt = row.ID, db.Now()
		if err := tx.Create(e).Error; err != nil {
			return err
		}
		audit(tx, "item", ref.Key(), "evidence_upload", nil, e)
		changes := map[string]any{"updated_at": e.CreatedAt}
		if row.Status == StatusApproved || row.Status == StatusRejected {
			changes["status"] = StatusSubmitted
		}
		return updateItem(tx, row, changes)
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// EvidenceByID finds an evidence record, or ErrNotFound.
func (db *DB) EvidenceByID(ctx context.Context, id int64) (*Evidence, error) {
	var e Evidence
	if err := db.read(ctx).Take(&e, id).Error; err != nil {
		return nil, translate(err)
	}
	return &e, nil
}

// EvidenceReview is a reviewer's verdict on one document.
type EvidenceReview struct {
	Status  EvidenceStatus `json:"status"`
	Reason  string         `json:"reason"`
	Version *int64         `json:"version"`
}

// Validate checks the verdict; a rejection needs its reason.
func (r *EvidenceReview) Validate() error {
	r.Reason = strings.TrimSpace(r.Reason)
	switch r.Status {
	case EvidenceAccepted, EvidenceWaiting:
	case EvidenceRejected:
		if r.Reason == "" {
			return Invalid("reason", "reject_reason")
		}
	case "":
		return Invalid("status", "required")
	default:
		return Invalid("status", "evidence_status")
	}
	return CheckText("reason", r.Reason, MaxNoteLen)
}

// ReviewEvidence records a reviewer's verdict on one document. Nobody verifies a document
// they uploaded; a superseded revision is no longer reviewed.
func (db *DB) ReviewEvidence(ctx context.Context, actor *User, id int64, in EvidenceReview) (*Evidence, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var out Evidence
	err := db.tx(ctx, func(tx *gorm.DB) error {
		owner, err := itemOfEvidence(tx, id)
		if err != nil {
			return err
		}
		if !actor.CanReviewRegion(owner.RegionCode) {
			return Forbidden("region_scope")
		}
		if err := db.lockStanding(tx, owner.PeriodID, owner.RegionID); err != nil {
			return err
		}
		if _, err := openPeriodByYear(tx, owner.Year); err != nil {
			return err
		}
		if err := tx.Take(&out, id).Error; err != nil {
			return translate(err)
		}
		if out.UploadedBy == actor.ID {
			return Forbidden("own_evidence")
		}
		if (in.Version != nil && *in.Version != out.Version) || out.Superseded {
			return ErrConflict
		}
		return db.decideEvidence(tx, actor, owner.key(), &out, in, db.Now())
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// decideEvidence records a verdict on a document, read under its region's standing lock, and
// updates e to match.
func (db *DB) decideEvidence(tx *gorm.DB, actor *User, itemKey string, e *Evidence, in EvidenceReview, now time.Time) error {
	res := tx.Model(&Evidence{}).Where("id = ? AND version = ?", e.ID, e.Version).Updates(map[string]any{
		"status": in.Status, "reason": in.Reason, "reviewed_by": actor.ID, "reviewed_at": now, "version": e.Version + 1})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrConflict
	}
	audit(tx, "item", itemKey, "evidence_review", map[string]any{"evidence_id": e.ID, "status": e.Status, "reason": e.Reason},
		map[string]any{"evidence_id": e.ID, "sha256": e.SHA256, "status": in.Status, "reason": in.Reason})
	e.Status, e.Reason, e.ReviewedBy, e.ReviewedAt, e.Version = in.Status, in.Reason, &actor.ID, &now, e.Version+1
	return nil
}

// evidenceOwner is the item a document belongs to.
type evidenceOwner struct {
	Year          int
	RegionCode    string
	IndicatorCode string
	PeriodID      int64
	RegionID      int64
}

func (o *evidenceOwner) key() string {
	return ItemRef{Year: o.Year, RegionCode: o.RegionCode, IndicatorCode: o.IndicatorCode}.Key()
}

// itemOfEvidence finds the item a document belongs to, or ErrNotFound.
func itemOfEvidence(tx *gorm.DB, evidenceID int64) (*evidenceOwner, error) {
	var o evidenceOwner
	err := tx.Table("evidence").Select("periods.year, regions.code AS region_code, indicators.code AS indicator_code, items.period_id, items.region_id").
		Joins("JOIN items ON items.id = evidence.item_id").
		Joins("JOIN periods ON periods.id = items.period_id").Joins("JOIN regions ON regions.id = items.region_id").
		Joins("JOIN indicators ON indicators.id = items.indicator_id").Where("evidence.id = ?", evidenceID).Take(&o).Error
	if err != nil {
		return nil, translate(err)
	}
	return &o, nil
}
