package models

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// AreaPatch renames or re-weights an area. Version, when given, must be the area's.
type AreaPatch struct {
	Name    *string `json:"name"`
	Weight  *Fixed  `json:"weight"`
	Version *int64  `json:"version"`
}

// IndicatorPatch retitles, re-weights or moves an indicator to another area of its period.
type IndicatorPatch struct {
	Title   *string `json:"title"`
	Weight  *Fixed  `json:"weight"`
	Area    *string `json:"area"`
	Version *int64  `json:"version"`
}

// patchText validates an optional replacement text of at most max characters and records it in changes.
func patchText(errs fieldErrors, changes map[string]any, field, column string, max int, v *string) {
	if v == nil {
		return
	}
	if t := strings.TrimSpace(*v); errs.requiredText(field, t, max) {
		changes[column] = t
	}
}

// patchWeight validates an optional new weight and records it in changes.
func patchWeight(errs fieldErrors, changes map[string]any, w *Fixed) {
	if w == nil {
		return
	}
	if *w <= 0 || *w > FixedFromInt(10000) {
		errs.add("weight", "weight_positive")
		return
	}
	changes["weight"] = *w
}

// updateVersioned applies changes to one row if its version is still current, and bumps it.
func updateVersioned(tx *gorm.DB, model any, id, current int64, changes map[string]any) error {
	changes["version"] = current + 1
	res := tx.Model(model).Where("id = ? AND version = ?", id, current).Updates(changes)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrConflict
	}
	return nil
}

// UpdateArea changes an area of a period. Every region's score for the period may move.
func (db *DB) UpdateArea(ctx context.Context, year int, code string, in AreaPatch) (*Area, error) {
	errs, changes := fieldErrors{}, map[string]any{}
	patchText(errs, changes, "name", "name", MaxNameLen, in.Name)
	patchWeight(errs, changes, in.Weight)
	if err := errs.err(); err != nil {
		return nil, err
	}
	var out Area
	err := db.tx(ctx, func(tx *gorm.DB) error {
		p, err := periodByYear(tx, year)
		if err != nil {
			return err
		}
		var a Area
		if err := tx.Where("period_id = ? AND code = ?", p.ID, code).Take(&a).Error; err != nil {
			return translate(err)
		}
		if in.Version != nil && *in.Version != a.Version {
			return ErrConflict
		}
		if err := updateVersioned(tx, &Area{}, a.ID, a.Version, changes); err != nil {
			return err
		}
		if err := tx.Take(&out, a.ID).Error; err != nil {
			return err
		}
		audit(tx, "area", fmt.Sprintf("%d/%s", year, code), "update", a, out)
		return db.catalogueChanged(tx, p.ID)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdateIndicator changes an indicator of a period; moving it needs an area of the same
// period. Every region's score for the period may move.
func (db *DB) UpdateIndicator(ctx context.Context, year int, code string, in IndicatorPatch) (*Indicator, error) {
	errs, changes := fieldErrors{}, map[string]any{}
	patchText(errs, changes, "title", "title", MaxTitleLen, in.Title)
	patchWeight(errs, changes, in.Weight)
	if in.Area != nil {
		errs.requiredText("area", strings.TrimSpace(*in.Area), MaxCodeLen)
	}
	if err := errs.err(); err != nil {
		return nil, err
	}
	var out Indicator
	err := db.tx(ctx, func(tx *gorm.DB) error {
		p, err := periodByYear(tx, year)
		if err != nil {
			return err
		}
		var ind Indicator
		if err := tx.Omit("AreaCode").Where("period_id = ? AND code = ?", p.ID, code).Take(&ind).Error; err != nil {
			return translate(err)
		}
		if in.Version != nil && *in.Version != ind.Version {
			return ErrConflict
		}
		if in.Area != nil {
			var area Area
			if err := tx.Where("period_id = ? AND code = ?", p.ID, strings.TrimSpace(*in.Area)).Take(&area).Error; err != nil {
				if translate(err) == ErrNotFound {
					return Invalid("area", "unknown_area")
				}
				return err
			}
			changes["area_id"] = area.ID
		}
		if err := updateVersioned(tx, &Indicator{}, ind.ID, ind.Version, changes); err != nil {
			return err
		}
		all, err := indicatorsOf(tx, p.ID)
		if err != nil {
			return err
		}
		for _, i := range all {
			if i.ID == ind.ID {
				out = i
			}
		}
		audit(tx, "indicator", fmt.Sprintf("%d/%s", year, code), "update", ind, out)
		return db.catalogueChanged(tx, p.ID)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}
