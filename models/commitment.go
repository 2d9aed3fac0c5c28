package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Slot kinds: a signer's signature is needed for the commitment to be signed; a witness's is not.
const (
	SlotSigner  = "signer"
	SlotWitness = "witness"
)

// SlotDef is one signatory slot of a commitment.
type SlotDef struct{ Slot, Kind string }

// CommitmentSlots are the slots of a regency's or city's commitment, in the order they are printed.
var CommitmentSlots = []SlotDef{
	{"regent", SlotSigner},
	{"dprd_chair", SlotSigner},
	{"governor", SlotSigner},
	{"witness_vice_governor", SlotWitness},
	{"witness_dprd_province", SlotWitness},
}

// ParafField is the name of a slot's paraf field in the PDF (a slot has a signature field
// named after it and a paraf field beside it, both created by the first signature).
func ParafField(slot string) string { return slot + "_paraf" }

// jointSlot names a joint commitment's slot for a region: "regent_62_01", "dprd_chair_62_71"
// (no dot: PDF field names use it to separate levels).
func jointSlot(prefix, regionCode string) string {
	return prefix + "_" + strings.ReplaceAll(regionCode, ".", "_")
}

// Commitment is a PTSP Prima commitment: a regency's or city's for a year, or the province's
// joint one, as a numbered document whose text is frozen at the first signature and that
// collects each slot's paraf and signature as PDF signatures. A void commitment keeps its
// document; its replacement (another commitment, usually for the same region and year) is
// named when it exists.
type Commitment struct {
	ID               int64            `json:"id"`
	RegionID         int64            `json:"-"`
	RegionCode       string           `json:"region_code" gorm:"->;-:migration"`
	RegionName       string           `json:"region_name" gorm:"->;-:migration"`
	RegionKind       RegionKind       `json:"-" gorm:"->;-:migration"`
	ProvinceName     string           `json:"-" gorm:"->;-:migration"`
	Year             int              `json:"year"`
	Kind             CommitmentKind   `json:"kind"`
	Number           string           `json:"number"`
	DocumentID       int64            `json:"-"`
	Status           CommitmentStatus `json:"status"`
	VerificationCode string           `json:"verification_code" gorm:"->;-:migration"`
	SHA256           string           `json:"sha256" gorm:"->;-:migration;column:sha256"`
	Size             int64            `json:"size" gorm:"->;-:migration"`
	Title            string           `json:"title"`
	Preamble         string           `json:"-"`
	Commitments      string           `json:"-"`
	Closing          string           `json:"-"`
	Place            string           `json:"place"`
	Dated            string           `json:"date"`
	Pages            int              `json:"pages"`
	FrozenAt         *time.Time       `json:"frozen_at"`
	Version          int64            `json:"version"`
	CreatedBy        *int64           `json:"-"`
	CreatedAt        time.Time        `json:"created_at"`
	UpdatedAt        time.Time        `json:"updated_at"`
	VoidReason       string           `json:"void_reason"`
	VoidedAt         *time.Time       `json:"voided_at"`
	VoidedBy         *int64           `json:"-"`
	ReplacementID    *int64           `json:"replacement_id"`
	ReplacementCode  *string          `json:"replacement_code" gorm:"->;-:migration"`
	Signatories      []CommitmentSlot `json:"signatories" gorm:"-"`
}

// CommitmentSlot is one signatory slot: who is assigned, in what capacity, the delegation
// they sign under, and the paraf and signature made on it (Acts).
type CommitmentSlot struct {
	ID           int64      `json:"-"`
	CommitmentID int64      `json:"-"`
	Slot         string     `json:"slot"`
	Position     int        `json:"-"`
	Kind         string     `json:"kind"`
	Status       SlotStatus `json:"status"`
	// RegionCode is the region whose office the slot stands for (a joint commitment's regent
	// and DPRD chair slots); empty otherwise.
	RegionCode   string  `json:"region_code,omitempty"`
	UserID       *int64  `json:"-"`
	UserEmail    *string `json:"user_email" gorm:"->;-:migration"`
	Name         string  `json:"name"`
	Title        string  `json:"title"`
	DefaultTitle string  `json:"default_title"`
	// Capacity is how the assigned person may act (see SigningCapacity), nil while unassigned.
	Capacity            *SigningCapacity   `json:"capacity" gorm:"-"`
	FieldPage           int                `json:"-"`
	FieldRect           string             `json:"-"`
	ParafPage           int                `json:"-"`
	ParafRect           string             `json:"-"`
	DelegationKind      DelegationKind     `json:"-"`
	DelegationReference string             `json:"-"`
	DelegationFilename  string             `json:"-"`
	DelegationSHA256    string             `json:"-" gorm:"column:delegation_sha256"`
	Delegation          *SigningDelegation `json:"delegation" gorm:"-"`
	SignaturePNGSHA256  string             `json:"-" gorm:"column:signature_png_sha256"`
	SignedAt            *time.Time         `json:"signed_at"`
	Acts                []SlotAct          `json:"acts" gorm:"-"`
}

