package models_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/modelstest"
)

// TestCeremonyMigration writes commitments the way the schema before migration 11 held them —
// a deputy's paraf in a slot's only row, a signature, a failed attempt, a signer's key — and
// migrates: every row is kept, slots are open, initialled or signed, the commitments are
// numbered, the installation's certificates are recorded for OCSP, and afterwards a void
// commitment's region and year may be used again while two current ones still may not.
func TestCeremonyMigration(t *testing.T) {
	for _, d := range modelstest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			db := modelstest.OpenEmpty(t, d)
			if _, err := db.MigrateTo(ctx, 10); err != nil {
				t.Fatal(err)
			}
			for _, r := range []models.RegionInput{{Code: "62", Name: "Provinsi Kalimantan Tengah", Kind: models.KindProvince},
				{Code: "62.02", Name: "Kabupaten Kotawaringin Timur", Kind: models.KindRegency}, {Code: "62.08", Name: "Kabupaten Seruyan", Kind: models.KindRegency}} {
				if _, err := db.CreateRegion(ctx, r, false); err != nil {
					t.Fatal(err)
				}
			}
			signer, err := db.CreateUser(ctx, models.UserInput{Email: "wabup@uji.id", Name: "Wakil", Role: models.RoleSignatory, Password: "kata-sandi-masuk"}, false)
			if err != nil {
				t.Fatal(err)
			}
			ca, err := models.OpenCA(filepath.Join(t.TempDir(), "ca"), "Uji", time.Now())
			if err != nil {
				t.Fatal(err)
			}
			key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
			cert, err := ca.Issue(key.Public(), "Wakil", "", "wabup@uji.id", time.Now())
			if err != nil {
				t.Fatal(err)
			}
			raw := modelstest.Raw(t, db)
			now := time.Now().UTC()
			exec := func(sql string, args ...any) {
				t.Helper()
				if err := raw.Exec(sql, args...).Error; err != nil {
					t.Fatalf("%s: %v", sql, err)
				}
			}
			exec("INSERT INTO signing_keys (user_id, source, certificate_pem, fingerprint, encrypted_key, kdf, created_at, updated_at) VALUES (?, 'installation', ?, 'F', 'x', 'argon2id:t=2,m=1,p=1', ?, ?)",
				signer.ID, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw})), now, now)
			for i, code := range []string{"62.02", "62.08"} {
				exec("INSERT INTO documents (kind, verification_code, title, status, sha256, size, created_at, updated_at) VALUES ('commitment', ?, 'K', 'partially_signed', ?, 1, ?, ?)",
					"CODE-000"+string(rune('1'+i)), "sha-"+code, now, now)
				exec("INSERT INTO commitments (region_id, year, document_id, status, title, preamble, commitments, closing, place, dated, created_at, updated_at) "+
					"SELECT regions.id, 2019, documents.id, 'partially_signed', 'K', 'P', 'C', '', 'Palangka Raya', '2019-03-04', ?, ? FROM regions, documents "+
					"WHERE regions.code = ? AND documents.sha256 = ?", now, now, code, "sha-"+code)
			}
			exec("INSERT INTO commitment_slots (commitment_id, slot, position, kind, status, user_id, name, title, default_title) "+
				"SELECT id, 'regent', 1, 'signer', 'initialled', ?, 'Wakil', 'Wakil Bupati', 'Bupati' FROM commitments WHERE document_id = (SELECT id FROM documents WHERE sha256 = 'sha-62.02')", signer.ID)
			exec("INSERT INTO commitment_slots (commitment_id, slot, position, kind, status, name, title, default_title) " +
				"SELECT id, 'dprd_chair', 2, 'signer', 'pending', 'Ketua', '', 'Ketua DPRD' FROM commitments WHERE document_id = (SELECT id FROM documents WHERE sha256 = 'sha-62.02')")
			exec("INSERT INTO commitment_slots (commitment_id, slot, position, kind, status, name, title, default_title) " +
				"SELECT id, 'governor', 3, 'signer', 'signed', 'Gubernur', '', 'Gubernur' FROM commitments WHERE document_id = (SELECT id FROM documents WHERE sha256 = 'sha-62.08')")
			exec("INSERT INTO document_signatures (document_id, slot, name, title, mode, sha256_after, signed_at) SELECT id, 'regent', 'Wakil', 'a.n. Bupati, Wakil Bupati', 'initial', 'after-1', ? FROM documents WHERE sha256 = 'sha-62.02'", now)
			exec("INSERT INTO signing_failures (user_id, commitment_id, slot, reason, created_at) SELECT ?, id, 'regent', 'wrong_passphrase', ? FROM commitments", signer.ID, now)

			if applied, err := db.Migrate(ctx); err != nil || len(applied) == 0 || applied[0] != 11 {
				t.Fatalf("migrate: %v %v", applied, err)
			}
			var kept struct{ Slots, Failures, Acts, Issued int64 }
			raw.Table("commitment_slots").Count(&kept.Slots)
			raw.Table("signing_failures").Count(&kept.Failures)
			raw.Table("document_signatures").Count(&kept.Acts)
			raw.Table("issued_certificates").Count(&kept.Issued)
			if kept.Slots != 3 || kept.Failures != 2 || kept.Acts != 1 || kept.Issued != 1 {
				t.Fatalf("after the migration: %+v", kept)
			}
			if st, err := db.CertificateStatus(ctx, cert.SerialNumber); err != nil || st.RevokedAt != nil || st.Purpose != models.PurposeSigner {
				t.Fatalf("the existing certificate is not recorded: %+v %v", st, err)
			}

			all, err := db.Commitments(ctx, &models.User{Role: models.RoleAdmin}, models.CommitmentFilter{})
			if err != nil || len(all) != 2 {
				t.Fatalf("commitments: %v %v", len(all), err)
			}
			ktim := all[0]
			if ktim.RegionCode != "62.02" || ktim.Number != "001/PTSP-PRIMA/62.02/2019" || all[1].Number != "002/PTSP-PRIMA/62.08/2019" || ktim.Kind != models.KindRegional {
				t.Fatalf("numbers: %+v / %+v", ktim, all[1])
			}
			if s := ktim.Slot("regent"); s.Status != models.SlotInitialled || len(s.Acts) != 1 || s.Acts[0].Mode != models.ModeInitial || s.Acts[0].Capacity != models.CapacityPrincipal {
				t.Fatalf("the initialled slot: %+v", s)
			}
			if s := ktim.Slot("dprd_chair"); s.Status != models.SlotOpen {
				t.Fatalf("a pending slot becomes open: %+v", s)
			}
			if s := all[1].Slot("governor"); s.Status != models.SlotSigned {
				t.Fatalf("a signed slot: %+v", s)
			}

			// Void Kotawaringin Timur's: the region and year may be used again, once.
			admin := &models.User{ID: signer.ID, Role: models.RoleAdmin}
			if _, err := db.VoidCommitment(ctx, ktim.ID, models.VoidInput{Reason: "Nama bupati salah"}, admin); err != nil {
				t.Fatal(err)
			}
			insert := func() error {
				return raw.Exec("INSERT INTO commitments (region_id, year, document_id, status, title, preamble, commitments, closing, place, dated, created_at, updated_at, number) "+
					"SELECT region_id, year, ?, 'draft', 'K', 'P', 'C', '', 'X', '2019-03-05', created_at, updated_at, ? FROM commitments WHERE id = ?",
					docID(t, raw), "003/PTSP-PRIMA/62.02/2019-"+time.Now().Format("150405.000000"), ktim.ID).Error
			}
			if err := insert(); err != nil {
				t.Fatalf("a replacement for a void commitment: %v", err)
			}
			if err := insert(); err == nil {
				t.Fatal("two current commitments for one region and year")
			}
			var status string
			raw.Table("documents").Where("id = ?", ktim.DocumentID).Pluck("status", &status)
			if status != "void" {
				t.Fatalf("the void commitment's document: %q", status)
			}
			if _, err := db.VoidCommitment(ctx, ktim.ID, models.VoidInput{Reason: "lagi"}, admin); !errors.Is(err, models.ErrCommitmentVoid) {
				t.Fatalf("voiding twice: %v", err)
			}
		})
	}
}

// docID records a fresh document for a test commitment and returns its id.
func docID(t *testing.T, raw *gorm.DB) int64 {
	t.Helper()
	code := "R" + time.Now().Format("150405.000000000")
	if err := raw.Exec("INSERT INTO documents (kind, verification_code, title, status, sha256, size, created_at, updated_at) VALUES ('commitment', ?, 'K', 'draft', 'x', 1, ?, ?)",
		code, time.Now(), time.Now()).Error; err != nil {
		t.Fatal(err)
	}
	var id int64
	raw.Table("documents").Where("verification_code = ?", code).Pluck("id", &id)
	return id
}
