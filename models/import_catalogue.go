package models

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"gorm.io/gorm"
)

// CatalogueLine is one row of a catalogue import: an indicator — a sub-indicator when Parent
// names another — and the area it belongs to; a row without an indicator code is about its area
// alone. Empty texts and nil values change nothing on an entry that exists; a new one takes the
// default (weight 1, no requirement, every region kind). An import never deletes.
type CatalogueLine struct {
	RowSource
	AreaCode      string
	AreaName      string
	AreaWeight    *Fixed
	IndicatorCode string
	Parent        string
	Title         string
	Weight        *Fixed
	Requirement   *string
	AppliesTo     []RegionKind
}

// cataloguePlan is what a catalogue import would do.
type cataloguePlan struct {
	res         ImportResult
	newAreas    []Area
	areaChanges map[string]map[string]any // area code → column changes
	newInds     []Indicator               // AreaCode and ParentCode name their area and parent
	indChanges  map[string]map[string]any // indicator code → column changes (area_code: the new area's code)
	areas       map[string]*Area
	inds        map[string]*Indicator
}

// ImportCatalogue plans a period's catalogue from the lines of a spreadsheet and, with apply,
// carries the plan out in one transaction, audited like the same changes made one by one —
// unless a row is refused: then nothing is applied and the result comes with ErrImportRefused.
// A closed period is ErrPeriodClosed.
func (db *DB) ImportCatalogue(ctx context.Context, year int, lines []CatalogueLine, apply bool) (*ImportResult, error) {
	return db.runImport(ctx, apply, func(q *gorm.DB) (*ImportResult, func() error, error) {
		p, err := openPeriodByYear(q, year)
		if err != nil {
			return nil, nil, err
		}
		plan, err := planCatalogue(q, p, lines)
		if err != nil {
			return nil, nil, err
		}
		return &plan.res, func() error { return db.applyCatalogue(q, p, plan) }, nil
	})
}

// checkCode refuses a catalogue code of the wrong shape.
func (r *ImportRow) checkCode(field, code string) bool {
	if !catalogueCodePattern.MatchString(code) {
		r.refuse(field, "code_format")
		return false
	}
	return true
}

// checkWeight refuses a weight out of range.
func (r *ImportRow) checkWeight(field string, w *Fixed) {
	if w != nil && (*w <= 0 || *w > FixedFromInt(10000)) {
		r.refuse(field, "weight_positive")
	}
}

// checkText refuses a text that is too long or not valid; required refuses an empty one.
func (r *ImportRow) checkText(field, s string, max int, required bool) {
	if required && s == "" {
		r.refuse(field, "required")
	} else if p := TextProblem(s, max); p != "" {
		r.refuse(field, p)
	}
}

func planCatalogue(q *gorm.DB, p *Period, lines []CatalogueLine) (*cataloguePlan, error) {
	var areaList []Area
	if err := q.Where("period_id = ?", p.ID).Order("position, id").Find(&areaList).Error; err != nil {
		return nil, err
	}
	indList, err := indicatorsOf(q, p.ID)
	if err != nil {
		return nil, err
	}
	var heldIDs []int64
	if err := q.Table("items").Where("period_id = ?", p.ID).Distinct("indicator_id").Pluck("indicator_id", &heldIDs).Error; err != nil {
		return nil, err
	}
	held := map[int64]bool{}
	for _, id := range heldIDs {
		held[id] = true
	}
	plan := &cataloguePlan{areaChanges: map[string]map[string]any{}, indChanges: map[string]map[string]any{},
		areas: map[string]*Area{}, inds: map[string]*Indicator{}}
	for i := range areaList {
		plan.areas[areaList[i].Code] = &areaList[i]
	}
	for i := range indList {
		plan.inds[indList[i].Code] = &indList[i]
	}
	// What the file says of each indicator code, first line first.
	inFile := map[string]*CatalogueLine{}
	for i := range lines {
		l := &lines[i]
		l.trim()
		if _, dup := inFile[l.IndicatorCode]; l.IndicatorCode != "" && !dup {
			inFile[l.IndicatorCode] = l
		}
	}
	// planned holds each area as the file leaves it (nil when its first row is refused).
	planned := map[string]*Area{}
	plan.res.Rows = make([]ImportRow, 0, len(lines))
	for i := range lines {
		l := &lines[i]
		key := l.IndicatorCode
		if key == "" {
			key = l.AreaCode
		}
		row := newImportRow(l.RowSource, key)
		if l.AreaCode != "" {
			plan.planArea(&row, l, planned)
		} else if l.IndicatorCode == "" {
			row.refuse("indicator_code", "required")
		}
		if l.IndicatorCode != "" {
			plan.planIndicator(&row, l, inFile, planned, held)
		}
		plan.res.Rows = append(plan.res.Rows, row)
	}
	plan.res.finish()
	return plan, nil
}

