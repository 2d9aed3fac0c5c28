package models

import (
	"context"
	"sort"
	"strings"

	"gorm.io/gorm"
)

// ClaimLine is one row of a bulk claims import: a region's claimed progress on a leaf of the
// catalogue and its note. A nil Progress or Note keeps the item's; Version, when given, must be
// the item's (0 for an item nobody has touched), so that a file exported before someone else's
// change cannot overwrite it unseen.
type ClaimLine struct {
	RowSource
	RegionCode    string
	IndicatorCode string
	Progress      *Fixed
	Note          *string
	Version       *int64
}

// claimOp is one claim an import makes.
type claimOp struct {
	region    *Region
	indicator *Indicator
	progress  Fixed
	note      string
	// applies is false when the leaf leaves the region's kind out.
	applies bool
}

// claimLeaf is a leaf of the catalogue with the region kinds it applies to (its own and its parent's).
type claimLeaf struct {
	ind     *Indicator
	applies func(RegionKind) bool
}

// ImportClaims plans the claims of a spreadsheet — each row refused as the API would refuse the
// same claim: outside the actor's regions, out of range, on an item that does not apply, stale,
// after the deadline or in a closed period — and, with apply, makes them in one transaction,
// each audited as a claim. A row that claims what the item already holds is unchanged. Verified
// values are never touched. When a row is refused nothing is applied, and the result comes with
// ErrImportRefused.
func (db *DB) ImportClaims(ctx context.Context, actor *User, year int, lines []ClaimLine, apply bool) (*ImportResult, error) {
	return db.runImport(ctx, apply, func(q *gorm.DB) (*ImportResult, func() error, error) {
		p, err := periodByYear(q, year)
		if err != nil {
			return nil, nil, err
		}
		var regionList []Region
		if err := q.Find(&regionList).Error; err != nil {
			return nil, nil, err
		}
		regions := make(map[string]*Region, len(regionList))
		for i := range regionList {
			regions[regionList[i].Code] = &regionList[i]
		}
		touched := claimRegions(lines, regions, actor)
		if apply {
			for _, r := range touched {
				if err := db.lockStanding(q, p.ID, r.ID); err != nil {
					return nil, nil, err
				}
			}
		}
		ops, res, err := db.planClaims(q, p, actor, lines, regions, touched)
		if err != nil {
			return nil, nil, err
		}
		return res, func() error { return db.applyClaims(q, p, actor, ops) }, nil
	})
}

// claimRegions lists the known regions the lines name that actor may write, by id.
func claimRegions(lines []ClaimLine, regions map[string]*Region, actor *User) []*Region {
	seen := map[int64]bool{}
	var out []*Region
	for i := range lines {
		code := strings.TrimSpace(lines[i].RegionCode)
		if r := regions[code]; r != nil && !seen[r.ID] && actor.CanWriteRegion(code) {
			seen[r.ID] = true
			out = append(out, r)
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a].ID < out[b].ID })
	return out
}

// claimLeaves reads a period's leaves by code, and the codes of its indicators that have sub-indicators.
func claimLeaves(q *gorm.DB, periodID int64) (map[string]claimLeaf, map[string]bool, error) {
	inds, err := indicatorsOf(q, periodID)
	if err != nil {
		return nil, nil, err
	}
	byID, parents := map[int64]*Indicator{}, map[string]bool{}
	for i := range inds {
		byID[inds[i].ID] = &inds[i]
		if inds[i].ParentCode != nil {
			parents[*inds[i].ParentCode] = true
		}
	}
	leaves := map[string]claimLeaf{}
	for i := range inds {
		ind := &inds[i]
		if parents[ind.Code] {
			continue
		}
		var parent *Indicator
		if ind.ParentID != nil {
			parent = byID[*ind.ParentID]
		}
		leaves[ind.Code] = claimLeaf{ind: ind, applies: func(k RegionKind) bool {
			return ind.AppliesTo.Has(k) && (parent == nil || parent.AppliesTo.Has(k))
		}}
	}
	return leaves, parents, nil
}

func (db *DB) planClaims(q *gorm.DB, p *Period, actor *User, lines []ClaimLine, regions map[string]*Region, touched []*Region) ([]claimOp, *ImportResult, error) {
	leaves, parents, err := claimLeaves(q, p.ID)
	if err != nil {
		return nil, nil, err
	}
	items := map[[2]int64]*itemRow{}
	if len(touched) > 0 {
		var rows []itemRow
		iq := q.Where("period_id = ?", p.ID)
		if len(touched) <= 100 {
			ids := make([]int64, len(touched))
			for i, r := range touched {
				ids[i] = r.ID
			}
			iq = iq.Where("region_id IN ?", ids)
		}
		if err := iq.Find(&rows).Error; err != nil {
			return nil, nil, err
		}
		for i := range rows {
			items[[2]int64{rows[i].RegionID, rows[i].IndicatorID}] = &rows[i]
		}
	}
	var exts []struct {
		RegionID int64
		Until    string
	}
	if err := q.Table("extensions").Where("period_id = ?", p.ID).Select("region_id, until").Scan(&exts).Error; err != nil {
		return nil, nil, err
	}
	extended := map[int64]string{}
	for _, e := range exts {
		extended[e.RegionID] = e.Until
	}
	today := day(db.Now())
	entryRefused := func(regionID int64) string {
		switch {
		case p.Status == PeriodClosed:
			return "period_closed"
		case p.Deadline == nil || today <= *p.Deadline:
			return ""
		case extended[regionID] != "" && today <= extended[regionID]:
			return ""
		}
		return "deadline_passed"
	}

	res := &ImportResult{Rows: make([]ImportRow, 0, len(lines))}
	var ops []claimOp
	seen := map[[2]string]bool{}
	for i := range lines {
		l := &lines[i]
		l.RegionCode, l.IndicatorCode = strings.TrimSpace(l.RegionCode), strings.TrimSpace(l.IndicatorCode)
		row := newImportRow(l.RowSource, l.RegionCode+"/"+l.IndicatorCode)
		op, ok := planClaim(&row, l, actor, regions, leaves, parents, seen)
		if ok {
			item := items[[2]int64{op.region.ID, op.indicator.ID}]
			if planClaimChange(&row, l, op, item, entryRefused) {
				ops = append(ops, *op)
			}
		}
		res.Rows = append(res.Rows, row)
	}
	res.finish()
	return ops, res, nil
}

