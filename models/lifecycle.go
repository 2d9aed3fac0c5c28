package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// A period's year runs open until its deadline (the end of that day in WIB); after it, claims,
// uploads and applicability changes are refused unless a coordinator extended the deadline for
// the region. Closing the period makes its figures final: nothing in it changes until an admin
// reopens it, with a reason.

// PeriodStatus says whether a period's figures may still change.
type PeriodStatus string

// Period statuses.
const (
	PeriodOpen   PeriodStatus = "open"
	PeriodClosed PeriodStatus = "closed"
)

var (
	// ErrPeriodClosed: the period is closed and nothing in it changes.
	ErrPeriodClosed = &ConflictError{Code: "period_closed"}
	// ErrDeadlinePassed: the period's deadline has passed for the region.
	ErrDeadlinePassed = &ConflictError{Code: "deadline_passed"}
)

// openPeriodByYear reads a period that may still change: ErrNotFound, or ErrPeriodClosed.
func openPeriodByYear(tx *gorm.DB, year int) (*Period, error) {
	p, err := periodByYear(tx, year)
	if err != nil {
		return nil, err
	}
	if err := periodOpen(p); err != nil {
		return nil, err
	}
	return p, nil
}

// periodOpen refuses changes to a closed period.
func periodOpen(p *Period) error {
	if p.Status == PeriodClosed {
		return ErrPeriodClosed
	}
	return nil
}

// day is a date's calendar day in WIB, as "2006-01-02".
func day(t time.Time) string { return t.In(WIB).Format(time.DateOnly) }

// beforeDeadline refuses the region's own entries (claims, uploads, applicability) in a closed
// period, or after the period's deadline unless the region's extension covers today.
func beforeDeadline(tx *gorm.DB, p *Period, regionID int64, now time.Time) error {
	if err := periodOpen(p); err != nil {
		return err
	}
	today := day(now)
	if p.Deadline == nil || today <= *p.Deadline {
		return nil
	}
	var until []string
	if err := tx.Table("extensions").Where("period_id = ? AND region_id = ?", p.ID, regionID).Pluck("until", &until).Error; err != nil {
		return err
	}
	if len(until) > 0 && today <= until[0] {
		return nil
	}
	return ErrDeadlinePassed
}

// Extension lets one region make entries after the period's deadline, until a day.
type Extension struct {
	ID         int64     `json:"-"`
	PeriodID   int64     `json:"-"`
	RegionID   int64     `json:"-"`
	RegionCode string    `json:"region_code" gorm:"->;-:migration"`
	Until      string    `json:"until"`
	Reason     string    `json:"reason"`
	GrantedBy  *int64    `json:"-"`
	Version    int64     `json:"version"`
	CreatedAt  time.Time `json:"created_at"`
}

// ExtensionInput grants or changes a region's extension.
type ExtensionInput struct {
	Until  string `json:"until"`
	Reason string `json:"reason"`
}

