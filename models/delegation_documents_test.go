package models_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/modelstest"
)

// addDocument stores content and files it as a region's delegation document of a kind.
func (f *catalogueFixture) addDocument(by *models.User, region string, kind models.DocumentKind, content []byte) (*models.DelegationDocument, models.Blob, error) {
	blob, err := f.blobs.Put(bytes.NewReader(content))
	if err != nil {
		return nil, blob, err
	}
	d, err := f.db.AddDelegationDocument(context.Background(), by, 2019, region, models.DelegationDocumentUpload{Blob: blob, Filename: "perbup.pdf", Kind: kind})
	return d, blob, err
}

// TestDelegationDocumentsFollowTheLifecycle: a regulation is filed until the deadline day ends,
// refused after it unless the region has an extension, and refused in a closed period; a
// refused filing leaves the current document as it was.
func TestDelegationDocumentsFollowTheLifecycle(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		f := newCatalogueFixture(t, db)
		var now time.Time
		db.Now = func() time.Time { return now.UTC() }
		deadline := "2019-11-30"
		if _, err := db.UpdatePeriod(ctx, 2019, models.PeriodPatch{Deadline: &deadline}); err != nil {
			t.Fatal(err)
		}
		now = time.Date(2019, 11, 30, 23, 59, 0, 0, wib)
		first, _, err := f.addDocument(f.operator, "62.08", models.DocumentRegulation, pdfWith(1))
		if err != nil {
			t.Fatalf("on the deadline day: %v", err)
		}
		now = time.Date(2019, 12, 1, 0, 1, 0, 0, wib)
		if _, _, err := f.addDocument(f.operator, "62.08", models.DocumentRegulation, pdfWith(2)); !errors.Is(err, models.ErrDeadlinePassed) {
			t.Fatalf("after the deadline: %v, want ErrDeadlinePassed", err)
		}
		if _, err := db.SetExtension(ctx, f.coordinator, 2019, "62.08", models.ExtensionInput{Until: "2019-12-07", Reason: "Perbup baru"}); err != nil {
			t.Fatal(err)
		}
		second, _, err := f.addDocument(f.operator, "62.08", models.DocumentRegulation, pdfWith(3))
		if err != nil {
			t.Fatalf("within the extension: %v", err)
		}
		if _, err := db.ClosePeriod(ctx, f.admin, 2019); err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.addDocument(f.coordinator, "62.08", models.DocumentAnnex, pdfWith(4)); !errors.Is(err, models.ErrPeriodClosed) {
			t.Fatalf("in a closed period: %v, want ErrPeriodClosed", err)
		}
		docs, err := db.DelegationDocuments(ctx, 2019, "62.08")
		if err != nil {
			t.Fatal(err)
		}
		if len(docs) != 2 || docs[0].ID != second.ID || docs[0].Superseded || docs[1].ID != first.ID || !docs[1].Superseded ||
			docs[1].ReplacedBy == nil || *docs[1].ReplacedBy != second.ID || docs[0].Uploader != "operator@uji.id" {
			t.Fatalf("documents after refused filings: %+v", docs)
		}
		// Neither a reviewer nor another region's operator files one, and a Word file is no regulation.
		now = time.Date(2019, 12, 2, 0, 0, 0, 0, wib)
		if _, err := db.ReopenPeriod(ctx, f.admin, 2019, models.ReopenInput{Reason: "Koreksi"}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.addDocument(f.rv, "62.08", models.DocumentAnnex, pdfWith(5)); !isForbidden(err) {
			t.Fatalf("a reviewer: %v", err)
		}
		if _, err := db.AddDelegationDocument(ctx, f.operator, 2019, "62.08", models.DelegationDocumentUpload{
			Blob: models.Blob{SHA256: second.SHA256, Size: 10, ContentType: "application/msword"}, Kind: models.DocumentAnnex}); !errors.Is(err, models.ErrUnsupportedType) {
			t.Fatalf("a Word file: %v", err)
		}
	})
}

// TestDelegationDocumentsSurviveTheSweep: the orphan sweep removes an old file nothing refers
// to and keeps every delegation document's file, current or replaced.
func TestDelegationDocumentsSurviveTheSweep(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		f := newCatalogueFixture(t, db)
		_, old, err := f.addDocument(f.operator, "62.08", models.DocumentRegulation, pdfWith(1))
		if err != nil {
			t.Fatal(err)
		}
		_, current, err := f.addDocument(f.operator, "62.08", models.DocumentRegulation, pdfWith(2))
		if err != nil {
			t.Fatal(err)
		}
		orphan, err := f.blobs.Put(bytes.NewReader(pdfWith(3)))
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range []models.Blob{old, current, orphan} {
			age(t, blobPath(f.blobs.Dir, b.SHA256))
		}
		res, err := f.blobs.Sweep(ctx, db, models.DefaultSweepGrace)
		if err != nil {
			t.Fatal(err)
		}
		if res.Files != 1 {
			t.Fatalf("swept %d files, want the orphan alone", res.Files)
		}
		if _, err := os.Stat(blobPath(f.blobs.Dir, orphan.SHA256)); !os.IsNotExist(err) {
			t.Fatalf("the orphan survived the sweep: %v", err)
		}
		for _, b := range []models.Blob{old, current} {
			if _, err := os.Stat(blobPath(f.blobs.Dir, b.SHA256)); err != nil {
				t.Fatalf("the sweep removed a delegation document: %v", err)
			}
		}
	})
}