// planClaim checks what a claim row names and says; ok when the row can be compared with its item.
func planClaim(row *ImportRow, l *ClaimLine, actor *User, regions map[string]*Region, leaves map[string]claimLeaf,
	parents map[string]bool, seen map[[2]string]bool) (*claimOp, bool) {
	op := &claimOp{}
	switch r := regions[l.RegionCode]; {
	case l.RegionCode == "":
		row.refuse("region_code", "required")
	case r == nil:
		row.refuse("region_code", "unknown_region")
	case !actor.CanWriteRegion(l.RegionCode):
		row.refuse("region_code", "region_scope")
	default:
		op.region = r
	}
	switch leaf, ok := leaves[l.IndicatorCode]; {
	case l.IndicatorCode == "":
		row.refuse("indicator_code", "required")
	case parents[l.IndicatorCode]:
		row.refuse("indicator_code", "not_leaf")
	case !ok:
		row.refuse("indicator_code", "unknown_indicator")
	default:
		op.indicator = leaf.ind
		op.applies = op.region == nil || leaf.applies(op.region.Kind)
	}
	if l.Progress != nil && (*l.Progress < 0 || *l.Progress > Hundred) {
		row.refuse("progress", "percent_range")
	}
	if l.Note != nil {
		n := strings.TrimSpace(*l.Note)
		l.Note = &n
		row.checkText("note", n, MaxNoteLen, false)
	}
	k := [2]string{l.RegionCode, l.IndicatorCode}
	if seen[k] && l.RegionCode != "" && l.IndicatorCode != "" {
		row.refuse("indicator_code", "duplicate_row")
	}
	seen[k] = true
	return op, len(row.Errors) == 0
}

// planClaimChange compares a valid row with its item (nil: nobody has touched it) and reports
// whether the row makes a claim.
func planClaimChange(row *ImportRow, l *ClaimLine, op *claimOp, item *itemRow, entryRefused func(int64) string) bool {
	cur := itemRow{Progress: 0, Note: "", Applicability: ApplicabilityApplicable}
	if item != nil {
		cur = *item
	}
	op.progress, op.note = cur.Progress, cur.Note
	if l.Progress != nil {
		op.progress = *l.Progress
	}
	if l.Note != nil {
		op.note = *l.Note
	}
	if op.progress == cur.Progress && op.note == cur.Note {
		return false
	}
	switch {
	case !op.applies:
		row.refuse("progress", "catalogue_not_applicable")
	case cur.Applicability != ApplicabilityApplicable:
		row.refuse("progress", "item_not_applicable")
	case l.Version != nil && *l.Version != cur.Version:
		row.refuse("version", "stale_version")
	}
	if why := entryRefused(op.region.ID); why != "" {
		row.refuse("progress", why)
	}
	if len(row.Errors) > 0 {
		return false
	}
	if op.progress != cur.Progress {
		row.change("progress", cur.Progress, op.progress)
	}
	if op.note != cur.Note {
		row.change("note", cur.Note, op.note)
	}
	return true
}

// applyClaims makes the planned claims; the regions' standings are locked already.
func (db *DB) applyClaims(tx *gorm.DB, p *Period, actor *User, ops []claimOp) error {
	if len(ops) == 0 {
		return nil
	}
	var regionIDs []int64
	seen := map[int64]bool{}
	for i := range ops {
		op := &ops[i]
		s := &itemScope{period: p, region: op.region, indicator: *op.indicator, applies: true}
		row, err := db.ensureItem(tx, s)
		if err != nil {
			return err
		}
		ref := ItemRef{Year: p.Year, RegionCode: op.region.Code, IndicatorCode: op.indicator.Code}
		if err := db.recordClaim(tx, actor, ref, row, op.progress, op.note); err != nil {
			return err
		}
		if !seen[op.region.ID] {
			seen[op.region.ID] = true
			regionIDs = append(regionIDs, op.region.ID)
		}
	}
	audit(tx, "import", p.yearKey()+"/claims", "apply", nil, map[string]any{"claims": len(ops), "regions": len(regionIDs)})
	return db.restate(tx, p.ID, regionIDs)
}
