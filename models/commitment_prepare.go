package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Draft is a rendered, stored, not yet signed commitment document.
type Draft struct {
	SHA256 string
	Size   int64
	Pages  int
	// Fields are the signature fields by name: each slot's own (named after the slot) and its
	// paraf field (ParafField).
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
	// Kind is KindRegional (the default; a regency or city) or KindJoint (a province: the
	// governor with every regent or mayor and every DPRD chair of its regencies and cities).
	Kind CommitmentKind `json:"kind"`
	// Date is the date printed above the signatures (YYYY-MM-DD); today when empty.
	Date string `json:"date"`
}

// commitmentSource is what a new commitment is made from: its region, the region's province,
// for a joint commitment the province's regencies and cities, and the template in use.
type commitmentSource struct {
	region   *Region
	province string
	members  []Region
	template *CommitmentTemplate
}

func readCommitmentSource(q *gorm.DB, regionCode string, kind CommitmentKind) (*commitmentSource, error) {
	r, err := regionByCode(q, regionCode)
	if err == ErrNotFound {
		return nil, Invalid("region_code", "unknown_region")
	} else if err != nil {
		return nil, err
	}
	src := &commitmentSource{region: r}
	if kind == KindJoint {
		if r.Kind != KindProvince {
			return nil, Invalid("region_code", "joint_region")
		}
		src.province = r.Name
		if err := q.Where("code LIKE ? AND kind IN ?", r.Code+".%", []RegionKind{KindRegency, KindCity}).Order("code").Find(&src.members).Error; err != nil {
			return nil, err
		}
		if len(src.members) == 0 {
			return nil, Invalid("region_code", "joint_no_members")
		}
	} else {
		if r.Kind == KindProvince {
			return nil, Invalid("region_code", "commitment_region")
		}
		var names []string
		if err := q.Table("regions").Where("code = ? AND kind = ?", strings.SplitN(r.Code, ".", 2)[0], KindProvince).Pluck("name", &names).Error; err != nil {
			return nil, err
		}
		if len(names) > 0 {
			src.province = names[0]
		}
	}
	if src.template, err = latestCommitmentTemplate(q, kind); err != nil {
		return nil, err
	}
	return src, nil
}

// same reports whether two reads of a source make the same commitment.
func (s *commitmentSource) same(o *commitmentSource) bool {
	sameRegion := func(a, b *Region) bool {
		return a.ID == b.ID && a.Name == b.Name && a.Kind == b.Kind && a.Code == b.Code
	}
	if !sameRegion(s.region, o.region) || s.province != o.province || s.template.ID != o.template.ID || len(s.members) != len(o.members) {
		return false
	}
	for i := range s.members {
		if !sameRegion(&s.members[i], &o.members[i]) {
			return false
		}
	}
	return true
}

// slots are the slots of the commitment made from the source, unassigned.
func (s *commitmentSource) slots(kind CommitmentKind) []CommitmentSlot {
	prov := provinceShort(s.province)
	var out []CommitmentSlot
	add := func(slot, kind, title, region string) {
		out = append(out, CommitmentSlot{Slot: slot, Position: len(out) + 1, Kind: kind, Status: SlotOpen, DefaultTitle: title, RegionCode: region})
	}
	if kind == KindJoint {
		add("governor", SlotSigner, "Gubernur"+prov, "")
		for _, m := range s.members {
			add(jointSlot("regent", m.Code), SlotSigner, headTitle(m.Name, m.Kind), m.Code)
			add(jointSlot("dprd_chair", m.Code), SlotSigner, "Ketua DPRD "+m.Name, m.Code)
		}
	} else {
		add("regent", SlotSigner, headTitle(s.region.Name, s.region.Kind), "")
		add("dprd_chair", SlotSigner, "Ketua DPRD "+s.region.Name, "")
		add("governor", SlotSigner, "Gubernur"+prov, "")
	}
	add("witness_vice_governor", SlotWitness, "Wakil Gubernur"+prov, "")
	add("witness_dprd_province", SlotWitness, "Ketua DPRD Provinsi"+prov, "")
	return out
}

