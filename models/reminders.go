package models

import (
	"context"
	"fmt"
	"sort"
	"time"

	"gorm.io/gorm"
)

// DefaultReminderDays are the days before a deadline on which operators are reminded.
var DefaultReminderDays = []int{14, 7, 3, 1}

// reminderDue picks the reminder that is due with left days to go: the smallest of days (sorted
// or not) that is at least left. Started late — five days out, say — the seven-day reminder is
// still sent, once, and the fourteen-day one never. Zero when none is due (left < 0, or more
// than the largest).
func reminderDue(days []int, left int) int {
	if left < 0 {
		return 0
	}
	due := 0
	for _, d := range days {
		if d >= left && (due == 0 || d < due) {
			due = d
		}
	}
	return due
}

// SendDeadlineReminders reminds, for every open period with a deadline, the operators of each
// Pemda whose items are not all submitted (the ones Perlu tindakan lists: rejected or not yet
// claimed) that the deadline is near — on the days of days before it (the region's extension,
// if it has one, is its deadline). Each operator gets one reminder per period and number of
// days, ever: whichever instance or run finds it first writes it (notifications.dedupe_key). It
// returns how many reminders it wrote.
func (db *DB) SendDeadlineReminders(ctx context.Context, days []int) (int, error) {
	var periods []Period
	if err := db.read(ctx).Where("status = ? AND deadline IS NOT NULL", PeriodOpen).Order("year").Find(&periods).Error; err != nil {
		return 0, translate(err)
	}
	now := db.Now()
	sent := 0
	for i := range periods {
		n, err := db.remindPeriod(ctx, &periods[i], days, now)
		sent += n
		if err != nil {
			return sent, err
		}
	}
	return sent, nil
}

// behindRegion is a Pemda whose operators are reminded.
type behindRegion struct {
	region   Region
	deadline string
	left     int
	count    int
}

// remindPeriod sends one period's due reminders.
func (db *DB) remindPeriod(ctx context.Context, p *Period, days []int, now time.Time) (int, error) {
	var due []behindRegion
	err := db.snapshot(ctx, func(q *gorm.DB) error {
		var err error
		due, err = behindRegions(q, p, days, now)
		return err
	})
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, b := range due {
		key := fmt.Sprintf("reminder:%d:%d", p.ID, reminderDue(days, b.left))
		// Read first: through the days of a reminder, the hourly passes find it written
		// already, and a write transaction (which other caches count) would change nothing.
		var waiting int64
		err := db.read(ctx).Table("users").Where("role = ? AND region_id = ? AND active = ?", RoleOperator, b.region.ID, true).
			Where("NOT EXISTS (SELECT 1 FROM notifications WHERE notifications.user_id = users.id AND notifications.dedupe_key = ?)", key).
			Count(&waiting).Error
		if err != nil {
			return sent, translate(err)
		}
		if waiting == 0 {
			continue
		}
		err = db.tx(ctx, func(tx *gorm.DB) error {
			users, err := regionOperators(tx, b.region.ID)
			if err != nil {
				return err
			}
			written, err := db.writeNotices(tx, 0, notice{users: users, kind: NoticeDeadlineReminder,
				link: fmt.Sprintf("/pemda/%s?year=%d", b.region.Code, p.Year), key: key,
				params: NoticeParams{Year: p.Year, Region: b.region.Code, RegionName: b.region.Name, Until: b.deadline, Days: b.left, Count: b.count}})
			sent += written
			return err
		})
		if err != nil {
			return sent, err
		}
	}
	return sent, nil
}

// behindRegions lists a period's Pemda with items not submitted and a reminder due today.
func behindRegions(q *gorm.DB, p *Period, days []int, now time.Time) ([]behindRegion, error) {
	var regions []Region
	if err := q.Select("id, code, name, kind").Find(&regions).Error; err != nil {
		return nil, err
	}
	var exts []Extension
	if err := q.Where("period_id = ?", p.ID).Find(&exts).Error; err != nil {
		return nil, err
	}
	until := make(map[int64]string, len(exts))
	for _, e := range exts {
		until[e.RegionID] = e.Until
	}
	r, err := radarOf(q, p.Year, now, RegionFilter{})
	if err != nil {
		return nil, err
	}
	byCode := make(map[string]Region, len(regions))
	for _, reg := range regions {
		byCode[reg.Code] = reg
	}
	var out []behindRegion
	for _, rp := range r.Regions {
		count := rp.Rejected + rp.NotStarted
		if count == 0 {
			continue
		}
		reg := byCode[rp.Code]
		deadline := *p.Deadline
		if u, ok := until[reg.ID]; ok && u > deadline {
			deadline = u
		}
		d, err := time.ParseInLocation(time.DateOnly, deadline, WIB)
		if err != nil {
			return nil, fmt.Errorf("deadline %q: %w", deadline, err)
		}
		left := daysBetween(now, d)
		if reminderDue(days, left) == 0 {
			continue
		}
		out = append(out, behindRegion{region: reg, deadline: deadline, left: left, count: count})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].region.Code < out[j].region.Code })
	return out, nil
}
