package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Commitment states.
const (
	CommitmentDraft           = "draft"
	CommitmentPartiallySigned = "partially_signed"
	CommitmentSigned          = "signed"
)

// Slot states: nobody assigned, assigned and waiting, signed, initialled (paraf).
const (
	SlotUnassigned = "unassigned"
	SlotPending    = "pending"
	SlotSigned     = "signed"
	SlotInitialled = "initialled"
)

// Signing modes.
const (
	ModeSign    = "sign"
	ModeInitial = "initial"
)

// Slot kinds: a signer's signature is needed for the commitment to be signed; a witness's is not.
const (
	SlotSigner  = "signer"
	SlotWitness = "witness"
)

// SlotDef is one signatory slot of every commitment.
type SlotDef struct{ Slot, Kind string }

// CommitmentSlots are the slots of a PTSP Prima commitment, in the order they are printed.
var CommitmentSlots = []SlotDef{
	{"regent", SlotSigner},
	{"dprd_chair", SlotSigner},
	{"governor", SlotSigner},
	{"witness_vice_governor", SlotWitness},
	{"witness_dprd_province", SlotWitness},
}

// Commitment is a region's PTSP Prima commitment for a year: a document whose text is frozen
// at the first signature and that collects each slot's signature as a PDF signature.
type Commitment struct {
	ID               int64            `json:"id"`
	RegionID         int64            `json:"-"`
	RegionCode       string           `json:"region_code" gorm:"->;-:migration"`
	RegionName       string           `json:"region_name" gorm:"->;-:migration"`
	RegionKind       RegionKind       `json:"-" gorm:"->;-:migration"`
	ProvinceName     string           `json:"-" gorm:"->;-:migration"`
	Year             int              `json:"year"`
	DocumentID       int64            `json:"-"`
	Status           string           `json:"status"`
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
	Signatories      []CommitmentSlot `json:"signatories" gorm:"-"`
}

// CommitmentSlot is one signatory slot: who is assigned, in what capacity, and whether they signed.
type CommitmentSlot struct {
	ID                 int64      `json:"-"`
	CommitmentID       int64      `json:"-"`
	Slot               string     `json:"slot"`
	Position           int        `json:"-"`
	Kind               string     `json:"kind"`
	Status             string     `json:"status"`
	UserID             *int64     `json:"-"`
	UserEmail          *string    `json:"user_email" gorm:"->;-:migration"`
	Name               string     `json:"name"`
	Title              string     `json:"title"`
	DefaultTitle       string     `json:"default_title"`
	FieldPage          int        `json:"-"`
	FieldRect          string     `json:"-"`
	SignaturePNGSHA256 string     `json:"-" gorm:"column:signature_png_sha256"`
	SignedAt           *time.Time `json:"signed_at"`
}

// Acting reports whether the assigned person signs in someone else's name (a deputy): their
// title differs from the slot's own.
func (s *CommitmentSlot) Acting() bool {
	return s.Title != "" && !strings.EqualFold(strings.TrimSpace(s.Title), strings.TrimSpace(s.DefaultTitle))
}

// Capacity is how the slot's signatory is shown: "Bupati Seruyan", or "a.n. Bupati Seruyan,
// Wakil Bupati Seruyan" when a deputy acts.
func (s *CommitmentSlot) Capacity() string {
	if s.Acting() {
		return "a.n. " + s.DefaultTitle + ", " + s.Title
	}
	return s.DefaultTitle
}

// Done reports whether the slot has been signed or initialled.
func (s *CommitmentSlot) Done() bool { return s.Status == SlotSigned || s.Status == SlotInitialled }

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
	return fmt.Sprintf("Komitmen PTSP Prima — %s %d", c.RegionName, c.Year)
}

