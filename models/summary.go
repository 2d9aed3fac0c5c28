package models

import (
	"context"
	"fmt"
	"math/big"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Summary is a period's standing: every listed region's verified and claimed action-plan
// percentage, overall and per area, its rank and change against the previous year, its
// delegation, their zones, the zone counts, the averages and a press-release narrative.
type Summary struct {
	Year int `json:"year"`
	// Province is the province the summary is limited to ("" for every region).
	Province  string                  `json:"province,omitempty"`
	Regions   []RegionSummary         `json:"regions"`
	Counts    map[Metric]map[Zone]int `json:"counts"`
	Average   *Fixed                  `json:"average"`
	Areas     []AreaSummary           `json:"areas"`
	Provinces []ProvinceSummary       `json:"provinces,omitempty"`
	Narrative string                  `json:"narrative"`
	// AsOf is when the listed regions' figures last changed, or when the period was closed;
	// Final says the period is closed.
	AsOf  time.Time `json:"as_of"`
	Final bool      `json:"final"`
	// State names the data the summary was computed from (see SummaryState).
	State string `json:"-"`
}

// RegionSummary is one region's line in a Summary.
type RegionSummary struct {
	Code string     `json:"code"`
	Name string     `json:"name"`
	Kind RegionKind `json:"kind"`
	// Rank is 1 for the highest verified percentage; ties share a rank; nil without a percentage.
	Rank *int `json:"rank"`
	// Change is the verified percentage minus the previous year's (nil without both).
	Change     *Fixed             `json:"change"`
	ActionPlan ActionPlanStanding `json:"action_plan"`
	Delegation DelegationStanding `json:"delegation"`
	Areas      []RegionArea       `json:"areas"`
	// Applicable is false when nothing of the catalogue applies to the region.
	Applicable bool `json:"applicable"`
}

// RegionArea is a region's verified and claimed percentage in one area, and its zone.
type RegionArea struct {
	Code           string `json:"code"`
	Name           string `json:"name"`
	Percent        *Fixed `json:"percent"`
	ClaimedPercent *Fixed `json:"claimed_percent"`
	Zone           Zone   `json:"zone"`
	// Applicable is false when nothing in the area applies to the region ("Tidak berlaku").
	Applicable bool `json:"applicable"`
}

// AreaSummary is one area across the listed regions: their average verified percentage and
// how many regions' figures in that area fall in each action-plan zone.
type AreaSummary struct {
	Code    string       `json:"code"`
	Name    string       `json:"name"`
	Average *Fixed       `json:"average"`
	Counts  map[Zone]int `json:"counts"`
	// Narrative says how the Pemda spread over the zones in this area.
	Narrative string `json:"narrative"`
}

// ProvinceSummary is one province's regions taken together (listed when a summary spans
// several provinces).
type ProvinceSummary struct {
	Code    string       `json:"code"`
	Name    string       `json:"name"`
	Average *Fixed       `json:"average"`
	Counts  map[Zone]int `json:"counts"`
	Rank    *int         `json:"rank"`
	// Narrative is the province's own paragraph.
	Narrative string `json:"narrative"`
}

// ActionPlanStanding is a region's verified percentage (and zone) beside what it claims.
type ActionPlanStanding struct {
	Percent        *Fixed `json:"percent"`
	ClaimedPercent *Fixed `json:"claimed_percent"`
	Zone           Zone   `json:"zone"`
}

// DelegationStanding is a region's delegation percentage and zone.
type DelegationStanding struct {
	Percent    *Fixed `json:"percent"`
	Zone       Zone   `json:"zone"`
	Total      *int64 `json:"total,omitempty"`
	Delegated  *int64 `json:"delegated,omitempty"`
	LegalBasis string `json:"legal_basis,omitempty"`
}

// ProvinceOf returns a region code's province: its first two digits.
func ProvinceOf(code string) string {
	p, _, _ := strings.Cut(code, ".")
	return p
}

// SummaryState names the data a period's summary is computed from: it changes whenever the
// summary may. It reads a handful of rows, so caches can ask it often.
func (db *DB) SummaryState(ctx context.Context, year int) (string, error) {
	var state string
	err := db.snapshot(ctx, func(q *gorm.DB) error {
		p, err := periodByYear(q, year)
		if err != nil {
			return err
		}
		state, err = summaryState(q, p)
		return err
	})
	return state, err
}

// summaryState is the period's revision and its standings' revisions, with the previous
// year's (for the change column).
func summaryState(q *gorm.DB, p *Period) (string, error) {
	var rows []struct {
		Year     int
		Revision int64
		Sum      int64
		N        int64
	}
	err := q.Table("periods").
		Select("periods.year, periods.revision, COALESCE(SUM(standings.revision), 0) AS sum, COUNT(standings.region_id) AS n").
		Joins("LEFT JOIN standings ON standings.period_id = periods.id").
		Where("periods.year IN ?", []int{p.Year, p.Year - 1}).Group("periods.year, periods.revision").Order("periods.year").
		Scan(&rows).Error
	if err != nil {
		return "", err
	}
	parts := make([]string, len(rows))
	for i, r := range rows {
		parts[i] = fmt.Sprintf("%d:%d:%d:%d", r.Year, r.Revision, r.Sum, r.N)
	}
	return strings.Join(parts, "/"), nil
}

// Summary computes a period's summary from the standings in one consistent read, whatever the
// number of regions and items. With a province code it lists only that province and its
// regencies and cities.
func (db *DB) Summary(ctx context.Context, year int, province string) (*Summary, error) {
	var s *Summary
	err := db.snapshot(ctx, func(q *gorm.DB) error {
		var err error
		s, err = db.summaryOf(q, year, province)
		return err
	})
	return s, err
}

// summaryOf reads a period's summary inside q's transaction.
func (db *DB) summaryOf(q *gorm.DB, year int, province string) (*Summary, error) {
	p, err := periodByYear(q, year)
	if err != nil {
		return nil, err
	}
	state, err := summaryState(q, p)
	if err != nil {
		return nil, err
	}
	var (
		regions []Region
		areas   []Area
		delegs  []delegationRow
	)
	// Only the columns the summary shows: reading timestamps costs more than the rest together.
	rq := q.Select("id, code, name, kind").Order("code")
	if province != "" {
		rq = rq.Where("code = ? OR code LIKE ?", province, province+".%")
	}
	if err := rq.Find(&regions).Error; err != nil {
		return nil, err
	}
	if err := q.Where("period_id = ?", p.ID).Order("position, id").Find(&areas).Error; err != nil {
		return nil, err
	}
	if err := q.Select("region_id, total, delegated, legal_basis").Where("period_id = ?", p.ID).Find(&delegs).Error; err != nil {
		return nil, err
	}
	schemes, err := zoneSchemes(q, p.ID)
	if err != nil {
		return nil, err
	}
	standings, err := db.cachedStandingsOf(q, p.ID)
	if err != nil {
		return nil, err
	}
	var previous map[int64]*Fixed // the year before's verified figure by region, for the change
	if prev, err := periodByYear(q, year-1); err == nil {
		if previous, err = verifiedOf(q, prev.ID); err != nil {
			return nil, err
		}
	} else if err != ErrNotFound {
		return nil, err
	}
	delegByRegion := map[int64]*delegationRow{}
	for i := range delegs {
		delegByRegion[delegs[i].RegionID] = &delegs[i]
	}
	apScheme := schemes[MetricActionPlan]
	s := &Summary{Year: p.Year, Province: province, Regions: make([]RegionSummary, 0, len(regions)), State: state,
		AsOf: p.CreatedAt, Final: p.Status == PeriodClosed}
	for _, r := range regions {
		st := standings[r.ID]
		if st == nil {
			st = &Standing{}
		}
		rs := RegionSummary{Code: r.Code, Name: r.Name, Kind: r.Kind, Areas: make([]RegionArea, len(areas)), Applicable: st.Applicable || st.RegionID == 0}
		rs.ActionPlan = ActionPlanStanding{Percent: st.Verified, ClaimedPercent: st.Claimed, Zone: apScheme.Zone(st.Verified)}
		for i, a := range areas {
			f := st.Area(a.ID)
			rs.Areas[i] = RegionArea{Code: a.Code, Name: a.Name, Percent: f.Verified, ClaimedPercent: f.Claimed, Zone: apScheme.Zone(f.Verified),
				Applicable: f.Applicable}
		}
		if prev := previous[r.ID]; prev != nil && st.Verified != nil {
			c := *st.Verified - *prev
			rs.Change = &c
		}
		rs.Delegation.Zone = ZoneNoData
		if d := delegByRegion[r.ID]; d != nil {
			v := d.view(schemes[MetricDelegation])
			rs.Delegation = DelegationStanding{Percent: v.Percent, Zone: v.Zone, Total: v.Total, Delegated: v.Delegated, LegalBasis: v.LegalBasis}
		}
		if st.UpdatedAt != nil && st.UpdatedAt.After(s.AsOf) {
			s.AsOf = *st.UpdatedAt
		}
		s.Regions = append(s.Regions, rs)
	}
	if s.Final && p.ClosedAt != nil {
		s.AsOf = *p.ClosedAt // the figures as they were made final
	}
	s.Provinces = provinceSummaries(s, areas, schemes)
	s.finish(areas, schemes)
	return s, nil
}

// finish adds up what the summary says of its regions: zone counts, ranks, the average, each
// area's figures and the narratives.
func (s *Summary) finish(areas []Area, schemes map[Metric]Scheme) {
	apScheme := schemes[MetricActionPlan]
	s.Counts = map[Metric]map[Zone]int{}
	for _, m := range Metrics {
		s.Counts[m] = zeroCounts(schemes[m])
	}
	for _, r := range s.Regions {
		s.Counts[MetricActionPlan][r.ActionPlan.Zone]++
		s.Counts[MetricDelegation][r.Delegation.Zone]++
	}
	rankRegions(s.Regions)
	s.Average = averageOf(s.Regions, func(r *RegionSummary) *Fixed { return r.ActionPlan.Percent })
	s.Areas = make([]AreaSummary, len(areas))
	for i, a := range areas {
		as := AreaSummary{Code: a.Code, Name: a.Name, Counts: zeroCounts(apScheme)}
		as.Average = averageOf(s.Regions, func(r *RegionSummary) *Fixed { return r.Areas[i].Percent })
		for _, r := range s.Regions {
			as.Counts[r.Areas[i].Zone]++
		}
		s.Areas[i] = as
	}
	for i := range s.Areas {
		if len(s.Regions) > 0 {
			s.Areas[i].Narrative = areaNarrative(s, i, apScheme)
		}
	}
	s.Narrative = Narrative(s, schemes)
}

// zeroCounts returns a count of 0 for every zone of a scheme.
func zeroCounts(s Scheme) map[Zone]int {
	out := map[Zone]int{}
	for _, k := range s.Keys() {
		out[k] = 0
	}
	return out
}

// averageOf is the mean of the regions' percentages (those that have one), rounded half-up to
// two decimals; nil when none has one.
func averageOf(regions []RegionSummary, pick func(*RegionSummary) *Fixed) *Fixed {
	var sum, n int64
	for i := range regions {
		if p := pick(&regions[i]); p != nil {
			sum += int64(*p)
			n++
		}
	}
	if n == 0 {
		return nil
	}
	avg := RoundRat(big.NewRat(sum, n*100))
	return &avg
}

// competitionRanks ranks values highest first: equal values share a rank and the next rank
// skips (1, 2, 2, 4); a nil value has no rank.
func competitionRanks(values []*Fixed) []*int {
	order := make([]int, 0, len(values))
	for i, v := range values {
		if v != nil {
			order = append(order, i)
		}
	}
	sort.SliceStable(order, func(a, b int) bool { return *values[order[a]] > *values[order[b]] })
	ranks := make([]*int, len(values))
	for pos, i := range order {
		rank := pos + 1
		if prev := order[max(pos-1, 0)]; pos > 0 && *values[prev] == *values[i] {
			rank = *ranks[prev]
		}
		ranks[i] = &rank
	}
	return ranks
}

// rankRegions ranks the regions by verified percentage.
func rankRegions(regions []RegionSummary) {
	values := make([]*Fixed, len(regions))
	for i := range regions {
		values[i] = regions[i].ActionPlan.Percent
	}
	for i, r := range competitionRanks(values) {
		regions[i].Rank = r
	}
}

// provinceSummaries groups the regions by province when they span more than one: each
// province's average, zone counts, rank by average and its own narrative.
func provinceSummaries(s *Summary, areas []Area, schemes map[Metric]Scheme) []ProvinceSummary {
	index := map[string]int{}
	var out []ProvinceSummary
	var members []*Summary
	for _, r := range s.Regions {
		code := ProvinceOf(r.Code)
		i, ok := index[code]
		if !ok {
			i = len(out)
			index[code] = i
			out = append(out, ProvinceSummary{Code: code, Name: code})
			members = append(members, &Summary{Year: s.Year, Province: code, AsOf: s.AsOf, Final: s.Final})
		}
		if r.Code == code {
			out[i].Name = r.Name
		}
		members[i].Regions = append(members[i].Regions, r)
	}
	if len(out) < 2 {
		return nil
	}
	averages := make([]*Fixed, len(out))
	for i, m := range members {
		m.finish(areas, schemes)
		out[i].Average, out[i].Counts, out[i].Narrative = m.Average, m.Counts[MetricActionPlan], m.Narrative
		averages[i] = out[i].Average
	}
	for i, r := range competitionRanks(averages) {
		out[i].Rank = r
	}
	return out
}
