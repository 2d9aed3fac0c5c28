package models_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/modelstest"
)

func TestCertificateAuthorityOnDisk(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ca")
	ca, err := models.OpenCA(dir, "Uji", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(dir, "ca-key.pem"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", st.Mode(), err)
	}
	again, err := models.OpenCA(dir, "Uji", time.Now())
	if err != nil || !again.Cert.Equal(ca.Cert) {
		t.Fatalf("reopening made another CA: %v", err)
	}
	if c, err := models.ReadCACertificate(dir); err != nil || !c.Equal(ca.Cert) {
		t.Fatalf("ReadCACertificate: %v", err)
	}
	os.Chmod(filepath.Join(dir, "ca-key.pem"), 0o644)
	if _, err := models.OpenCA(dir, "Uji", time.Now()); err == nil {
		t.Fatal("a CA key readable by others was accepted")
	}
}

func TestSigningKeys(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		ca, err := models.OpenCA(filepath.Join(t.TempDir(), "ca"), "Uji", time.Now())
		if err != nil {
			t.Fatal(err)
		}
		u, err := db.CreateUser(ctx, models.UserInput{Email: "gub@uji.id", Name: "Gubernur", Role: models.RoleSignatory, Password: "kata-sandi-masuk"}, false)
		if err != nil {
			t.Fatal(err)
		}
		keys := models.LocalKeys{DB: db}
		policy := models.SigningPolicy{Window: 15 * time.Minute, MaxFailures: 5}
		sg := &models.Signing{CA: ca, Policy: policy}
		if _, _, err := keys.Unlock(ctx, u, "apa-saja-boleh"); !errors.Is(err, models.ErrNoSigningKey) {
			t.Fatalf("no key yet: %v", err)
		}
		if _, err := db.SetSigningKey(ctx, sg, u, models.SigningKeyInput{Passphrase: "kata-sandi-masuk"}); err == nil {
			t.Fatal("the sign-in password was accepted as the signing passphrase")
		}
		k, err := db.SetSigningKey(ctx, sg, u, models.SigningKeyInput{Passphrase: "frasa-pertama"})
		if err != nil {
			t.Fatal(err)
		}
		signer, chain, err := keys.Unlock(ctx, u, "frasa-pertama")
		if err != nil || len(chain) != 2 || chain[0].Subject.CommonName != "Gubernur" {
			t.Fatalf("unlock: %v %v", chain, err)
		}
		if err := chain[0].CheckSignatureFrom(ca.Cert); err != nil || signer == nil {
			t.Fatalf("certificate not issued by the CA: %v", err)
		}
		if _, _, err := keys.Unlock(ctx, u, "frasa-salah"); !errors.Is(err, models.ErrWrongPassphrase) {
			t.Fatalf("wrong passphrase: %v", err)
		}
		// Changing the passphrase keeps the key.
		if _, err := db.SetSigningKey(ctx, sg, u, models.SigningKeyInput{Passphrase: "frasa-kedua"}); err == nil {
			t.Fatal("changed the passphrase without the old one")
		}
		if _, err := db.SetSigningKey(ctx, sg, u, models.SigningKeyInput{Passphrase: "frasa-kedua", OldPassphrase: "salah-sekali"}); !errors.Is(err, models.ErrWrongPassphrase) {
			t.Fatalf("wrong old passphrase: %v", err)
		}
		k2, err := db.SetSigningKey(ctx, sg, u, models.SigningKeyInput{Passphrase: "frasa-kedua", OldPassphrase: "frasa-pertama"})
		if err != nil || k2.Fingerprint != k.Fingerprint || k2.EncryptedKey == k.EncryptedKey {
			t.Fatalf("passphrase change: %v", err)
		}
		if _, _, err := keys.Unlock(ctx, u, "frasa-kedua"); err != nil {
			t.Fatal(err)
		}

		// Wrong passphrases are counted and kept (the wrong old one above too); five lock
		// signing for the window, the right passphrase included.
		for i := 1; i < policy.MaxFailures; i++ {
			if _, _, err := sg.Unlock(ctx, db, u, "frasa-salah", models.SigningTry{}); !errors.Is(err, models.ErrWrongPassphrase) {
				t.Fatalf("attempt %d: %v", i, err)
			}
		}
		if _, _, err := sg.Unlock(ctx, db, u, "frasa-kedua", models.SigningTry{}); !errors.Is(err, models.ErrRateLimited) {
			t.Fatalf("after five failures: %v", err)
		}
		var kept int64
		modelstest.Raw(t, db).Table("signing_failures").Where("user_id = ? AND pending = ?", u.ID, false).Count(&kept)
		if kept != int64(policy.MaxFailures) {
			t.Fatalf("%d failures kept, want %d (refused tries are not failures)", kept, policy.MaxFailures)
		}
		later := time.Now().Add(16 * time.Minute)
		db.Now = func() time.Time { return later }
		if _, _, err := sg.Unlock(ctx, db, u, "frasa-kedua", models.SigningTry{}); err != nil {
			t.Fatalf("after the window: %v", err)
		}
	})
}

// BenchmarkUnlock is the cost of deriving the key-encryption key (argon2id) and opening a key,
// paid once per signature.
func BenchmarkUnlock(b *testing.B) {
	db := modelstest.Open(b, models.SQLite)
	ctx := context.Background()
	ca, _ := models.OpenCA(filepath.Join(b.TempDir(), "ca"), "Uji", time.Now())
	u, _ := db.CreateUser(ctx, models.UserInput{Email: "b@uji.id", Name: "B", Role: models.RoleSignatory, Password: "kata-sandi-masuk"}, false)
	if _, err := db.SetSigningKey(ctx, &models.Signing{CA: ca}, u, models.SigningKeyInput{Passphrase: "frasa-rahasia"}); err != nil {
		b.Fatal(err)
	}
	keys := models.LocalKeys{DB: db}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := keys.Unlock(ctx, u, "frasa-rahasia"); err != nil {
			b.Fatal(err)
		}
	}
}
