package backup_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/pantau-id/pantau/backup"
	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/modelstest"
)

// TestRestoreOlderSchema restores a backup written under an earlier schema: the rows are
// loaded into that schema, and the newer migrations then run over them.
func TestRestoreOlderSchema(t *testing.T) {
	ctx := models.WithActor(context.Background(), models.Actor{Email: "uji"})
	for _, d := range modelstest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			src := modelstest.OpenEmpty(t, d)
			if _, err := src.MigrateTo(ctx, 11); err != nil {
				t.Fatal(err)
			}
			if _, err := src.CreateRegion(ctx, models.RegionInput{Code: "62.08", Name: "Kabupaten Seruyan", Kind: models.KindRegency}, false); err != nil {
				t.Fatal(err)
			}
			archive := filepath.Join(t.TempDir(), "old.zip")
			f, err := os.Create(archive)
			if err != nil {
				t.Fatal(err)
			}
			m, err := backup.Write(ctx, f, src, backup.Layout{}, "uji")
			if err != nil || m.SchemaVersion != 11 {
				t.Fatalf("backup at schema 11: %v, version %d", err, m.SchemaVersion)
			}
			f.Close()
			dst := modelstest.OpenEmpty(t, d)
			if _, err := backup.Restore(ctx, archive, dst, backup.Layout{}); err != nil {
				t.Fatal(err)
			}
			if pending, err := dst.PendingMigrations(ctx); err != nil || len(pending) != 0 {
				t.Fatalf("after the restore, pending migrations %v (%v)", pending, err)
			}
			if r, err := dst.RegionByCode(ctx, "62.08"); err != nil || r.Name != "Kabupaten Seruyan" {
				t.Fatalf("the region after the restore: %+v %v", r, err)
			}
			report, err := dst.VerifyAudit(ctx, nil)
			if err != nil || report.Broken != "" || report.Events != 1 {
				t.Fatalf("audit after the restore: %+v %v", report, err)
			}
		})
	}
}
