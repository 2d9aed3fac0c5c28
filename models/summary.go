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

type itemValues struct {
	RegionID         int64
	IndicatorID      int64
	Progress         Fixed
	VerifiedProgress Fixed
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
		values     []itemValues
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
	if err := q.Table("items").Select("region_id, indicator_id, progress, verified_progress").
		Where("period_id = ?", p.ID).Scan(&values).Error; err != nil {
		return nil, err
	}
	if err := q.Where("period_id = ?", p.ID).Find(&delegs).Error; err != nil {
		return nil, err
	}
	schemes, err := zoneSchemes(q, p.ID)
	if err != nil {
		return nil, err
	}
	verified, claimed := map[int64]map[int64]Fixed{}, map[int64]map[int64]Fixed{}
	for _, v := range values {
		if verified[v.RegionID] == nil {
			verified[v.RegionID], claimed[v.RegionID] = map[int64]Fixed{}, map[int64]Fixed{}
		}
		verified[v.RegionID][v.IndicatorID] = v.VerifiedProgress
		claimed[v.RegionID][v.IndicatorID] = v.Progress
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
		rs.ActionPlan.Percent = scorer.Score(verified[r.ID])
		rs.ActionPlan.ClaimedPercent = scorer.Score(claimed[r.ID])
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
