package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// RegionFilter picks regions: one region by code, one province's regions ("62": the province
// and 62.*), or every region when both are empty.
type RegionFilter struct {
	Province string
	Region   string
}

// where limits a query on the regions table.
func (f RegionFilter) where(q *gorm.DB) *gorm.DB {
	if f.Region != "" {
		q = q.Where("regions.code = ?", f.Region)
	}
	if f.Province != "" {
		q = q.Where("(regions.code = ? OR regions.code LIKE ?)", f.Province, f.Province+".%")
	}
	return q
}

// EvidenceCounts counts an item's current documents by where they stand.
type EvidenceCounts struct {
	Accepted int
	Waiting  int
	Rejected int
}

// ItemLine is one region's item as an export lists it: the item (without its documents) with
// its region, its area's name and its current documents counted.
type ItemLine struct {
	Region   Region
	AreaName string
	Item
	Documents EvidenceCounts
}

// EachItem calls fn with every item of the period for the regions the filter picks, region by
// region in code order and within a region in catalogue order, read in one snapshot with a
// handful of queries whatever the number of regions. fn must not keep the line it is given.
func (db *DB) EachItem(ctx context.Context, year int, f RegionFilter, fn func(*ItemLine) error) error {
	return db.snapshot(ctx, func(q *gorm.DB) error {
		p, err := periodByYear(q, year)
		if err != nil {
			return err
		}
		var regions []Region
		if err := f.where(q.Model(&Region{})).Order("code").Find(&regions).Error; err != nil {
			return err
		}
		if f.Region != "" && len(regions) == 0 {
			return ErrNotFound
		}
		var leaves []struct {
			Code, AreaCode, AreaName, Title, Requirement string
			ParentCode, ParentTitle                      *string
			AppliesTo, ParentAppliesTo                   KindSet
			Weight                                       Fixed
			ID                                           int64
		}
		err = indicatorQuery(q, p.ID).
			Select("indicators.id, indicators.code, areas.code AS area_code, areas.name AS area_name, indicators.title, indicators.weight, " +
				"indicators.requirement, indicators.applies_to, parents.code AS parent_code, parents.title AS parent_title, " +
				"parents.applies_to AS parent_applies_to").
			Where("NOT EXISTS (SELECT 1 FROM indicators AS children WHERE children.parent_id = indicators.id)").Scan(&leaves).Error
		if err != nil {
			return err
		}
		items, err := periodItems(q, p.ID, f)
		if err != nil {
			return err
		}
		line := &ItemLine{}
		for _, r := range regions {
			for _, leaf := range leaves {
				*line = ItemLine{Region: r, AreaName: leaf.AreaName, Item: Item{IndicatorCode: leaf.Code, Area: leaf.AreaCode,
					Parent: leaf.ParentCode, ParentTitle: leaf.ParentTitle, Title: leaf.Title, Requirement: leaf.Requirement,
					Weight: leaf.Weight, Status: StatusDraft, Applicability: ApplicabilityApplicable}}
				if it := items[[2]int64{r.ID, leaf.ID}]; it != nil {
					line.Progress, line.VerifiedProgress, line.Status, line.Note, line.Version = it.Progress, it.VerifiedProgress, it.Status, it.Note, it.Version
					line.Applicability, line.ApplicabilityReason = it.Applicability, it.ApplicabilityReason
					updated := it.UpdatedAt
					line.UpdatedAt, line.LastReview, line.Documents = &updated, it.review, it.documents
				}
				if !leaf.AppliesTo.Has(r.Kind) || (leaf.ParentCode != nil && !leaf.ParentAppliesTo.Has(r.Kind)) {
					line.Applicability = ApplicabilityCatalogue
				}
				line.Status = line.Applicability.status(line.Status)
				if err := fn(line); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// exportedItem is an item row with its latest review and its documents counted.
type exportedItem struct {
	itemRow
	review    *ReviewInfo
	documents EvidenceCounts
}

// periodItems reads the period's items of the filtered regions, by region and indicator id,
// with their latest reviews and document counts.
func periodItems(q *gorm.DB, periodID int64, f RegionFilter) (map[[2]int64]*exportedItem, error) {
	inRegions := func(q *gorm.DB) *gorm.DB {
		if f.Region == "" && f.Province == "" {
			return q
		}
		return q.Where("items.region_id IN (?)", f.where(q.Session(&gorm.Session{NewDB: true}).Table("regions").Select("regions.id")))
	}
	var rows []itemRow
	if err := inRegions(q.Table("items").Where("items.period_id = ?", periodID)).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[[2]int64]*exportedItem, len(rows))
	byID := make(map[int64]*exportedItem, len(rows))
	for _, r := range rows {
		e := &exportedItem{itemRow: r}
		out[[2]int64{r.RegionID, r.IndicatorID}] = e
		byID[r.ID] = e
	}
	var docs []struct {
		ItemID int64
		Status EvidenceStatus
		N      int
	}
	err := inRegions(q.Table("evidence").Select("evidence.item_id, evidence.status, COUNT(*) AS n").
		Joins("JOIN items ON items.id = evidence.item_id").
		Where("items.period_id = ? AND evidence.superseded = ?", periodID, false)).
		Group("evidence.item_id, evidence.status").Scan(&docs).Error
	if err != nil {
		return nil, err
	}
	for _, d := range docs {
		e := byID[d.ItemID]
		if e == nil {
			continue
		}
		switch d.Status {
		case EvidenceAccepted:
			e.documents.Accepted += d.N
		case EvidenceRejected:
			e.documents.Rejected += d.N
		default:
			e.documents.Waiting += d.N
		}
	}
	var reviews []struct {
		ItemID           int64
		Decision         Decision
		VerifiedProgress Fixed
		Comment          string
		Reviewer         string
		CreatedAt        time.Time
	}
	latest := inRegions(q.Session(&gorm.Session{NewDB: true}).Table("reviews").Select("MAX(reviews.id)").
		Joins("JOIN items ON items.id = reviews.item_id").Where("items.period_id = ?", periodID)).Group("reviews.item_id")
	err = q.Table("reviews").
		Select("reviews.item_id, reviews.decision, reviews.verified_progress, reviews.comment, users.name AS reviewer, reviews.created_at").
		Joins("JOIN users ON users.id = reviews.user_id").Where("reviews.id IN (?)", latest).Scan(&reviews).Error
	if err != nil {
		return nil, err
	}
	for _, r := range reviews {
		if e := byID[r.ItemID]; e != nil {
			e.review = &ReviewInfo{Decision: r.Decision, VerifiedProgress: r.VerifiedProgress, Comment: r.Comment, Reviewer: r.Reviewer, CreatedAt: r.CreatedAt}
		}
	}
	return out, nil
}
