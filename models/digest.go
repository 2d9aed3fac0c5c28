package models

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"gorm.io/gorm"
)

// Digest is a coordinator's week in their scope (the whole country, or their province): per
// Pemda what moved (items verified, rejected, claimed), what waits for review, and who is
// behind. Each list names at most DigestShown Pemda; its total counts them all.
type Digest struct {
	Year int    `json:"year"`
	Week string `json:"week"`
	// Since is the first day (WIB) of the seven the digest looks back on.
	Since    string `json:"since"`
	Province string `json:"province,omitempty"`
	// Moved are the Pemda where items were verified, rejected or claimed, the busiest first.
	Moved      []DigestRegion `json:"moved"`
	MovedTotal int            `json:"moved_total"`
	// Waiting are the Pemda with items in the review queue, the longest queue first.
	Waiting      []DigestRegion `json:"waiting"`
	WaitingTotal int            `json:"waiting_total"`
	// Behind are the Pemda with the lowest verified score (red ones first) and work left.
	Behind      []DigestRegion `json:"behind"`
	BehindTotal int            `json:"behind_total"`
	// Totals add up the whole scope.
	Verified int `json:"verified"`
	Rejected int `json:"rejected"`
	Claimed  int `json:"claimed"`
	Queue    int `json:"queue"`
}

// DigestRegion is one Pemda's line in a digest.
type DigestRegion struct {
	Code string `json:"code"`
	Name string `json:"name"`
	// This week's moves.
	Verified int `json:"verified,omitempty"`
	Rejected int `json:"rejected,omitempty"`
	Claimed  int `json:"claimed,omitempty"`
	// Waiting is the review queue now; Left the items rejected or not started.
	Waiting int `json:"waiting,omitempty"`
	Left    int `json:"left,omitempty"`
	// Percent is the verified action-plan score, Zone its zone.
	Percent *Fixed `json:"percent,omitempty"`
	Zone    Zone   `json:"zone,omitempty"`
}

// DigestShown bounds each list of a digest.
const DigestShown = 15

// ISOWeek names the ISO week of t in WIB: "2026-W49".
func ISOWeek(t time.Time) string {
	y, w := t.In(WIB).ISOWeek()
	return fmt.Sprintf("%d-W%02d", y, w)
}

// DigestRecipients lists the active coordinators, who get the weekly digest.
func (db *DB) DigestRecipients(ctx context.Context) ([]User, error) {
	var out []User
	err := db.read(ctx).Where("role = ? AND active = ?", RoleCoordinator, true).Order("id").Find(&out).Error
	return out, translate(err)
}

// CurrentYear is the latest open period's year; ErrNotFound without one.
func (db *DB) CurrentYear(ctx context.Context) (int, error) {
	var years []int
	if err := db.read(ctx).Table("periods").Where("status = ?", PeriodOpen).Order("year DESC").Limit(1).Pluck("year", &years).Error; err != nil {
		return 0, translate(err)
	}
	if len(years) == 0 {
		return 0, ErrNotFound
	}
	return years[0], nil
}

