package models

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"
)

// WIB is Western Indonesia Time (UTC+7), Central Kalimantan's: deadlines, ages and the times
// printed on reports and signed documents are in it.
var WIB = time.FixedZone("WIB", 7*3600)

// Tally counts a group of items by where they stand.
type Tally struct {
	NotStarted int `json:"not_started"`
	Waiting    int `json:"waiting"`
	Accepted   int `json:"accepted"`
	Rejected   int `json:"rejected"`
	// NotApplicable counts items that do not apply to the region (confirmed, or by the catalogue).
	NotApplicable int `json:"not_applicable"`
}

func (t *Tally) add(status ItemStatus, n int) {
	switch status {
	case StatusNotApplicable:
		t.NotApplicable += n
	case StatusSubmitted, StatusNotApplicablePending:
		t.Waiting += n
	case StatusApproved:
		t.Accepted += n
	case StatusRejected:
		t.Rejected += n
	}
}

func (t *Tally) addTally(o Tally) {
	t.NotStarted += o.NotStarted
	t.Waiting += o.Waiting
	t.Accepted += o.Accepted
	t.Rejected += o.Rejected
	t.NotApplicable += o.NotApplicable
}

// catalogueLeaves are a period's leaves with the region kinds each applies to (its own
// applies_to and its parent's).
type catalogueLeaves []struct {
	areaID  int64
	applies KindSet
}

// leavesOf reads a period's leaves.
func leavesOf(q *gorm.DB, periodID int64) (catalogueLeaves, error) {
	inds, err := indicatorsOf(q, periodID)
	if err != nil {
		return nil, err
	}
	byID, parents := map[int64]Indicator{}, map[int64]bool{}
	for _, ind := range inds {
		byID[ind.ID] = ind
		if ind.ParentID != nil {
			parents[*ind.ParentID] = true
		}
	}
	var out catalogueLeaves
	for _, ind := range inds {
		if parents[ind.ID] {
			continue
		}
		applies := KindSet{}
		for _, k := range RegionKinds {
			if ind.AppliesTo.Has(k) && (ind.ParentID == nil || byID[*ind.ParentID].AppliesTo.Has(k)) {
				applies = append(applies, k)
			}
		}
		out = append(out, struct {
			areaID  int64
			applies KindSet
		}{ind.AreaID, applies})
	}
	return out, nil
}

// count returns how many of an area's leaves apply to a kind of region and how many do not.
func (l catalogueLeaves) count(areaID int64, kind RegionKind) (applying, excluded int) {
	for _, leaf := range l {
		switch {
		case leaf.areaID != areaID:
		case len(leaf.applies) > 0 && leaf.applies.Has(kind):
			applying++
		default:
			excluded++
		}
	}
	return applying, excluded
}

// AreaProgress is one area's tally for a region.
type AreaProgress struct {
	Code string `json:"code"`
	Name string `json:"name"`
	Tally
}

// RegionProgress is a region's tally, by area, with the age of its oldest item waiting for review.
type RegionProgress struct {
	Code string     `json:"code"`
	Name string     `json:"name"`
	Kind RegionKind `json:"kind"`
	Tally
	OldestWaitingDays *int           `json:"oldest_waiting_days"`
	Areas             []AreaProgress `json:"areas"`
}

// Radar is the coordinator's view of a period: what is missing, waiting or rejected where, and
// how long is left before the deadline.
type Radar struct {
	Year     int              `json:"year"`
	Deadline *string          `json:"deadline"`
	DaysLeft *int             `json:"days_left"`
	AsOf     time.Time        `json:"as_of"`
	Totals   Tally            `json:"totals"`
	Regions  []RegionProgress `json:"regions"`
}

// daysBetween counts calendar days in WIB from a to b.
func daysBetween(a, b time.Time) int {
	da := time.Date(a.In(WIB).Year(), a.In(WIB).Month(), a.In(WIB).Day(), 0, 0, 0, 0, time.UTC)
	db := time.Date(b.In(WIB).Year(), b.In(WIB).Month(), b.In(WIB).Day(), 0, 0, 0, 0, time.UTC)
	return int(db.Sub(da).Hours() / 24)
}

// Radar tallies every region's items of a period by area in one grouped query.
func (db *DB) Radar(ctx context.Context, year int) (*Radar, error) {
	var r *Radar
	err := db.snapshot(ctx, func(q *gorm.DB) error {
		var err error
		r, err = radarOf(q, year, db.Now(), RegionFilter{})
		return err
	})
	return r, err
}

