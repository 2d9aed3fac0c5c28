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
		var periods []Period
		if err := q.Order("year").Find(&periods).Error; err != nil {
			return err
		}
		var standings []Standing
		if err := q.Where("region_id = ?", r.ID).Find(&standings).Error; err != nil {
			return err
		}
		var delegs []delegationRow
		if err := q.Where("region_id = ?", r.ID).Find(&delegs).Error; err != nil {
			return err
		}
		stOf, dOf := map[int64]*Standing{}, map[int64]*delegationRow{}
		for i := range standings {
			stOf[standings[i].PeriodID] = &standings[i]
		}
		for i := range delegs {
			dOf[delegs[i].PeriodID] = &delegs[i]
		}
		for _, p := range periods {
			schemes, err := zoneSchemes(q, p.ID)
			if err != nil {
				return err
			}
			pt := TrendPoint{Year: p.Year, Delegation: DelegationStanding{Zone: ZoneNoData}}
			if st := stOf[p.ID]; st != nil {
				pt.ActionPlan = ActionPlanStanding{Percent: st.Verified, ClaimedPercent: st.Claimed}
			}
			pt.ActionPlan.Zone = schemes[MetricActionPlan].Zone(pt.ActionPlan.Percent)
			if d := dOf[p.ID]; d != nil {
				v := d.view(schemes[MetricDelegation])
				pt.Delegation = DelegationStanding{Percent: v.Percent, Zone: v.Zone}
			}
			out = append(out, pt)
		}
		return nil
	})
	return out, err
}
