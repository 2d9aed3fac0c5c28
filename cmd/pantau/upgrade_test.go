package main

import (
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/modelstest"
)

// release is what an earlier release made and answered on one database, as
// scripts/release-fixture.sh recorded it in testdata/upgrade/TAG/DATABASE.json.gz.
type release struct {
	Release       string `json:"release"`
	SchemaVersion int    `json:"schema_version"`
	AuditHead     struct {
		Seq  int64  `json:"seq"`
		Hash string `json:"hash"`
	} `json:"audit_head"`
	AuditVerify string           `json:"audit_verify"`
	Rows        map[string]int64 `json:"rows"`
	Periods     any              `json:"periods"`
	Summaries   map[string]any   `json:"summaries"`
	Documents   []struct {
		Code   string `json:"code"`
		Verify any    `json:"verify"`
	} `json:"documents"`
}

// TestUpgradeFromRelease loads each earlier release's database (the demo data set, seeded,
// reported on, served and signed in by that release's binary) into a fresh database of each
// kind, lists and applies the pending migrations with this code, and finds nothing lost: every
// table keeps its rows, the audit chain verifies and still holds the release's head, the codes
// of the report and of the regent's signed commitment verify as they did, and the periods and
// every period's summary answer what the release answered (fields added since are allowed;
// none changed or dropped).
func TestUpgradeFromRelease(t *testing.T) {
	dirs, err := filepath.Glob("testdata/upgrade/v*")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no release fixtures in testdata/upgrade (scripts/release-fixture.sh makes them): %v", err)
	}
	all, err := models.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range dirs {
		for name, env := range envs(t) {
			t.Run(filepath.Base(dir)+"/"+name, func(t *testing.T) {
				start := time.Now()
				var rel release
				if err := json.Unmarshal(gunzip(t, filepath.Join(dir, name+".json.gz")), &rel); err != nil {
					t.Fatal(err)
				}
				raw := loadRelease(t, dir, env)
				if d := sameAnswer("rows", anyOf(t, rel.Rows), anyOf(t, rowCounts(t, raw))); d != "" {
					t.Fatalf("the fixture did not load whole: %s", d)
				}
				var pending []string
				for _, m := range all {
					if m.Version > rel.SchemaVersion {
						pending = append(pending, fmt.Sprintf("  %04d %s\n", m.Version, m.Name))
					}
				}
				code, out, errOut := cli(t, env, "", "migrate", "--dry-run")
				if code != 0 || (len(pending) == 0) != strings.Contains(out, "schema is up to date") || !strings.HasSuffix(out, strings.Join(pending, "")) {
					t.Fatalf("migrate --dry-run: %d %q %q, want %q", code, out, errOut, pending)
				}
				if code, out, errOut := cli(t, env, "", "migrate"); code != 0 {
					t.Fatalf("migrate: %d %q %q", code, out, errOut)
				}
				checkNothingLost(t, &rel, raw, rowCounts(t, raw), len(pending))
				if code, out, errOut := cli(t, env, "", "audit", "verify"); code != 0 || !strings.HasPrefix(out, "audit chain intact") {
					t.Fatalf("audit verify after the upgrade: %d %q %q (the release said %q)", code, out, errOut, rel.AuditVerify)
				}
				checkAnswers(t, &rel, env)
				t.Logf("%s on %s: loaded, migrated (%d pending) and checked in %s", rel.Release, name, len(pending), time.Since(start).Round(time.Millisecond))
			})
		}
	}
}

// loadRelease fills the installation env names with the release's database: the SQLite file
// as it was, or the PostgreSQL dump run into the test's own schema. It returns a connection
// of its own to that database.
func loadRelease(t *testing.T, dir string, env map[string]string) *gorm.DB {
	t.Helper()
	opts := models.Options{DatabaseURL: env["DATABASE_URL"], DataDir: env["PANTAU_DATA_DIR"]}
	if opts.DatabaseURL == "" {
		if err := os.WriteFile(filepath.Join(opts.DataDir, "pantau.db"), gunzip(t, filepath.Join(dir, "sqlite.db.gz")), 0o600); err != nil {
			t.Fatal(err)
		}
		return modelstest.RawOpen(t, opts)
	}
	raw := modelstest.RawOpen(t, opts)
	if err := raw.Exec(string(gunzip(t, filepath.Join(dir, "postgres.sql.gz")))).Error; err != nil {
		t.Fatalf("load the PostgreSQL dump: %v", err)
	}
	return raw
}

