package models_test

import (
	"context"
	"testing"
	"time"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/modelstest"
)

// TestProgrammeDepthMigrationKeepsScores writes a flat catalogue with claims the way the
// schema before migration 10 held it, with each region's standing as the application then
// computed it, and migrates: the standings, recomputed by the tree scorer, are unchanged, and
// every item applies.
func TestProgrammeDepthMigrationKeepsScores(t *testing.T) {
	for _, d := range modelstest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			db := modelstest.OpenEmpty(t, d)
			if _, err := db.MigrateTo(ctx, 9); err != nil {
				t.Fatal(err)
			}
			raw := modelstest.Raw(t, db)
			now := time.Date(2019, 10, 1, 9, 0, 0, 0, time.UTC)
			exec := func(sql string, args ...any) {
				t.Helper()
				if err := raw.Exec(sql, args...).Error; err != nil {
					t.Fatal(err)
				}
			}
			exec("INSERT INTO regions (id, code, name, kind, created_at) VALUES (1, '62.08', 'Kabupaten Seruyan', 'regency', ?), (2, '62.71', 'Kota Palangka Raya', 'city', ?)", now, now)
			exec("INSERT INTO periods (id, year, name, revision, created_at) VALUES (1, 2019, 'Rencana Aksi 2019', 3, ?)", now)
			exec("INSERT INTO areas (id, period_id, code, name, weight, position) VALUES (1, 1, 'A', 'PTSP', 300, 1), (2, 1, 'B', 'Pengadaan', 100, 2)")
			exec("INSERT INTO indicators (id, period_id, area_id, code, title, weight, position) VALUES " +
				"(1, 1, 1, 'A.1', 'Perkada', 100, 1), (2, 1, 1, 'A.2', 'SOP', 200, 2), (3, 1, 2, 'B.1', 'RUP', 300, 3), (4, 1, 2, 'B.2', 'SPSE', 100, 4)")
			// Seruyan: A = (100 + 2 × 40) / 3 = 60, B = (3 × 50 + 0) / 4 = 37.5, overall
			// (3 × 60 + 37.5) / 4 = 54.375 → 54.38; claimed A = (100 + 2 × 60) / 3, B = (3 × 70
			// + 20) / 4 = 57.5, overall 69.375 → 69.38. Palangka Raya: everything at 100.
			for i, it := range [][4]int64{{1, 1, 10000, 10000}, {1, 2, 6000, 4000}, {1, 3, 7000, 5000}, {1, 4, 2000, 0},
				{2, 1, 10000, 10000}, {2, 2, 10000, 10000}, {2, 3, 10000, 10000}, {2, 4, 10000, 10000}} {
				status := "approved"
				if it[3] == 0 {
					status = "submitted"
				}
				exec("INSERT INTO items (id, period_id, region_id, indicator_id, progress, verified_progress, status, version, updated_at) VALUES (?, 1, ?, ?, ?, ?, ?, 2, ?)",
					i+1, it[0], it[1], it[2], it[3], status, now)
			}
			exec("INSERT INTO standings (period_id, region_id, revision, verified, claimed, updated_at) VALUES (1, 1, 5, 5438, 6938, ?), (1, 2, 5, 10000, 10000, ?)", now, now)

			if applied, err := db.MigrateTo(ctx, 10); err != nil || len(applied) != 1 || applied[0] != 10 {
				t.Fatalf("migration 10: %v %v", applied, err)
			}
			s, err := db.Summary(ctx, 2019, "")
			if err != nil {
				t.Fatal(err)
			}
			want := map[string][2]string{"62.08": {"54.38", "69.38"}, "62.71": {"100", "100"}}
			for _, r := range s.Regions {
				w := want[r.Code]
				if r.ActionPlan.Percent == nil || r.ActionPlan.Percent.String() != w[0] || r.ActionPlan.ClaimedPercent.String() != w[1] || !r.Applicable {
					t.Errorf("%s after the migration: verified %v claimed %v applicable %v, want %v", r.Code, r.ActionPlan.Percent, r.ActionPlan.ClaimedPercent, r.Applicable, w)
				}
			}
			items, err := db.Items(ctx, 2019, "62.08")
			if err != nil || len(items) != 4 {
				t.Fatalf("items: %v %v", items, err)
			}
			for _, it := range items {
				if it.Applicability != models.ApplicabilityApplicable || it.Parent != nil {
					t.Errorf("%s: applicability %s, parent %v", it.IndicatorCode, it.Applicability, it.Parent)
				}
			}
		})
	}
}