func (l *CatalogueLine) trim() {
	for _, s := range []*string{&l.AreaCode, &l.AreaName, &l.IndicatorCode, &l.Parent, &l.Title} {
		*s = strings.TrimSpace(*s)
	}
	if l.Requirement != nil {
		r := strings.TrimSpace(*l.Requirement)
		l.Requirement = &r
	}
}

// planArea plans the row's area: created or changed on its first row, and the same on every
// later row that names it.
func (plan *cataloguePlan) planArea(row *ImportRow, l *CatalogueLine, planned map[string]*Area) {
	code := l.AreaCode
	if !row.checkCode("area_code", code) {
		return
	}
	row.checkText("area_name", l.AreaName, MaxNameLen, false)
	row.checkWeight("area_weight", l.AreaWeight)
	if a, seen := planned[code]; seen {
		if a == nil {
			row.refuse("area_code", "unknown_area")
		} else if (l.AreaName != "" && l.AreaName != a.Name) || (l.AreaWeight != nil && *l.AreaWeight != a.Weight) {
			row.refuse("area_name", "area_mismatch")
		}
		return
	}
	existing := plan.areas[code]
	if existing == nil && l.AreaName == "" {
		row.refuse("area_name", "required")
	}
	if len(row.Errors) > 0 {
		planned[code] = nil
		return
	}
	if existing == nil {
		a := Area{Code: code, Name: l.AreaName, Weight: weightOrDefault(l.AreaWeight), Version: 1}
		plan.newAreas = append(plan.newAreas, a)
		planned[code] = &a
		row.Action = ImportCreate
		return
	}
	after := *existing
	changes := map[string]any{}
	if l.AreaName != "" && l.AreaName != existing.Name {
		row.change("area_name", existing.Name, l.AreaName)
		changes["name"], after.Name = l.AreaName, l.AreaName
	}
	if l.AreaWeight != nil && *l.AreaWeight != existing.Weight {
		row.change("area_weight", existing.Weight, *l.AreaWeight)
		changes["weight"], after.Weight = *l.AreaWeight, *l.AreaWeight
	}
	if len(changes) > 0 {
		plan.areaChanges[code] = changes
	}
	planned[code] = &after
}

// planIndicator plans the row's indicator: created, or changed where the row says otherwise.
func (plan *cataloguePlan) planIndicator(row *ImportRow, l *CatalogueLine, inFile map[string]*CatalogueLine,
	planned map[string]*Area, held map[int64]bool) {
	code := l.IndicatorCode
	if !row.checkCode("indicator_code", code) {
		return
	}
	if inFile[code] != l {
		row.refuse("indicator_code", "duplicate_row")
		return
	}
	existing := plan.inds[code]
	row.checkText("title", l.Title, MaxTitleLen, existing == nil)
	row.checkWeight("weight", l.Weight)
	if l.Requirement != nil {
		row.checkText("requirement", *l.Requirement, MaxNoteLen, false)
	}
	if l.AppliesTo != nil {
		errs := fieldErrors{}
		validAppliesTo(errs, l.AppliesTo)
		row.problemsOf(errs.err())
	}
	parent := l.Parent
	if existing != nil && existing.ParentCode != nil && parent == "" {
		parent = *existing.ParentCode // a blank parent keeps the sub-indicator where it is
	}
	if existing != nil && parent != derefString(existing.ParentCode) {
		row.refuse("parent", "parent_change")
		return
	}
	areaCode := l.AreaCode
	if parent != "" {
		parentArea, ok := plan.parentArea(row, code, parent, inFile, existing == nil, held)
		if !ok {
			return
		}
		if areaCode != "" && areaCode != parentArea {
			row.refuse("area_code", "parent_area")
			return
		}
		areaCode = parentArea
	} else if areaCode == "" && existing != nil {
		areaCode = existing.AreaCode
	} else if areaCode == "" {
		row.refuse("area_code", "required")
		return
	}
	if a, seen := planned[areaCode]; (seen && a == nil) || (!seen && plan.areas[areaCode] == nil) {
		row.refuse("area_code", "unknown_area")
		return
	}
	if len(row.Errors) > 0 {
		return
	}
	if existing == nil {
		applies := KindSet(l.AppliesTo).Normal()
		ind := Indicator{Code: code, Title: l.Title, Weight: weightOrDefault(l.Weight), AreaCode: areaCode, AppliesTo: applies, Version: 1}
		if l.Requirement != nil {
			ind.Requirement = *l.Requirement
		}
		if parent != "" {
			ind.ParentCode = &parent
		}
		plan.newInds = append(plan.newInds, ind)
		row.Action = ImportCreate
		return
	}
	changes := map[string]any{}
	if l.Title != "" && l.Title != existing.Title {
		row.change("title", existing.Title, l.Title)
		changes["title"] = l.Title
	}
	if l.Weight != nil && *l.Weight != existing.Weight {
		row.change("weight", existing.Weight, *l.Weight)
		changes["weight"] = *l.Weight
	}
	if l.Requirement != nil && *l.Requirement != existing.Requirement {
		row.change("requirement", existing.Requirement, *l.Requirement)
		changes["requirement"] = *l.Requirement
	}
	if l.AppliesTo != nil {
		if to, from := KindSet(l.AppliesTo).Normal(), existing.AppliesTo.Normal(); !sameKinds(to, from) {
			row.change("applies_to", from, to)
			changes["applies_to"] = to
		}
	}
	if areaCode != existing.AreaCode {
		row.change("area_code", existing.AreaCode, areaCode)
		changes["area_code"] = areaCode
	}
	if len(changes) > 0 {
		plan.indChanges[code] = changes
	}
}

