package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// Reading items: a region's list, one item, and the item a write answers with.

// Item returns one item with its evidence, or ErrNotFound when the period, region or indicator does not exist.
func (db *DB) Item(ctx context.Context, ref ItemRef) (*Item, error) {
	items, err := db.Items(ctx, ref.Year, ref.RegionCode, ref.IndicatorCode)
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, ErrNotFound
	}
	return &items[0], nil
}

// Items lists a region's items for a period, one per indicator, in catalogue order. With an
// indicator code it lists only that one.
func (db *DB) Items(ctx context.Context, year int, regionCode string, indicatorCode ...string) ([]Item, error) {
	var out []Item
	err := db.snapshot(ctx, func(q *gorm.DB) error {
		var err error
		out, err = itemsOf(q, year, regionCode, indicatorCode...)
		return err
	})
	return out, err
}

// itemsOf reads a region's items (one per leaf of the catalogue) inside q's transaction.
func itemsOf(q *gorm.DB, year int, regionCode string, indicatorCode ...string) ([]Item, error) {
	p, r, err := periodAndRegion(q, year, regionCode)
	if err != nil {
		return nil, err
	}
	return itemsIn(q, p, r, indicatorCode...)
}

// itemLine is a leaf of the catalogue with its region's item (ItemID nil when there is none),
// as itemsIn reads them.
type itemLine struct {
	IndicatorCode, AreaCode, Title, Note, Requirement string
	ParentCode, ParentTitle                           *string
	AppliesTo, ParentAppliesTo                        KindSet
	Status                                            ItemStatus
	Weight, Progress, VerifiedProgress                Fixed
	ItemID                                            *int64
	Version                                           int64
	UpdatedAt                                         time.Time
	Applicability, ApplicabilityReason                *string
}

// item is the line as the API shows it to a region of the given kind, without its details.
func (row *itemLine) item(kind RegionKind) Item {
	it := Item{IndicatorCode: row.IndicatorCode, Area: row.AreaCode, Title: row.Title, Weight: row.Weight, Parent: row.ParentCode,
		ParentTitle: row.ParentTitle, Requirement: row.Requirement, Status: StatusDraft, Applicability: ApplicabilityApplicable,
		Evidence: []Evidence{}}
	if row.ItemID != nil {
		it.itemID = *row.ItemID
		it.Progress, it.VerifiedProgress, it.Status, it.Note, it.Version = row.Progress, row.VerifiedProgress, row.Status, row.Note, row.Version
		it.Applicability, it.ApplicabilityReason = Applicability(*row.Applicability), *row.ApplicabilityReason
		updated := row.UpdatedAt
		it.UpdatedAt = &updated
	}
	if !row.AppliesTo.Has(kind) || (row.ParentCode != nil && !row.ParentAppliesTo.Has(kind)) {
		it.Applicability = ApplicabilityCatalogue
	}
	it.Status = it.Applicability.status(it.Status)
	return it
}

// itemsIn is itemsOf with the period and region read.
func itemsIn(q *gorm.DB, p *Period, r *Region, indicatorCode ...string) ([]Item, error) {
	var rows []itemLine
	sel := indicatorQuery(q, p.ID).
		Select("indicators.code AS indicator_code, areas.code AS area_code, indicators.title, indicators.weight, indicators.requirement, "+
			"indicators.applies_to, parents.code AS parent_code, parents.title AS parent_title, parents.applies_to AS parent_applies_to, "+
			"items.id AS item_id, items.progress, items.verified_progress, items.status, items.note, items.version, items.updated_at, "+
			"items.applicability, items.applicability_reason").
		Joins("LEFT JOIN items ON items.indicator_id = indicators.id AND items.region_id = ?", r.ID).
		Where("NOT EXISTS (SELECT 1 FROM indicators AS children WHERE children.parent_id = indicators.id)")
	if len(indicatorCode) > 0 {
		sel = sel.Where("indicators.code = ?", indicatorCode[0])
	}
	if err := sel.Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Item, len(rows))
	var ids []int64
	for i := range rows {
		out[i] = rows[i].item(r.Kind)
		if out[i].itemID != 0 {
			ids = append(ids, out[i].itemID)
		}
	}
	if err := attachDetails(q, out, ids); err != nil {
		return nil, err
	}
	return out, nil
}

// scopeItem is the item of s as the transaction leaves it: what itemsIn answers for it, from
// the catalogue read under the region's lock and row, the item's row read after the change,
// which spares the catalogue's join.
func scopeItem(tx *gorm.DB, s *itemScope, row *itemRow) (*Item, error) {
	ind := s.indicator
	applicability, reason := string(row.Applicability), row.ApplicabilityReason
	line := itemLine{IndicatorCode: ind.Code, AreaCode: ind.AreaCode, Title: ind.Title, Requirement: ind.Requirement, Weight: ind.Weight,
		AppliesTo: ind.AppliesTo, ParentCode: ind.ParentCode, ItemID: &row.ID, Note: row.Note, Status: row.Status, Progress: row.Progress,
		VerifiedProgress: row.VerifiedProgress, Version: row.Version, UpdatedAt: row.UpdatedAt, Applicability: &applicability, ApplicabilityReason: &reason}
	if ind.ParentID != nil {
		parent := s.catalogue.byID[*ind.ParentID]
		title := parent.Title
		line.ParentTitle, line.ParentAppliesTo = &title, parent.AppliesTo
	}
	items := []Item{line.item(s.region.Kind)}
	if err := attachDetails(tx, items, []int64{row.ID}); err != nil {
		return nil, err
	}
	return &items[0], nil
}

// attachDetails loads the evidence and the latest review of the listed items in two queries.
func attachDetails(q *gorm.DB, items []Item, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	byID := map[int64]*Item{}
	for i := range items {
		if items[i].itemID != 0 {
			byID[items[i].itemID] = &items[i]
		}
	}
	var ev []Evidence
	if err := q.Where("item_id IN ? AND superseded = ?", ids, false).Order("id").Find(&ev).Error; err != nil {
		return err
	}
	for _, e := range ev {
		byID[e.ItemID].Evidence = append(byID[e.ItemID].Evidence, e)
	}
	var reviews []struct {
		ReviewInfo
		ItemID int64
	}
	err := q.Table("reviews").
		Select("reviews.item_id, reviews.decision, reviews.verified_progress, reviews.comment, users.name AS reviewer, reviews.created_at").
		Joins("JOIN users ON users.id = reviews.user_id").
		Where("reviews.item_id IN ?", ids).Order("reviews.id").Scan(&reviews).Error
	if err != nil {
		return err
	}
	for _, r := range reviews {
		info := r.ReviewInfo
		byID[r.ItemID].LastReview = &info
	}
	return nil
}
