package api

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/modelstest"
)

// commentCounts counts what a refused request must not change.
func (e *env) commentCounts() [4]int64 {
	e.t.Helper()
	var out [4]int64
	raw := modelstest.Raw(e.t, e.db)
	for i, table := range []string{"comments", "comment_mentions", "notifications", "audit_events"} {
		if err := raw.Table(table).Count(&out[i]).Error; err != nil {
			e.t.Fatal(err)
		}
	}
	return out
}

// TestCommentRules: who may read and write a discussion, what a mention reaches, the edit
// window and versions, deletion only before an answer, bad bodies changing nothing, and the
// discussion in the item's history (for those who may take part) — on both databases.
func TestCommentRules(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		base := itemPath + "/comments"
		// The signatory and the city's operator may not take part; nor see.
		for _, role := range []models.Role{models.RoleSignatory, asOperator2} {
			e.expect(e.call("GET", base, role, nil), http.StatusForbidden, "forbidden")
			e.expect(e.call("POST", base, role, map[string]any{"body": "Halo"}), http.StatusForbidden, "forbidden")
		}
		e.expect(e.call("GET", "/api/v1/periods/2019/regions/62.08/items/NOPE/comments", models.RoleOperator, nil), http.StatusNotFound, "not_found")
		var empty []models.Comment
		e.mustOK(e.call("GET", base, models.RoleOperator, nil)).decode(t, &empty)
		if len(empty) != 0 {
			t.Fatalf("untouched item's discussion: %+v", empty)
		}

		// Bad bodies change nothing.
		before := e.commentCounts()
		for _, body := range []any{map[string]any{"body": "   "}, map[string]any{}, map[string]any{"body": strings.Repeat("é", models.MaxCommentLen+1)}} {
			e.expect(e.call("POST", base, models.RoleCoordinator, body), http.StatusUnprocessableEntity, "validation_failed")
		}
		e.expect(e.call("POST", base, models.RoleCoordinator, `{"body": "a\u0000b"}`), http.StatusUnprocessableEntity, "validation_failed")
		e.expect(e.call("POST", base, models.RoleCoordinator, `{"body": [1]}`), http.StatusBadRequest, "bad_request")
		if after := e.commentCounts(); after != before {
			t.Fatalf("refused comments changed %v → %v", before, after)
		}

		// Mentions reach only those who may take part: not the signatory, not 62.71's operator,
		// not an unknown address; the coordinator's comment at its limit is kept whole.
		clock := time.Date(2019, 6, 1, 8, 0, 0, 0, time.UTC)
		e.db.Now = func() time.Time { return clock }
		body := "@signatory@test.pantau.id @operator_city@test.pantau.id @nobody@test.pantau.id @REVIEWER@test.pantau.id, mohon cek."
		var c models.Comment
		e.mustOK(e.call("POST", base, models.RoleCoordinator, map[string]any{"body": body})).decode(t, &c)
		if len(c.Mentions) != 1 || c.Mentions[0] != "reviewer@test.pantau.id" || c.Body != body || !c.CreatedAt.Equal(clock) {
			t.Fatalf("comment: %+v", c)
		}
		for role, want := range map[models.Role]string{models.RoleSignatory: "", asOperator2: "", models.RoleReviewer: "mention", models.RoleOperator: "comment"} {
			got := e.notifications(role, "")
			if want == "" && len(got) != 0 || want != "" && (len(got) != 1 || got[0].Kind != want) {
				t.Errorf("%s's notifications: %+v, want %q", role, got, want)
			}
		}

		// Only the author edits, with the current version, within 15 minutes.
		path := base + "/" + itoa(c.ID)
		e.expect(e.call("PATCH", path, models.RoleReviewer, map[string]any{"body": "x"}), http.StatusForbidden, "forbidden")
		e.expect(e.call("PATCH", path, models.RoleCoordinator, map[string]any{"body": "x", "version": 7}), http.StatusConflict, "conflict")
		clock = clock.Add(14 * time.Minute)
		var edited models.Comment
		e.mustOK(e.call("PATCH", path, models.RoleCoordinator, map[string]any{"body": "Mohon cek, @admin@test.pantau.id", "version": 1})).decode(t, &edited)
		if edited.Version != 2 || edited.EditedAt == nil || !edited.EditedAt.Equal(clock) || len(edited.Mentions) != 1 || edited.Mentions[0] != "admin@test.pantau.id" {
			t.Fatalf("edited: %+v", edited)
		}
		if got := e.notifications(models.RoleAdmin, ""); len(got) != 1 || got[0].Kind != "mention" {
			t.Fatalf("admin newly mentioned: %+v", got)
		}
		clock = clock.Add(2 * time.Minute)
		e.expect(e.call("PATCH", path, models.RoleCoordinator, map[string]any{"body": "terlambat", "version": 2}), http.StatusForbidden, "forbidden")

		// Deleting: only the author, only before an answer.
		var answer models.Comment
		e.mustOK(e.call("POST", base, models.RoleOperator, map[string]any{"body": "Baik."})).decode(t, &answer)
		before = e.commentCounts()
		e.expect(e.call("DELETE", path, models.RoleCoordinator, nil), http.StatusConflict, "conflict")
		e.expect(e.call("DELETE", base+"/"+itoa(answer.ID), models.RoleCoordinator, nil), http.StatusForbidden, "forbidden")
		e.expect(e.call("DELETE", base+"/99999", models.RoleOperator, nil), http.StatusNotFound, "not_found")
		e.expect(e.call("DELETE", "/api/v1/periods/2019/regions/62.08/items/I2/comments/"+itoa(answer.ID), models.RoleOperator, nil), http.StatusNotFound, "not_found")
		if after := e.commentCounts(); after != before {
			t.Fatalf("refused deletions changed %v → %v", before, after)
		}
		if r := e.call("DELETE", base+"/"+itoa(answer.ID), models.RoleOperator, nil); r.Status != http.StatusNoContent {
			t.Fatalf("deleting an unanswered comment: %d %s", r.Status, r.Body)
		}
		var left []models.Comment
		e.mustOK(e.call("GET", base, models.RoleReviewer, nil)).decode(t, &left)
		if len(left) != 1 || left[0].ID != c.ID || left[0].Body != "Mohon cek, @admin@test.pantau.id" {
			t.Fatalf("discussion after deleting: %+v", left)
		}

		// The item's history tells the whole conversation, the deleted comment included.
		var history []struct {
			Action string
			Actor  string
			After  json.RawMessage
			Before json.RawMessage
		}
		e.mustOK(e.call("GET", itemPath+"/history", models.RoleSignatory, nil)).decode(t, &history)
		if len(history) != 0 {
			t.Fatalf("the signatory sees the discussion in the history: %+v", history)
		}
		e.mustOK(e.call("GET", itemPath+"/history", models.RoleOperator, nil)).decode(t, &history)
		var actions []string
		for _, h := range history {
			actions = append(actions, h.Action)
		}
		if got := strings.Join(actions, ","); got != "comment,comment_edit,comment,comment_delete" {
			t.Fatalf("history actions: %s", got)
		}
		if !strings.Contains(string(history[3].Before), `"Baik."`) || history[3].Actor != "operator@test.pantau.id" {
			t.Fatalf("deletion in history: %+v", history[3])
		}
	})
}