// parentArea checks a row's parent — an indicator of the period or of the file, not itself a
// sub-indicator, that holds no items when a new sub-indicator is put under it — and returns
// the parent's area.
func (plan *cataloguePlan) parentArea(row *ImportRow, code, parent string, inFile map[string]*CatalogueLine, creating bool, held map[int64]bool) (string, bool) {
	pl, fromFile := inFile[parent]
	pdb := plan.inds[parent]
	switch {
	case parent == code || (!fromFile && pdb == nil):
		row.refuse("parent", "unknown_indicator")
		return "", false
	case (fromFile && pl.Parent != "") || (pdb != nil && pdb.ParentID != nil):
		row.refuse("parent", "parent_is_sub_indicator")
		return "", false
	case creating && pdb != nil && held[pdb.ID]:
		row.refuse("parent", "indicator_has_items")
		return "", false
	}
	if fromFile && pl.AreaCode != "" {
		return pl.AreaCode, true
	}
	if pdb != nil {
		return pdb.AreaCode, true
	}
	row.refuse("parent", "unknown_indicator") // the parent's own row is refused for want of an area
	return "", false
}

func sameKinds(a, b KindSet) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// applyCatalogue carries out a plan with no refused row.
func (db *DB) applyCatalogue(tx *gorm.DB, p *Period, plan *cataloguePlan) error {
	if plan.res.Totals.Create+plan.res.Totals.Update == 0 {
		return nil
	}
	key := func(code string) string { return fmt.Sprintf("%d/%s", p.Year, code) }
	areaIDs := map[string]int64{}
	for code, a := range plan.areas {
		areaIDs[code] = a.ID
	}
	position := len(plan.areas)
	for i := range plan.newAreas {
		a := &plan.newAreas[i]
		a.PeriodID, a.Position = p.ID, position+i
		if err := tx.Create(a).Error; err != nil {
			return err
		}
		areaIDs[a.Code] = a.ID
		audit(tx, "area", key(a.Code), "create", nil, a)
	}
	for _, code := range sortedKeys(plan.areaChanges) {
		before := plan.areas[code]
		if err := updateVersioned(tx, &Area{}, before.ID, before.Version, plan.areaChanges[code]); err != nil {
			return err
		}
		var after Area
		if err := tx.Take(&after, before.ID).Error; err != nil {
			return err
		}
		audit(tx, "area", key(code), "update", before, after)
	}
	indIDs := map[string]int64{}
	for code, ind := range plan.inds {
		indIDs[code] = ind.ID
	}
	// Indicators before sub-indicators, so that every parent has its id.
	sort.SliceStable(plan.newInds, func(a, b int) bool { return plan.newInds[a].ParentCode == nil && plan.newInds[b].ParentCode != nil })
	position = len(plan.inds)
	for i := range plan.newInds {
		ind := &plan.newInds[i]
		ind.PeriodID, ind.AreaID, ind.Position = p.ID, areaIDs[ind.AreaCode], position+i
		if ind.ParentCode != nil {
			id := indIDs[*ind.ParentCode]
			ind.ParentID = &id
		}
		if err := tx.Omit("AreaCode", "ParentCode").Create(ind).Error; err != nil {
			return err
		}
		indIDs[ind.Code] = ind.ID
		audit(tx, "indicator", key(ind.Code), "create", nil, ind)
	}
	if len(plan.indChanges) > 0 {
		for _, code := range sortedKeys(plan.indChanges) {
			before, changes := plan.inds[code], plan.indChanges[code]
			if to, moved := changes["area_code"]; moved {
				delete(changes, "area_code")
				changes["area_id"] = areaIDs[to.(string)]
			}
			if err := updateVersioned(tx, &Indicator{}, before.ID, before.Version, changes); err != nil {
				return err
			}
			if id, moved := changes["area_id"]; moved {
				if err := tx.Exec("UPDATE indicators SET area_id = ? WHERE parent_id = ?", id, before.ID).Error; err != nil {
					return err
				}
			}
		}
		after, err := indicatorsOf(tx, p.ID)
		if err != nil {
			return err
		}
		byCode := map[string]Indicator{}
		for _, ind := range after {
			byCode[ind.Code] = ind
		}
		for _, code := range sortedKeys(plan.indChanges) {
			audit(tx, "indicator", key(code), "update", plan.inds[code], byCode[code])
		}
	}
	audit(tx, "catalogue", p.yearKey(), "import", nil, plan.res.Totals)
	return db.catalogueChanged(tx, p.ID)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
