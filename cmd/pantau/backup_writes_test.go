package main

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/modelstest"
)

// claimTally counts the claims and the audit events that record them; in any consistent
// state the two grow together.
func claimTally(t *testing.T, env map[string]string) (claims, events int64) {
	t.Helper()
	raw := modelstest.RawOpen(t, models.Options{DatabaseURL: env["DATABASE_URL"], DataDir: env["PANTAU_DATA_DIR"]})
	if err := raw.Table("claims").Count(&claims).Error; err != nil {
		t.Fatal(err)
	}
	if err := raw.Table("audit_events").Where("entity = 'item' AND action = 'claim'").Count(&events).Error; err != nil {
		t.Fatal(err)
	}
	if db, err := raw.DB(); err == nil {
		db.Close()
	}
	return claims, events
}

// TestBackupUnderWrites takes a backup while claims are written through the models API and
// the audit sealer runs, and finds the restored installation consistent: its audit chain
// intact, and exactly one audit event for each claim made after the demo was loaded.
func TestBackupUnderWrites(t *testing.T) {
	for name, env := range envs(t) {
		t.Run(name, func(t *testing.T) {
			if code, _, errOut := cli(t, env, "", "seed", "--demo"); code != 0 {
				t.Fatal(errOut)
			}
			baseClaims, baseEvents := claimTally(t, env)
			in := openInstallation(t, env)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			go in.db.RunSealer(ctx, 5*time.Millisecond, slog.New(slog.NewTextHandler(io.Discard, nil)))
			op := in.user("operator.seruyan@demo.pantau.id")
			var writes atomic.Int64
			failed := make(chan error, 1)
			go func() {
				defer close(failed)
				for i := int64(0); ctx.Err() == nil; i++ {
					p := models.FixedFromInt(i % 101)
					_, err := in.db.ClaimItem(ctx, op, models.ItemRef{Year: 2020, RegionCode: "62.08", IndicatorCode: "PTSP.1"}, models.Claim{Progress: &p})
					if err != nil && ctx.Err() == nil {
						failed <- err
						return
					}
					writes.Add(1)
				}
			}()
			for writes.Load() < 20 {
				time.Sleep(time.Millisecond)
			}
			archive := filepath.Join(t.TempDir(), "pantau.zip")
			before := writes.Load()
			if code, _, errOut := cli(t, env, "", "backup", "-o", archive); code != 0 {
				t.Fatalf("backup under writes: %q", errOut)
			}
			during := writes.Load() - before
			cancel()
			if err := <-failed; err != nil {
				t.Fatalf("a write failed during the backup: %v", err)
			}
			if during == 0 {
				t.Fatal("no write happened while the backup ran: the test proves nothing")
			}
			dst := freshEnv(t, in.db.Dialect)
			if code, _, errOut := cli(t, dst, "", "restore", archive); code != 0 {
				t.Fatalf("restore: %q", errOut)
			}
			if code, out, errOut := cli(t, dst, "", "audit", "verify"); code != 0 {
				t.Fatalf("audit verify after restoring a backup taken under writes: %q %q", out, errOut)
			}
			claims, events := claimTally(t, dst)
			if claims-baseClaims != events-baseEvents || claims-baseClaims < 20 {
				t.Fatalf("restored %d new claims but %d audit events for them", claims-baseClaims, events-baseEvents)
			}
			t.Logf("%d claims written while the backup ran; the backup holds %d of the %d made", during, claims-baseClaims, writes.Load())
		})
	}
}
