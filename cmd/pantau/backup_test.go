package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"image"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pantau-id/pantau/documents"
	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/modelstest"
)

// installation is a running installation's database and documents service, as serve wires them.
type installation struct {
	t    *testing.T
	ctx  context.Context
	env  map[string]string
	cfg  *config
	db   *models.DB
	docs *documents.Service
}

func openInstallation(t *testing.T, env map[string]string) *installation {
	t.Helper()
	cfg := &config{DatabaseURL: env["DATABASE_URL"], DataDir: env["PANTAU_DATA_DIR"], MaxUploadMB: 20, PublicURL: documents.DefaultPublicURL,
		S3Config: s3Settings(func(k string) string { return env[k] })}
	if err := cfg.validate(); err != nil {
		t.Fatal(err)
	}
	db, err := cfg.open(nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ctx := context.Background()
	sg, err := cfg.signing(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	return &installation{t: t, ctx: ctx, env: env, cfg: cfg, db: db,
		docs: &documents.Service{DB: db, Store: cfg.blobs(), Signing: sg, PublicURL: cfg.PublicURL}}
}

func (in *installation) user(email string) *models.User {
	in.t.Helper()
	u, err := in.db.UserByEmail(in.ctx, email)
	if err != nil {
		in.t.Fatal(err)
	}
	return u
}

// issued is what a test installation holds beyond the demo data.
type issued struct {
	reportPDF, signedPDF     []byte
	reportCode, signedCode   string
	evidenceID               int64
	summary                  []byte
	reportCheck, signedCheck []byte
}

// fill adds to the demo installation an uploaded evidence file, a progress report and a
// commitment signed by the regent with a drawn signature.
func (in *installation) fill() *issued {
	t := in.t
	t.Helper()
	out := &issued{}
	blob, err := in.cfg.blobs().Put(strings.NewReader("%PDF-1.4\n% Perbup Seruyan 16/2017, diunggah untuk uji cadangan\n%%EOF\n"))
	if err != nil {
		t.Fatal(err)
	}
	ev, err := in.db.AddEvidence(in.ctx, in.user("operator.seruyan@demo.pantau.id"), models.ItemRef{Year: 2020, RegionCode: "62.08", IndicatorCode: "PTSP.1"},
		models.EvidenceUpload{Blob: blob, Filename: "perbup.pdf"})
	if err != nil {
		t.Fatal(err)
	}
	out.evidenceID = ev.ID
	rep, err := in.docs.IssueProgressReport(in.ctx, documents.ReportRequest{Year: 2020, GeneratedBy: "uji cadangan"})
	if err != nil {
		t.Fatal(err)
	}
	out.reportPDF, _ = io.ReadAll(rep.Body)
	rep.Body.Close()
	out.reportCode = rep.Report.Document.VerificationCode

	coordinator, regent := in.user("koordinator@demo.pantau.id"), in.user("bupati.seruyan@demo.pantau.id")
	if _, err := in.db.SetSigningKey(in.ctx, in.docs.Signing, regent, models.SigningKeyInput{Passphrase: "frasa-sandi-bupati"}); err != nil {
		t.Fatal(err)
	}
	c, err := in.docs.CreateCommitment(in.ctx, models.CommitmentInput{RegionCode: "62.08", Year: 2020, Date: "2020-03-04"}, coordinator)
	if err != nil {
		t.Fatal(err)
	}
	if c, err = in.docs.AssignSlot(in.ctx, c.ID, "regent", models.AssignInput{UserEmail: regent.Email, Name: regent.Name}); err != nil {
		t.Fatal(err)
	}
	var img bytes.Buffer
	png.Encode(&img, image.NewGray(image.Rect(0, 0, 40, 20)))
	c, err = in.docs.Sign(in.ctx, documents.SignRequest{Commitment: c, Slot: "regent", User: regent, ClientIP: "192.0.2.1",
		Input: documents.SignInput{Mode: models.ModeSign, Passphrase: "frasa-sandi-bupati", SignaturePNG: base64.StdEncoding.EncodeToString(img.Bytes())}})
	if err != nil {
		t.Fatal(err)
	}
	f, err := in.docs.CommitmentPDF(c)
	if err != nil {
		t.Fatal(err)
	}
	out.signedPDF, _ = io.ReadAll(f)
	f.Close()
	out.signedCode = c.VerificationCode
	out.summary, out.reportCheck, out.signedCheck = in.observe(out)
	return out
}

// observe is what users see of the installation: the summary, and both documents checked by
// code and by upload.
func (in *installation) observe(docs *issued) (summary, reportCheck, signedCheck []byte) {
	t := in.t
	t.Helper()
	s, err := in.db.Summary(in.ctx, 2020, "")
	if err != nil {
		t.Fatal(err)
	}
	s.AsOf = s.AsOf.Truncate(time.Microsecond) // PostgreSQL keeps microseconds
	summary, _ = json.Marshal(s)
	check := func(code string, pdf []byte) []byte {
		byCode, err := in.docs.VerifyCode(in.ctx, code)
		if err != nil {
			t.Fatalf("verify %s by code: %v", code, err)
		}
		byCode.CreatedAt = byCode.CreatedAt.Truncate(time.Microsecond)
		for i := range byCode.Signatures {
			byCode.Signatures[i].SignedAt = byCode.Signatures[i].SignedAt.Truncate(time.Microsecond)
		}
		byFile, err := in.docs.VerifyFile(in.ctx, pdf)
		if err != nil {
			t.Fatalf("verify %s by upload: %v", code, err)
		}
		if !byFile.Valid || byFile.VerificationCode == nil || *byFile.VerificationCode != code {
			t.Fatalf("the file of %s does not verify by upload: %+v", code, byFile)
		}
		b, _ := json.Marshal([]any{byCode, byFile})
		return b
	}
	return summary, check(docs.reportCode, docs.reportPDF), check(docs.signedCode, docs.signedPDF)
}

// freshEnv is an empty installation of the given database.
func freshEnv(t *testing.T, d models.Dialect) map[string]string {
	env := map[string]string{"PANTAU_DATA_DIR": t.TempDir()}
	if d == models.Postgres {
		env["DATABASE_URL"] = modelstest.PostgresURL(t)
	}
	return env
}

// backupCases are the moves a backup must survive, on the databases this run has.
func backupCases(t *testing.T) map[string][2]models.Dialect {
	cases := map[string][2]models.Dialect{"sqlite": {models.SQLite, models.SQLite}}
	if _, ok := envs(t)["postgres"]; ok {
		cases["postgres"] = [2]models.Dialect{models.Postgres, models.Postgres}
		cases["sqlite_to_postgres"] = [2]models.Dialect{models.SQLite, models.Postgres}
	}
	return cases
}

// TestBackupRestore backs up a demo installation with an uploaded file, a report and a
// signed commitment, restores it into an empty one, and finds the audit chain intact, the
// same summary, and both documents verifying by code, by upload and (the signed one) with
// "pantau verify" against the restored CA; a second restore is refused, and a tampered
// archive restores nothing.
func TestBackupRestore(t *testing.T) {
	for name, dbs := range backupCases(t) {
		t.Run(name, func(t *testing.T) {
			src := freshEnv(t, dbs[0])
			if code, _, errOut := cli(t, src, "", "seed", "--demo"); code != 0 {
				t.Fatal(errOut)
			}
			if code, _, errOut := cli(t, src, "", "migrate"); code != 0 { // the job queue's tables too, left out of the backup
				t.Fatal(errOut)
			}
			want := openInstallation(t, src).fill()
			archive := filepath.Join(t.TempDir(), "pantau.zip")
			code, out, errOut := cli(t, src, "", "backup", "-o", archive)
			if code != 0 || !strings.Contains(out, "wrote "+archive+": schema ") {
				t.Fatalf("backup: %d %q %q", code, out, errOut)
			}
			m := readArchiveManifest(t, archive)
			if m.Database != string(dbs[0]) || m.SchemaVersion < 12 || len(m.Missing) != 0 || !hasEntry(m, "secrets/ca/ca-key.pem") ||
				!hasEntry(m, "files/documents/") || !hasEntry(m, "files/evidence/") {
				t.Fatalf("manifest: %s %d missing %v, %d entries", m.Database, m.SchemaVersion, m.Missing, len(m.Entries))
			}

			dst := freshEnv(t, dbs[1])
			code, out, errOut = cli(t, dst, "", "restore", archive)
			if code != 0 || !strings.Contains(out, "every SHA-256 matched") {
				t.Fatalf("restore: %d %q %q", code, out, errOut)
			}
			if code, out, errOut := cli(t, dst, "", "audit", "verify"); code != 0 || !strings.Contains(out, "audit chain intact") {
				t.Fatalf("audit verify after restore: %d %q %q", code, out, errOut)
			}
			got := openInstallation(t, dst)
			summary, reportCheck, signedCheck := got.observe(want)
			if !bytes.Equal(summary, want.summary) {
				t.Fatalf("summary differs after restore:\n%s\n%s", want.summary, summary)
			}
			if !bytes.Equal(reportCheck, want.reportCheck) || !bytes.Equal(signedCheck, want.signedCheck) {
				t.Fatalf("document checks differ after restore:\n%s\n%s\n%s\n%s", want.reportCheck, reportCheck, want.signedCheck, signedCheck)
			}
			ev, err := got.db.EvidenceByID(got.ctx, want.evidenceID)
			if err != nil {
				t.Fatal(err)
			}
			if f, err := got.cfg.blobs().Open(ev.SHA256); err != nil {
				t.Fatalf("the uploaded file was not restored: %v", err)
			} else {
				f.Close()
			}
			signed := filepath.Join(t.TempDir(), "komitmen.pdf")
			os.WriteFile(signed, want.signedPDF, 0o600)
			if code, out, errOut := cli(t, dst, "", "verify", signed); code != 0 || !strings.Contains(out, "Result: VALID") {
				t.Fatalf("pantau verify against the restored CA: %d %q %q", code, out, errOut)
			}
			// New rows get new ids: the sequences were moved past the restored ones.
			if code, _, errOut := cli(t, dst, "kata-sandi-panjang\n", "user", "add", "--email", "baru@pemprov.id", "--name", "Baru", "--role", "reviewer"); code != 0 {
				t.Fatalf("a write after restore: %q", errOut)
			}
			users, _ := got.db.CountUsers(got.ctx)
			if code, _, errOut := cli(t, dst, "", "restore", archive); code != 1 || !strings.Contains(errOut, "not empty") {
				t.Fatalf("restore into a non-empty installation: %d %q", code, errOut)
			}
			if n, _ := got.db.CountUsers(got.ctx); n != users {
				t.Fatalf("a refused restore changed the users from %d to %d", users, n)
			}
			checkTamperedRestore(t, archive, dbs[1])
		})
	}
}

// checkTamperedRestore changes one stored file, and then one table's rows, inside the
// archive (keeping the zip itself sound), and expects each restore to fail naming the entry
// and to leave the target empty, so that the sound archive then restores into it.
func checkTamperedRestore(t *testing.T, archive string, d models.Dialect) {
	t.Helper()
	m := readArchiveManifest(t, archive)
	var file string
	for _, e := range m.Entries {
		if strings.HasPrefix(e.Path, "files/evidence/") {
			file = e.Path // the last one: tables and other files come before it
		}
	}
	dst := freshEnv(t, d)
	for victim, edit := range map[string]func([]byte) []byte{
		file:                     func(b []byte) []byte { return append(b, ' ') },
		"database/regions.jsonl": func(b []byte) []byte { return bytes.Replace(b, []byte("Seruyan"), []byte("Serujan"), 1) },
	} {
		tampered := rewriteArchive(t, archive, victim, edit)
		code, _, errOut := cli(t, dst, "", "restore", tampered)
		if code != 1 || !strings.Contains(errOut, victim) || !strings.Contains(errOut, "does not match the manifest") {
			t.Fatalf("archive with %s tampered: %d %q", victim, code, errOut)
		}
		in := openInstallation(t, dst)
		if n, err := in.db.CountUsers(in.ctx); err != nil || n != 0 {
			t.Fatalf("after a refused restore the target has %d users (%v)", n, err)
		}
		in.db.Close()
		evidence, _ := filepath.Glob(filepath.Join(dst["PANTAU_DATA_DIR"], "evidence", "*", "*"))
		if len(evidence) != 0 {
			t.Fatalf("after a refused restore the target keeps files: %v", evidence)
		}
	}
	if code, _, errOut := cli(t, dst, "", "restore", archive); code != 0 {
		t.Fatalf("the sound archive after refused ones: %q", errOut)
	}
}

func readArchiveManifest(t *testing.T, archive string) *backupManifest {
	t.Helper()
	zr, err := zip.OpenReader(archive)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	f, err := zr.Open("manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var m backupManifest
	if err := json.NewDecoder(f).Decode(&m); err != nil {
		t.Fatal(err)
	}
	return &m
}

// backupManifest is the part of the manifest the tests read, as a user of the format would.
type backupManifest struct {
	Database      string
	SchemaVersion int `json:"schema_version"`
	Missing       []string
	Entries       []struct{ Path string }
}

func hasEntry(m *backupManifest, prefix string) bool {
	for _, e := range m.Entries {
		if strings.HasPrefix(e.Path, prefix) {
			return true
		}
	}
	return false
}

// rewriteArchive copies an archive with one entry's content changed by edit.
func rewriteArchive(t *testing.T, archive, entry string, edit func([]byte) []byte) string {
	t.Helper()
	zr, err := zip.OpenReader(archive)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	out := filepath.Join(t.TempDir(), "tampered.zip")
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	for _, e := range zr.File {
		rc, err := e.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if e.Name == entry {
			b = edit(b)
		}
		w, _ := zw.Create(e.Name)
		w.Write(b)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out
}