// radarOf reads a period's radar inside q's transaction, as of now, for the regions f picks.
func radarOf(q *gorm.DB, year int, now time.Time, f RegionFilter) (*Radar, error) {
	p, err := periodByYear(q, year)
	if err != nil {
		return nil, err
	}
	var regions []Region
	var areas []Area
	if err := f.where(q.Table("regions")).Order("code").Find(&regions).Error; err != nil {
		return nil, err
	}
	picked := func(rq *gorm.DB) *gorm.DB { // the items of the regions f picks
		if f == (RegionFilter{}) {
			return rq
		}
		return rq.Where("items.region_id IN (?)", f.where(q.Session(&gorm.Session{NewDB: true}).Table("regions")).Select("regions.id"))
	}
	if err := q.Where("period_id = ?", p.ID).Order("position, id").Find(&areas).Error; err != nil {
		return nil, err
	}
	leaves, err := leavesOf(q, p.ID)
	if err != nil {
		return nil, err
	}
	var groups []struct {
		RegionID                   int64
		AreaID                     int64
		AppliesTo, ParentAppliesTo KindSet
		Status                     ItemStatus
		Applicability              Applicability
		N                          int
	}
	err = picked(q.Table("items")).Select("items.region_id, indicators.area_id, indicators.applies_to, parents.applies_to AS parent_applies_to, "+
		"items.status, items.applicability, COUNT(*) AS n").
		Joins("JOIN indicators ON indicators.id = items.indicator_id").
		Joins("LEFT JOIN indicators AS parents ON parents.id = indicators.parent_id").
		Where("items.period_id = ?", p.ID).
		Group("items.region_id, indicators.area_id, indicators.applies_to, parents.applies_to, items.status, items.applicability").Scan(&groups).Error
	if err != nil {
		return nil, err
	}
	// The waiting items' times are read as rows (an aggregate's type is lost on SQLite).
	var oldest []struct {
		RegionID  int64
		UpdatedAt time.Time
	}
	err = picked(q.Table("items")).Select("region_id, updated_at").
		Where("period_id = ? AND (status = ? OR applicability = ?)", p.ID, StatusSubmitted, ApplicabilityPending).Scan(&oldest).Error
	if err != nil {
		return nil, err
	}
	r := &Radar{Year: year, Deadline: p.Deadline, AsOf: now, Regions: make([]RegionProgress, 0, len(regions))}
	if p.Deadline != nil {
		if d, err := time.ParseInLocation("2006-01-02", *p.Deadline, WIB); err == nil {
			left := daysBetween(now, d)
			r.DaysLeft = &left
		}
	}
	kindOf := make(map[int64]RegionKind, len(regions))
	for _, reg := range regions {
		kindOf[reg.ID] = reg.Kind
	}
	type cell struct{ region, area int64 }
	tallies := map[cell]*Tally{}
	for _, g := range groups {
		kind := kindOf[g.RegionID]
		if !g.AppliesTo.Has(kind) || (g.ParentAppliesTo != nil && !g.ParentAppliesTo.Has(kind)) {
			continue // counted below with the catalogue's leaves that do not apply
		}
		c := cell{g.RegionID, g.AreaID}
		if tallies[c] == nil {
			tallies[c] = &Tally{}
		}
		tallies[c].add(g.Applicability.status(g.Status), g.N)
	}
	oldestBy := map[int64]time.Time{}
	for _, o := range oldest {
		if t, ok := oldestBy[o.RegionID]; !ok || o.UpdatedAt.Before(t) {
			oldestBy[o.RegionID] = o.UpdatedAt
		}
	}
	for _, reg := range regions {
		rp := RegionProgress{Code: reg.Code, Name: reg.Name, Kind: reg.Kind, Areas: make([]AreaProgress, 0, len(areas))}
		for _, a := range areas {
			ap := AreaProgress{Code: a.Code, Name: a.Name}
			if t := tallies[cell{reg.ID, a.ID}]; t != nil {
				ap.Tally = *t
			}
			applying, excluded := leaves.count(a.ID, reg.Kind)
			ap.NotStarted = applying - ap.Waiting - ap.Accepted - ap.Rejected - ap.NotApplicable
			ap.NotApplicable += excluded
			rp.Tally.addTally(ap.Tally)
			rp.Areas = append(rp.Areas, ap)
		}
		if t, ok := oldestBy[reg.ID]; ok {
			age := daysBetween(t, now)
			rp.OldestWaitingDays = &age
		}
		r.Totals.addTally(rp.Tally)
		r.Regions = append(r.Regions, rp)
	}
	return r, nil
}