// DigestFor computes the digest of a period for a province ("" for the whole country), for
// the seven days before now.
func (db *DB) DigestFor(ctx context.Context, year int, province string, now time.Time) (*Digest, error) {
	d := &Digest{Year: year, Week: ISOWeek(now), Since: day(now.AddDate(0, 0, -7)), Province: province}
	err := db.snapshot(ctx, func(q *gorm.DB) error {
		p, err := periodByYear(q, year)
		if err != nil {
			return err
		}
		scope := RegionFilter{Province: province}
		radar, err := radarOf(q, year, now, scope)
		if err != nil {
			return err
		}
		summary, err := db.summaryOf(q, year, province)
		if err != nil {
			return err
		}
		moves, err := weekMoves(q, p.ID, scope, now.AddDate(0, 0, -7))
		if err != nil {
			return err
		}
		standing := make(map[string]ActionPlanStanding, len(summary.Regions))
		for _, r := range summary.Regions {
			standing[r.Code] = r.ActionPlan
		}
		var moved, waiting, behind []DigestRegion
		for _, rp := range radar.Regions {
			line := DigestRegion{Code: rp.Code, Name: rp.Name, Waiting: rp.Waiting, Left: rp.Rejected + rp.NotStarted,
				Percent: standing[rp.Code].Percent, Zone: standing[rp.Code].Zone}
			m := moves[rp.Code]
			line.Verified, line.Rejected, line.Claimed = m.verified, m.rejected, m.claimed
			d.Verified, d.Rejected, d.Claimed, d.Queue = d.Verified+m.verified, d.Rejected+m.rejected, d.Claimed+m.claimed, d.Queue+rp.Waiting
			if m.verified+m.rejected+m.claimed > 0 {
				moved = append(moved, line)
			}
			if rp.Waiting > 0 {
				waiting = append(waiting, line)
			}
			if line.Left > 0 {
				behind = append(behind, line)
			}
		}
		sort.SliceStable(moved, func(i, j int) bool { return moved[i].moves() > moved[j].moves() })
		sort.SliceStable(waiting, func(i, j int) bool { return waiting[i].Waiting > waiting[j].Waiting })
		sort.SliceStable(behind, func(i, j int) bool { return behind[i].behindThan(behind[j]) })
		d.Moved, d.MovedTotal = moved[:min(len(moved), DigestShown)], len(moved)
		d.Waiting, d.WaitingTotal = waiting[:min(len(waiting), DigestShown)], len(waiting)
		d.Behind, d.BehindTotal = behind[:min(len(behind), DigestShown)], len(behind)
		return nil
	})
	return d, err
}

func (r DigestRegion) moves() int { return r.Verified + r.Rejected + r.Claimed }

// behindThan orders the Pemda that are behind: red first, then the lowest verified score (none
// counts as zero), then the most work left.
func (r DigestRegion) behindThan(o DigestRegion) bool {
	if (r.Zone == ZoneRed) != (o.Zone == ZoneRed) {
		return r.Zone == ZoneRed
	}
	var a, b Fixed
	if r.Percent != nil {
		a = *r.Percent
	}
	if o.Percent != nil {
		b = *o.Percent
	}
	if a != b {
		return a < b
	}
	return r.Left > o.Left
}

// weekMove is what happened to a Pemda's items since a time.
type weekMove struct{ verified, rejected, claimed int }

// weekMoves counts, per Pemda code, the reviews (approvals, rejections) and claims made in a
// period since a time.
func weekMoves(q *gorm.DB, periodID int64, scope RegionFilter, since time.Time) (map[string]weekMove, error) {
	var reviews []struct {
		Code, Decision string
		N              int
	}
	base := func(table string) *gorm.DB {
		return scope.where(q.Session(&gorm.Session{NewDB: true}).Table(table).
			Joins("JOIN items ON items.id = "+table+".item_id").Joins("JOIN regions ON regions.id = items.region_id").
			Where("items.period_id = ? AND "+table+".created_at >= ?", periodID, since.UTC()))
	}
	if err := base("reviews").Select("regions.code, reviews.decision, COUNT(*) AS n").Group("regions.code, reviews.decision").Scan(&reviews).Error; err != nil {
		return nil, err
	}
	var claims []struct {
		Code string
		N    int
	}
	if err := base("claims").Select("regions.code, COUNT(*) AS n").Group("regions.code").Scan(&claims).Error; err != nil {
		return nil, err
	}
	out := map[string]weekMove{}
	for _, r := range reviews {
		m := out[r.Code]
		if r.Decision == string(DecisionReject) {
			m.rejected += r.N
		} else {
			m.verified += r.N
		}
		out[r.Code] = m
	}
	for _, c := range claims {
		m := out[c.Code]
		m.claimed += c.N
		out[c.Code] = m
	}
	return out, nil
}

// SendDigest writes a coordinator's weekly digest as a notification (and its e-mail, under the
// digest preference): at most one per user and ISO week, ever, whichever instance or run gets
// there first. It reports whether it wrote it.
func (db *DB) SendDigest(ctx context.Context, userID int64, d *Digest) (bool, error) {
	if d == nil {
		return false, errors.New("no digest")
	}
	written := 0
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var err error
		written, err = db.writeNotices(tx, 0, notice{users: []int64{userID}, kind: NoticeWeeklyDigest, key: "digest:" + d.Week,
			link: fmt.Sprintf("/radar?year=%d", d.Year), params: NoticeParams{Year: d.Year, Week: d.Week, Count: d.MovedTotal, Digest: d}})
		return err
	})
	return written == 1, err
}