// checkNothingLost compares the tables after the upgrade with the release's: each keeps its
// rows (schema_migrations gains the applied ones), and the release's last chained audit event
// is still there with its hash.
func checkNothingLost(t *testing.T, rel *release, raw *gorm.DB, after map[string]int64, applied int) {
	t.Helper()
	for table, n := range rel.Rows {
		want := n
		if table == "schema_migrations" {
			want += int64(applied)
		}
		if got, ok := after[table]; !ok || got != want {
			t.Errorf("table %s: %d rows after the upgrade (present: %v), the release had %d", table, got, ok, want)
		}
	}
	var hash string
	if err := raw.Table("audit_events").Where("seq = ?", rel.AuditHead.Seq).Pluck("hash", &hash).Error; err != nil || hash != rel.AuditHead.Hash {
		t.Errorf("audit event %d: hash %q (%v), the release's head was %q", rel.AuditHead.Seq, hash, err, rel.AuditHead.Hash)
	}
}

// checkAnswers serves the upgraded installation and asks it what the release was asked.
func checkAnswers(t *testing.T, rel *release, env map[string]string) {
	t.Helper()
	srv := serveInProcess(t, env)
	defer srv.stop()
	var now any
	for _, doc := range rel.Documents {
		get(t, srv.base+"/api/v1/verify/"+doc.Code, "", &now)
		if d := sameAnswer("verify "+doc.Code, doc.Verify, now); d != "" {
			t.Errorf("verification code %s after the upgrade: %s", doc.Code, d)
		}
	}
	var login struct{ Token string }
	post(t, srv.base+"/api/v1/auth/login", "", "application/json", `{"email":"admin@demo.pantau.id","password":"kata-sandi-demo"}`, 200, &login)
	get(t, srv.base+"/api/v1/periods", login.Token, &now)
	if d := sameAnswer("periods", rel.Periods, now); d != "" {
		t.Errorf("periods after the upgrade: %s", d)
	}
	if len(rel.Summaries) == 0 {
		t.Fatal("the fixture holds no summaries")
	}
	for year, was := range rel.Summaries {
		get(t, srv.base+"/api/v1/periods/"+year+"/summary", login.Token, &now)
		if d := sameAnswer("summary "+year, was, now); d != "" {
			t.Errorf("summary %s after the upgrade: %s", year, d)
		}
	}
}

// rowCounts counts the rows of every table of the database.
func rowCounts(t *testing.T, raw *gorm.DB) map[string]int64 {
	t.Helper()
	tables, err := raw.Migrator().GetTables()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, table := range tables {
		if strings.HasPrefix(table, "sqlite_") {
			continue
		}
		var n int64
		if err := raw.Table(table).Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		out[table] = n
	}
	return out
}

// sameAnswer says where now differs from was ("" when nowhere), allowing now fields that was
// lacks: the API may be extended, never changed.
func sameAnswer(path string, was, now any) string {
	switch w := was.(type) {
	case map[string]any:
		n, ok := now.(map[string]any)
		if !ok {
			return fmt.Sprintf("%s: %v, was an object", path, now)
		}
		keys := make([]string, 0, len(w))
		for k := range w {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			v, ok := n[k]
			if !ok {
				return path + "." + k + ": missing"
			}
			if d := sameAnswer(path+"."+k, w[k], v); d != "" {
				return d
			}
		}
		return ""
	case []any:
		n, ok := now.([]any)
		if !ok || len(n) != len(w) {
			return fmt.Sprintf("%s: %v, was %d elements", path, now, len(w))
		}
		for i := range w {
			if d := sameAnswer(fmt.Sprintf("%s[%d]", path, i), w[i], n[i]); d != "" {
				return d
			}
		}
		return ""
	}
	if !reflect.DeepEqual(was, now) {
		return fmt.Sprintf("%s: %v, was %v", path, now, was)
	}
	return ""
}

// TestSameAnswer checks the comparison the upgrade test relies on.
func TestSameAnswer(t *testing.T) {
	var was any
	json.Unmarshal([]byte(`{"a":1,"b":[{"c":"x"},{"c":"y"}],"d":null}`), &was)
	for now, want := range map[string]string{
		`{"a":1,"b":[{"c":"x"},{"c":"y","e":2}],"d":null,"f":true}`: "",
		`{"a":2,"b":[{"c":"x"},{"c":"y"}],"d":null}`:                "a: 2, was 1",
		`{"a":1,"b":[{"c":"x"}],"d":null}`:                          "b: [map[c:x]], was 2 elements",
		`{"a":1,"b":[{"c":"x"},{"c":"z"}],"d":null}`:                "b[1].c: z, was y",
		`{"a":1,"b":[{"c":"x"},{"c":"y"}]}`:                         "d: missing",
		`[]`:                                                        "root: [], was an object",
	} {
		var n any
		json.Unmarshal([]byte(now), &n)
		if got := strings.TrimPrefix(sameAnswer("root", was, n), "root."); got != want {
			t.Errorf("%s: %q, want %q", now, got, want)
		}
	}
}

// gunzip reads a gzipped file whole.
func gunzip(t *testing.T, path string) []byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// anyOf is v as JSON decodes it, for sameAnswer.
func anyOf(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	json.Unmarshal(b, &out)
	return out
}