// QueueEntry is an item waiting for verification.
type QueueEntry struct {
	RegionCode       string    `json:"region_code"`
	RegionName       string    `json:"region_name"`
	IndicatorCode    string    `json:"indicator_code"`
	Area             string    `json:"area"`
	Title            string    `json:"title"`
	Progress         Fixed     `json:"progress"`
	VerifiedProgress Fixed     `json:"verified_progress"`
	Version          int64     `json:"version"`
	WaitingSince     time.Time `json:"waiting_since"`
	AgeDays          int       `json:"age_days"`
	EvidenceWaiting  int       `json:"evidence_waiting"`
	// Applicability is pending when what waits is the region's word that the item does not
	// apply to it; the reason says why.
	Applicability       Applicability `json:"applicability"`
	ApplicabilityReason string        `json:"applicability_reason"`
}

// ReviewQueue lists a period's items waiting for verification, oldest first.
func (db *DB) ReviewQueue(ctx context.Context, year, limit int) ([]QueueEntry, error) {
	if limit <= 0 || limit > 1000 {
		limit = 200
	}
	q := db.read(ctx)
	p, err := periodByYear(q, year)
	if err != nil {
		return nil, err
	}
	out := []QueueEntry{}
	waiting := q.Table("evidence").Select("COUNT(*)").
		Where("evidence.item_id = items.id AND evidence.superseded = ? AND evidence.status = ?", false, EvidenceWaiting)
	err = q.Table("items").
		Select("regions.code AS region_code, regions.name AS region_name, indicators.code AS indicator_code, areas.code AS area, "+
			"indicators.title, items.progress, items.verified_progress, items.version, items.updated_at AS waiting_since, (?) AS evidence_waiting, "+
			"items.applicability, items.applicability_reason", waiting).
		Joins("JOIN regions ON regions.id = items.region_id").Joins("JOIN indicators ON indicators.id = items.indicator_id").
		Joins("JOIN areas ON areas.id = indicators.area_id").
		Where("items.period_id = ? AND (items.status = ? OR items.applicability = ?)", p.ID, StatusSubmitted, ApplicabilityPending).
		Order("items.updated_at, items.id").Limit(limit).Scan(&out).Error
	if err != nil {
		return nil, err
	}
	now := db.Now()
	for i := range out {
		out[i].AgeDays = daysBetween(out[i].WaitingSince, now)
	}
	return out, nil
}

// PeriodPatch changes a period's name or deadline ("" clears the deadline).
type PeriodPatch struct {
	Name     *string `json:"name"`
	Deadline *string `json:"deadline"`
	Version  *int64  `json:"version"`
}

// UpdatePeriod applies a patch; a stale version is ErrConflict.
func (db *DB) UpdatePeriod(ctx context.Context, year int, in PeriodPatch) (*Period, error) {
	changes := map[string]any{}
	if in.Name != nil {
		name := strings.TrimSpace(*in.Name)
		if errs := (fieldErrors{}); !errs.requiredText("name", name, MaxNameLen) {
			return nil, errs.err()
		}
		changes["name"] = name
	}
	if in.Deadline != nil {
		d := strings.TrimSpace(*in.Deadline)
		if d == "" {
			changes["deadline"] = nil
		} else if _, err := time.Parse("2006-01-02", d); err != nil {
			return nil, Invalid("deadline", "date_format")
		} else {
			changes["deadline"] = d
		}
	}
	var out *Period
	err := db.tx(ctx, func(tx *gorm.DB) error {
		p, err := openPeriodByYear(tx, year)
		if err != nil {
			return err
		}
		if in.Version != nil && *in.Version != p.Version {
			return ErrConflict
		}
		changes["version"] = p.Version + 1
		res := tx.Model(&Period{}).Where("id = ? AND version = ?", p.ID, p.Version).Updates(changes)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrConflict
		}
		before := *p
		if out, err = periodByYear(tx, year); err != nil {
			return err
		}
		audit(tx, "period", out.yearKey(), "update", before, out)
		return nil
	})
	return out, err
}
