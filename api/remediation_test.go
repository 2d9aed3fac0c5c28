package api

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/modelstest"
)

type remediationJSON struct {
	ID      int64
	What    string
	Owner   string
	Due     string
	Status  string
	Overdue bool
	Version int64
}

// TestRemediationPlan: a coordinator and an operator agree on actions for their Pemda; who may
// change them, a stale edit, a closed year; an action past its date is marked overdue and its
// operators and author are told once, also by two instances sweeping at the same moment.
func TestRemediationPlan(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		clock := time.Date(2019, 9, 1, 3, 0, 0, 0, time.UTC)
		e.db.Now = func() time.Time { return clock }
		plan := "/api/v1/periods/2019/regions/62.08/remediation"
		var a, b remediationJSON
		e.mustOK(e.call("POST", plan, models.RoleCoordinator, map[string]any{"what": "Menetapkan Perbup pendelegasian", "owner": "Kepala DPMPTSP", "due": "2019-09-30"})).decode(t, &a)
		e.mustOK(e.call("POST", plan, models.RoleOperator, map[string]any{"what": "Mengunggah SOP", "owner": "Sekretaris DPMPTSP", "due": "2019-09-15", "status": "in_progress"})).decode(t, &b)
		if a.Status != "planned" || a.Overdue || b.Status != "in_progress" {
			t.Fatalf("added: %+v %+v", a, b)
		}

		before := e.counts()
		e.expect(e.call("POST", plan, models.RoleOperator, map[string]any{"what": " ", "owner": "x", "due": "30-09-2019"}), 422, "validation_failed")
		e.expect(e.call("POST", plan, models.RoleOperator, map[string]any{"what": "x", "owner": "x", "due": "2019-09-30", "status": "lupa"}), 422, "validation_failed")
		e.expect(e.call("POST", plan, asOperator2, map[string]any{"what": "x", "owner": "x", "due": "2019-09-30"}), 403, "forbidden")
		e.expect(e.call("POST", plan, models.RoleReviewer, map[string]any{"what": "x", "owner": "x", "due": "2019-09-30"}), 403, "forbidden")
		e.expect(e.call("PATCH", plan+"/"+itoa(a.ID), models.RoleOperator, map[string]any{"status": "done", "version": a.Version + 1}), 409, "conflict")
		e.expect(e.call("PATCH", "/api/v1/periods/2019/regions/62.71/remediation/"+itoa(a.ID), models.RoleCoordinator, map[string]any{"status": "done"}), 404, "not_found")
		e.expect(e.call("DELETE", plan+"/"+itoa(a.ID), models.RoleSignatory, nil), 403, "forbidden")
		if after := e.counts(); !equalCounts(before, after) {
			t.Fatalf("refused changes changed the database:\nbefore %v\nafter  %v", before, after)
		}

		// Past their dates: the one not done is overdue and told of once; the done one is not.
		e.mustOK(e.call("PATCH", plan+"/"+itoa(b.ID), models.RoleOperator, map[string]any{"status": "done", "version": b.Version})).decode(t, &b)
		clock = time.Date(2019, 10, 2, 3, 0, 0, 0, time.UTC)
		var listed []remediationJSON
		e.mustOK(e.call("GET", plan, models.RoleSignatory, nil)).decode(t, &listed)
		if len(listed) != 2 || listed[0].ID != b.ID || listed[0].Overdue || listed[1].ID != a.ID || !listed[1].Overdue {
			t.Fatalf("the plan on 2 October: %+v", listed)
		}
		other := modelstest.Reopen(t, e.db)
		other.Now = e.db.Now
		var wg sync.WaitGroup
		told := make([]int, 2)
		for i, db := range []*models.DB{e.db, other} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				n, err := db.NotifyOverdueActions(context.Background())
				if err != nil {
					t.Error(err)
				}
				told[i] = n
			}()
		}
		wg.Wait()
		if told[0]+told[1] != 1 {
			t.Fatalf("two instances told of %v overdue actions, want 1 in all", told)
		}
		if n, _ := e.db.NotifyOverdueActions(context.Background()); n != 0 {
			t.Fatalf("told again: %d", n)
		}
		var notes []struct{ Kind, Title, Link string }
		e.mustOK(e.call("GET", "/api/v1/me/notifications", models.RoleOperator, nil)).decode(t, &notes)
		if len(notes) == 0 || notes[0].Kind != "action_overdue" || notes[0].Link != "/pemda/62.08?year=2019" ||
			notes[0].Title != "Lewat tenggat (2019-09-30): Menetapkan Perbup pendelegasian — rencana perbaikan Kabupaten Seruyan 2019" {
			t.Fatalf("the operator's notifications: %+v", notes)
		}
		e.mustOK(e.call("GET", "/api/v1/me/notifications", models.RoleCoordinator, nil)).decode(t, &notes)
		if len(notes) == 0 || notes[0].Kind != "action_overdue" {
			t.Fatalf("the author's notifications: %+v", notes)
		}
		// A new date may be missed again.
		e.mustOK(e.call("PATCH", plan+"/"+itoa(a.ID), models.RoleCoordinator, map[string]any{"due": "2019-10-01"})).decode(t, &a)
		if n, _ := e.db.NotifyOverdueActions(context.Background()); n != 1 || !a.Overdue {
			t.Fatalf("a new date missed: told %d, %+v", n, a)
		}

		// The region's report lists the plan.
		data, err := e.db.ProgressReportData(context.Background(), 2019, models.ReportScope{Region: "62.08"})
		if err != nil || len(data.Sections) != 1 || len(data.Sections[0].Remediation) != 2 || data.Sections[0].Remediation[1].What != "Menetapkan Perbup pendelegasian" {
			t.Fatalf("the report's plan: %v %+v", err, data)
		}
		e.expect(e.call("DELETE", plan+"/"+itoa(b.ID), models.RoleOperator, nil), 204, "")
		e.mustOK(e.call("POST", "/api/v1/periods/2019/close", models.RoleCoordinator, nil))
		e.expect(e.call("POST", plan, models.RoleCoordinator, map[string]any{"what": "x", "owner": "x", "due": "2019-12-31"}), 409, "period_closed")
		e.expect(e.call("PATCH", plan+"/"+itoa(a.ID), models.RoleCoordinator, map[string]any{"status": "done"}), 409, "period_closed")
	})
}
