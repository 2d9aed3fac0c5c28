package models

import (
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"gorm.io/gorm"
)

// Standings are the roll-up of a period: one row per region with its verified and claimed
// percentages, overall and per area, kept up to date inside every transaction that changes the
// region's data. A write locks only its own region's row (lockStanding), so writes to different
// regions never queue on each other, and the summary reads one row per region instead of
// every item.

// AreaFigures is a region's verified and claimed percentage in one area (nil when the area has
// no indicators).
type AreaFigures struct {
	AreaID   int64  `json:"area"`
	Verified *Fixed `json:"verified"`
	Claimed  *Fixed `json:"claimed"`
	// Applicable is false when nothing in the area applies to the region.
	Applicable bool `json:"applicable"`
}

// Standing is a region's figures for a period. Revision moves with every change to the
// region's data in the period.
type Standing struct {
	PeriodID int64
	RegionID int64
	Revision int64
	Verified *Fixed
	Claimed  *Fixed
	// Applicable is false when nothing of the catalogue applies to the region.
	Applicable bool
	AreasJSON  string        `gorm:"column:areas"`
	Areas      []AreaFigures `gorm:"-"`
	UpdatedAt  *time.Time
}

// TableName is the standings table.
func (Standing) TableName() string { return "standings" }

func (s *Standing) decode() error {
	s.Areas = nil
	if s.AreasJSON == "" {
		return nil
	}
	if err := json.Unmarshal([]byte(s.AreasJSON), &s.Areas); err != nil {
		return fmt.Errorf("standing of region %d in period %d: %w", s.RegionID, s.PeriodID, err)
	}
	return nil
}

// Area returns the region's figures in one area (zero figures when it has none recorded).
func (s *Standing) Area(areaID int64) AreaFigures {
	for _, a := range s.Areas {
		if a.AreaID == areaID {
			return a
		}
	}
	return AreaFigures{AreaID: areaID, Applicable: true}
}

// lockStanding takes the row lock of a region's standing in a period and moves its revision on.
// Every transaction that changes a region's data in a period starts here, before it reads what
// it will change, so that writes to one region are applied one after the other and the figures
// computed at the end (restate) include every committed change. The row exists for every period
// and region (created with either); a missing one is created.
func (db *DB) lockStanding(tx *gorm.DB, periodID, regionID int64) error {
	res := tx.Exec("UPDATE standings SET revision = revision + 1 WHERE period_id = ? AND region_id = ?", periodID, regionID)
	if res.Error != nil || res.RowsAffected > 0 {
		return res.Error
	}
	return tx.Exec("INSERT INTO standings (period_id, region_id, revision) VALUES (?, ?, 1) "+
		"ON CONFLICT (period_id, region_id) DO UPDATE SET revision = standings.revision + 1", periodID, regionID).Error
}

// lockStandingOf is lockStanding by the item's period year and region code, before either is
// read, and returns the standing's new revision. It returns 0, having locked nothing, when the
// standing has no row yet.
func (db *DB) lockStandingOf(tx *gorm.DB, ref ItemRef) (int64, error) {
	const where = " WHERE period_id = (SELECT id FROM periods WHERE year = ?) AND region_id = (SELECT id FROM regions WHERE code = ?)"
	var revision []int64
	if db.Dialect == Postgres { // one round trip
		err := tx.Raw("UPDATE standings SET revision = revision + 1"+where+" RETURNING revision", ref.Year, ref.RegionCode).Scan(&revision).Error
		if err != nil || len(revision) == 0 {
			return 0, err
		}
		return revision[0], nil
	}
	// SQLite's RETURNING would make the update keep a statement journal; a second read costs less.
	res := tx.Exec("UPDATE standings SET revision = revision + 1"+where, ref.Year, ref.RegionCode)
	if res.Error != nil || res.RowsAffected == 0 {
		return 0, res.Error
	}
	err := tx.Raw("SELECT revision FROM standings"+where, ref.Year, ref.RegionCode).Scan(&revision).Error
	if err != nil || len(revision) == 0 {
		return 0, err
	}
	return revision[0], nil
}