// TestNotificationsOfEvents: approvals, extensions and signing slots notify whom they concern,
// in the same transaction as the event; nobody reads or marks another's notifications.
func TestNotificationsOfEvents(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		e.mustOK(e.call("PUT", "/api/v1/periods/2019/regions/62.71/extension", models.RoleCoordinator, map[string]any{"until": "2020-01-31", "reason": "Banjir"}))
		got := e.notifications(asOperator2, "")
		if len(got) != 1 || got[0].Kind != "extension_granted" || got[0].Title != "Batas waktu Kota Palangka Raya 2019 diperpanjang sampai 2020-01-31" {
			t.Fatalf("extension: %+v", got)
		}
		r := e.call("GET", "/api/v1/me/notifications", asOperator2, nil)
		r2 := e.do(withLanguage(e, "GET", "/api/v1/me/notifications", asOperator2, "en"))
		if r.Status != 200 || !strings.Contains(string(r2.Body), "The Kota Palangka Raya 2019 deadline is extended to 2020-01-31") {
			t.Fatalf("English title by Accept-Language: %s", r2.Body)
		}
		if len(e.notifications(models.RoleOperator, "")) != 0 {
			t.Fatal("62.08's operator heard of 62.71's extension")
		}
		var login struct {
			Unread *int64 `json:"unread_notifications"`
		}
		e.mustOK(e.call("POST", "/api/v1/auth/login", asAnonymous, map[string]string{"email": "operator_city@test.pantau.id", "password": testPassword})).decode(t, &login)
		if login.Unread == nil || *login.Unread != 1 {
			t.Fatalf("sign-in's unread count: %v", login.Unread)
		}

		// An approval of a claim at 0 (no evidence needed) tells the operator.
		e.mustOK(e.call("PATCH", "/api/v1/periods/2019/regions/62.08/items/I2", models.RoleOperator, map[string]any{"progress": 0}))
		e.mustOK(e.call("POST", "/api/v1/periods/2019/regions/62.08/items/I2/reviews", models.RoleReviewer, map[string]any{"decision": "approve"}))
		got = e.notifications(models.RoleOperator, "")
		if len(got) != 1 || got[0].Kind != "item_approved" || !strings.HasPrefix(got[0].Title, "Disetujui: I2 Perizinan daring (Kabupaten Seruyan, 2019)") {
			t.Fatalf("approval: %+v", got)
		}

		// A signing slot assigned tells the signatory.
		cmSigning(t, e)
		e.mustOK(e.call("POST", "/api/v1/commitments", models.RoleCoordinator, map[string]any{"region_code": "62.08", "year": 2019}))
		e.mustOK(e.call("PUT", "/api/v1/commitments/1/signatories/regent", models.RoleCoordinator, map[string]string{"user_email": "signatory@test.pantau.id", "name": "H. Yulhaidir", "title": "Bupati Seruyan"}))
		got = e.notifications(models.RoleSignatory, "")
		if len(got) != 1 || got[0].Kind != "slot_assigned" || got[0].Link != "/commitments/1" {
			t.Fatalf("slot: %+v", got)
		}

		// Nobody marks another's read; bad requests are refused.
		var out struct{ Unread int64 }
		e.mustOK(e.call("POST", "/api/v1/me/notifications/read", models.RoleOperator, map[string]any{"ids": []int64{got[0].ID}})).decode(t, &out)
		if out.Unread != 1 || e.unread(models.RoleSignatory) != 1 {
			t.Fatalf("reading another's notification: operator %d unread, signatory %d", out.Unread, e.unread(models.RoleSignatory))
		}
		e.expect(e.call("POST", "/api/v1/me/notifications/read", models.RoleOperator, map[string]any{"ids": []int64{}}), http.StatusUnprocessableEntity, "validation_failed")
		e.expect(e.call("GET", "/api/v1/me/notifications?limit=0", models.RoleOperator, nil), http.StatusUnprocessableEntity, "validation_failed")
		e.expect(e.call("GET", "/api/v1/me/notifications?unread=yes", models.RoleOperator, nil), http.StatusUnprocessableEntity, "validation_failed")
		e.expect(e.call("PUT", "/api/v1/me/preferences", models.RoleOperator, map[string]any{"language": "fr"}), http.StatusUnprocessableEntity, "validation_failed")
		if got := e.notifications(models.RoleOperator, "?unread=true"); len(got) != 1 {
			t.Fatalf("operator's unread: %+v", got)
		}
	})
}

// withLanguage is a request as role asking for lang.
func withLanguage(e *env, method, path string, role models.Role, lang string) *http.Request {
	req, err := http.NewRequest(method, e.srv.URL+path, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+e.tokens[role])
	req.Header.Set("Accept-Language", lang)
	return req
}
