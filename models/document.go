package models

import (
	"context"
	"crypto/rand"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Document kinds.
const (
	DocumentReport     = "report"
	DocumentCommitment = "commitment"
)

// Document is a file Pantau issued — a progress report or a commitment — that anyone holding
// it can check by its verification code. SHA256 is the hash of its current bytes (a signed
// commitment's bytes grow with each signature; every earlier state is in its signatures).
type Document struct {
	ID               int64     `json:"-"`
	Kind             string    `json:"kind"`
	VerificationCode string    `json:"verification_code"`
	Title            string    `json:"title"`
	Status           string    `json:"status"`
	SHA256           string    `json:"sha256" gorm:"column:sha256"`
	Size             int64     `json:"size"`
	CreatedBy        *int64    `json:"-"`
	CreatedAt        time.Time `json:"created_at"`
	UpdatedAt        time.Time `json:"-"`
}

// DocumentSignature is one signature or initial recorded on a document: the slot, who made
// it (name, the capacity as stamped in Title, and in what capacity they acted), and the
// document's SHA-256 after it.
type DocumentSignature struct {
	ID          int64           `json:"-"`
	DocumentID  int64           `json:"-"`
	Slot        string          `json:"slot"`
	Name        string          `json:"name"`
	Title       string          `json:"title"`
	Mode        SignMode        `json:"mode"`
	Capacity    SigningCapacity `json:"capacity"`
	UserID      *int64          `json:"-"`
	SHA256After string          `json:"-" gorm:"column:sha256_after"`
	SignedAt    time.Time       `json:"signed_at"`
}

// verificationAlphabet leaves out letters and digits that are easily confused when typed
// from paper (0/O, 1/I/L, U/V).
const verificationAlphabet = "23456789ABCDEFGHJKMNPQRSTWXYZ"

// NewVerificationCode returns a random code of 12 characters in groups of four
// ("K7QM-2XPA-9RTD"), about 58 bits: short enough to type from a printout, too many to guess.
func NewVerificationCode() string {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	var sb strings.Builder
	for i, v := range b {
		if i > 0 && i%4 == 0 {
			sb.WriteByte('-')
		}
		sb.WriteByte(verificationAlphabet[int(v)%len(verificationAlphabet)])
	}
	return sb.String()
}

// NormalizeVerificationCode uppercases a typed code and restores its dashes.
func NormalizeVerificationCode(s string) string {
	s = strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(strings.TrimSpace(s)))
	if len(s) != 12 {
		return s
	}
	return s[0:4] + "-" + s[4:8] + "-" + s[8:12]
}

// createDocument records an issued document inside tx (a new verification code is set when
// d has none).
func (db *DB) createDocument(tx *gorm.DB, d *Document) error {
	if d.VerificationCode == "" {
		d.VerificationCode = NewVerificationCode()
	}
	now := db.Now()
	d.CreatedAt, d.UpdatedAt = now, now
	return translate(tx.Create(d).Error)
}

// DocumentByCode finds a document by its verification code, or ErrNotFound.
func (db *DB) DocumentByCode(ctx context.Context, code string) (*Document, error) {
	var d Document
	err := db.read(ctx).Where("verification_code = ?", NormalizeVerificationCode(code)).Take(&d).Error
	if err != nil {
		return nil, translate(err)
	}
	return &d, nil
}

// DocumentByHash finds the document whose current bytes, or whose bytes after one of its
// signatures, have this SHA-256; or ErrNotFound.
func (db *DB) DocumentByHash(ctx context.Context, sha string) (*Document, error) {
	var d Document
	q := db.read(ctx)
	err := q.Where("sha256 = ?", sha).Order("id").Take(&d).Error
	if translate(err) == ErrNotFound {
		err = q.Where("id IN (?)", q.Table("document_signatures").Select("document_id").Where("sha256_after = ?", sha)).Take(&d).Error
	}
	if err != nil {
		return nil, translate(err)
	}
	return &d, nil
}

// DocumentSignatures lists a document's signatures in the order they were made.
func (db *DB) DocumentSignatures(ctx context.Context, documentID int64) ([]DocumentSignature, error) {
	out := []DocumentSignature{}
	err := db.read(ctx).Where("document_id = ?", documentID).Order("signed_at, id").Find(&out).Error
	return out, translate(err)
}
