package models

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// ReportProgress is the kind of the progress report.
const ReportProgress = "progress"

// Letterhead is the heading printed on reports: the government and institution issuing them,
// their address and an optional logo (PNG or JPEG). ID 0 means none has been set.
type Letterhead struct {
	ID          int64     `json:"-"`
	Government  string    `json:"government"`
	Institution string    `json:"institution"`
	Address     string    `json:"address"`
	Logo        []byte    `json:"logo" gorm:"-"` // base64 in JSON
	LogoData    string    `json:"-" gorm:"column:logo"`
	UpdatedBy   *int64    `json:"-"`
	CreatedAt   time.Time `json:"updated_at"`
}

// TableName is the letterhead history table.
func (Letterhead) TableName() string { return "report_letterheads" }

// MaxLogoSize bounds a letterhead logo, in bytes.
const MaxLogoSize = 512 << 10

// LetterheadInput sets the letterhead.
type LetterheadInput struct {
	Government  string `json:"government"`
	Institution string `json:"institution"`
	Address     string `json:"address"`
	Logo        []byte `json:"logo"`
}

// Validate checks the lines' lengths and that a logo, if any, is a PNG or JPEG of bounded size.
func (in *LetterheadInput) Validate() error {
	in.Government, in.Institution, in.Address = strings.TrimSpace(in.Government), strings.TrimSpace(in.Institution), strings.TrimSpace(in.Address)
	errs := fieldErrors{}
	if in.Institution == "" {
		errs.add("institution", "required")
	}
	for field, v := range map[string]string{"government": in.Government, "institution": in.Institution, "address": in.Address} {
		errs.text(field, v, MaxLineLen)
	}
	if len(in.Logo) > MaxLogoSize {
		errs.add("logo", "too_long")
	} else if len(in.Logo) > 0 && LogoType(in.Logo) == "" {
		errs.add("logo", "logo_type")
	}
	return errs.err()
}

// LogoType returns "png" or "jpg" from an image's first bytes, or "" for anything else.
func LogoType(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return "png"
	case bytes.HasPrefix(b, []byte{0xff, 0xd8, 0xff}):
		return "jpg"
	}
	return ""
}

// Letterhead returns the letterhead in use; one never set is the zero Letterhead.
func (db *DB) Letterhead(ctx context.Context) (*Letterhead, error) {
	var rows []Letterhead
	if err := db.read(ctx).Order("id DESC").Limit(1).Find(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return &Letterhead{}, nil
	}
	lh := &rows[0]
	if lh.LogoData != "" {
		logo, err := base64.StdEncoding.DecodeString(lh.LogoData)
		if err != nil {
			return nil, fmt.Errorf("letterhead logo: %w", err)
		}
		lh.Logo = logo
	}
	return lh, nil
}

// SetLetterhead records a new letterhead (actor may be nil for the command line); earlier ones are kept.
func (db *DB) SetLetterhead(ctx context.Context, actor *User, in LetterheadInput) (*Letterhead, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	lh := &Letterhead{Government: in.Government, Institution: in.Institution, Address: in.Address,
		Logo: in.Logo, LogoData: base64.StdEncoding.EncodeToString(in.Logo), CreatedAt: db.Now()}
	if actor != nil {
		lh.UpdatedBy = &actor.ID
	}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		audit(tx, "letterhead", "reports", "set", nil, map[string]any{"government": lh.Government, "institution": lh.Institution,
			"address": lh.Address, "logo_bytes": len(lh.Logo)})
		return tx.Create(lh).Error
	})
	if err != nil {
		return nil, err
	}
	return lh, nil
}

// ReportItem is one action item as a report prints it: the indicator (shared by every
// region's item), the claimed and verified values, the status, how much evidence is attached
// and the latest review.
type ReportItem struct {
	Indicator        *Indicator
	Progress         Fixed
	VerifiedProgress Fixed
	Status           ItemStatus
	EvidenceCount    int
	LastReview       *ReviewInfo
}

