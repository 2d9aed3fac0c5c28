package models_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/modelstest"
)

// TestWritesWaitingForSQLiteCommitTogetherAndFailAlone holds the writer while seven writes
// queue, so that one group runs them all: those that fail (a taken e-mail, one taken earlier in
// the same group, an unknown region, a caller gone) change nothing and hold back no other.
func TestWritesWaitingForSQLiteCommitTogetherAndFailAlone(t *testing.T) {
	db := modelstest.Open(t, models.SQLite)
	mustUser(t, db, models.UserInput{Email: "taken@x.id", Name: "Taken", Role: models.RoleAdmin, Password: "kata-sandi-panjang"})
	gone, leave := context.WithCancel(context.Background())
	unknown := "99.99"
	writes := []struct {
		email  string
		region *string
		ctx    context.Context
		want   string // "" for success
	}{
		{"a@x.id", nil, context.Background(), ""},
		{"taken@x.id", nil, context.Background(), "conflict"},
		{"b@x.id", nil, context.Background(), ""},
		{"same@x.id", nil, context.Background(), ""},
		{"c@x.id", &unknown, context.Background(), "invalid"},
		{"gone@x.id", nil, gone, "canceled"},
		{"d@x.id", nil, context.Background(), ""},
	}
	kind := func(err error) string {
		var invalid *models.ValidationError
		switch {
		case err == nil:
			return ""
		case errors.Is(err, models.ErrConflict):
			return "conflict"
		case errors.As(err, &invalid):
			return "invalid"
		case errors.Is(err, context.Canceled):
			return "canceled"
		}
		return err.Error()
	}
	release := models.HoldWriter(db)
	errs := make([]chan error, len(writes))
	for i, w := range writes {
		errs[i] = make(chan error, 1)
		go func() {
			role := models.RoleAdmin
			if w.region != nil {
				role = models.RoleOperator
			}
			_, err := db.CreateUser(w.ctx, models.UserInput{Email: w.email, Name: "User", Role: role,
				RegionCode: w.region, Password: "kata-sandi-panjang"}, false)
			errs[i] <- err
		}()
		// One at a time: passwords are hashed a few at once, and the others refused.
		if _, ok := within(30*time.Second, func() bool { return models.WaitingWrites(db) == i+1 }); !ok {
			release()
			t.Fatalf("%d writes waiting, want %d (%v)", models.WaitingWrites(db), i+1, <-errs[i])
		}
	}
	leave()
	// One more, for an e-mail the group takes first: it queues behind the group.
	late := make(chan error, 1)
	go func() {
		_, err := db.CreateUser(context.Background(), models.UserInput{Email: "same@x.id", Name: "Late", Role: models.RoleAdmin,
			Password: "kata-sandi-panjang"}, false)
		late <- err
	}()
	if _, ok := within(30*time.Second, func() bool { return models.WaitingWrites(db) == len(writes)+1 }); !ok {
		release()
		t.Fatal("the late write never queued")
	}
	release()
	for i, w := range writes {
		if got := kind(<-errs[i]); got != w.want {
			t.Errorf("%s: %q, want %q", w.email, got, w.want)
		}
	}
	if err := <-late; !errors.Is(err, models.ErrConflict) {
		t.Errorf("the late write of an e-mail taken in the group: %v, want a conflict", err)
	}
	users, err := db.Users(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, u := range users {
		got[u.Email] = u.Name
	}
	want := map[string]string{"taken@x.id": "Taken", "a@x.id": "User", "b@x.id": "User", "same@x.id": "User", "d@x.id": "User"}
	if len(got) != len(want) {
		t.Errorf("users %v, want %v", got, want)
	}
	for email, name := range want {
		if got[email] != name {
			t.Errorf("user %s: %q, want %q", email, got[email], name)
		}
	}
	events, err := db.AuditEvents(context.Background(), models.AuditFilter{Entity: "user"})
	if err != nil {
		t.Fatal(err)
	}
	audited := map[string]int{}
	for _, e := range events {
		audited[e.EntityKey]++
	}
	for email := range want {
		if audited[email] != 1 {
			t.Errorf("%s audited %d times, want once", email, audited[email])
		}
	}
	if len(events) != len(want) {
		t.Errorf("%d user events audited, want %d: %v", len(events), len(want), audited)
	}
}

// TestAFailedWriteInAGroupLeavesNothingBehind: a write that changed rows before it failed is
// rolled back to its savepoint, and the writes before and after it in the group commit.
func TestAFailedWriteInAGroupLeavesNothingBehind(t *testing.T) {
	db := modelstest.Open(t, models.SQLite)
	release := models.HoldWriter(db)
	errs := make([]chan error, 3)
	for i := range errs {
		errs[i] = make(chan error, 1)
		go func() {
			errs[i] <- models.Write(context.Background(), db, func(tx *gorm.DB) error {
				err := tx.Exec("INSERT INTO login_failures (email, ip, pending, created_at) VALUES (?, ?, ?, ?)",
					fmt.Sprintf("w%d@x.id", i), "127.0.0.1", false, time.Now()).Error
				if err == nil && i == 1 {
					err = errors.New("the second write fails after its insert")
				}
				return err
			})
		}()
		if _, ok := within(30*time.Second, func() bool { return models.WaitingWrites(db) == i+1 }); !ok {
			release()
			t.Fatalf("%d writes waiting, want %d", models.WaitingWrites(db), i+1)
		}
	}
	release()
	for i := range errs {
		if err := <-errs[i]; (err != nil) != (i == 1) {
			t.Errorf("write %d: %v", i, err)
		}
	}
	var emails []string
	if err := modelstest.Raw(t, db).Table("login_failures").Order("email").Pluck("email", &emails).Error; err != nil {
		t.Fatal(err)
	}
	if len(emails) != 2 || emails[0] != "w0@x.id" || emails[1] != "w2@x.id" {
		t.Fatalf("rows %v, want the first and the third write's", emails)
	}
}
