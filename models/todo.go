package models

import (
	"context"
	"fmt"
	"sort"

	"gorm.io/gorm"
)

// TodoKind names what waits for a user's action.
type TodoKind string

// What a role's home page lists first ("Perlu tindakan").
const (
	// TodoRejected: items of the operator's Pemda that reviewers rejected.
	TodoRejected TodoKind = "rejected"
	// TodoUnsubmitted: items of the operator's Pemda not yet claimed.
	TodoUnsubmitted TodoKind = "unsubmitted"
	// TodoReviewQueue: claims waiting for a reviewer (Days: how long the oldest has waited).
	TodoReviewQueue TodoKind = "review_queue"
	// TodoToSign: commitments waiting for the signatory's signature.
	TodoToSign TodoKind = "to_sign"
	// TodoBehind: the Pemda with the most items rejected or not started (Regions: the first few).
	TodoBehind TodoKind = "behind"
)

// TodoRegion is a Pemda that is behind, with how many of its items are rejected or not started.
type TodoRegion struct {
	Code  string `json:"code"`
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// TodoAction is one thing waiting for the user, how many, and where in the web app to act.
type TodoAction struct {
	Kind    TodoKind     `json:"kind"`
	Count   int          `json:"count"`
	Days    *int         `json:"days,omitempty"`
	Regions []TodoRegion `json:"regions,omitempty"`
	Link    string       `json:"link"`
}

// Todo is what waits for a user's action in a period, most pressing first; empty when nothing does.
type Todo struct {
	Year    int          `json:"year"`
	Actions []TodoAction `json:"actions"`
}

// behindShown is how many of the Pemda that are behind a coordinator's list names.
const behindShown = 3

// TodoFor lists what waits for u in a period: an operator their Pemda's rejected and unclaimed
// items; a reviewer the claims waiting for verification in their scope; a signatory the
// commitments waiting for their signature; a coordinator (and an admin) the Pemda furthest
// behind in their scope.
func (db *DB) TodoFor(ctx context.Context, u *User, year int) (*Todo, error) {
	out := &Todo{Year: year, Actions: []TodoAction{}}
	err := db.snapshot(ctx, func(q *gorm.DB) error {
		if u.Role == RoleSignatory {
			n, err := waitingToSign(q, u, year)
			if n > 0 {
				out.Actions = append(out.Actions, TodoAction{Kind: TodoToSign, Count: n, Link: "/commitments"})
			}
			return err
		}
		// Only the regions the user answers for are read: an operator's one, a province's.
		var scope RegionFilter
		switch {
		case u.Role == RoleOperator:
			scope.Region = derefString(u.RegionCode)
		case u.Province != nil && (u.Role == RoleCoordinator || u.Role == RoleReviewer):
			scope.Province = *u.Province
		}
		r, err := radarOf(q, year, db.Now(), scope)
		if err != nil {
			return err
		}
		mine := func(code string) bool {
			switch u.Role {
			case RoleOperator:
				return u.RegionCode != nil && code == *u.RegionCode
			case RoleCoordinator, RoleReviewer:
				return u.inProvince(code)
			}
			return true
		}
		var queue, oldest int
		var behind []TodoRegion
		for _, rp := range r.Regions {
			if !mine(rp.Code) {
				continue
			}
			if u.Role == RoleOperator {
				link := fmt.Sprintf("/pemda/%s?year=%d", rp.Code, year)
				if rp.Rejected > 0 {
					out.Actions = append(out.Actions, TodoAction{Kind: TodoRejected, Count: rp.Rejected, Link: link})
				}
				if rp.NotStarted > 0 {
					out.Actions = append(out.Actions, TodoAction{Kind: TodoUnsubmitted, Count: rp.NotStarted, Link: link})
				}
				continue
			}
			queue += rp.Waiting
			if rp.OldestWaitingDays != nil && *rp.OldestWaitingDays > oldest {
				oldest = *rp.OldestWaitingDays
			}
			if n := rp.Rejected + rp.NotStarted; n > 0 {
				behind = append(behind, TodoRegion{Code: rp.Code, Name: rp.Name, Count: n})
			}
		}
		if (u.Role == RoleReviewer || u.Role == RoleAdmin) && queue > 0 {
			days := oldest
			out.Actions = append(out.Actions, TodoAction{Kind: TodoReviewQueue, Count: queue, Days: &days, Link: "/review"})
		}
		if (u.Role == RoleCoordinator || u.Role == RoleAdmin) && len(behind) > 0 {
			sort.SliceStable(behind, func(i, j int) bool { return behind[i].Count > behind[j].Count })
			out.Actions = append(out.Actions, TodoAction{Kind: TodoBehind, Count: len(behind), Regions: behind[:min(len(behind), behindShown)], Link: "/radar"})
		}
		return nil
	})
	return out, err
}

// waitingToSign counts the commitments of a year, not void, where a slot assigned to u waits for
// their signature (or their principal's, after a paraf).
func waitingToSign(q *gorm.DB, u *User, year int) (int, error) {
	var n int64
	err := q.Table("commitments").
		Where("commitments.year = ? AND commitments.status <> ? AND commitments.id IN (?)", year, CommitmentVoid,
			q.Session(&gorm.Session{NewDB: true}).Table("commitment_slots").Select("commitment_id").Where("user_id = ? AND status <> ?", u.ID, SlotSigned)).
		Count(&n).Error
	return int(n), err
}