// ReportSection is one region's part of a report: its items in catalogue order, its
// per-area verified percentages and its delegation.
type ReportSection struct {
	Region     Region
	Items      []ReportItem
	AreaScores map[string]*Fixed // area code → verified percent (nil: the area has no indicators)
	Delegation *Delegation
	// Trend is the region's figures in every period up to the report's, oldest first.
	Trend []TrendPoint
	// Remediation is the region's remediation plan for the period, by date.
	Remediation []RemediationAction
}

// ProgressData is everything a progress report shows, read from one data state.
type ProgressData struct {
	Period   Period
	Summary  *Summary
	Previous *Summary // the year before; nil when there is no such period
	Areas    []Area
	Schemes  map[Metric]Scheme
	// Sections are the regions in code order: all of them, a province's, or the one asked
	// for; none in a national report.
	Sections []ReportSection
	// National says the period spans several provinces and the report rolls them up: the
	// provinces' figures (Summary.Provinces) and rankings instead of a section per Pemda.
	National bool
	// State identifies the data state: equal states give equal reports.
	State string
}

// ReportScope says what a progress report covers: one Pemda (Region), the Pemda of one
// province (Province), or with neither the whole period — its Pemda when they form one
// province, else a national roll-up of the provinces.
type ReportScope struct {
	Region, Province string
}

// ProgressReportData reads a period's progress report data in one consistent read and a fixed
// number of queries, whatever the number of regions. With a region code only that region's
// section is read, and the summary is its province's.
func (db *DB) ProgressReportData(ctx context.Context, year int, scope ReportScope) (*ProgressData, error) {
	var d *ProgressData
	err := db.snapshot(ctx, func(q *gorm.DB) error {
		var err error
		d, err = db.progressReportData(q, year, scope)
		return err
	})
	return d, err
}

func (db *DB) progressReportData(q *gorm.DB, year int, scope ReportScope) (*ProgressData, error) {
	province := scope.Province // a Pemda is ranked among its province's
	if scope.Region != "" {
		province = ProvinceOf(scope.Region)
	}
	sum, err := db.summaryOf(q, year, province)
	if err != nil {
		return nil, err
	}
	p, err := periodByYear(q, year)
	if err != nil {
		return nil, err
	}
	d := &ProgressData{Period: *p, Summary: sum}
	var regions []Region
	switch {
	case scope.Region != "":
		r, err := regionByCode(q, scope.Region)
		if err != nil {
			return nil, err
		}
		regions = []Region{*r}
	case scope.Province == "" && len(sum.Provinces) > 1:
		d.National = true
	default:
		var all []Region
		if err := q.Order("code").Find(&all).Error; err != nil {
			return nil, err
		}
		for _, r := range all {
			if scope.Province == "" || ProvinceOf(r.Code) == scope.Province {
				regions = append(regions, r)
			}
		}
	}
	switch d.Previous, err = db.summaryOf(q, year-1, province); err {
	case nil:
	case ErrNotFound:
		d.Previous = nil
	default:
		return nil, err
	}
	if err := q.Where("period_id = ?", p.ID).Order("position, id").Find(&d.Areas).Error; err != nil {
		return nil, err
	}
	if d.Schemes, err = zoneSchemes(q, p.ID); err != nil {
		return nil, err
	}
	if !d.National {
		if err := loadSections(q, d, regions); err != nil {
			return nil, err
		}
	}
	d.State = fmt.Sprintf("year=%d region=%s province=%s period=%d summary=%s", year, scope.Region, scope.Province, p.Version, sum.State)
	return d, nil
}

