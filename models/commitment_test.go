package models_test

import (
	"context"
	"errors"
	"testing"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/modelstest"
)

// draft is a stand-in for a rendered draft: the store records what it is given.
func draft(sha string) *models.Draft {
	return &models.Draft{SHA256: sha, Size: 1000, Pages: 2, Fields: map[string]models.SlotField{
		"regent": {Page: 1, Rect: [4]float64{10, 20, 30, 40}}, "governor": {Page: 2, Rect: [4]float64{50, 60, 70, 80}}}}
}

const (
	shaA = "1111111111111111111111111111111111111111111111111111111111111111"
	shaB = "2222222222222222222222222222222222222222222222222222222222222222"
	shaC = "3333333333333333333333333333333333333333333333333333333333333333"
)

// TestCommitmentSavedOnlyIfUnchanged: a commitment prepared (and rendered) from a region and
// template that changed before it is saved, or an assignment read from a commitment that
// changed, is ErrStaleCommitment and writes nothing; what is saved is exactly what was prepared.
func TestCommitmentSavedOnlyIfUnchanged(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		for _, r := range []models.RegionInput{{Code: "62", Name: "Provinsi Kalimantan Tengah", Kind: models.KindProvince},
			{Code: "62.08", Name: "Kabupaten Seruyan", Kind: models.KindRegency}} {
			if _, err := db.CreateRegion(ctx, r, false); err != nil {
				t.Fatal(err)
			}
		}
		admin, err := db.CreateUser(ctx, models.UserInput{Email: "admin@uji.id", Name: "Admin", Role: models.RoleAdmin, Password: "kata-sandi-masuk"}, false)
		if err != nil {
			t.Fatal(err)
		}
		var signers []*models.User
		for _, login := range []string{"bupati", "wakil"} {
			u, err := db.CreateUser(ctx, models.UserInput{Email: login + "@uji.id", Name: "Penanda " + login, Role: models.RoleSignatory, Password: "kata-sandi-masuk"}, false)
			if err != nil {
				t.Fatal(err)
			}
			signers = append(signers, u)
		}

		in := models.CommitmentInput{RegionCode: "62.08", Year: 2019}
		stale, err := db.PrepareCommitment(ctx, in, admin)
		if err != nil {
			t.Fatal(err)
		}
		tmpl := models.DefaultCommitmentTemplate
		tmpl.Title = "Komitmen {region} {year}"
		if _, err := db.SetCommitmentTemplate(ctx, tmpl, admin); err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateCommitment(ctx, stale, draft(shaA)); !errors.Is(err, models.ErrStaleCommitment) {
			t.Fatalf("saved from an old template: %v", err)
		}
		if list, err := db.Commitments(ctx, admin, models.CommitmentFilter{}); err != nil || len(list) != 0 {
			t.Fatalf("a stale commitment was written: %d %v", len(list), err)
		}
		p, err := db.PrepareCommitment(ctx, in, admin)
		if err != nil || p.Commitment.Title != "Komitmen Kabupaten Seruyan 2019" || p.Commitment.VerificationCode == "" {
			t.Fatalf("prepared: %+v %v", p.Commitment, err)
		}
		again, err := db.PrepareCommitment(ctx, in, admin)
		if err != nil {
			t.Fatal(err)
		}
		c, err := db.CreateCommitment(ctx, p, draft(shaA))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateCommitment(ctx, again, draft(shaB)); !errors.Is(err, models.ErrConflict) || errors.Is(err, models.ErrStaleCommitment) {
			t.Fatalf("a second commitment for the region and year: %v", err)
		}
		stored, err := db.Commitment(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if f, ok := stored.Slot("governor").Field(); stored.SHA256 != shaA || stored.Pages != 2 || stored.VerificationCode != p.Commitment.VerificationCode ||
			!ok || f.Page != 2 || f.Rect[2] != 70 || stored.Version != 1 {
			t.Fatalf("stored: %+v", stored)
		}
		if doc, err := db.DocumentByHash(ctx, shaA); err != nil || doc.VerificationCode != stored.VerificationCode || doc.Kind != models.DocumentCommitment {
			t.Fatalf("document: %+v %v", doc, err)
		}

		first, err := db.PrepareAssignment(ctx, c.ID, "regent", models.AssignInput{UserEmail: signers[0].Email, Name: "Yulhaidir"})
		if err != nil {
			t.Fatal(err)
		}
		second, err := db.PrepareAssignment(ctx, c.ID, "governor", models.AssignInput{UserEmail: signers[1].Email, Name: "Sugianto"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.AssignSlot(ctx, second, draft(shaB)); err != nil {
			t.Fatal(err)
		}
		if _, err := db.AssignSlot(ctx, first, draft(shaC)); !errors.Is(err, models.ErrStaleCommitment) {
			t.Fatalf("an assignment read before another one was saved: %v", err)
		}
		stored, err = db.Commitment(ctx, c.ID)
		if err != nil || stored.SHA256 != shaB || stored.Version != 2 || stored.Slot("regent").UserID != nil ||
			stored.Slot("governor").Name != "Sugianto" {
			t.Fatalf("after the stale assignment: %+v %v", stored, err)
		}
		redo, err := db.PrepareAssignment(ctx, c.ID, "regent", models.AssignInput{UserEmail: signers[0].Email, Name: "Yulhaidir"})
		if err != nil {
			t.Fatal(err)
		}
		if out, err := db.AssignSlot(ctx, redo, draft(shaC)); err != nil || out.Version != 3 || out.SHA256 != shaC {
			t.Fatalf("assignment read again: %+v %v", out, err)
		}
		if _, err := db.RecordSignature(ctx, models.SignatureRecord{CommitmentID: c.ID, Version: 2, Slot: "regent", User: signers[0],
			Mode: models.ModeSign, SHA256: shaA, Size: 1}); !errors.Is(err, models.ErrStaleCommitment) {
			t.Fatalf("a signature made on an old version: %v", err)
		}
	})
}