// lockPeriodStandings locks every region's standing in a period, for changes that move every
// region's figures (the catalogue).
func lockPeriodStandings(tx *gorm.DB, periodID int64) error {
	return tx.Exec("UPDATE standings SET revision = revision + 1 WHERE period_id = ?", periodID).Error
}

// addStandings creates the standings of new periods × regions (the figures of a region with no
// items yet).
func (db *DB) addStandings(tx *gorm.DB, periodIDs, regionIDs []int64) error {
	for _, p := range periodIDs {
		for _, r := range regionIDs {
			err := tx.Exec("INSERT INTO standings (period_id, region_id, revision) VALUES (?, ?, 1) ON CONFLICT (period_id, region_id) DO NOTHING", p, r).Error
			if err != nil {
				return err
			}
		}
		if err := db.restate(tx, p, regionIDs); err != nil {
			return err
		}
	}
	return nil
}

// catalogueCache keeps each period's scorer for its revision: writes recompute a region's
// figures without reading the catalogue again.
type catalogueCache struct {
	mu      sync.Mutex
	entries map[int64]cachedCatalogue
}

func (c *catalogueCache) reset() {
	c.mu.Lock()
	c.entries = nil
	c.mu.Unlock()
}

type cachedCatalogue struct {
	revision int64
	areas    []Area
	scorer   *Scorer
	// byCode finds an indicator by its code, byID by its id; parents are the indicators that
	// have sub-indicators (items exist for the others, the leaves).
	byCode  map[string]*Indicator
	byID    map[int64]*Indicator
	parents map[int64]bool
}

// scorerFor returns the period's areas and scorer as of tx. It reads the period's revision in
// tx, after the caller's locks, so a catalogue change committed meanwhile is seen.
func (db *DB) scorerFor(tx *gorm.DB, periodID int64) ([]Area, *Scorer, error) {
	var rev []int64
	if err := tx.Table("periods").Where("id = ?", periodID).Pluck("revision", &rev).Error; err != nil {
		return nil, nil, err
	}
	if len(rev) == 0 {
		return nil, nil, ErrNotFound
	}
	c, err := db.catalogueAt(tx, periodID, rev[0])
	if err != nil {
		return nil, nil, err
	}
	return c.areas, c.scorer, nil
}

// catalogueAt returns the period's catalogue at a revision the caller read in tx, from the
// cache when it holds that revision.
func (db *DB) catalogueAt(tx *gorm.DB, periodID, revision int64) (*cachedCatalogue, error) {
	db.catalogues.mu.Lock()
	c, ok := db.catalogues.entries[periodID]
	db.catalogues.mu.Unlock()
	if ok && c.revision == revision {
		return &c, nil
	}
	var areas []Area
	if err := tx.Where("period_id = ?", periodID).Order("position, id").Find(&areas).Error; err != nil {
		return nil, err
	}
	indicators, err := indicatorsOf(tx, periodID)
	if err != nil {
		return nil, err
	}
	c = cachedCatalogue{revision: revision, areas: areas, scorer: NewScorer(areas, indicators),
		byCode: make(map[string]*Indicator, len(indicators)), byID: make(map[int64]*Indicator, len(indicators)), parents: map[int64]bool{}}
	for i := range indicators {
		ind := &indicators[i]
		c.byCode[ind.Code], c.byID[ind.ID] = ind, ind
		if ind.ParentID != nil {
			c.parents[*ind.ParentID] = true
		}
	}
	db.catalogues.mu.Lock()
	if db.catalogues.entries == nil {
		db.catalogues.entries = map[int64]cachedCatalogue{}
	}
	db.catalogues.entries[periodID] = c
	db.catalogues.mu.Unlock()
	return &c, nil
}

