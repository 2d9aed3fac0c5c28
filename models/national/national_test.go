package national_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/modelstest"
	"github.com/pantau-id/pantau/models/national"
)

func count(t *testing.T, db *models.DB, table, where string, args ...any) int64 {
	t.Helper()
	var n int64
	q := modelstest.Raw(t, db).Table(table)
	if where != "" {
		q = q.Where(where, args...)
	}
	if err := q.Count(&n).Error; err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

// TestSeedNational loads the full national set on each database and checks its size, its
// summaries and that a second load is refused.
func TestSeedNational(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.DB) {
		if testing.Short() && db.Dialect == models.Postgres {
			t.Skip("the full set runs on SQLite only with -short")
		}
		ctx := context.Background()
		var out bytes.Buffer
		start := time.Now()
		if err := national.Seed(ctx, db, &out); err != nil {
			t.Fatalf("seed: %v", err)
		}
		t.Logf("seeded the national set on %s in %s", db.Dialect, time.Since(start).Round(time.Millisecond))
		if !strings.Contains(out.String(), "items 2025") || !strings.Contains(out.String(), "54600/54600") {
			t.Errorf("progress output lacks the item bar:\n%s", out.String())
		}

		if n := count(t, db, "regions", ""); n != 546 {
			t.Errorf("regions = %d, want 546", n)
		}
		for kind, want := range map[models.RegionKind]int64{models.KindProvince: 38, models.KindRegency: 415, models.KindCity: 93} {
			if n := count(t, db, "regions", "kind = ?", kind); n != want {
				t.Errorf("%s regions = %d, want %d", kind, n, want)
			}
		}
		if n := count(t, db, "regions", "demo = ?", false); n != 0 {
			t.Errorf("%d regions are not marked as demo data", n)
		}
		periods, err := db.Periods(ctx)
		if err != nil || len(periods) != 3 {
			t.Fatalf("periods = %v, %v; want 3", periods, err)
		}
		for _, p := range periods {
			if !p.Demo || p.Revision == 0 {
				t.Errorf("period %d: demo %v revision %d; want demo data with a revision above 0", p.Year, p.Demo, p.Revision)
			}
			if n := count(t, db, "areas", "period_id = ?", p.ID); n != 8 {
				t.Errorf("%d: areas = %d, want 8", p.Year, n)
			}
			if n := count(t, db, "indicators", "period_id = ?", p.ID); n != 100 {
				t.Errorf("%d: indicators = %d, want 100", p.Year, n)
			}
			if n := count(t, db, "items", "period_id = ?", p.ID); n != 54600 {
				t.Errorf("%d: items = %d, want 54600", p.Year, n)
			}
			if n := count(t, db, "delegations", "period_id = ?", p.ID); n != 546 {
				t.Errorf("%d: delegations = %d, want 546", p.Year, n)
			}
			for _, st := range []models.ItemStatus{models.StatusApproved, models.StatusSubmitted, models.StatusRejected} {
				if n := count(t, db, "items", "period_id = ? AND status = ?", p.ID, st); n == 0 {
					t.Errorf("%d: no %s items", p.Year, st)
				}
			}
			if n := count(t, db, "items", "period_id = ? AND status = ? AND progress <= verified_progress", p.ID, models.StatusSubmitted); n != 0 {
				t.Errorf("%d: %d submitted items claim no more than was verified", p.Year, n)
			}
			if n := count(t, db, "items", "period_id = ? AND status = ? AND progress <> verified_progress", p.ID, models.StatusApproved); n != 0 {
				t.Errorf("%d: %d approved items differ from their claim", p.Year, n)
			}
		}

		s, err := db.Summary(ctx, 2025, "")
		if err != nil {
			t.Fatalf("summary: %v", err)
		}
		if len(s.Regions) != 546 {
			t.Errorf("summary regions = %d, want 546", len(s.Regions))
		}
		for _, m := range models.Metrics {
			total := 0
			for zone, n := range s.Counts[m] {
				total += n
				if n == 0 {
					t.Errorf("%s: no Pemda in zone %s: %v", m, zone, s.Counts[m])
				}
			}
			if total != 546 {
				t.Errorf("%s counts sum to %d, want 546: %v", m, total, s.Counts[m])
			}
			if s.Counts[m][models.ZoneNoData] != 0 {
				t.Errorf("%s: %d Pemda without data", m, s.Counts[m][models.ZoneNoData])
			}
		}
		t.Logf("2025 action plan %v, delegation %v", s.Counts[models.MetricActionPlan], s.Counts[models.MetricDelegation])

		if err := national.Seed(ctx, db, nil); !errors.Is(err, national.ErrNotEmpty) {
			t.Errorf("second seed: %v, want ErrNotEmpty", err)
		}
	})
}

// TestSeedSmallIsDeterministic loads a scaled-down set twice per database and on both
// databases, and expects the same summaries every time.
func TestSeedSmallIsDeterministic(t *testing.T) {
	opts := national.Options{Provinces: 3, Regencies: 10, Cities: 4, Indicators: 20, Years: []int{2024, 2025}, BatchRows: 7}
	var first string
	modelstest.ForEachDB(t, func(t *testing.T, db *models.DB) {
		for i := range 2 {
			if i > 0 {
				db = modelstest.Open(t, db.Dialect)
			}
			if err := national.SeedWith(context.Background(), db, nil, opts); err != nil {
				t.Fatalf("seed: %v", err)
			}
			if n := count(t, db, "items", ""); n != 17*20*2 {
				t.Errorf("items = %d, want %d", n, 17*20*2)
			}
			if n := count(t, db, "indicators", ""); n != 40 {
				t.Errorf("indicators = %d, want 40", n)
			}
			s, err := db.Summary(context.Background(), 2025, "")
			if err != nil {
				t.Fatalf("summary: %v", err)
			}
			got := summaryKey(s)
			if first == "" {
				first = got
			} else if got != first {
				t.Errorf("summaries differ between loads:\n%s\n%s", first, got)
			}
		}
	})
}

func summaryKey(s *models.Summary) string {
	var b strings.Builder
	for _, r := range s.Regions {
		b.WriteString(r.Code + "=" + r.ActionPlan.Percent.String() + "/" + r.ActionPlan.ClaimedPercent.String() + "/" + r.Delegation.Percent.String() + " ")
	}
	return b.String()
}

func TestSeedRefusesBadOptions(t *testing.T) {
	db := modelstest.Open(t, models.SQLite)
	if err := national.SeedWith(context.Background(), db, nil, national.Options{Provinces: 39}); err == nil {
		t.Error("39 provinces accepted")
	}
	if n := count(t, db, "regions", ""); n != 0 {
		t.Errorf("a refused load left %d regions", n)
	}
}