// SetExtension grants a region an extension past the period's deadline (or changes it). Only
// those who may write for the region grant it, and not in a closed period.
func (db *DB) SetExtension(ctx context.Context, actor *User, year int, regionCode string, in ExtensionInput) (*Extension, error) {
	if actor.Role != RoleAdmin && actor.Role != RoleCoordinator || !actor.CanWriteRegion(regionCode) {
		return nil, Forbidden("region_scope")
	}
	in.Until, in.Reason = strings.TrimSpace(in.Until), strings.TrimSpace(in.Reason)
	errs := fieldErrors{}
	if _, err := time.Parse(time.DateOnly, in.Until); err != nil {
		errs.add("until", "date_format")
	}
	errs.requiredText("reason", in.Reason, MaxNoteLen)
	if err := errs.err(); err != nil {
		return nil, err
	}
	var out Extension
	err := db.tx(ctx, func(tx *gorm.DB) error {
		p, r, err := db.lockOpenRegion(tx, year, regionCode)
		if err != nil {
			return err
		}
		var before []Extension
		if err := tx.Where("period_id = ? AND region_id = ?", p.ID, r.ID).Find(&before).Error; err != nil {
			return err
		}
		out = Extension{PeriodID: p.ID, RegionID: r.ID, RegionCode: r.Code, Until: in.Until, Reason: in.Reason, GrantedBy: &actor.ID,
			Version: 1, CreatedAt: db.Now()}
		var was any
		if len(before) > 0 {
			out.ID, out.Version, was = before[0].ID, before[0].Version+1, before[0]
			err = tx.Model(&Extension{}).Where("id = ?", out.ID).Updates(map[string]any{"until": out.Until, "reason": out.Reason,
				"granted_by": actor.ID, "version": out.Version, "created_at": out.CreatedAt}).Error
		} else {
			err = tx.Omit("RegionCode").Create(&out).Error
		}
		if err != nil {
			return err
		}
		audit(tx, "extension", fmt.Sprintf("%d/%s", year, regionCode), "set", was, out)
		operators, err := regionOperators(tx, r.ID)
		if err != nil {
			return err
		}
		return db.notify(tx, actor.ID, notice{users: operators, kind: NoticeExtensionGranted, link: fmt.Sprintf("/pemda/%s?year=%d", r.Code, year),
			params: NoticeParams{Year: year, Region: r.Code, RegionName: r.Name, Actor: actor.Name, Until: out.Until, Text: out.Reason}})
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// Extensions lists a period's extensions by region code.
func (db *DB) Extensions(ctx context.Context, year int) ([]Extension, error) {
	var out []Extension
	err := db.snapshot(ctx, func(q *gorm.DB) error {
		p, err := periodByYear(q, year)
		if err != nil {
			return err
		}
		return q.Table("extensions").Select("extensions.*, regions.code AS region_code").
			Joins("JOIN regions ON regions.id = extensions.region_id").Where("extensions.period_id = ?", p.ID).
			Order("regions.code").Find(&out).Error
	})
	return out, err
}

// ReopenInput says why a closed period is opened again.
type ReopenInput struct {
	Reason string `json:"reason"`
}

// ClosePeriod makes a period's figures final. Only admins and coordinators without a province
// (the catalogue is national) close a period; closing twice is a conflict.
func (db *DB) ClosePeriod(ctx context.Context, actor *User, year int) (*Period, error) {
	if !actor.CanManageCatalogue() {
		return nil, Forbidden("national_scope")
	}
	return db.setPeriodStatus(ctx, year, PeriodClosed, "close", nil)
}

// ReopenPeriod opens a closed period again (admins only), with the reason recorded. Reports
// issued while it was closed stay verifiable as they were.
func (db *DB) ReopenPeriod(ctx context.Context, actor *User, year int, in ReopenInput) (*Period, error) {
	if actor.Role != RoleAdmin {
		return nil, Forbidden("role")
	}
	in.Reason = strings.TrimSpace(in.Reason)
	errs := fieldErrors{}
	errs.requiredText("reason", in.Reason, MaxNoteLen)
	if err := errs.err(); err != nil {
		return nil, err
	}
	return db.setPeriodStatus(ctx, year, PeriodOpen, "reopen", map[string]any{"reason": in.Reason})
}

func (db *DB) setPeriodStatus(ctx context.Context, year int, to PeriodStatus, action string, detail map[string]any) (*Period, error) {
	var out *Period
	err := db.tx(ctx, func(tx *gorm.DB) error {
		p, err := periodByYear(tx, year)
		if err != nil {
			return err
		}
		if p.Status == to && to == PeriodClosed {
			return ErrPeriodClosed
		} else if p.Status == to {
			return ErrConflict // reopening an open year
		}
		var closedAt *time.Time
		if to == PeriodClosed {
			now := db.Now()
			closedAt = &now
		}
		res := tx.Model(&Period{}).Where("id = ? AND version = ?", p.ID, p.Version).
			Updates(map[string]any{"status": to, "closed_at": closedAt, "version": p.Version + 1})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrConflict
		}
		if err := bumpPeriod(tx, p.ID); err != nil {
			return err
		}
		if out, err = periodByYear(tx, year); err != nil {
			return err
		}
		after := map[string]any{"status": to}
		for k, v := range detail {
			after[k] = v
		}
		audit(tx, "period", p.yearKey(), action, map[string]any{"status": p.Status}, after)
		return nil
	})
	return out, err
}
