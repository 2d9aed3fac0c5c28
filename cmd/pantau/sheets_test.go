package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/pantau-id/pantau/models"
)

// TestExportImportCommands exports the demo data's tables, imports the catalogue back with
// nothing to change, and imports a claim: refused after the deadline, made once the Pemda has an
// extension — on both databases.
func TestExportImportCommands(t *testing.T) {
	for name, env := range envs(t) {
		t.Run(name, func(t *testing.T) {
			env["PANTAU_DEMO_PASSWORD"] = "kata-sandi-demo"
			if code, _, errOut := cli(t, env, "", "seed", "--demo"); code != 0 {
				t.Fatalf("seed: %s", errOut)
			}
			dir := t.TempDir()
			catalogue := filepath.Join(dir, "katalog.xlsx")
			code, out, errOut := cli(t, env, "", "export", "--year", "2020", "--table", "catalogue", "-o", catalogue)
			if code != 0 || !regexp.MustCompile(`wrote \S+katalog.xlsx: catalogue, \d+ rows`).MatchString(out) {
				t.Fatalf("export catalogue: %d %q %q", code, out, errOut)
			}
			f, err := excelize.OpenFile(catalogue)
			if err != nil {
				t.Fatalf("the exported catalogue does not open: %v", err)
			}
			rows, _ := f.GetRows("Katalog")
			f.Close()
			code, out, errOut = cli(t, env, "", "import", "catalogue", "--year", "2020", "--dry-run", catalogue)
			if code != 0 || !strings.Contains(out, "create 0, update 0, unchanged "+strconv.Itoa(len(rows)-1)+", error 0") {
				t.Fatalf("import catalogue --dry-run: %d %q %q", code, out, errOut)
			}
			if code, out, errOut = cli(t, env, "", "import", "catalogue", "--year", "2020", catalogue); code != 0 || !strings.Contains(out, "applied") {
				t.Fatalf("import catalogue: %d %q %q", code, out, errOut)
			}

			items := filepath.Join(dir, "item.csv")
			code, out, errOut = cli(t, env, "", "export", "--year", "2020", "--table", "items", "--region", "62.08", "--sep", ";", "-o", items)
			if code != 0 || !strings.Contains(errOut, "ekspor items [") || !strings.Contains(errOut, " baris") {
				t.Fatalf("export items: %d %q %q", code, out, errOut)
			}
			data, _ := os.ReadFile(items)
			r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\uFEFF"))))
			r.Comma = ';'
			records, err := r.ReadAll()
			if err != nil || len(records) < 10 || records[0][0] != "Kode Pemda" || records[0][10] != "Terverifikasi (%)" {
				t.Fatalf("items CSV: %v %q", err, records[:min(len(records), 2)])
			}
			leaf, verified := records[1][4], records[1][10] // an approved item: its verified value stays
			claims := filepath.Join(dir, "klaim.csv")
			os.WriteFile(claims, []byte("Kode Pemda;Kode indikator;Klaim (%);Catatan\n62.08;"+leaf+";55,5;dari CLI\n"), 0o600)
			db, err := models.Open(models.Options{DatabaseURL: env["DATABASE_URL"], DataDir: env["PANTAU_DATA_DIR"]})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			ctx := context.Background()
			deadline := "2020-11-30"
			if _, err := db.UpdatePeriod(ctx, 2020, models.PeriodPatch{Deadline: &deadline}); err != nil {
				t.Fatal(err)
			}
			code, out, _ = cli(t, env, "", "import", "claims", "--year", "2020", "--as", "operator.seruyan@demo.pantau.id", claims)
			if code != 1 || !strings.Contains(out, "progress: deadline_passed") {
				t.Fatalf("claims after the deadline: %d %q", code, out)
			}
			admin, _ := db.UserByEmail(ctx, "admin@demo.pantau.id")
			if _, err := db.SetExtension(ctx, admin, 2020, "62.08", models.ExtensionInput{Until: "2099-12-31", Reason: "Uji impor"}); err != nil {
				t.Fatal(err)
			}
			code, out, errOut = cli(t, env, "", "import", "claims", "--year", "2020", "--as", "operator.seruyan@demo.pantau.id", claims)
			if code != 0 || !strings.Contains(out, "update 1, unchanged 0, error 0") || !strings.Contains(out, "progress: "+strings.Replace(verified, ",", ".", 1)+" → 55.5") {
				t.Fatalf("claims with an extension: %d %q %q", code, out, errOut)
			}
			it, err := db.Item(ctx, models.ItemRef{Year: 2020, RegionCode: "62.08", IndicatorCode: leaf})
			if err != nil || it.Progress.String() != "55.5" || it.Note != "dari CLI" || it.Status != models.StatusSubmitted ||
				it.VerifiedProgress.Indonesian() != verified {
				t.Errorf("the imported claim: %+v %v", it, err)
			}
			if code, _, errOut = cli(t, env, "", "import", "claims", "--year", "2020", claims); code != 2 {
				t.Errorf("claims without --as: %d %q", code, errOut)
			}
			if code, _, errOut = cli(t, env, "", "export", "--year", "2020", "--table", "nope", "-o", "x.xlsx"); code != 2 || !strings.Contains(errOut, "unknown table") {
				t.Errorf("an unknown table: %d %q", code, errOut)
			}
		})
	}
}
