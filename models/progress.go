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
}

func (t *Tally) add(status ItemStatus, n int) {
	switch status {
	case StatusSubmitted:
		t.Waiting += n
	case StatusApproved:
		t.Accepted += n
	case StatusRejected:
		t.Rejected += n
	}
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
		r, err = radarOf(q, year, db.Now())
		return err
	})
	return r, err
}

// radarOf reads a period's radar inside q's transaction, as of now.
func radarOf(q *gorm.DB, year int, now time.Time) (*Radar, error) {
	p, err := periodByYear(q, year)
	if err != nil {
		return nil, err
	}
	var regions []Region
	var areas []Area
	var perArea []struct {
		AreaID int64
		N      int
	}
	if err := q.Order("code").Find(&regions).Error; err != nil {
		return nil, err
	}
	if err := q.Where("period_id = ?", p.ID).Order("position, id").Find(&areas).Error; err != nil {
		return nil, err
	}
	if err := q.Table("indicators").Select("area_id, COUNT(*) AS n").Where("period_id = ?", p.ID).Group("area_id").Scan(&perArea).Error; err != nil {
		return nil, err
	}
	var groups []struct {
		RegionID int64
		AreaID   int64
		Status   ItemStatus
		N        int
	}
	err = q.Table("items").Select("items.region_id, indicators.area_id, items.status, COUNT(*) AS n").
		Joins("JOIN indicators ON indicators.id = items.indicator_id").
		Where("items.period_id = ?", p.ID).Group("items.region_id, indicators.area_id, items.status").Scan(&groups).Error
	if err != nil {
		return nil, err
	}
	// The waiting items' times are read as rows (an aggregate's type is lost on SQLite).
	var oldest []struct {
		RegionID  int64
		UpdatedAt time.Time
	}
	err = q.Table("items").Select("region_id, updated_at").
		Where("period_id = ? AND status = ?", p.ID, StatusSubmitted).Scan(&oldest).Error
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
	indicatorsIn := map[int64]int{}
	for _, a := range perArea {
		indicatorsIn[a.AreaID] = a.N
	}
	type cell struct{ region, area int64 }
	tallies := map[cell]*Tally{}
	for _, g := range groups {
		c := cell{g.RegionID, g.AreaID}
		if tallies[c] == nil {
			tallies[c] = &Tally{}
		}
		tallies[c].add(g.Status, g.N)
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
			ap.NotStarted = indicatorsIn[a.ID] - ap.Waiting - ap.Accepted - ap.Rejected
			rp.NotStarted += ap.NotStarted
			rp.Waiting += ap.Waiting
			rp.Accepted += ap.Accepted
			rp.Rejected += ap.Rejected
			rp.Areas = append(rp.Areas, ap)
		}
		if t, ok := oldestBy[reg.ID]; ok {
			age := daysBetween(t, now)
			rp.OldestWaitingDays = &age
		}
		r.Totals.NotStarted += rp.NotStarted
		r.Totals.Waiting += rp.Waiting
		r.Totals.Accepted += rp.Accepted
		r.Totals.Rejected += rp.Rejected
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
			"indicators.title, items.progress, items.verified_progress, items.version, items.updated_at AS waiting_since, (?) AS evidence_waiting", waiting).
		Joins("JOIN regions ON regions.id = items.region_id").Joins("JOIN indicators ON indicators.id = items.indicator_id").
		Joins("JOIN areas ON areas.id = indicators.area_id").
		Where("items.period_id = ? AND items.status = ?", p.ID, StatusSubmitted).
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
		p, err := periodByYear(tx, year)
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
