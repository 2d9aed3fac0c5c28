package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// DocumentKind says what a delegation document is: the regional head's regulation that
// delegates the authority, or its annex (the list of permits it delegates).
type DocumentKind string

// Delegation document kinds.
const (
	DocumentRegulation DocumentKind = "regulation"
	DocumentAnnex      DocumentKind = "annex"
)

// DocumentKinds are the kinds a delegation document may have, in the order they are shown.
var DocumentKinds = []DocumentKind{DocumentRegulation, DocumentAnnex}

// documentTypes are the file types a delegation document may have: a scanned or signed
// regulation is a PDF or a picture, never an office file.
var documentTypes = map[string]bool{"application/pdf": true, "image/png": true, "image/jpeg": true}

// DelegationDocument is a file of a region's delegation for a period: the regulation or its
// annex. Its bytes live in the BlobStore under their SHA-256. A newer document of the same kind
// replaces it: it is then superseded, names its replacement, and stays listed and downloadable.
type DelegationDocument struct {
	ID          int64        `json:"id"`
	PeriodID    int64        `json:"-"`
	RegionID    int64        `json:"-"`
	Kind        DocumentKind `json:"kind"`
	SHA256      string       `json:"sha256" gorm:"column:sha256"`
	Filename    string       `json:"filename"`
	Size        int64        `json:"size"`
	ContentType string       `json:"content_type"`
	UploadedBy  *int64       `json:"-"`
	Uploader    string       `json:"uploaded_by" gorm:"->;-:migration"`
	CreatedAt   time.Time    `json:"uploaded_at"`
	Superseded  bool         `json:"superseded"`
	ReplacedBy  *int64       `json:"replaced_by"`
}

// TableName is the delegation documents' table.
func (DelegationDocument) TableName() string { return "delegation_documents" }

// DelegationDocumentUpload is a stored blob to file as a region's regulation or annex; it
// replaces the current document of its kind.
type DelegationDocumentUpload struct {
	Blob     Blob
	Filename string
	Kind     DocumentKind
}

// Validate checks the kind and the file's type (PDF, PNG or JPEG, as detected from its
// content) and makes the file name safe to store; a name with nothing left becomes the kind's.
func (u *DelegationDocumentUpload) Validate() error {
	switch u.Kind {
	case DocumentRegulation, DocumentAnnex:
	case "":
		return Invalid("kind", "required")
	default:
		return Invalid("kind", "document_kind")
	}
	if !documentTypes[u.Blob.ContentType] {
		return fmt.Errorf("%w: %s", ErrUnsupportedType, u.Blob.ContentType)
	}
	u.Filename = uploadName(u.Filename, string(u.Kind), u.Blob.ContentType)
	return nil
}

// AddDelegationDocument files a stored blob as a region's regulation or annex for a period,
// replacing the current document of its kind (kept, superseded). The blob must already be
// durably stored. Like other uploads it is refused in a closed period and after the deadline
// unless the region's extension covers the day.
func (db *DB) AddDelegationDocument(ctx context.Context, actor *User, year int, regionCode string, up DelegationDocumentUpload) (*DelegationDocument, error) {
	if !actor.CanWriteRegion(regionCode) {
		return nil, Forbidden("region_scope")
	}
	if err := up.Validate(); err != nil {
		return nil, err
	}
	var out *DelegationDocument
	err := db.tx(ctx, func(tx *gorm.DB) error {
		p, r, err := db.lockOpenRegion(tx, year, regionCode)
		if err != nil {
			return err
		}
		if err := beforeDeadline(tx, p, r.ID, db.Now()); err != nil {
			return err
		}
		var old []DelegationDocument
		if err := tx.Where("period_id = ? AND region_id = ? AND kind = ? AND NOT superseded", p.ID, r.ID, up.Kind).Find(&old).Error; err != nil {
			return err
		}
		if len(old) > 0 {
			if err := tx.Model(&DelegationDocument{}).Where("id = ?", old[0].ID).Update("superseded", true).Error; err != nil {
				return err
			}
		}
		doc := &DelegationDocument{PeriodID: p.ID, RegionID: r.ID, Kind: up.Kind, SHA256: up.Blob.SHA256, Filename: up.Filename,
			Size: up.Blob.Size, ContentType: up.Blob.ContentType, UploadedBy: &actor.ID, CreatedAt: db.Now()}
		if err := tx.Omit("Uploader").Create(doc).Error; err != nil {
			return err
		}
		var before any
		if len(old) > 0 {
			if err := tx.Model(&DelegationDocument{}).Where("id = ?", old[0].ID).Update("replaced_by", doc.ID).Error; err != nil {
				return err
			}
			before = old[0]
		}
		doc.Uploader = actor.Name
		out = doc
		audit(tx, "delegation", fmt.Sprintf("%d/%s", year, regionCode), "document_upload", before, doc)
		return nil
	})
	return out, err
}

