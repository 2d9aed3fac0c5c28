package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// SignatureRecord is a paraf or signature appended to a commitment's document.
type SignatureRecord struct {
	CommitmentID int64
	// Version is the commitment's version the signature was made on; a newer one is
	// ErrStaleCommitment (another signature came first: sign the new bytes again).
	Version  int64
	Slot     string
	User     *User
	Mode     SignMode
	SHA256   string // the document's bytes after this act (and its validation data)
	Size     int64
	ImageSHA string // the drawn image, in the blob store
	SignedAt time.Time
	// Certified: this first signature certified the document.
	Certified bool
	// Level is the PAdES level the signature was made at (B-B, B-T, B-LT), for the audit trail.
	Level string
}

// RecordSignature records a slot's paraf or signature, the document's new bytes and the
// commitment's new status: the slot becomes initialled or signed, and the commitment signed
// once every signer slot is. The slot must still allow the act (CanAct).
func (db *DB) RecordSignature(ctx context.Context, r SignatureRecord) (*Commitment, error) {
	var out *Commitment
	err := db.tx(ctx, func(tx *gorm.DB) error {
		c, err := commitmentByID(tx, r.CommitmentID)
		if err != nil {
			return err
		}
		s := c.Slot(r.Slot)
		if s == nil {
			return ErrNotFound
		}
		if c.Status == CommitmentVoid {
			return ErrCommitmentVoid
		}
		if err := s.CanAct(r.User, r.Mode); err != nil {
			return err
		}
		if c.Version != r.Version {
			return ErrStaleCommitment
		}
		at := r.SignedAt
		if err := bumpVersion(tx, c, at); err != nil {
			return err
		}
		capacity := s.SigningCapacity()
		act := DocumentSignature{DocumentID: c.DocumentID, Slot: s.Slot, Name: s.Name, Title: s.ActTitle(capacity), Mode: r.Mode, Capacity: capacity,
			UserID: &r.User.ID, SHA256After: r.SHA256, SignedAt: at}
		if err := tx.Create(&act).Error; err != nil {
			return translate(err)
		}
		s.Acts = append(s.Acts, SlotAct{Mode: act.Mode, Name: act.Name, Title: act.Title, Capacity: act.Capacity, SignedAt: at})
		if r.Mode == ModeSign {
			s.Status = SlotSigned
		} else if s.Status == SlotOpen {
			s.Status = SlotInitialled
		}
		s.SignedAt = &at
		if r.ImageSHA != "" {
			s.SignaturePNGSHA256 = r.ImageSHA
		}
		if err := tx.Exec("UPDATE commitment_slots SET status = ?, signed_at = ?, signature_png_sha256 = ? WHERE id = ?", s.Status, at, s.SignaturePNGSHA256, s.ID).Error; err != nil {
			return err
		}
		c.Status = statusAfter(c.Signatories)
		if c.FrozenAt == nil {
			c.FrozenAt = &at
		}
		c.SHA256, c.Size = r.SHA256, r.Size
		if err := tx.Exec("UPDATE commitments SET status = ?, frozen_at = ? WHERE id = ?", c.Status, c.FrozenAt, c.ID).Error; err != nil {
			return err
		}
		if err := tx.Exec("UPDATE documents SET sha256 = ?, size = ?, status = ?, updated_at = ? WHERE id = ?", r.SHA256, r.Size, c.Status, at, c.DocumentID).Error; err != nil {
			return err
		}
		if err := clearSigningFailures(tx, r.User.ID); err != nil {
			return err
		}
		audit(tx, "commitment", c.auditKey(), string(r.Mode), map[string]any{"slot": s.Slot}, map[string]any{"slot": s.Slot, "user": r.User.Email, "name": s.Name,
			"title": act.Title, "capacity": capacity, "sha256_after": r.SHA256, "status": c.Status, "certified": r.Certified, "level": r.Level})
		out = c
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