// loadSections fills d.Sections for regions: their leaf items (not applicable where the
// catalogue or a confirmed exemption says so) with evidence counts and last reviews, their per-area figures from the summary, and their delegation.
func loadSections(q *gorm.DB, d *ProgressData, regions []Region) error {
	all, err := indicatorsOf(q, d.Period.ID)
	if err != nil {
		return err
	}
	// Claims attach to leaves; a leaf applies to a kind of region when it and its parent do.
	byID, parents := map[int64]*Indicator{}, map[int64]bool{}
	for i := range all {
		byID[all[i].ID] = &all[i]
		if all[i].ParentID != nil {
			parents[*all[i].ParentID] = true
		}
	}
	var indicators []Indicator
	for _, ind := range all {
		if !parents[ind.ID] {
			indicators = append(indicators, ind)
		}
	}
	applies := func(ind *Indicator, kind RegionKind) bool {
		return ind.AppliesTo.Has(kind) && (ind.ParentID == nil || byID[*ind.ParentID].AppliesTo.Has(kind))
	}
	scope := func(sel *gorm.DB) *gorm.DB {
		sel = sel.Where("items.period_id = ?", d.Period.ID)
		if len(regions) == 1 {
			sel = sel.Where("items.region_id = ?", regions[0].ID)
		}
		return sel
	}
	var items []struct {
		ID, RegionID, IndicatorID  int64
		Progress, VerifiedProgress Fixed
		Status                     ItemStatus
		Applicability              Applicability
	}
	if err := scope(q.Table("items").Select("items.id, items.region_id, items.indicator_id, items.progress, items.verified_progress, items.status, items.applicability")).
		Scan(&items).Error; err != nil {
		return err
	}
	var counts []struct {
		ItemID, N int64
	}
	if err := scope(q.Table("evidence").Select("evidence.item_id, COUNT(*) AS n").
		Joins("JOIN items ON items.id = evidence.item_id").Where("evidence.superseded = ?", false)).
		Group("evidence.item_id").Scan(&counts).Error; err != nil {
		return err
	}
	var reviews []struct {
		ReviewInfo
		ItemID int64
	}
	last := scope(q.Table("reviews AS r2").Select("MAX(r2.id)").Joins("JOIN items ON items.id = r2.item_id")).Group("r2.item_id")
	if err := q.Table("reviews").
		Select("reviews.item_id, reviews.decision, reviews.verified_progress, reviews.comment, users.name AS reviewer, reviews.created_at").
		Joins("JOIN users ON users.id = reviews.user_id").Where("reviews.id IN (?)", last).Scan(&reviews).Error; err != nil {
		return err
	}
	var delegs []delegationRow
	dq := q.Where("period_id = ?", d.Period.ID)
	if len(regions) == 1 {
		dq = dq.Where("region_id = ?", regions[0].ID)
	}
	if err := dq.Find(&delegs).Error; err != nil {
		return err
	}

	evidenceOf := make(map[int64]int, len(counts))
	for _, c := range counts {
		evidenceOf[c.ItemID] = int(c.N)
	}
	reviewOf := make(map[int64]*ReviewInfo, len(reviews))
	for i := range reviews {
		info := reviews[i].ReviewInfo
		reviewOf[reviews[i].ItemID] = &info
	}
	indIndex := make(map[int64]int, len(indicators))
	for i, ind := range indicators {
		indIndex[ind.ID] = i
	}
	regIndex := make(map[int64]int, len(regions))
	d.Sections = make([]ReportSection, len(regions))
	for i, r := range regions {
		regIndex[r.ID] = i
		sec := &d.Sections[i]
		sec.Region, sec.Items = r, make([]ReportItem, len(indicators))
		sec.Delegation = &Delegation{Zone: ZoneNoData}
		for j := range indicators {
			sec.Items[j] = ReportItem{Indicator: &indicators[j], Status: StatusDraft}
			if !applies(&indicators[j], r.Kind) {
				sec.Items[j].Status = StatusNotApplicable
			}
		}
	}
	for _, it := range items {
		ri, ok1 := regIndex[it.RegionID]
		ii, ok2 := indIndex[it.IndicatorID]
		if !ok1 || !ok2 {
			continue
		}
		ri2 := &d.Sections[ri].Items[ii]
		if ri2.Status == StatusNotApplicable {
			continue // the catalogue leaves this kind of region out
		}
		ri2.Progress, ri2.VerifiedProgress, ri2.Status = it.Progress, it.VerifiedProgress, it.Applicability.status(it.Status)
		ri2.EvidenceCount, ri2.LastReview = evidenceOf[it.ID], reviewOf[it.ID]
	}
	for i := range delegs {
		if ri, ok := regIndex[delegs[i].RegionID]; ok {
			d.Sections[ri].Delegation = delegs[i].view(d.Schemes[MetricDelegation])
		}
	}
	docs, err := currentDocuments(q, d.Period.ID, regions)
	if err != nil {
		return err
	}
	for _, doc := range docs {
		if ri, ok := regIndex[doc.RegionID]; ok {
			del := d.Sections[ri].Delegation
			del.Documents = append(del.Documents, doc)
		}
	}
	ids := make([]int64, len(regions))
	for i, r := range regions {
		ids[i] = r.ID
	}
	trends, err := trendsOf(q, ids, d.Period.Year)
	if err != nil {
		return err
	}
	for i := range d.Sections {
		d.Sections[i].Trend = trends[d.Sections[i].Region.ID]
	}
	var actions []RemediationAction
	aq := q.Where("period_id = ?", d.Period.ID)
	if len(regions) == 1 {
		aq = aq.Where("region_id = ?", regions[0].ID)
	}
	if err := aq.Order("due, id").Find(&actions).Error; err != nil {
		return err
	}
	for _, a := range actions {
		if ri, ok := regIndex[a.RegionID]; ok {
			d.Sections[ri].Remediation = append(d.Sections[ri].Remediation, a)
		}
	}
	figures := make(map[string]*RegionSummary, len(d.Summary.Regions))
	for i := range d.Summary.Regions {
		figures[d.Summary.Regions[i].Code] = &d.Summary.Regions[i]
	}
	for i := range d.Sections {
		sec := &d.Sections[i]
		sec.AreaScores = make(map[string]*Fixed, len(d.Areas))
		if rs := figures[sec.Region.Code]; rs != nil {
			for _, a := range rs.Areas {
				sec.AreaScores[a.Code] = a.Percent
			}
		}
	}
	return nil
}

