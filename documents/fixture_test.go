package documents_test

import (
	"bytes"
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pantau-id/pantau/documents"
	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/modelstest"
	"github.com/pantau-id/pantau/reports/pdfsign/pdfsigntest"
)

const testPassword = "kata-sandi-masuk-uji"

// desk is a documents service on a fresh database: a province with a regency and a city, a
// coordinator, and a signing service with its own CA and document store.
type desk struct {
	t           testing.TB
	ctx         context.Context
	db          *models.DB
	docs        *documents.Service
	coordinator *models.User
}

func newDesk(t testing.TB, db *models.DB) *desk {
	t.Helper()
	ctx := context.Background()
	ca, err := models.OpenCA(filepath.Join(t.TempDir(), "ca"), "Uji", db.Now())
	if err != nil {
		t.Fatal(err)
	}
	sg := &models.Signing{CA: ca, Documents: &models.BlobStore{Dir: t.TempDir(), MaxSize: 16 << 20}}
	d := &desk{t: t, ctx: ctx, db: db, docs: &documents.Service{DB: db, Store: &models.BlobStore{Dir: t.TempDir(), MaxSize: 1 << 20},
		Signing: sg, PublicURL: "https://pantau.example/"}}
	for _, r := range []models.RegionInput{
		{Code: "62", Name: "Provinsi Kalimantan Tengah", Kind: models.KindProvince},
		{Code: "62.08", Name: "Kabupaten Seruyan", Kind: models.KindRegency},
		{Code: "62.71", Name: "Kota Palangka Raya", Kind: models.KindCity},
	} {
		if _, err := db.CreateRegion(ctx, r, false); err != nil {
			t.Fatal(err)
		}
	}
	d.coordinator = d.user("koordinator", "Koordinator Provinsi", models.RoleCoordinator)
	return d
}

// forEachDesk runs fn on both databases.
func forEachDesk(t *testing.T, fn func(t *testing.T, d *desk)) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.DB) { fn(t, newDesk(t, db)) })
}

func (d *desk) user(login, name string, role models.Role) *models.User {
	d.t.Helper()
	u, err := d.db.CreateUser(d.ctx, models.UserInput{Email: login + "@uji.pantau.id", Name: name, Role: role, Password: testPassword}, false)
	if err != nil {
		d.t.Fatal(err)
	}
	return u
}

// signer adds a signatory with a signing key under the passphrase "frasa-" + login.
func (d *desk) signer(login, name string) *models.User {
	d.t.Helper()
	u := d.user(login, name, models.RoleSignatory)
	if _, err := d.db.SetSigningKey(d.ctx, d.docs.Signing, u, models.SigningKeyInput{Passphrase: "frasa-" + login}); err != nil {
		d.t.Fatal(err)
	}
	return u
}

// commitmentPDF reads a commitment's current document.
func (d *desk) commitmentPDF(c *models.Commitment) []byte {
	d.t.Helper()
	f, err := d.docs.CommitmentPDF(c)
	if err != nil {
		d.t.Fatal(err)
	}
	defer f.Close()
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(f); err != nil {
		d.t.Fatal(err)
	}
	return buf.Bytes()
}

// pdfText checks a PDF with qpdf and returns its text with white space collapsed.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	pdfsigntest.QPDFCheck(t, pdf)
	out, err := exec.Command(pdfsigntest.Tool(t, "pdftotext"), "-enc", "UTF-8", pdfsigntest.WriteTemp(t, "doc.pdf", pdf), "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}