// PreparedCommitment is a new commitment read and checked but not saved yet.
type PreparedCommitment struct {
	// Commitment is what will be saved, with its number and verification code chosen (the
	// draft prints them) and its slots unassigned.
	Commitment *Commitment
	source     *commitmentSource
	seq        int
}

// yearSequence is how many commitments a year has had: the next one's number follows it.
func yearSequence(q *gorm.DB, year int) (int, error) {
	var n int64
	err := q.Table("commitments").Where("year = ?", year).Count(&n).Error
	return int(n), err
}

// currentFor reports whether a region already has a commitment for the year that is not void.
func currentFor(q *gorm.DB, regionID int64, year int) (bool, error) {
	var n int64
	err := q.Table("commitments").Where("region_id = ? AND year = ? AND status <> ?", regionID, year, CommitmentVoid).Count(&n).Error
	return n > 0, err
}

// PrepareCommitment makes, without writing anything, a commitment for a year from the current
// template of its kind, numbered and with its slots unassigned; render its draft, then
// CreateCommitment. A commitment for the region and year that is not void is ErrConflict.
func (db *DB) PrepareCommitment(ctx context.Context, in CommitmentInput, by *User) (*PreparedCommitment, error) {
	errs := fieldErrors{}
	in.RegionCode = strings.TrimSpace(in.RegionCode)
	errs.requiredText("region_code", in.RegionCode, MaxCodeLen)
	if in.Year < 2000 || in.Year > 2100 {
		errs.add("year", "year_range")
	}
	if in.Kind == "" {
		in.Kind = KindRegional
	} else if in.Kind != KindRegional && in.Kind != KindJoint {
		errs.add("kind", "commitment_kind")
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
	src, err := readCommitmentSource(q, in.RegionCode, in.Kind)
	if err != nil {
		return nil, err
	}
	if exists, err := currentFor(q, src.region.ID, in.Year); err != nil {
		return nil, err
	} else if exists {
		return nil, ErrConflict // checked again when saved
	}
	seq, err := yearSequence(q, in.Year)
	if err != nil {
		return nil, err
	}
	r, tmpl, now := src.region, src.template, db.Now()
	c := &Commitment{RegionID: r.ID, RegionCode: r.Code, RegionName: r.Name, RegionKind: r.Kind, ProvinceName: src.province,
		Year: in.Year, Kind: in.Kind, Number: commitmentNumber(seq+1, r.Code, in.Year), Status: CommitmentDraft,
		VerificationCode: NewVerificationCode(), Place: tmpl.Place, Dated: in.Date, Version: 1,
		CreatedBy: &by.ID, CreatedAt: now, UpdatedAt: now, Signatories: src.slots(in.Kind)}
	vars := c.templateVars()
	c.Title, c.Preamble, c.Commitments, c.Closing = vars.Replace(tmpl.Title), vars.Replace(tmpl.Preamble), vars.Replace(tmpl.Commitments), vars.Replace(tmpl.Closing)
	for i := range c.Signatories {
		c.Signatories[i].Acts = []SlotAct{}
	}
	return &PreparedCommitment{Commitment: c, source: src, seq: seq}, nil
}

// CreateCommitment saves a prepared commitment with its rendered draft. It becomes the
// replacement of the region's latest void commitment for the year that has none. A commitment
// for the region and year that is not void is ErrConflict; a region, province, template or
// number taken since it was prepared is ErrStaleCommitment.
func (db *DB) CreateCommitment(ctx context.Context, p *PreparedCommitment, d *Draft) (*Commitment, error) {
	c := *p.Commitment
	c.Signatories = append([]CommitmentSlot(nil), c.Signatories...)
	err := db.tx(ctx, func(tx *gorm.DB) error {
		now, err := readCommitmentSource(tx, c.RegionCode, c.Kind)
		if err != nil {
			return err
		}
		if !now.same(p.source) {
			return ErrStaleCommitment
		}
		if exists, err := currentFor(tx, c.RegionID, c.Year); err != nil {
			return err
		} else if exists {
			return ErrConflict
		}
		if seq, err := yearSequence(tx, c.Year); err != nil {
			return err
		} else if seq != p.seq {
			return ErrStaleCommitment // the number printed on the draft was taken
		}
		doc := &Document{Kind: DocumentCommitment, VerificationCode: c.VerificationCode, Title: c.DocumentTitle(), Status: string(CommitmentDraft),
			SHA256: d.SHA256, Size: d.Size, CreatedBy: c.CreatedBy}
		if err := db.createDocument(tx, doc); err != nil {
			return err
		}
		c.DocumentID, c.SHA256, c.Size, c.Pages = doc.ID, d.SHA256, d.Size, d.Pages
		if err := tx.Create(&c).Error; err != nil {
			if translate(err) == ErrConflict {
				return ErrStaleCommitment // a commitment made at the same moment took the number or the region's year
			}
			return err
		}
		for i := range c.Signatories {
			s := &c.Signatories[i]
			s.CommitmentID = c.ID
			s.placeFields(d)
			if err := tx.Omit("UserEmail").Create(s).Error; err != nil {
				return err
			}
		}
		var replaced []int64
		if err := tx.Table("commitments").Where("region_id = ? AND year = ? AND status = ? AND replacement_id IS NULL", c.RegionID, c.Year, CommitmentVoid).
			Order("id DESC").Limit(1).Pluck("id", &replaced).Error; err != nil {
			return err
		}
		audit(tx, "commitment", c.auditKey(), "create", nil, map[string]any{"region_code": c.RegionCode, "year": c.Year, "kind": c.Kind, "number": c.Number,
			"document": c.VerificationCode, "sha256": c.SHA256, "replaces": replaced})
		if len(replaced) > 0 {
			return tx.Exec("UPDATE commitments SET replacement_id = ? WHERE id = ?", c.ID, replaced[0]).Error
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &c, nil
}

// placeFields records where the draft put the slot's fields.
func (s *CommitmentSlot) placeFields(d *Draft) {
	f, p := d.Fields[s.Slot], d.Fields[ParafField(s.Slot)]
	s.FieldPage, s.FieldRect, s.ParafPage, s.ParafRect = f.Page, f.String(), p.Page, p.String()
}

func (c *Commitment) auditKey() string { return fmt.Sprintf("%d/%s/%d", c.Year, c.RegionCode, c.ID) }

// AssignInput assigns a signatory user to a slot, with the name and title printed for them.
type AssignInput struct {
	UserEmail string `json:"user_email"`
	Name      string `json:"name"`
	// Title is the person's own title; empty means the slot's office (the office holder).
	// Another title (e.g. a vice regent's on the regent's slot) makes them a deputy, who may
	// only initial until a delegation is recorded.
	Title string `json:"title"`
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

// PrepareAssignment assigns (or reassigns), without writing anything, a slot that has no
// signature yet to a signatory user — also an initialled slot, whose paraf stays; then
// AssignSlot saves it. A delegation recorded for the previous assignee lapses. Before the
// first signature the draft is rendered again; after it the text is frozen and the name and
// capacity appear in each act's own stamp.
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
	switch {
	case s == nil:
		return nil, ErrNotFound
	case c.Status == CommitmentVoid:
		return nil, ErrCommitmentVoid
	case s.Status == SlotSigned:
		return nil, ErrSlotSigned
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
	if s.UserID == nil || *s.UserID != u.ID || s.Title != in.Title {
		s.DelegationKind, s.DelegationReference, s.DelegationFilename, s.DelegationSHA256 = "", "", "", ""
	}
	s.UserID, s.UserEmail, s.Name, s.Title = &u.ID, &u.Email, in.Name, in.Title
	s.describe()
	return a, nil
}

// AssignSlot saves a prepared assignment, with the draft rendered from it (nil once the text is
// frozen). When the commitment changed since it was read, or the user is no longer a
// signatory, it is ErrStaleCommitment.
func (db *DB) AssignSlot(ctx context.Context, a *PreparedAssignment, d *Draft) (*Commitment, error) {
	c, s := a.Commitment, a.slot
	err := db.tx(ctx, func(tx *gorm.DB) error {
		now := db.Now()
		if err := bumpVersion(tx, c, now); err != nil {
			return err
		}
		var roles []Role
		if err := tx.Table("users").Where("id = ?", a.user.ID).Pluck("role", &roles).Error; err != nil {
			return err
		}
		if len(roles) != 1 || roles[0] != RoleSignatory {
			return ErrStaleCommitment
		}
		if err := tx.Exec("UPDATE commitment_slots SET user_id = ?, name = ?, title = ?, delegation_kind = ?, delegation_reference = ?, "+
			"delegation_filename = ?, delegation_sha256 = ? WHERE id = ?", a.user.ID, s.Name, s.Title, s.DelegationKind, s.DelegationReference,
			s.DelegationFilename, s.DelegationSHA256, s.ID).Error; err != nil {
			return err
		}
		if c.FrozenAt == nil {
			if err := db.storeDraft(tx, c, d); err != nil {
				return err
			}
		}
		audit(tx, "commitment", c.auditKey(), "assign", a.before, map[string]any{"slot": s.Slot, "user_email": a.user.Email, "name": s.Name, "title": s.Title,
			"capacity": s.SigningCapacity()})
		return db.notify(tx, 0, notice{users: []int64{a.user.ID}, kind: NoticeSlotAssigned, link: fmt.Sprintf("/commitments/%d", c.ID),
			params: NoticeParams{Year: c.Year, Region: c.RegionCode, Commitment: c.ID, Slot: s.Slot, Actor: actorFrom(ctx).Email}})
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// bumpVersion moves the commitment to its next version inside tx, or answers
// ErrStaleCommitment when it is no longer at the version c was read at.
func bumpVersion(tx *gorm.DB, c *Commitment, now time.Time) error {
	res := tx.Exec("UPDATE commitments SET version = version + 1, updated_at = ? WHERE id = ? AND version = ?", now, c.ID, c.Version)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return ErrStaleCommitment
	}
	c.Version++
	c.UpdatedAt = now
	return nil
}

// RefreshDraft saves a draft rendered again from the commitment as read (e.g. one stored
// before slots had paraf fields), before its first signature; ErrStaleCommitment when the
// commitment changed meanwhile.
func (db *DB) RefreshDraft(ctx context.Context, c *Commitment, d *Draft) (*Commitment, error) {
	if c.FrozenAt != nil {
		return nil, ErrStaleCommitment
	}
	out := *c
	out.Signatories = append([]CommitmentSlot(nil), c.Signatories...)
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := bumpVersion(tx, &out, db.Now()); err != nil {
			return err
		}
		return db.storeDraft(tx, &out, d)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
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
		s.placeFields(d)
		if err := tx.Exec("UPDATE commitment_slots SET field_page = ?, field_rect = ?, paraf_page = ?, paraf_rect = ? WHERE id = ?",
			s.FieldPage, s.FieldRect, s.ParafPage, s.ParafRect, s.ID).Error; err != nil {
			return err
		}
	}
	return nil
}

// SigningDelegationInput records under what someone acting for a slot's office holder may sign: a.n.
// or a power of attorney, its reference (number and date), and the stored scan of it.
type SigningDelegationInput struct {
	Kind      DelegationKind
	Reference string
	Filename  string
	SHA256    string
}

// SetSigningDelegation records the delegation under which the person assigned to a slot, acting for
// its office holder, may sign (without one they may only initial). The slot must be assigned
// to a deputy (a title other than the office's) and not signed yet.
func (db *DB) SetSigningDelegation(ctx context.Context, id int64, slot string, in SigningDelegationInput) (*Commitment, error) {
	in.Reference = strings.TrimSpace(in.Reference)
	errs := fieldErrors{}
	if in.Kind != DelegationAN && in.Kind != DelegationSuratKuasa {
		errs.add("kind", "delegation_kind")
	}
	errs.requiredText("reference", in.Reference, MaxLegalBasisLen)
	if in.SHA256 == "" {
		errs.add("file", "required")
	}
	if err := errs.err(); err != nil {
		return nil, err
	}
	var out *Commitment
	err := db.tx(ctx, func(tx *gorm.DB) error {
		c, err := commitmentByID(tx, id)
		if err != nil {
			return err
		}
		s := c.Slot(slot)
		switch {
		case s == nil:
			return ErrNotFound
		case c.Status == CommitmentVoid:
			return ErrCommitmentVoid
		case s.Status == SlotSigned:
			return ErrSlotSigned
		case s.UserID == nil:
			return Invalid("slot", "slot_unassigned")
		case !s.Acting():
			return Invalid("slot", "delegation_principal")
		}
		before := s.Delegation
		if err := bumpVersion(tx, c, db.Now()); err != nil {
			return err
		}
		s.DelegationKind, s.DelegationReference, s.DelegationFilename, s.DelegationSHA256 = in.Kind, in.Reference, CleanFileName(in.Filename, MaxFileNameLen), in.SHA256
		if err := tx.Exec("UPDATE commitment_slots SET delegation_kind = ?, delegation_reference = ?, delegation_filename = ?, delegation_sha256 = ? WHERE id = ?",
			s.DelegationKind, s.DelegationReference, s.DelegationFilename, s.DelegationSHA256, s.ID).Error; err != nil {
			return err
		}
		s.describe()
		audit(tx, "commitment", c.auditKey(), "delegation", before, map[string]any{"slot": s.Slot, "name": s.Name, "title": s.Title, "delegation": s.Delegation})
		out = c
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// VoidInput cancels a commitment: why, and optionally which commitment replaces it (else the
// next one made for the same region and year does).
type VoidInput struct {
	Reason        string `json:"reason"`
	ReplacementID *int64 `json:"replacement_id"`
}

// VoidCommitment voids a commitment with a reason. Its document stays, and checking it by
// code or upload answers that it is void, why, and the replacement's code once there is one.
func (db *DB) VoidCommitment(ctx context.Context, id int64, in VoidInput, by *User) (*Commitment, error) {
	in.Reason = strings.TrimSpace(in.Reason)
	if err := CheckText("reason", in.Reason, MaxNoteLen); err != nil {
		return nil, err
	}
	if in.Reason == "" {
		return nil, Invalid("reason", "required")
	}
	var out *Commitment
	err := db.tx(ctx, func(tx *gorm.DB) error {
		c, err := commitmentByID(tx, id)
		if err != nil {
			return err
		}
		if c.Status == CommitmentVoid {
			return ErrCommitmentVoid
		}
		if in.ReplacementID != nil {
			r, err := commitmentByID(tx, *in.ReplacementID)
			if err == ErrNotFound || (err == nil && (r.ID == c.ID || r.Status == CommitmentVoid)) {
				return Invalid("replacement_id", "replacement")
			} else if err != nil {
				return err
			}
		}
		now := db.Now()
		before := c.Status
		if err := bumpVersion(tx, c, now); err != nil {
			return err
		}
		if err := tx.Exec("UPDATE commitments SET status = ?, void_reason = ?, voided_at = ?, voided_by = ?, replacement_id = ? WHERE id = ?",
			CommitmentVoid, in.Reason, now, by.ID, in.ReplacementID, c.ID).Error; err != nil {
			return err
		}
		if err := tx.Exec("UPDATE documents SET status = ?, updated_at = ? WHERE id = ?", CommitmentVoid, now, c.DocumentID).Error; err != nil {
			return err
		}
		audit(tx, "commitment", c.auditKey(), "void", map[string]any{"status": before}, map[string]any{"reason": in.Reason, "replacement_id": in.ReplacementID,
			"document": c.VerificationCode, "sha256": c.SHA256})
		if out, err = commitmentByID(tx, c.ID); err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
