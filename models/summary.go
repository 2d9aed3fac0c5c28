package models

import (
	"context"
)

// Summary is a period's standing: every region's verified and claimed action-plan percentage,
// its delegation, their zones, the zone counts and a press-release narrative.
type Summary struct {
	Year      int                       `json:"year"`
	Regions   []RegionSummary           `json:"regions"`
	Counts    map[Metric]map[string]int `json:"counts"`
	Narrative string                    `json:"narrative"`
	// Revision is the period revision the summary was computed from.
	Revision int64 `json:"-"`
}

// RegionSummary is one region's line in a Summary.
type RegionSummary struct {
	Code       string             `json:"code"`
	Name       string             `json:"name"`
	Kind       string             `json:"kind"`
	ActionPlan ActionPlanStanding `json:"action_plan"`
	Delegation DelegationStanding `json:"delegation"`
}

// ActionPlanStanding is a region's verified percentage (and zone) beside what it claims.
type ActionPlanStanding struct {
	Percent        *Fixed `json:"percent"`
	ClaimedPercent *Fixed `json:"claimed_percent"`
	Zone           string `json:"zone"`
}

// DelegationStanding is a region's delegation percentage and zone.
type DelegationStanding struct {
	Percent    *Fixed `json:"percent"`
	Zone       string `json:"zone"`
	Total      *int64 `json:"total,omitempty"`
	Delegated  *int64 `json:"delegated,omitempty"`
	LegalBasis string `json:"legal_basis,omitempty"`
}

// areaTotals are one region's weighted sums for one area, added up by the database.
type areaTotals struct {
	RegionID int64
	AreaID   int64
	Verified int64
	Claimed  int64
}

// Summary computes a period's summary from the database in a handful of queries, whatever the
// number of regions and items.
func (db *DB) Summary(ctx context.Context, year int) (*Summary, error) {
	q := db.read(ctx)
	p, err := periodByYear(q, year)
	if err != nil {
		return nil, err
	}
	var (
		regions    []Region
		areas      []Area
		indicators []Indicator
		totals     []areaTotals
		delegs     []delegationRow
	)
	if err := q.Order("code").Find(&regions).Error; err != nil {
		return nil, err
	}
	if err := q.Where("period_id = ?", p.ID).Find(&areas).Error; err != nil {
		return nil, err
	}
	if indicators, err = indicatorsOf(q, p.ID); err != nil {
		return nil, err
	}
	// Σ weight × value per region and area: a few thousand rows at national scale instead of
	// every item; integer sums, so both databases add exactly.
	if err := q.Table("items").
		Select("items.region_id, indicators.area_id, SUM(indicators.weight * items.verified_progress) AS verified, "+
			"SUM(indicators.weight * items.progress) AS claimed").
		Joins("JOIN indicators ON indicators.id = items.indicator_id").
		Where("items.period_id = ?", p.ID).Group("items.region_id, indicators.area_id").Scan(&totals).Error; err != nil {
		return nil, err
	}
	if err := q.Where("period_id = ?", p.ID).Find(&delegs).Error; err != nil {
		return nil, err
	}
	schemes, err := zoneSchemes(q, p.ID)
	if err != nil {
		return nil, err
	}
	verified, claimed := map[int64]AreaSums{}, map[int64]AreaSums{}
	for _, t := range totals {
		if verified[t.RegionID] == nil {
			verified[t.RegionID], claimed[t.RegionID] = AreaSums{}, AreaSums{}
		}
		verified[t.RegionID][t.AreaID] = t.Verified
		claimed[t.RegionID][t.AreaID] = t.Claimed
	}
	delegByRegion := map[int64]*delegationRow{}
	for i := range delegs {
		delegByRegion[delegs[i].RegionID] = &delegs[i]
	}
	scorer := NewScorer(areas, indicators)
	s := &Summary{Year: p.Year, Regions: make([]RegionSummary, 0, len(regions)), Revision: p.Revision,
		Counts: map[Metric]map[string]int{}}
	for _, m := range Metrics {
		s.Counts[m] = map[string]int{}
		for _, k := range schemes[m].Keys() {
			s.Counts[m][k] = 0
		}
	}
	for _, r := range regions {
		rs := RegionSummary{Code: r.Code, Name: r.Name, Kind: r.Kind}
		rs.ActionPlan.Percent = scorer.ScoreSums(verified[r.ID])
		rs.ActionPlan.ClaimedPercent = scorer.ScoreSums(claimed[r.ID])
		rs.ActionPlan.Zone = schemes[MetricActionPlan].Zone(rs.ActionPlan.Percent)
		rs.Delegation.Zone = ZoneNoData
		if d := delegByRegion[r.ID]; d != nil {
			v := d.view(schemes[MetricDelegation])
			rs.Delegation = DelegationStanding{Percent: v.Percent, Zone: v.Zone, Total: v.Total, Delegated: v.Delegated, LegalBasis: v.LegalBasis}
		}
		s.Counts[MetricActionPlan][rs.ActionPlan.Zone]++
		s.Counts[MetricDelegation][rs.Delegation.Zone]++
		s.Regions = append(s.Regions, rs)
	}
	s.Narrative = Narrative(s, schemes)
	return s, nil
}
