package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// RemediationStatus is where an agreed action stands.
type RemediationStatus string

// The states of a remediation action.
const (
	RemediationPlanned    RemediationStatus = "planned"
	RemediationInProgress RemediationStatus = "in_progress"
	RemediationDone       RemediationStatus = "done"
)

// RemediationAction is one action of a Pemda's remediation plan for a period: what is to be
// done, by whom, by when, and where it stands. Overdue: its date has passed (WIB) and it is not
// done.
type RemediationAction struct {
	ID        int64             `json:"id"`
	PeriodID  int64             `json:"-"`
	RegionID  int64             `json:"-"`
	What      string            `json:"what"`
	Owner     string            `json:"owner"`
	Due       string            `json:"due"`
	Status    RemediationStatus `json:"status"`
	Overdue   bool              `json:"overdue" gorm:"-"`
	CreatedBy *int64            `json:"-"`
	Version   int64             `json:"version"`
	CreatedAt time.Time         `json:"created_at"`
	UpdatedAt time.Time         `json:"updated_at"`
	// OverdueNotified: the overdue notice went out.
	OverdueNotified bool `json:"-"`
}

// TableName is the remediation actions table.
func (RemediationAction) TableName() string { return "remediation_actions" }

// RemediationInput adds an action (What, Owner and Due required) or, as a patch, changes the
// fields given; Version, when given, must be the action's.
type RemediationInput struct {
	What    *string            `json:"what"`
	Owner   *string            `json:"owner"`
	Due     *string            `json:"due"`
	Status  *RemediationStatus `json:"status"`
	Version *int64             `json:"version"`
}

// check trims the fields and checks them; a new action needs what, owner and due.
func (in *RemediationInput) check(isNew bool) error {
	errs := fieldErrors{}
	for _, f := range []struct {
		name string
		v    *string
	}{{"what", in.What}, {"owner", in.Owner}} {
		switch {
		case f.v == nil && isNew:
			errs.add(f.name, "required")
		case f.v != nil:
			*f.v = strings.TrimSpace(*f.v)
			errs.requiredText(f.name, *f.v, MaxNoteLen)
		}
	}
	if in.Due == nil && isNew {
		errs.add("due", "required")
	} else if in.Due != nil {
		*in.Due = strings.TrimSpace(*in.Due)
		if _, err := time.Parse(time.DateOnly, *in.Due); err != nil {
			errs.add("due", "date_format")
		}
	}
	if in.Status != nil {
		switch *in.Status {
		case RemediationPlanned, RemediationInProgress, RemediationDone:
		default:
			errs.add("status", "remediation_status")
		}
	}
	return errs.err()
}

// OverdueOn reports whether the action is overdue on a day (YYYY-MM-DD, WIB): its date has
// passed and it is not done.
func (a *RemediationAction) OverdueOn(today string) bool {
	return a.Status != RemediationDone && a.Due < today
}

// overdueOn sets Overdue as of a day.
func (a *RemediationAction) overdueOn(today string) { a.Overdue = a.OverdueOn(today) }

// RemediationPlan lists a region's remediation actions for a period, by date.
func (db *DB) RemediationPlan(ctx context.Context, year int, regionCode string) ([]RemediationAction, error) {
	q := db.read(ctx)
	p, r, err := periodAndRegion(q, year, regionCode)
	if err != nil {
		return nil, err
	}
	out := []RemediationAction{}
	if err := q.Where("period_id = ? AND region_id = ?", p.ID, r.ID).Order("due, id").Find(&out).Error; err != nil {
		return nil, err
	}
	today := day(db.Now())
	for i := range out {
		out[i].overdueOn(today)
	}
	return out, nil
}

// AddRemediationAction adds an action to a region's plan (admins, the province's coordinators,
// the region's operators); a closed period is ErrPeriodClosed.
func (db *DB) AddRemediationAction(ctx context.Context, actor *User, year int, regionCode string, in RemediationInput) (*RemediationAction, error) {
	if !actor.CanWriteRegion(regionCode) {
		return nil, Forbidden("region_scope")
	}
	if err := in.check(true); err != nil {
		return nil, err
	}
	var out RemediationAction
	err := db.tx(ctx, func(tx *gorm.DB) error {
		p, err := openPeriodByYear(tx, year)
		if err != nil {
			return err
		}
		r, err := regionByCode(tx, regionCode)
		if err != nil {
			return err
		}
		now := db.Now()
		out = RemediationAction{PeriodID: p.ID, RegionID: r.ID, What: *in.What, Owner: *in.Owner, Due: *in.Due, Status: RemediationPlanned,
			CreatedBy: &actor.ID, Version: 1, CreatedAt: now, UpdatedAt: now}
		if in.Status != nil {
			out.Status = *in.Status
		}
		if err := tx.Create(&out).Error; err != nil {
			return err
		}
		out.overdueOn(day(now))
		audit(tx, "remediation", fmt.Sprintf("%d/%s/%d", year, regionCode, out.ID), "add", nil, out)
		return nil
	})
	return &out, err
}