// restate recomputes the figures of the given regions (every region when nil) for a period
// from their items, inside tx, whose locks the caller holds.
func (db *DB) restate(tx *gorm.DB, periodID int64, regionIDs []int64) error {
	var kinds []struct {
		ID   int64
		Kind RegionKind
	}
	kq := tx.Table("regions").Select("id, kind")
	if regionIDs != nil {
		kq = kq.Where("id IN ?", regionIDs)
	}
	if err := kq.Scan(&kinds).Error; err != nil {
		return err
	}
	kindOf := make(map[int64]RegionKind, len(kinds))
	for _, k := range kinds {
		kindOf[k.ID] = k.Kind
	}
	_, scorer, err := db.scorerFor(tx, periodID)
	if err != nil {
		return err
	}
	return db.restateWith(tx, scorer, periodID, regionIDs, kindOf)
}

// restateItem recomputes the figures of an item's region after a change to that item alone,
// with the region and the catalogue read under the region's standing lock, which moved the
// standing to revision (0 when unknown). When this process's last committed write to the region
// left the revision just before it, no other write came between: the region's other items are
// as that write left them (leafCache), and only row, the changed item as it now stands, is
// new. Otherwise every item of the region is read.
func (db *DB) restateItem(tx *gorm.DB, s *itemScope, revision int64, row *itemRow) error {
	key := [2]int64{s.period.ID, s.region.ID}
	values := db.leaves.take(key, revision-1)
	if values == nil {
		all, err := leafValues(tx, s.period.ID, []int64{s.region.ID})
		if err != nil {
			return err
		}
		if values = all[s.region.ID]; values == nil {
			values = map[int64]LeafValue{}
		}
	}
	values[row.IndicatorID] = row.leafValue()
	keepLeaves(tx, leafEntry{key: key, revision: revision, values: values})
	return db.writeFigures(tx, s.period.ID, s.region.ID, s.catalogue.scorer.Figures(s.region.Kind, values), nil)
}

// carryLeaves carries the region's cached leaf values over a change to an item that leaves
// them as they were (a document), to the revision the change's lock gave, once it commits.
func (db *DB) carryLeaves(tx *gorm.DB, s *itemScope, revision int64) {
	key := [2]int64{s.period.ID, s.region.ID}
	if values := db.leaves.take(key, revision-1); values != nil {
		keepLeaves(tx, leafEntry{key: key, revision: revision, values: values})
	}
}

// keepLeaves has the transaction's commit put e in the leaf cache (when its revision is known).
func keepLeaves(tx *gorm.DB, e leafEntry) {
	if p, ok := tx.Statement.Context.Value(pendingKey{}).(*pending); ok && e.revision > 0 {
		p.leaves = append(p.leaves, e)
	}
}

// restateWith is restate with the period's scorer and the regions' kinds known.
func (db *DB) restateWith(tx *gorm.DB, scorer *Scorer, periodID int64, regionIDs []int64, kindOf map[int64]RegionKind) error {
	values, err := leafValues(tx, periodID, regionIDs)
	if err != nil {
		return err
	}
	// Many regions at once (a catalogue change, a new period) mostly leave figures as they
	// were: compare, and write only what moved.
	var current map[int64]*Standing
	if len(regionIDs) != 1 {
		if current, err = standingsOf(tx, periodID); err != nil {
			return err
		}
		if regionIDs == nil {
			for id := range current {
				regionIDs = append(regionIDs, id)
			}
		}
	}
	for _, r := range regionIDs {
		if err := db.writeFigures(tx, periodID, r, scorer.Figures(kindOf[r], values[r]), current); err != nil {
			return err
		}
	}
	return nil
}

