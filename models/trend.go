package models

import (
	"context"

	"gorm.io/gorm"
)

// TrendPoint is a region's standing in one year, zoned with that year's bands.
type TrendPoint struct {
	Year       int                `json:"year"`
	ActionPlan ActionPlanStanding `json:"action_plan"`
	Delegation DelegationStanding `json:"delegation"`
}

// Trend returns a region's figures over every period, oldest first.
func (db *DB) Trend(ctx context.Context, regionCode string) ([]TrendPoint, error) {
	out := []TrendPoint{}
	err := db.snapshot(ctx, func(q *gorm.DB) error {
		r, err := regionByCode(q, regionCode)
		if err != nil {
			return err
		}
		trends, err := trendsOf(q, []int64{r.ID}, 0)
		if err != nil {
			return err
		}
		out = append(out, trends[r.ID]...)
		return nil
	})
	return out, err
}

// trendsOf reads the regions' figures in every period up to year (0: every period), oldest
// first, in a fixed number of queries per period whatever the number of regions.
func trendsOf(q *gorm.DB, regionIDs []int64, upTo int) (map[int64][]TrendPoint, error) {
	var periods []Period
	pq := q.Order("year")
	if upTo > 0 {
		pq = pq.Where("year <= ?", upTo)
	}
	if err := pq.Find(&periods).Error; err != nil {
		return nil, err
	}
	var standings []struct {
		PeriodID, RegionID int64
		Verified, Claimed  *Fixed
	}
	if err := q.Table("standings").Select("period_id, region_id, verified, claimed").Where("region_id IN ?", regionIDs).Scan(&standings).Error; err != nil {
		return nil, err
	}
	var delegs []delegationRow
	if err := q.Where("region_id IN ?", regionIDs).Find(&delegs).Error; err != nil {
		return nil, err
	}
	type key struct{ period, region int64 }
	stOf, dOf := map[key]int{}, map[key]*delegationRow{}
	for i, st := range standings {
		stOf[key{st.PeriodID, st.RegionID}] = i
	}
	for i := range delegs {
		dOf[key{delegs[i].PeriodID, delegs[i].RegionID}] = &delegs[i]
	}
	out := make(map[int64][]TrendPoint, len(regionIDs))
	for _, p := range periods {
		schemes, err := zoneSchemes(q, p.ID)
		if err != nil {
			return nil, err
		}
		for _, id := range regionIDs {
			pt := TrendPoint{Year: p.Year, Delegation: DelegationStanding{Zone: ZoneNoData}}
			if i, ok := stOf[key{p.ID, id}]; ok {
				pt.ActionPlan = ActionPlanStanding{Percent: standings[i].Verified, ClaimedPercent: standings[i].Claimed}
			}
			pt.ActionPlan.Zone = schemes[MetricActionPlan].Zone(pt.ActionPlan.Percent)
			if d := dOf[key{p.ID, id}]; d != nil {
				v := d.view(schemes[MetricDelegation])
				pt.Delegation = DelegationStanding{Percent: v.Percent, Zone: v.Zone}
			}
			out[id] = append(out[id], pt)
		}
	}
	return out, nil
}
