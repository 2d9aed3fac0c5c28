package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// Evidence is a file attached to an item. Its bytes live in the BlobStore under their SHA-256,
// so the same file attached to several items is stored once.
type Evidence struct {
	ID          int64     `json:"id"`
	ItemID      int64     `json:"-"`
	SHA256      string    `json:"sha256" gorm:"column:sha256"`
	Filename    string    `json:"filename"`
	Size        int64     `json:"size"`
	ContentType string    `json:"content_type"`
	UploadedBy  int64     `json:"-"`
	CreatedAt   time.Time `json:"uploaded_at"`
}

// TableName is the evidence table.
func (Evidence) TableName() string { return "evidence" }

// AddEvidence attaches a stored blob to an item (creating the item as a draft if nobody has
// touched it yet). The blob must already be durably stored.
func (db *DB) AddEvidence(ctx context.Context, actor *User, ref ItemRef, b Blob, filename string) (*Evidence, error) {
	e := &Evidence{SHA256: b.SHA256, Size: b.Size, ContentType: b.ContentType, Filename: filename, UploadedBy: actor.ID}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		s, err := loadScope(tx, ref)
		if err != nil {
			return err
		}
		row, err := db.ensureItem(tx, s)
		if err != nil {
			return err
		}
		e.ItemID, e.CreatedAt = row.ID, db.Now()
		if err := tx.Create(e).Error; err != nil {
			return err
		}
		return tx.Model(&itemRow{}).Where("id = ?", row.ID).Update("updated_at", e.CreatedAt).Error
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