// writeFigures writes a region's figures to its standing. With current, the standings as they
// were (several regions restated at once), it writes only figures that moved, and moves the
// revision with them (cachedStandingsOf relies on it); a single region's writer has moved it
// already (lockStanding).
func (db *DB) writeFigures(tx *gorm.DB, periodID, regionID int64, f Figures, current map[int64]*Standing) error {
	js, err := json.Marshal(f.Areas)
	if err != nil {
		return err
	}
	if old := current[regionID]; old != nil && equalFixed(old.Verified, f.Verified) && equalFixed(old.Claimed, f.Claimed) &&
		old.Applicable == f.Applicable && old.AreasJSON == string(js) {
		return nil
	}
	bump := ""
	if current != nil {
		bump = ", revision = revision + 1"
	}
	return tx.Exec("UPDATE standings SET verified = ?, claimed = ?, applicable = ?, areas = ?, updated_at = ?"+bump+" WHERE period_id = ? AND region_id = ?",
		f.Verified, f.Claimed, f.Applicable, string(js), db.Now(), periodID, regionID).Error
}

// leafValues reads the items of a period (of the given regions; all when nil) as the scorer
// takes them: by region, then by indicator.
func leafValues(q *gorm.DB, periodID int64, regionIDs []int64) (map[int64]map[int64]LeafValue, error) {
	// Rows scanned into typed variables: every write restates its region from its ~100 items,
	// and GORM's scan by reflection would cost more than reading them.
	sel := q.Table("items").Select("region_id, indicator_id, verified_progress, progress, applicability").Where("period_id = ?", periodID)
	if regionIDs != nil {
		sel = sel.Where("region_id IN ?", regionIDs)
	}
	rows, err := sel.Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]map[int64]LeafValue{}
	for rows.Next() {
		var (
			regionID, indicatorID int64
			v                     LeafValue
			applicability         string
		)
		if err := rows.Scan(&regionID, &indicatorID, &v.Verified, &v.Claimed, &applicability); err != nil {
			return nil, err
		}
		v.NotApplicable = applicability == applicabilityConfirmed
		if out[regionID] == nil {
			out[regionID] = map[int64]LeafValue{}
		}
		out[regionID][indicatorID] = v
	}
	return out, rows.Err()
}

func equalFixed(a, b *Fixed) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}

// restateAll recomputes every period's standings (after a migration that changed how they are
// kept). The caller holds the transaction.
func (db *DB) restateAll(tx *gorm.DB) error {
	var periods []int64
	if err := tx.Table("periods").Pluck("id", &periods).Error; err != nil {
		return err
	}
	for _, p := range periods {
		if err := db.restate(tx, p, nil); err != nil {
			return err
		}
	}
	return nil
}

// verifiedOf returns a period's verified figures by region (regions without one left out),
// without the per-area figures.
func verifiedOf(q *gorm.DB, periodID int64) (map[int64]*Fixed, error) {
	var rows []struct {
		RegionID int64
		Verified *Fixed
	}
	if err := q.Table("standings").Select("region_id, verified").Where("period_id = ? AND verified IS NOT NULL", periodID).Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[int64]*Fixed, len(rows))
	for _, r := range rows {
		out[r.RegionID] = r.Verified
	}
	return out, nil
}

// lockOpenRegion reads a period that may still change and a region, and locks the region's
// standing for a write to its data in that period.
func (db *DB) lockOpenRegion(tx *gorm.DB, year int, regionCode string) (*Period, *Region, error) {
	p, err := openPeriodByYear(tx, year)
	if err != nil {
		return nil, nil, err
	}
	r, err := regionByCode(tx, regionCode)
	if err != nil {
		return nil, nil, err
	}
	if err := db.lockStanding(tx, p.ID, r.ID); err != nil {
		return nil, nil, err
	}
	return p, r, nil
}

// standingsOf reads a period's standings, by region ID.
func standingsOf(q *gorm.DB, periodID int64) (map[int64]*Standing, error) {
	var rows []Standing
	if err := q.Where("period_id = ?", periodID).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[int64]*Standing, len(rows))
	for i := range rows {
		if err := rows[i].decode(); err != nil {
			return nil, err
		}
		out[rows[i].RegionID] = &rows[i]
	}
	return out, nil
}