// statusAfter is the commitment's status given its slots: signed once every signer slot is
// signed (an initial is not a signature, witnesses do not block), partially signed once anyone
// has signed or initialled.
func statusAfter(slots []CommitmentSlot) string {
	started, all := false, true
	for _, s := range slots {
		started = started || s.Done()
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

// ---- Reading ----

func commitmentQuery(tx *gorm.DB) *gorm.DB {
	return tx.Table("commitments").
		Select("commitments.*, regions.code AS region_code, regions.name AS region_name, regions.kind AS region_kind, " +
			"COALESCE(prov.name, '') AS province_name, documents.verification_code, documents.sha256, documents.size").
		Joins("JOIN regions ON regions.id = commitments.region_id").
		Joins("LEFT JOIN regions prov ON prov.kind = 'province' AND prov.code = " + provinceCodeSQL).
		Joins("JOIN documents ON documents.id = commitments.document_id")
}

// provinceCodeSQL is the province's code of the region's code ("62.08" → "62"), in SQL both
// databases speak.
const provinceCodeSQL = "SUBSTR(regions.code, 1, 2)"

func loadSlots(tx *gorm.DB, c *Commitment) error {
	c.Signatories = []CommitmentSlot{}
	return tx.Table("commitment_slots").Select("commitment_slots.*, users.email AS user_email").
		Joins("LEFT JOIN users ON users.id = commitment_slots.user_id").
		Where("commitment_id = ?", c.ID).Order("position").Find(&c.Signatories).Error
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

// Commitments lists the commitments u may see (CanSeeCommitment), newest year first.
func (db *DB) Commitments(ctx context.Context, u *User, year int) ([]Commitment, error) {
	q := commitmentQuery(db.read(ctx))
	if year != 0 {
		q = q.Where("commitments.year = ?", year)
	}
	switch u.Role {
	case RoleSignatory:
		q = q.Where("commitments.id IN (?)", db.read(ctx).Table("commitment_slots").Select("commitment_id").Where("user_id = ?", u.ID))
	case RoleOperator:
		q = q.Where("regions.code = ?", derefString(u.RegionCode))
	}
	out := []Commitment{}
	if err := q.Order("commitments.year DESC, regions.code").Find(&out).Error; err != nil {
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

// CanPrepareCommitments: coordinators and admins create commitments and assign slots.
func (u *User) CanPrepareCommitments() bool { return u.Role == RoleAdmin || u.Role == RoleCoordinator }

// ---- Preparing ----

// SlotField is where a slot's signature field sits in the PDF: its page and box in points.
type SlotField struct {
	Page int
	Rect [4]float64
}

func (f SlotField) String() string {
	return fmt.Sprintf("%.2f %.2f %.2f %.2f", f.Rect[0], f.Rect[1], f.Rect[2], f.Rect[3])
}

// Field is where the slot's signature field sits; false before a draft has been rendered.
func (s *CommitmentSlot) Field() (SlotField, bool) {
	f := SlotField{Page: s.FieldPage}
	n, _ := fmt.Sscanf(s.FieldRect, "%f %f %f %f", &f.Rect[0], &f.Rect[1], &f.Rect[2], &f.Rect[3])
	return f, n == 4 && f.Page > 0
}

// Draft is a rendered, stored, not yet signed commitment document.
type Draft struct {
	SHA256 string
	Size   int64
	Pages  int
	Fields map[string]SlotField
}

// ErrStaleCommitment: the commitment, or what its draft is made from, changed between reading
// it and saving; read (and render) again. It is a conflict.
var ErrStaleCommitment = fmt.Errorf("the commitment changed meanwhile: %w", ErrConflict)

// A commitment's draft is rendered outside any transaction: Prepare… reads and checks
// everything the document shows, the caller renders and stores the draft, and the matching
// save writes the result in one short transaction that first checks that nothing it rests on
// changed meanwhile (ErrStaleCommitment otherwise).

// CommitmentInput is a new commitment.
type CommitmentInput struct {
	RegionCode string `json:"region_code"`
	Year       int    `json:"year"`
	// Date is the date printed above the signatures (YYYY-MM-DD); today when empty.
	Date string `json:"date"`
}

// commitmentSource is what a new commitment is made from: its region, the region's province
// and the template in use.
type commitmentSource struct {
	region   *Region
	province string
	template *CommitmentTemplate
}

func readCommitmentSource(q *gorm.DB, regionCode string) (*commitmentSource, error) {
	r, err := regionByCode(q, regionCode)
	if err == ErrNotFound {
		return nil, Invalid("region_code", "unknown_region")
	} else if err != nil {
		return nil, err
	}
	if r.Kind == KindProvince {
		return nil, Invalid("region_code", "commitment_region")
	}
	var names []string
	if err := q.Table("regions").Where("code = ? AND kind = ?", strings.SplitN(r.Code, ".", 2)[0], KindProvince).Pluck("name", &names).Error; err != nil {
		return nil, err
	}
	src := &commitmentSource{region: r}
	if len(names) > 0 {
		src.province = names[0]
	}
	if src.template, err = latestCommitmentTemplate(q); err != nil {
		return nil, err
	}
	return src, nil
}

// same reports whether two reads of a source make the same commitment.
func (s *commitmentSource) same(o *commitmentSource) bool {
	return s.region.ID == o.region.ID && s.region.Name == o.region.Name && s.region.Kind == o.region.Kind &&
		s.province == o.province && s.template.ID == o.template.ID
}

// PreparedCommitment is a new commitment read and checked but not saved yet.
type PreparedCommitment struct {
	// Commitment is what will be saved, with its verification code chosen (the draft prints it)
	// and its slots unassigned.
	Commitment *Commitment
	source     *commitmentSource
}

// PrepareCommitment makes, without writing anything, a region's commitment for a year from the
// current template, with the default slots unassigned; render its draft, then CreateCommitment.
// A commitment already made for the region and year is ErrConflict.
func (db *DB) PrepareCommitment(ctx context.Context, in CommitmentInput, by *User) (*PreparedCommitment, error) {
	errs := fieldErrors{}
	in.RegionCode = strings.TrimSpace(in.RegionCode)
	errs.requiredText("region_code", in.RegionCode, MaxCodeLen)
	if in.Year < 2000 || in.Year > 2100 {
		errs.add("year", "year_range")
	}
	if in.Date == "" {
		in.Date = db.Now().In(WIB).Format("2006-01-02")
	} else if _, err := time.Parse("2006-01-02", in.Date); err != nil {
		errs.add("date", "date_format")
	}
	if err := errs.err(); err != nil {
		return nil, err
	}
	q := db.read(ctx)
	src, err := readCommitmentSource(q, in.RegionCode)
	if err != nil {
		return nil, err
	}
	var existing int64
	if err := q.Table("commitments").Where("region_id = ? AND year = ?", src.region.ID, in.Year).Count(&existing).Error; err != nil {
		return nil, err
	}
	if existing > 0 {
		return nil, ErrConflict // checked again by the unique key when saved
	}
	r, tmpl, now := src.region, src.template, db.Now()
	c := &Commitment{RegionID: r.ID, RegionCode: r.Code, RegionName: r.Name, RegionKind: r.Kind, ProvinceName: src.province,
		Year: in.Year, Status: CommitmentDraft, VerificationCode: NewVerificationCode(), Place: tmpl.Place, Dated: in.Date, Version: 1,
		CreatedBy: &by.ID, CreatedAt: now, UpdatedAt: now, Signatories: []CommitmentSlot{}}
	vars := c.templateVars()
	c.Title, c.Preamble, c.Commitments, c.Closing = vars.Replace(tmpl.Title), vars.Replace(tmpl.Preamble), vars.Replace(tmpl.Commitments), vars.Replace(tmpl.Closing)
	for i, d := range CommitmentSlots {
		c.Signatories = append(c.Signatories, CommitmentSlot{Slot: d.Slot, Position: i + 1, Kind: d.Kind, Status: SlotUnassigned, DefaultTitle: c.defaultTitle(d.Slot)})
	}
	return &PreparedCommitment{Commitment: c, source: src}, nil
}

// CreateCommitment saves a prepared commitment with its rendered draft. A commitment already
// made for the region and year is ErrConflict; a region, province or template that changed
// since it was prepared is ErrStaleCommitment.
func (db *DB) CreateCommitment(ctx context.Context, p *PreparedCommitment, d *Draft) (*Commitment, error) {
	c := *p.Commitment
	c.Signatories = append([]CommitmentSlot(nil), c.Signatories...)
	err := db.tx(ctx, func(tx *gorm.DB) error {
		now, err := readCommitmentSource(tx, c.RegionCode)
		if err != nil {
			return err
		}
		if !now.same(p.source) {
			return ErrStaleCommitment
		}
		doc := &Document{Kind: DocumentCommitment, VerificationCode: c.VerificationCode, Title: c.DocumentTitle(), Status: CommitmentDraft,
			SHA256: d.SHA256, Size: d.Size, CreatedBy: c.CreatedBy}
		if err := db.createDocument(tx, doc); err != nil {
			return err
		}
		c.DocumentID, c.SHA256, c.Size, c.Pages = doc.ID, d.SHA256, d.Size, d.Pages
		if err := tx.Create(&c).Error; err != nil {
			return translate(err)
		}
		for i := range c.Signatories {
			s := &c.Signatories[i]
			s.CommitmentID = c.ID
			s.FieldPage, s.FieldRect = d.Fields[s.Slot].Page, d.Fields[s.Slot].String()
			if err := tx.Omit("UserEmail").Create(s).Error; err != nil {
				return err
			}
		}
		audit(tx, "commitment", c.auditKey(), "create", nil, map[string]any{"region_code": c.RegionCode, "year": c.Year, "document": c.VerificationCode, "sha256": c.SHA256})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &c, nil
}

func (c *Commitment) auditKey() string { return fmt.Sprintf("%d/%s", c.Year, c.RegionCode) }

// AssignInput assigns a signatory user to a slot, with the name and title printed for them.
type AssignInput struct {
	UserEmail string `json:"user_email"`
	Name      string `json:"name"`
	Title     string `json:"title"`
}

// PreparedAssignment is a slot assignment read and checked but not saved yet.
type PreparedAssignment struct {
	// Commitment is the commitment as read, with the slot already assigned. While its draft is
	// not frozen (FrozenAt nil) it is rendered again and saved with the assignment.
	Commitment *Commitment
	slot       *CommitmentSlot
	user       *User
	before     map[string]any
}

// PrepareAssignment assigns (or reassigns), without writing anything, a slot that is not yet
// signed to a signatory user; then AssignSlot saves it. Before the first signature the draft is
// rendered again with the new name; after it the text is frozen and the name and title appear in
// the signature's own appearance.
func (db *DB) PrepareAssignment(ctx context.Context, id int64, slot string, in AssignInput) (*PreparedAssignment, error) {
	in.Name, in.Title = strings.TrimSpace(in.Name), strings.TrimSpace(in.Title)
	errs := fieldErrors{}
	errs.requiredText("user_email", strings.TrimSpace(in.UserEmail), MaxEmailLen)
	errs.requiredText("name", in.Name, MaxNameLen)
	errs.text("title", in.Title, MaxNameLen)
	if err := errs.err(); err != nil {
		return nil, err
	}
	q := db.read(ctx)
	c, err := commitmentByID(q, id)
	if err != nil {
		return nil, err
	}
	s := c.Slot(slot)
	if s == nil {
		return nil, ErrNotFound
	}
	if s.Done() {
		return nil, ErrConflict
	}
	var u User
	if err := q.Where("email = ?", strings.ToLower(strings.TrimSpace(in.UserEmail))).Take(&u).Error; err != nil {
		if translate(err) == ErrNotFound {
			return nil, Invalid("user_email", "unknown_user")
		}
		return nil, err
	}
	if u.Role != RoleSignatory {
		return nil, Invalid("user_email", "not_signatory")
	}
	a := &PreparedAssignment{Commitment: c, slot: s, user: &u, before: map[string]any{"user_email": s.UserEmail, "name": s.Name, "title": s.Title}}
	if in.Title == "" {
		in.Title = s.DefaultTitle
	}
	s.UserID, s.UserEmail, s.Name, s.Title, s.Status = &u.ID, &u.Email, in.Name, in.Title, SlotPending
	return a, nil
}

// AssignSlot saves a prepared assignment, with the draft rendered from it (nil once the text is
// frozen). When the commitment changed since it was read, or the user is no longer a
// signatory, it is ErrStaleCommitment.
func (db *DB) AssignSlot(ctx context.Context, a *PreparedAssignment, d *Draft) (*Commitment, error) {
	c, s := a.Commitment, a.slot
	err := db.tx(ctx, func(tx *gorm.DB) error {
		now := db.Now()
		res := tx.Exec("UPDATE commitments SET version = version + 1, updated_at = ? WHERE id = ? AND version = ?", now, c.ID, c.Version)
		if res.Error != nil {
			return res.Error
		}
		var roles []Role
		if err := tx.Table("users").Where("id = ?", a.user.ID).Pluck("role", &roles).Error; err != nil {
			return err
		}
		if res.RowsAffected != 1 || len(roles) != 1 || roles[0] != RoleSignatory {
			return ErrStaleCommitment
		}
		if err := tx.Exec("UPDATE commitment_slots SET user_id = ?, name = ?, title = ?, status = ? WHERE id = ?", a.user.ID, s.Name, s.Title, s.Status, s.ID).Error; err != nil {
			return err
		}
		if c.FrozenAt == nil {
			if err := db.storeDraft(tx, c, d); err != nil {
				return err
			}
		}
		c.Version++
		c.UpdatedAt = now
		audit(tx, "commitment", c.auditKey(), "assign", a.before, map[string]any{"slot": s.Slot, "user_email": a.user.Email, "name": s.Name, "title": s.Title})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// storeDraft records a re-rendered draft's bytes, size and field positions.
func (db *DB) storeDraft(tx *gorm.DB, c *Commitment, d *Draft) error {
	c.SHA256, c.Size, c.Pages = d.SHA256, d.Size, d.Pages
	if err := tx.Exec("UPDATE documents SET sha256 = ?, size = ?, updated_at = ? WHERE id = ?", d.SHA256, d.Size, db.Now(), c.DocumentID).Error; err != nil {
		return err
	}
	if err := tx.Exec("UPDATE commitments SET pages = ? WHERE id = ?", d.Pages, c.ID).Error; err != nil {
		return err
	}
	for i := range c.Signatories {
		s := &c.Signatories[i]
		f := d.Fields[s.Slot]
		s.FieldPage, s.FieldRect = f.Page, f.String()
		if err := tx.Exec("UPDATE commitment_slots SET field_page = ?, field_rect = ? WHERE id = ?", s.FieldPage, s.FieldRect, s.ID).Error; err != nil {
			return err
		}
	}
	return nil
}

// SignatureRecord is a signature appended to a commitment's document.
type SignatureRecord struct {
	CommitmentID int64
	// Version is the commitment's version the signature was made on; a newer one is
	// ErrStaleCommitment (another signature came first: sign the new bytes again).
	Version   int64
	Slot      string
	User      *User
	Mode      string
	SHA256    string // the document's bytes after this signature
	Size      int64
	ImageSHA  string // the drawn image, in the blob store
	SignedAt  time.Time
	Certified bool
}

// RecordSignature records a slot's signature or initial, the document's new bytes and the
// commitment's new status.
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
		if s.UserID == nil || *s.UserID != r.User.ID {
			return ErrForbidden
		}
		if s.Done() {
			return ErrConflict
		}
		res := tx.Exec("UPDATE commitments SET version = version + 1 WHERE id = ? AND version = ?", c.ID, r.Version)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return ErrStaleCommitment
		}
		s.Status = SlotSigned
		if r.Mode == ModeInitial {
			s.Status = SlotInitialled
		}
		at := r.SignedAt
		s.SignedAt, s.SignaturePNGSHA256 = &at, r.ImageSHA
		if err := tx.Exec("UPDATE commitment_slots SET status = ?, signed_at = ?, signature_png_sha256 = ? WHERE id = ?", s.Status, at, r.ImageSHA, s.ID).Error; err != nil {
			return err
		}
		sig := DocumentSignature{DocumentID: c.DocumentID, Slot: s.Slot, Name: s.Name, Title: s.Capacity(), Mode: r.Mode, SHA256After: r.SHA256, SignedAt: at}
		if err := tx.Create(&sig).Error; err != nil {
			return translate(err)
		}
		c.Status = statusAfter(c.Signatories)
		if c.FrozenAt == nil {
			c.FrozenAt = &at
		}
		c.Version, c.UpdatedAt, c.SHA256, c.Size = r.Version+1, at, r.SHA256, r.Size
		if err := tx.Exec("UPDATE commitments SET status = ?, frozen_at = ?, updated_at = ? WHERE id = ?", c.Status, c.FrozenAt, at, c.ID).Error; err != nil {
			return err
		}
		if err := tx.Exec("UPDATE documents SET sha256 = ?, size = ?, status = ?, updated_at = ? WHERE id = ?", r.SHA256, r.Size, c.Status, at, c.DocumentID).Error; err != nil {
			return err
		}
		if err := clearSigningFailures(tx, r.User.ID); err != nil {
			return err
		}
		audit(tx, "commitment", c.auditKey(), r.Mode, map[string]any{"slot": s.Slot}, map[string]any{"slot": s.Slot, "user": r.User.Email, "name": s.Name,
			"capacity": s.Capacity(), "sha256_after": r.SHA256, "status": c.Status, "certified": r.Certified})
		out = c
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ---- Names ----

// shortName strips "Kabupaten ", "Kota " or "Provinsi " from a region's name.
func shortName(name string) string {
	for _, p := range []string{"Kabupaten ", "Kota ", "Provinsi "} {
		if strings.HasPrefix(name, p) {
			return strings.TrimPrefix(name, p)
		}
	}
	return name
}

// HeadTitle is the region head's title: "Bupati Seruyan", "Wali Kota Palangka Raya".
func (c *Commitment) HeadTitle() string {
	if c.RegionKind == KindCity {
		return "Wali Kota " + shortName(c.RegionName)
	}
	return "Bupati " + shortName(c.RegionName)
}

func (c *Commitment) provinceShort() string {
	if c.ProvinceName == "" {
		return ""
	}
	return " " + shortName(c.ProvinceName)
}

func (c *Commitment) defaultTitle(slot string) string {
	switch slot {
	case "regent":
		return c.HeadTitle()
	case "dprd_chair":
		return "Ketua DPRD " + c.RegionName
	case "governor":
		return "Gubernur" + c.provinceShort()
	case "witness_vice_governor":
		return "Wakil Gubernur" + c.provinceShort()
	case "witness_dprd_province":
		return "Ketua DPRD Provinsi" + c.provinceShort()
	}
	return slot
}

func (c *Commitment) templateVars() *strings.Replacer {
	regulation := "Peraturan Bupati"
	if c.RegionKind == KindCity {
		regulation = "Peraturan Wali Kota"
	}
	province := c.ProvinceName
	if province == "" {
		province = "Provinsi"
	}
	return strings.NewReplacer("{region}", c.RegionName, "{province}", province, "{year}", fmt.Sprint(c.Year),
		"{head}", c.HeadTitle(), "{regulation}", regulation)
}

// ---- The template ----

// CommitmentTemplate is the text every new commitment starts from. Its parts may use
// {region}, {province}, {year}, {head} (e.g. "Bupati Seruyan") and {regulation} (e.g.
// "Peraturan Bupati"); Commitments has one numbered commitment per line.
type CommitmentTemplate struct {
	ID          int64     `json:"-"`
	Title       string    `json:"title"`
	Preamble    string    `json:"preamble"`
	Commitments string    `json:"commitments"`
	Closing     string    `json:"closing"`
	Place       string    `json:"place"`
	UpdatedBy   *int64    `json:"-"`
	CreatedAt   time.Time `json:"updated_at"`
}

// DefaultCommitmentTemplate is the text used until an admin changes it.
var DefaultCommitmentTemplate = CommitmentTemplate{
	Title: "Komitmen Bersama Penyelenggaraan Pelayanan Terpadu Satu Pintu Prima (PTSP Prima) {region} Tahun {year}",
	Preamble: "Kami yang bertanda tangan di bawah ini, {head}, Ketua Dewan Perwakilan Rakyat Daerah {region} dan " +
		"Gubernur, disaksikan oleh Wakil Gubernur dan Ketua Dewan Perwakilan Rakyat Daerah {province}, dengan ini " +
		"menyatakan komitmen bersama untuk:",
	Commitments: strings.Join([]string{
		"Menyelenggarakan pelayanan perizinan dan nonperizinan yang prima: cepat, mudah, transparan, pasti dan terjangkau, sesuai standar pelayanan yang diumumkan kepada masyarakat.",
		"Mendelegasikan seluruh kewenangan perizinan dan nonperizinan yang menjadi kewenangan daerah kepada Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu dengan {regulation}.",
		"Menerapkan perizinan berusaha terintegrasi secara elektronik (OSS) beserta sistem penelusuran permohonan yang dapat diakses pemohon.",
		"Menyediakan sarana pengaduan dan menindaklanjuti setiap pengaduan masyarakat secara terbuka dan tepat waktu.",
		"Menolak segala bentuk gratifikasi, suap dan pungutan liar dalam pelayanan perizinan.",
		"Menyediakan anggaran, sarana prasarana dan sumber daya manusia yang memadai bagi penyelenggaraan PTSP.",
		"Melaporkan kemajuan pelaksanaan komitmen ini secara berkala kepada Pemerintah {province}.",
	}, "\n"),
	Closing: "Demikian komitmen bersama ini dibuat dengan penuh kesadaran dan tanggung jawab untuk dilaksanakan dengan sebaik-baiknya.",
	Place:   "Palangka Raya",
}

// CommitmentTemplate returns the template in use: the newest an admin saved, or the default.
func (db *DB) CommitmentTemplate(ctx context.Context) (*CommitmentTemplate, error) {
	return latestCommitmentTemplate(db.read(ctx))
}

// latestCommitmentTemplate reads the template in use (ID 0: the default).
func latestCommitmentTemplate(q *gorm.DB) (*CommitmentTemplate, error) {
	var rows []CommitmentTemplate
	if err := q.Order("id DESC").Limit(1).Find(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		t := DefaultCommitmentTemplate
		return &t, nil
	}
	return &rows[0], nil
}

// SetCommitmentTemplate saves a new template (every version is kept); commitments already
// prepared keep their text.
func (db *DB) SetCommitmentTemplate(ctx context.Context, in CommitmentTemplate, by *User) (*CommitmentTemplate, error) {
	errs := fieldErrors{}
	for _, f := range []struct {
		name string
		v    *string
		max  int
	}{{"title", &in.Title, MaxTitleLen}, {"preamble", &in.Preamble, MaxDocumentTextLen}, {"commitments", &in.Commitments, MaxDocumentTextLen},
		{"closing", &in.Closing, MaxDocumentTextLen}, {"place", &in.Place, MaxNameLen}} {
		if *f.v = strings.TrimSpace(*f.v); f.name == "closing" {
			errs.text(f.name, *f.v, f.max)
		} else {
			errs.requiredText(f.name, *f.v, f.max)
		}
	}
	if err := errs.err(); err != nil {
		return nil, err
	}
	t := &CommitmentTemplate{Title: in.Title, Preamble: in.Preamble, Commitments: in.Commitments, Closing: in.Closing, Place: in.Place, UpdatedBy: &by.ID, CreatedAt: db.Now()}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		before, _ := db.CommitmentTemplate(ctx)
		audit(tx, "commitment_template", "ptsp_prima", "set", before, t)
		return tx.Create(t).Error
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}
