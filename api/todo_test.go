package api

import (
	"context"
	"testing"

	"github.com/pantau-id/pantau/models"
)

// TestTodo: what each role's home page lists first, following the writes that change it.
func TestTodo(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		todo := func(role models.Role) map[models.TodoKind]models.TodoAction {
			t.Helper()
			var got models.Todo
			e.mustOK(e.call("GET", "/api/v1/periods/2019/todo", role, nil)).decode(t, &got)
			out := map[models.TodoKind]models.TodoAction{}
			for _, a := range got.Actions {
				out[a.Kind] = a
			}
			return out
		}
		op := todo(models.RoleOperator)
		if len(op) != 1 || op[models.TodoUnsubmitted].Count != 2 || op[models.TodoUnsubmitted].Link != "/pemda/62.08?year=2019" {
			t.Fatalf("operator at the start: %+v", op)
		}
		if rv := todo(models.RoleReviewer); len(rv) != 0 {
			t.Fatalf("reviewer with nothing claimed: %+v", rv)
		}
		co := todo(models.RoleCoordinator)
		if b := co[models.TodoBehind]; len(co) != 1 || b.Count != 3 || len(b.Regions) != 3 || b.Regions[0].Count != 2 || b.Link != "/radar" {
			t.Fatalf("coordinator: %+v", co)
		}

		item := "/api/v1/periods/2019/regions/62.08/items/I1"
		e.mustOK(e.call("PATCH", item, models.RoleOperator, map[string]any{"progress": 80}))
		e.mustOK(e.upload(item+"/evidence", models.RoleOperator, "sk.pdf", samplePDF(t, "sk")))
		e.mustOK(e.call("PATCH", "/api/v1/periods/2019/regions/62.71/items/I2", models.RoleCoordinator, map[string]any{"progress": 40}))
		rv := todo(models.RoleReviewer)
		if q := rv[models.TodoReviewQueue]; len(rv) != 1 || q.Count != 2 || q.Days == nil || *q.Days != 0 || q.Link != "/review" {
			t.Fatalf("reviewer with two claims waiting: %+v", rv)
		}
		if ad := todo(models.RoleAdmin); ad[models.TodoReviewQueue].Count != 2 || ad[models.TodoBehind].Count != 3 {
			t.Fatalf("admin: %+v", ad)
		}
		e.mustOK(e.call("POST", item+"/reviews", models.RoleReviewer, map[string]any{"decision": "reject", "comment": "SK belum ditandatangani"}))
		op = todo(models.RoleOperator)
		if op[models.TodoRejected].Count != 1 || op[models.TodoUnsubmitted].Count != 1 {
			t.Fatalf("operator after a rejection: %+v", op)
		}
		if rv := todo(models.RoleReviewer); rv[models.TodoReviewQueue].Count != 1 {
			t.Fatalf("reviewer after deciding one: %+v", rv)
		}

		if s := todo(models.RoleSignatory); len(s) != 0 {
			t.Fatalf("signatory with nothing assigned: %+v", s)
		}
		cmSigning(t, e)
		var cm cmJSON
		e.mustOK(e.call("POST", "/api/v1/commitments", models.RoleCoordinator, map[string]any{"region_code": "62.08", "year": 2019})).decode(t, &cm)
		e.mustOK(e.call("PUT", "/api/v1/commitments/"+itoa(cm.ID)+"/signatories/regent", models.RoleCoordinator,
			map[string]string{"user_email": "signatory@test.pantau.id", "name": "H. Yulhaidir", "title": "Bupati Seruyan"}))
		if s := todo(models.RoleSignatory); s[models.TodoToSign].Count != 1 || s[models.TodoToSign].Link != "/commitments" {
			t.Fatalf("signatory with a slot to sign: %+v", s)
		}
		// A province's coordinator hears of that province alone (here, one with no Pemda yet).
		province := "63"
		kalsel, err := e.db.CreateUser(context.Background(), models.UserInput{Email: "koordinator.kalsel@test.pantau.id", Name: "Koordinator Kalsel",
			Role: models.RoleCoordinator, Province: &province, Password: testPassword}, false)
		if err != nil {
			t.Fatal(err)
		}
		e.tokens["kalsel"] = e.login(kalsel.Email)
		if k := todo("kalsel"); len(k) != 0 {
			t.Fatalf("another province's coordinator: %+v", k)
		}
		e.expect(e.call("GET", "/api/v1/periods/2030/todo", models.RoleOperator, nil), 404, "not_found")
	})
}