// SlotAct is one act on a slot, a paraf or a signature: who made it, in what capacity, when.
type SlotAct struct {
	Mode SignMode `json:"mode"`
	Name string   `json:"name"`
	// Title is the capacity as stamped: "Bupati Seruyan", "Wakil Bupati Seruyan" (a deputy's
	// paraf), "a.n. Bupati Seruyan, Wakil Bupati Seruyan" (a delegated signature).
	Title    string          `json:"title"`
	Capacity SigningCapacity `json:"capacity"`
	SignedAt time.Time       `json:"signed_at"`
}

// SigningDelegation is the instrument under which someone signs for the slot's office holder: a.n.
// or a power of attorney, its reference (number and date) and the scanned document.
type SigningDelegation struct {
	Kind      DelegationKind `json:"kind"`
	Reference string         `json:"reference"`
	Filename  string         `json:"filename"`
	SHA256    string         `json:"sha256"`
}

// Acting reports whether the assigned person acts for someone else (a deputy): their title
// differs from the slot's own.
func (s *CommitmentSlot) Acting() bool {
	return s.Title != "" && !strings.EqualFold(strings.TrimSpace(s.Title), strings.TrimSpace(s.DefaultTitle))
}

// SigningCapacity is how the assigned person acts: the office holder; a deputy, who may only
// initial; or someone under a recorded delegation.
func (s *CommitmentSlot) SigningCapacity() SigningCapacity {
	switch {
	case !s.Acting():
		return CapacityPrincipal
	case s.DelegationKind != "":
		return CapacityDelegated
	}
	return CapacityDeputy
}

// ActTitle is the capacity stamped on an act made in capacity c: the office ("Bupati
// Seruyan"), a deputy's own title, or "a.n. Bupati Seruyan, Wakil Bupati Seruyan".
func (s *CommitmentSlot) ActTitle(c SigningCapacity) string {
	switch c {
	case CapacityDeputy:
		return s.Title
	case CapacityDelegated:
		return "a.n. " + s.DefaultTitle + ", " + s.Title
	}
	return s.DefaultTitle
}

// Initialled reports whether the slot carries a paraf.
func (s *CommitmentSlot) Initialled() bool {
	for _, a := range s.Acts {
		if a.Mode == ModeInitial {
			return true
		}
	}
	return false
}

// Errors of acting on a slot.
var (
	// ErrNotYourSlot: the slot is assigned to someone else.
	ErrNotYourSlot = &ForbiddenError{Reason: "not_your_slot"}
	// ErrDeputyInitialOnly: someone acting for the office holder without a recorded delegation
	// may initial, not sign.
	ErrDeputyInitialOnly = &ForbiddenError{Reason: "deputy_initial_only"}
	// ErrSlotSigned: the slot has its signature.
	ErrSlotSigned = &ConflictError{Reason: "already_signed"}
	// ErrSlotInitialled: the slot already carries a paraf.
	ErrSlotInitialled = &ConflictError{Reason: "already_initialled"}
	// ErrCommitmentVoid: the commitment was voided; nothing more may be done to it.
	ErrCommitmentVoid = &ConflictError{Reason: "commitment_void"}
)

// CanAct answers whether u may act on the slot in mode now: ErrNotYourSlot,
// ErrDeputyInitialOnly, ErrSlotSigned or ErrSlotInitialled when not.
func (s *CommitmentSlot) CanAct(u *User, mode SignMode) error {
	switch {
	case s.UserID == nil || *s.UserID != u.ID:
		return ErrNotYourSlot
	case s.Status == SlotSigned:
		return ErrSlotSigned
	case mode == ModeInitial && s.Initialled():
		return ErrSlotInitialled
	case mode == ModeSign && s.SigningCapacity() == CapacityDeputy:
		return ErrDeputyInitialOnly
	}
	return nil
}

