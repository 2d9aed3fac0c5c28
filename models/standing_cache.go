package models

import (
	"sync"

	"gorm.io/gorm"
)

// standingCache keeps the standings this process has decoded, by period and region, with the
// revision they were read at: a summary after a write then decodes the one region that moved
// instead of every region of the country. A standing's revision moves whenever its figures do
// (lockStanding, restate), also when another instance wrote them.
type standingCache struct {
	mu      sync.Mutex
	entries map[[2]int64]*Standing
}

// cachedStandingsOf reads a period's standings like standingsOf, reading and decoding only the
// rows whose revision this process has not seen. Inside a write transaction, whose rows may yet
// roll back, it reads without the cache.
func (db *DB) cachedStandingsOf(q *gorm.DB, periodID int64) (map[int64]*Standing, error) {
	if _, writing := q.Statement.Context.Value(pendingKey{}).(*pending); writing {
		return standingsOf(q, periodID)
	}
	var revs []struct{ RegionID, Revision int64 }
	if err := q.Table("standings").Select("region_id, revision").Where("period_id = ?", periodID).Scan(&revs).Error; err != nil {
		return nil, err
	}
	out := make(map[int64]*Standing, len(revs))
	var stale []int64
	c := &db.standings
	c.mu.Lock()
	for _, r := range revs {
		if s := c.entries[[2]int64{periodID, r.RegionID}]; s != nil && s.Revision == r.Revision {
			copied := *s
			out[r.RegionID] = &copied
		} else {
			stale = append(stale, r.RegionID)
		}
	}
	c.mu.Unlock()
	if len(stale) == 0 {
		return out, nil
	}
	fresh := q.Where("period_id = ?", periodID)
	if len(stale) < len(revs) {
		fresh = fresh.Where("region_id IN ?", stale)
	}
	var rows []Standing
	if err := fresh.Find(&rows).Error; err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[[2]int64]*Standing{}
	}
	for i := range rows {
		if err := rows[i].decode(); err != nil {
			return nil, err
		}
		kept := rows[i]
		c.entries[[2]int64{periodID, kept.RegionID}] = &kept
		out[rows[i].RegionID] = &rows[i]
	}
	return out, nil
}