// DelegationDocuments lists a region's delegation documents for a period: the current ones
// first (regulation, then annex), then those replaced, newest first.
func (db *DB) DelegationDocuments(ctx context.Context, year int, regionCode string) ([]DelegationDocument, error) {
	q := db.read(ctx)
	p, r, err := periodAndRegion(q, year, regionCode)
	if err != nil {
		return nil, err
	}
	return documentsOf(q, p.ID, r.ID, false)
}

// DelegationDocumentByID finds one of a region's delegation documents for a period, current or
// replaced, or ErrNotFound.
func (db *DB) DelegationDocumentByID(ctx context.Context, year int, regionCode string, id int64) (*DelegationDocument, error) {
	q := db.read(ctx)
	p, r, err := periodAndRegion(q, year, regionCode)
	if err != nil {
		return nil, err
	}
	var d DelegationDocument
	if err := q.Where("id = ? AND period_id = ? AND region_id = ?", id, p.ID, r.ID).Take(&d).Error; err != nil {
		return nil, translate(err)
	}
	return &d, nil
}

// documentsOf reads a region's delegation documents for a period (only the current ones when
// current is set), with their uploaders' names, current first, kinds in order, newest first.
func documentsOf(q *gorm.DB, periodID, regionID int64, current bool) ([]DelegationDocument, error) {
	sel := q.Table("delegation_documents").Select("delegation_documents.*, COALESCE(users.name, '') AS uploader").
		Joins("LEFT JOIN users ON users.id = delegation_documents.uploaded_by").
		Where("delegation_documents.period_id = ? AND delegation_documents.region_id = ?", periodID, regionID)
	if current {
		sel = sel.Where("NOT delegation_documents.superseded")
	}
	out := []DelegationDocument{}
	err := sel.Order(documentOrder).Scan(&out).Error
	return out, err
}

// documentOrder lists a region's delegation documents: current first, kinds in order, newest first.
const documentOrder = "delegation_documents.superseded, CASE delegation_documents.kind WHEN 'regulation' THEN 0 ELSE 1 END, " +
	"delegation_documents.created_at DESC, delegation_documents.id DESC"

// RegionDocument is one of a region's delegation documents, as an export lists it.
type RegionDocument struct {
	RegionCode string
	RegionName string
	DelegationDocument
}

// DocumentLists returns the delegation documents, current and replaced, of a period's regions
// that f picks: by region code, then in the order DelegationDocuments gives.
func (db *DB) DocumentLists(ctx context.Context, year int, f RegionFilter) ([]RegionDocument, error) {
	q := db.read(ctx)
	p, err := periodByYear(q, year)
	if err != nil {
		return nil, err
	}
	out := []RegionDocument{}
	err = f.where(q.Table("delegation_documents").
		Select("delegation_documents.*, COALESCE(users.name, '') AS uploader, regions.code AS region_code, regions.name AS region_name").
		Joins("JOIN regions ON regions.id = delegation_documents.region_id").
		Joins("LEFT JOIN users ON users.id = delegation_documents.uploaded_by").
		Where("delegation_documents.period_id = ?", p.ID)).
		Order("regions.code, " + documentOrder).Scan(&out).Error
	return out, err
}

// currentDocuments reads the current delegation documents of a period's regions (of the one
// region when regions has one), the regulation before the annex.
func currentDocuments(q *gorm.DB, periodID int64, regions []Region) ([]DelegationDocument, error) {
	dq := q.Where("period_id = ? AND NOT superseded", periodID)
	if len(regions) == 1 {
		dq = dq.Where("region_id = ?", regions[0].ID)
	}
	var out []DelegationDocument
	err := dq.Order("region_id, CASE kind WHEN 'regulation' THEN 0 ELSE 1 END").Find(&out).Error
	return out, err
}

// carryDocuments copies the current delegation documents of period from into period to, for
// the regions that have none there yet: the copies point at the same stored files and keep who
// uploaded them and when. It returns how many it copied.
func carryDocuments(tx *gorm.DB, from, to int64) (int64, error) {
	res := tx.Exec("INSERT INTO delegation_documents (period_id, region_id, kind, sha256, filename, size, content_type, uploaded_by, created_at) "+
		"SELECT ?, region_id, kind, sha256, filename, size, content_type, uploaded_by, created_at FROM delegation_documents "+
		"WHERE period_id = ? AND NOT superseded AND region_id NOT IN (SELECT region_id FROM delegation_documents WHERE period_id = ?) ORDER BY id",
		to, from, to)
	return res.RowsAffected, res.Error
}
