package models_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/modelstest"
)

// busyDB fills a database with a small catalogue and some claims; it returns the claimant.
func busyDB(t *testing.T, db *models.DB) *models.User {
	t.Helper()
	ctx := models.WithActor(context.Background(), models.Actor{Email: "tester@pantau.id", IP: "127.0.0.1"})
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(db.CreateRegion(ctx, models.RegionInput{Code: "62.08", Name: "Kabupaten Seruyan", Kind: models.KindRegency}, false))
	u, err := db.CreateUser(ctx, models.UserInput{Email: "coord@pantau.id", Name: "Koordinator", Role: models.RoleCoordinator, Password: "rahasia-panjang"}, false)
	must(u, err)
	must(db.CreatePeriod(ctx, models.PeriodInput{Year: 2019}, false))
	must(db.CreateArea(ctx, 2019, models.AreaInput{Code: "PTSP", Name: "PTSP"}))
	for i := 1; i <= 4; i++ {
		must(db.CreateIndicator(ctx, 2019, models.IndicatorInput{Code: fmt.Sprintf("I%d", i), Area: "PTSP", Title: "Indikator"}))
	}
	return u
}

func claim(ctx context.Context, db *models.DB, u *models.User, indicator string, progress int64) error {
	p := models.FixedFromInt(progress)
	_, err := db.ClaimItem(ctx, u, models.ItemRef{Year: 2019, RegionCode: "62.08", IndicatorCode: indicator}, models.Claim{Progress: &p})
	return err
}

func TestAuditChainUnderConcurrentWriters(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.DB) {
		u := busyDB(t, db)
		ctx := context.Background()
		before, err := db.VerifyAudit(ctx, nil)
		if err != nil || before.Broken != "" {
			t.Fatalf("fresh chain: %+v %v", before, err)
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		ok := 0
		for w := 0; w < 8; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				for i := 0; i < 10; i++ {
					err := claim(ctx, db, u, fmt.Sprintf("I%d", 1+(w+i)%4), int64(i*10))
					if err == nil {
						mu.Lock()
						ok++
						mu.Unlock()
					} else if err != models.ErrConflict {
						t.Error(err)
					}
				}
			}(w)
		}
		wg.Wait()
		after, err := db.VerifyAudit(ctx, nil)
		if err != nil || after.Broken != "" {
			t.Fatalf("chain after concurrent claims: %+v %v", after, err)
		}
		if after.Events != before.Events+int64(ok) {
			t.Fatalf("events %d, want %d + %d acknowledged claims", after.Events, before.Events, ok)
		}
		events, err := db.AuditEvents(ctx, models.AuditFilter{Entity: "item", EntityKey: "2019/62.08/I1", Limit: 1000})
		if err != nil || len(events) == 0 || events[0].Action != "claim" || events[0].Actor != "system" {
			t.Fatalf("item events: %v %+v", err, events)
		}
	})
}

// TestAuditTamperingIsNamed edits, deletes, inserts and reorders events by hand and checks
// that VerifyAudit names the first broken event each time.
func TestAuditTamperingIsNamed(t *testing.T) {
	cases := []struct {
		name   string
		sql    []string
		seq    int64
		phrase string
	}{
		{"edit a field", []string{"UPDATE audit_events SET after_json = REPLACE(after_json, '\"progress\":20', '\"progress\":90') WHERE seq = 10"}, 10, "edited"},
		{"edit the actor", []string{"UPDATE audit_events SET actor = 'someone-else' WHERE seq = 3"}, 3, "edited"},
		{"delete a row", []string{"DELETE FROM audit_events WHERE seq = 5"}, 6, "missing"},
		{"delete the tail", []string{"DELETE FROM audit_events WHERE seq = 11"}, 11, "head"},
		{"insert a row", []string{
			"UPDATE audit_events SET seq = seq + 1000 WHERE seq >= 4",
			"UPDATE audit_events SET seq = seq - 999 WHERE seq >= 1004",
			"INSERT INTO audit_events (seq, at_micros, actor, ip, entity, entity_key, action, before_json, after_json, prev_hash, hash) " +
				"SELECT 4, at_micros, actor, ip, entity, entity_key, action, before_json, after_json, hash, hash FROM audit_events WHERE seq = 3"}, 4, "edited"},
		{"reorder two rows", []string{
			"UPDATE audit_events SET seq = -1 WHERE seq = 6",
			"UPDATE audit_events SET seq = 6 WHERE seq = 7",
			"UPDATE audit_events SET seq = 7 WHERE seq = -1"}, 6, "does not follow"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			modelstest.ForEachDB(t, func(t *testing.T, db *models.DB) {
				u := busyDB(t, db)
				ctx := context.Background()
				for i := 1; i <= 3; i++ {
					if err := claim(ctx, db, u, "I1", int64(i*10)); err != nil {
						t.Fatal(err)
					}
				}
				r, err := db.VerifyAudit(ctx, nil)
				if err != nil || r.Broken != "" || r.Events != 11 {
					t.Fatalf("before tampering: %+v %v", r, err)
				}
				for _, q := range c.sql {
					if err := modelstest.Raw(t, db).Exec(q).Error; err != nil {
						t.Fatalf("%s: %v", q, err)
					}
				}
				r, err = db.VerifyAudit(ctx, nil)
				if err != nil {
					t.Fatal(err)
				}
				if r.Broken == "" || r.BrokenSeq != c.seq || !strings.Contains(r.Broken, c.phrase) {
					t.Fatalf("want event %d named (%q), got %d: %q", c.seq, c.phrase, r.BrokenSeq, r.Broken)
				}
			})
		})
	}
}