// Report is a generated report kept for verification: its document, the data state it was
// made from and who made it.
type Report struct {
	ID              int64
	DocumentID      int64
	Kind            string
	Year            int
	RegionCode      string
	Revision        int64
	StateKey        string
	Pages           int
	GeneratedBy     *int64
	GeneratedByName string
	CreatedAt       time.Time
	Document        *Document `gorm:"-"`
}

// ReportStateKey condenses everything a report's bytes depend on into one key.
func ReportStateKey(parts ...string) string {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(h[:])
}

// ReportByState returns the newest report made from this state key, or ErrNotFound.
func (db *DB) ReportByState(ctx context.Context, stateKey string) (*Report, error) {
	var r Report
	if err := db.read(ctx).Where("state_key = ?", stateKey).Order("id DESC").Take(&r).Error; err != nil {
		return nil, translate(err)
	}
	var doc Document
	if err := db.read(ctx).Take(&doc, r.DocumentID).Error; err != nil {
		return nil, translate(err)
	}
	r.Document = &doc
	return &r, nil
}

// SaveReport records a generated report and its document in one transaction. The document's
// verification code is the one printed in the report, so it must be set already.
func (db *DB) SaveReport(ctx context.Context, r *Report, doc *Document) error {
	if doc.VerificationCode == "" {
		return fmt.Errorf("a report's verification code is printed in it, so it must be chosen before saving")
	}
	doc.Kind = DocumentReport
	return db.tx(ctx, func(tx *gorm.DB) error {
		if err := db.createDocument(tx, doc); err != nil {
			return err
		}
		r.DocumentID, r.CreatedAt, r.Document = doc.ID, doc.CreatedAt, doc
		return tx.Create(r).Error
	})
}

// DocumentIssuer names who made a document: for a report, whoever generated it; otherwise
// the user who created it ("" when unknown).
func (db *DB) DocumentIssuer(ctx context.Context, doc *Document) (string, error) {
	var names []string
	if doc.Kind == DocumentReport {
		if err := db.read(ctx).Table("reports").Where("document_id = ?", doc.ID).Pluck("generated_by_name", &names).Error; err != nil {
			return "", err
		}
	}
	if len(names) == 0 && doc.CreatedBy != nil {
		if err := db.read(ctx).Table("users").Where("id = ?", *doc.CreatedBy).Pluck("name", &names).Error; err != nil {
			return "", err
		}
	}
	if len(names) == 0 {
		return "", nil
	}
	return names[0], nil
}