// UpdateRemediationAction changes an action of a region's plan; a stale version is ErrConflict.
func (db *DB) UpdateRemediationAction(ctx context.Context, actor *User, year int, regionCode string, id int64, in RemediationInput) (*RemediationAction, error) {
	if !actor.CanWriteRegion(regionCode) {
		return nil, Forbidden("region_scope")
	}
	if err := in.check(false); err != nil {
		return nil, err
	}
	var out RemediationAction
	err := db.tx(ctx, func(tx *gorm.DB) error {
		before, err := db.remediationAction(tx, year, regionCode, id)
		if err != nil {
			return err
		}
		if in.Version != nil && *in.Version != before.Version {
			return ErrConflict
		}
		out = *before
		if in.What != nil {
			out.What = *in.What
		}
		if in.Owner != nil {
			out.Owner = *in.Owner
		}
		if in.Due != nil && *in.Due != out.Due {
			out.Due, out.OverdueNotified = *in.Due, false // a new date may be missed again
		}
		if in.Status != nil {
			out.Status = *in.Status
		}
		out.Version, out.UpdatedAt = before.Version+1, db.Now()
		res := tx.Model(&RemediationAction{}).Where("id = ? AND version = ?", id, before.Version).Updates(map[string]any{
			"what": out.What, "owner": out.Owner, "due": out.Due, "status": out.Status, "overdue_notified": out.OverdueNotified,
			"version": out.Version, "updated_at": out.UpdatedAt})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrConflict
		}
		out.overdueOn(day(out.UpdatedAt))
		audit(tx, "remediation", fmt.Sprintf("%d/%s/%d", year, regionCode, id), "update", before, out)
		return nil
	})
	return &out, err
}

// DeleteRemediationAction removes an action from a region's plan (audited).
func (db *DB) DeleteRemediationAction(ctx context.Context, actor *User, year int, regionCode string, id int64) error {
	if !actor.CanWriteRegion(regionCode) {
		return Forbidden("region_scope")
	}
	return db.tx(ctx, func(tx *gorm.DB) error {
		before, err := db.remediationAction(tx, year, regionCode, id)
		if err != nil {
			return err
		}
		if err := tx.Delete(&RemediationAction{}, id).Error; err != nil {
			return err
		}
		audit(tx, "remediation", fmt.Sprintf("%d/%s/%d", year, regionCode, id), "delete", before, nil)
		return nil
	})
}

// remediationAction reads an action of a region's plan in an open period, inside tx.
func (db *DB) remediationAction(tx *gorm.DB, year int, regionCode string, id int64) (*RemediationAction, error) {
	p, err := openPeriodByYear(tx, year)
	if err != nil {
		return nil, err
	}
	r, err := regionByCode(tx, regionCode)
	if err != nil {
		return nil, err
	}
	var a RemediationAction
	if err := tx.Where("id = ? AND period_id = ? AND region_id = ?", id, p.ID, r.ID).Take(&a).Error; err != nil {
		return nil, translate(err)
	}
	return &a, nil
}

// NotifyOverdueActions tells, once, the region's operators and the action's author of every
// action whose date has passed (WIB) without it being done, and returns how many actions it
// told of. Run by several instances at once, each action is told of once: the mark and the
// notifications commit together, and a concurrent run finds it marked.
func (db *DB) NotifyOverdueActions(ctx context.Context) (int, error) {
	today := day(db.Now())
	var due []RemediationAction
	if err := db.read(ctx).Where("status <> ? AND NOT overdue_notified AND due < ?", RemediationDone, today).Order("id").Find(&due).Error; err != nil {
		return 0, err
	}
	told := 0
	for _, a := range due {
		err := db.tx(ctx, func(tx *gorm.DB) error {
			res := tx.Model(&RemediationAction{}).Where("id = ? AND NOT overdue_notified AND status <> ?", a.ID, RemediationDone).
				Update("overdue_notified", true)
			if res.Error != nil || res.RowsAffected == 0 {
				return res.Error // another instance told of it, or it was done meanwhile
			}
			var p Period
			var r Region
			if err := tx.Take(&p, a.PeriodID).Error; err != nil {
				return err
			}
			if err := tx.Take(&r, a.RegionID).Error; err != nil {
				return err
			}
			users, err := regionOperators(tx, r.ID)
			if err != nil {
				return err
			}
			if a.CreatedBy != nil {
				users = append(users, *a.CreatedBy)
			}
			told++
			return db.notify(tx, 0, notice{users: users, kind: NoticeActionOverdue, link: fmt.Sprintf("/pemda/%s?year=%d", r.Code, p.Year),
				params: NoticeParams{Year: p.Year, Region: r.Code, RegionName: r.Name, Text: a.What, Until: a.Due}})
		})
		if err != nil {
			return told, err
		}
	}
	return told, nil
}
