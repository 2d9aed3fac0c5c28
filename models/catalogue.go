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
	Title       *string      `json:"title"`
	Weight      *Fixed       `json:"weight"`
	Area        *string      `json:"area"`
	Requirement *string      `json:"requirement"`
	AppliesTo   []RegionKind `json:"applies_to"`
	Version     *int64       `json:"version"`
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
		p, err := openPeriodByYear(tx, year)
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
	if in.Requirement != nil {
		r := strings.TrimSpace(*in.Requirement)
		if errs.text("requirement", r, MaxNoteLen) {
			changes["requirement"] = r
		}
	}
	if in.AppliesTo != nil {
		validAppliesTo(errs, in.AppliesTo)
		changes["applies_to"] = KindSet(in.AppliesTo).Normal()
	}
	if err := errs.err(); err != nil {
		return nil, err
	}
	var out Indicator
	err := db.tx(ctx, func(tx *gorm.DB) error {
		p, err := openPeriodByYear(tx, year)
		if err != nil {
			return err
		}
		var ind Indicator
		if err := tx.Omit("AreaCode", "ParentCode").Where("period_id = ? AND code = ?", p.ID, code).Take(&ind).Error; err != nil {
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
			if ind.ParentID != nil && area.ID != ind.AreaID {
				return Invalid("area", "sub_indicator_area") // it stays in its parent's area
			}
			changes["area_id"] = area.ID
		}
		if err := updateVersioned(tx, &Indicator{}, ind.ID, ind.Version, changes); err != nil {
			return err
		}
		if id, moved := changes["area_id"]; moved {
			// Sub-indicators go with their parent.
			if err := tx.Exec("UPDATE indicators SET area_id = ? WHERE parent_id = ?", id, ind.ID).Error; err != nil {
				return err
			}
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

// CatalogueArea is an area with its indicators, as the catalogue tree shows it.
type CatalogueArea struct {
	Code       string               `json:"code"`
	Name       string               `json:"name"`
	Weight     Fixed                `json:"weight"`
	Version    int64                `json:"version"`
	Indicators []CatalogueIndicator `json:"indicators"`
}

// CatalogueIndicator is an indicator with its sub-indicators.
type CatalogueIndicator struct {
	Code        string               `json:"code"`
	Title       string               `json:"title"`
	Weight      Fixed                `json:"weight"`
	Requirement string               `json:"requirement"`
	AppliesTo   KindSet              `json:"applies_to"`
	Version     int64                `json:"version"`
	Children    []CatalogueIndicator `json:"children"`
}

// Catalogue returns a period's catalogue as a tree: areas, their indicators and those's
// sub-indicators, in catalogue order.
func (db *DB) Catalogue(ctx context.Context, year int) ([]CatalogueArea, error) {
	var out []CatalogueArea
	err := db.snapshot(ctx, func(q *gorm.DB) error {
		p, err := periodByYear(q, year)
		if err != nil {
			return err
		}
		out, err = catalogueOf(q, p.ID)
		return err
	})
	return out, err
}

func catalogueOf(q *gorm.DB, periodID int64) ([]CatalogueArea, error) {
	var areas []Area
	if err := q.Where("period_id = ?", periodID).Order("position, id").Find(&areas).Error; err != nil {
		return nil, err
	}
	inds, err := indicatorsOf(q, periodID)
	if err != nil {
		return nil, err
	}
	out := make([]CatalogueArea, len(areas))
	index := map[int64]int{}
	for i, a := range areas {
		out[i] = CatalogueArea{Code: a.Code, Name: a.Name, Weight: a.Weight, Version: a.Version, Indicators: []CatalogueIndicator{}}
		index[a.ID] = i
	}
	node := func(ind Indicator) CatalogueIndicator {
		return CatalogueIndicator{Code: ind.Code, Title: ind.Title, Weight: ind.Weight, Requirement: ind.Requirement,
			AppliesTo: ind.AppliesTo.Normal(), Version: ind.Version, Children: []CatalogueIndicator{}}
	}
	// indicatorsOf lists each indicator just before its sub-indicators.
	for _, ind := range inds {
		a := &out[index[ind.AreaID]]
		if ind.ParentID == nil {
			a.Indicators = append(a.Indicators, node(ind))
			continue
		}
		last := &a.Indicators[len(a.Indicators)-1]
		last.Children = append(last.Children, node(ind))
	}
	return out, nil
}

// CopyInput names the year whose catalogue is copied.
type CopyInput struct {
	From int `json:"from"`
}

// CopyCatalogue copies an earlier year's catalogue — areas, indicators and sub-indicators with
// their names, weights, requirements and applicability, no claims — into a period that has no
// areas yet (else ErrConflict), to be edited from there.
func (db *DB) CopyCatalogue(ctx context.Context, year int, in CopyInput) ([]CatalogueArea, error) {
	if in.From == year {
		return nil, Invalid("from", "copy_same_year")
	}
	var out []CatalogueArea
	err := db.tx(ctx, func(tx *gorm.DB) error {
		p, err := openPeriodByYear(tx, year)
		if err != nil {
			return err
		}
		src, err := periodByYear(tx, in.From)
		if err == ErrNotFound {
			return Invalid("from", "unknown_period")
		} else if err != nil {
			return err
		}
		var have int64
		if err := tx.Table("areas").Where("period_id = ?", p.ID).Count(&have).Error; err != nil {
			return err
		}
		if have > 0 {
			return ErrConflict
		}
		var areas []Area
		if err := tx.Where("period_id = ?", src.ID).Order("position, id").Find(&areas).Error; err != nil {
			return err
		}
		inds, err := indicatorsOf(tx, src.ID)
		if err != nil {
			return err
		}
		areaIDs, indIDs := map[int64]int64{}, map[int64]int64{}
		for _, a := range areas {
			old := a.ID
			a.ID, a.PeriodID, a.Version = 0, p.ID, 1
			if err := tx.Create(&a).Error; err != nil {
				return err
			}
			areaIDs[old] = a.ID
		}
		for _, ind := range inds { // parents come before their sub-indicators
			old := ind.ID
			ind.ID, ind.PeriodID, ind.AreaID, ind.Version = 0, p.ID, areaIDs[ind.AreaID], 1
			if ind.ParentID != nil {
				parent := indIDs[*ind.ParentID]
				ind.ParentID = &parent
			}
			if err := tx.Omit("AreaCode", "ParentCode").Create(&ind).Error; err != nil {
				return err
			}
			indIDs[old] = ind.ID
		}
		carried, err := carryDelegations(tx, src.ID, p.ID, db.Now())
		if err != nil {
			return err
		}
		documents, err := carryDocuments(tx, src.ID, p.ID)
		if err != nil {
			return err
		}
		if out, err = catalogueOf(tx, p.ID); err != nil {
			return err
		}
		audit(tx, "catalogue", p.yearKey(), "copy", nil, map[string]any{"from": in.From, "areas": len(areas), "indicators": len(inds), "delegations": carried, "delegation_documents": documents})
		return db.catalogueChanged(tx, p.ID)
	})
	return out, err
}