// Slot returns the named slot, or nil.
func (c *Commitment) Slot(name string) *CommitmentSlot {
	for i := range c.Signatories {
		if c.Signatories[i].Slot == name {
			return &c.Signatories[i]
		}
	}
	return nil
}

// Items are the numbered commitments, one per line of the text.
func (c *Commitment) Items() []string {
	var out []string
	for _, l := range strings.Split(c.Commitments, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// DocumentTitle is the title recorded with the document.
func (c *Commitment) DocumentTitle() string {
	if c.Kind == KindJoint {
		return fmt.Sprintf("Komitmen Bersama PTSP Prima — %s %d", c.RegionName, c.Year)
	}
	return fmt.Sprintf("Komitmen PTSP Prima — %s %d", c.RegionName, c.Year)
}

// statusAfter is the commitment's status given its slots: signed once every signer slot is
// signed (a paraf is not a signature, witnesses do not block), partially signed once anyone
// has signed or initialled.
func statusAfter(slots []CommitmentSlot) CommitmentStatus {
	started, all := false, true
	for _, s := range slots {
		started = started || s.Status != SlotOpen
		if s.Kind == SlotSigner && s.Status != SlotSigned {
			all = false
		}
	}
	switch {
	case all:
		return CommitmentSigned
	case started:
		return CommitmentPartiallySigned
	}
	return CommitmentDraft
}

// commitmentNumber is a commitment's document number: "007/PTSP-PRIMA/62.08/2019".
func commitmentNumber(seq int, regionCode string, year int) string {
	return fmt.Sprintf("%03d/PTSP-PRIMA/%s/%d", seq, regionCode, year)
}

// ---- Reading ----

func commitmentQuery(tx *gorm.DB) *gorm.DB {
	return tx.Table("commitments").
		Select("commitments.*, regions.code AS region_code, regions.name AS region_name, regions.kind AS region_kind, " +
			"COALESCE(prov.name, '') AS province_name, documents.verification_code, documents.sha256, documents.size, " +
			"repl_doc.verification_code AS replacement_code").
		Joins("JOIN regions ON regions.id = commitments.region_id").
		Joins("LEFT JOIN regions prov ON prov.kind = 'province' AND prov.code = " + provinceCodeSQL).
		Joins("JOIN documents ON documents.id = commitments.document_id").
		Joins("LEFT JOIN commitments repl ON repl.id = commitments.replacement_id").
		Joins("LEFT JOIN documents repl_doc ON repl_doc.id = repl.document_id")
}

// provinceCodeSQL is the province's code of the region's code ("62.08" → "62"), in SQL both
// databases speak.
const provinceCodeSQL = "SUBSTR(regions.code, 1, 2)"

// loadSlots reads a commitment's slots with their acts on its current document.
func loadSlots(tx *gorm.DB, c *Commitment) error {
	c.Signatories = []CommitmentSlot{}
	if err := tx.Table("commitment_slots").Select("commitment_slots.*, users.email AS user_email").
		Joins("LEFT JOIN users ON users.id = commitment_slots.user_id").
		Where("commitment_id = ?", c.ID).Order("position").Find(&c.Signatories).Error; err != nil {
		return err
	}
	var acts []DocumentSignature
	if err := tx.Where("document_id = ?", c.DocumentID).Order("signed_at, id").Find(&acts).Error; err != nil {
		return err
	}
	for i := range c.Signatories {
		s := &c.Signatories[i]
		s.Acts = []SlotAct{}
		for _, a := range acts {
			if a.Slot == s.Slot {
				s.Acts = append(s.Acts, SlotAct{Mode: a.Mode, Name: a.Name, Title: a.Title, Capacity: a.Capacity, SignedAt: a.SignedAt})
			}
		}
		s.describe()
	}
	return nil
}

// describe fills the slot's derived fields: its capacity and delegation.
func (s *CommitmentSlot) describe() {
	s.Capacity, s.Delegation = nil, nil
	if s.UserID != nil {
		c := s.SigningCapacity()
		s.Capacity = &c
	}
	if s.DelegationKind != "" {
		s.Delegation = &SigningDelegation{Kind: s.DelegationKind, Reference: s.DelegationReference, Filename: s.DelegationFilename, SHA256: s.DelegationSHA256}
	}
}

func commitmentByID(tx *gorm.DB, id int64) (*Commitment, error) {
	var c Commitment
	if err := commitmentQuery(tx).Where("commitments.id = ?", id).Take(&c).Error; err != nil {
		return nil, translate(err)
	}
	if err := loadSlots(tx, &c); err != nil {
		return nil, err
	}
	return &c, nil
}

// Commitment returns a commitment with its slots, or ErrNotFound.
func (db *DB) Commitment(ctx context.Context, id int64) (*Commitment, error) {
	return commitmentByID(db.read(ctx), id)
}

// CommitmentByDocument returns the commitment whose document this is, or ErrNotFound.
func (db *DB) CommitmentByDocument(ctx context.Context, documentID int64) (*Commitment, error) {
	var ids []int64
	if err := db.read(ctx).Table("commitments").Where("document_id = ?", documentID).Pluck("id", &ids).Error; err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, ErrNotFound
	}
	return db.Commitment(ctx, ids[0])
}

// CommitmentFilter narrows the list of commitments.
type CommitmentFilter struct {
	// Year, when not 0, keeps one year.
	Year int
	// Waiting keeps the commitments, not void, where a slot assigned to the caller still
	// waits for their signature.
	Waiting bool
}

// Commitments lists the commitments u may see (CanSeeCommitment), newest year first.
func (db *DB) Commitments(ctx context.Context, u *User, f CommitmentFilter) ([]Commitment, error) {
	q := commitmentQuery(db.read(ctx))
	if f.Year != 0 {
		q = q.Where("commitments.year = ?", f.Year)
	}
	switch u.Role {
	case RoleSignatory:
		q = q.Where("commitments.id IN (?)", db.read(ctx).Table("commitment_slots").Select("commitment_id").Where("user_id = ?", u.ID))
	case RoleOperator:
		q = q.Where("regions.code = ?", derefString(u.RegionCode))
	}
	if f.Waiting {
		q = q.Where("commitments.status <> ? AND commitments.id IN (?)", CommitmentVoid,
			db.read(ctx).Table("commitment_slots").Select("commitment_id").Where("user_id = ? AND status <> ?", u.ID, SlotSigned))
	}
	out := []Commitment{}
	if err := q.Order("commitments.year DESC, regions.code, commitments.id").Find(&out).Error; err != nil {
		return nil, err
	}
	for i := range out {
		if err := loadSlots(db.read(ctx), &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func derefString(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// CanSeeCommitment: admins, coordinators and reviewers see every commitment; an operator
// their own region's; a signatory those with a slot assigned to them.
func (u *User) CanSeeCommitment(c *Commitment) bool {
	switch u.Role {
	case RoleAdmin, RoleCoordinator, RoleReviewer:
		return true
	case RoleOperator:
		return derefString(u.RegionCode) == c.RegionCode
	case RoleSignatory:
		for _, s := range c.Signatories {
			if s.UserID != nil && *s.UserID == u.ID {
				return true
			}
		}
	}
	return false
}

// CanPrepareCommitments: coordinators and admins create commitments, assign slots and void them.
func (u *User) CanPrepareCommitments() bool { return u.Role == RoleAdmin || u.Role == RoleCoordinator }

// SlotField is where a slot's signature or paraf field sits in the PDF: its page and box in points.
type SlotField struct {
	Page int
	Rect [4]float64
}

func (f SlotField) String() string {
	return fmt.Sprintf("%.2f %.2f %.2f %.2f", f.Rect[0], f.Rect[1], f.Rect[2], f.Rect[3])
}

func parseField(page int, rect string) (SlotField, bool) {
	f := SlotField{Page: page}
	n, _ := fmt.Sscanf(rect, "%f %f %f %f", &f.Rect[0], &f.Rect[1], &f.Rect[2], &f.Rect[3])
	return f, n == 4 && f.Page > 0
}

// Field is where the slot's signature field sits; false before a draft has been rendered.
func (s *CommitmentSlot) Field() (SlotField, bool) { return parseField(s.FieldPage, s.FieldRect) }

// ParafFieldBox is where the slot's paraf field sits; false before a draft has been rendered
// (or for a document rendered before slots had one).
func (s *CommitmentSlot) ParafFieldBox() (SlotField, bool) {
	return parseField(s.ParafPage, s.ParafRect)
}

// HasFields reports whether every slot has both its fields placed in the stored draft.
func (c *Commitment) HasFields() bool {
	for i := range c.Signatories {
		_, a := c.Signatories[i].Field()
		_, b := c.Signatories[i].ParafFieldBox()
		if !a || !b {
			return false
		}
	}
	return true
}
