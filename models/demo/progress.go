package demo

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/jung-kurt/gofpdf"

	"github.com/pantau-id/pantau/models"
)

// wib is the time zone of Central Kalimantan's offices.
var wib = time.FixedZone("WIB", 7*60*60)

// clock stands in for the database's clock while the demo is seeded, so that every record of
// a year is dated inside that year; it moves on a few minutes with each reading.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(3 * time.Minute)
	return c.t.UTC()
}

func (c *clock) set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

func errOutOfRange(region, leaf string, v int64) error {
	return fmt.Errorf("demo figures: %s %s would be %d/100, outside 0–100", region, leaf, v)
}

func fixed(s string) models.Fixed {
	f, err := models.ParseFixed(s)
	if err != nil {
		panic(err)
	}
	return f
}

// history writes a closed or open year's verified work in bulk, as it stood at the end of the
// year: every applicable item claimed, its document accepted and the claim approved (a third
// of the Pemda claimed more outside PTSP than the reviewer accepted), each record dated inside
// the year. Going through the store item by item would take a minute on SQLite; the live
// steps of each year (items outside a Pemda's authority, delegation, closing, the open
// year's waiting claims) do go through it.
func history(ctx context.Context, db *models.DB, bulk *models.BulkLoad, blobs *models.BlobStore, users map[string]*models.User, year int, skip map[models.ItemRef]bool) error {
	period, err := db.PeriodByYear(ctx, year)
	if err != nil {
		return err
	}
	regionIDs, err := bulk.IDs(ctx, "regions", 0)
	if err != nil {
		return err
	}
	indicatorIDs, err := bulk.IDs(ctx, "indicators", period.ID)
	if err != nil {
		return err
	}
	type record struct {
		region             models.RegionInput
		regionID, leafID   int64
		leaf               string
		claimed, verified  models.Fixed
		claimant           *models.User
		blob               models.Blob
		uploaded, reviewed time.Time
		note               string
	}
	var records []record
	for ri, r := range Regions {
		values, err := leafValues(year, r, ri%2)
		if err != nil {
			return err
		}
		doc, err := samplePDF(year, "Pemda: "+r.Name, fmt.Sprintf("Bukti dukung rencana aksi MCP tahun %d", year))
		if err != nil {
			return err
		}
		blob, err := blobs.Put(bytes.NewReader(doc))
		if err != nil {
			return err
		}
		note := "Nilai ilustratif (demo)."
		if published(year, r.Code) {
			note = "Sesuai capaian yang dipublikasikan."
		}
		for li, l := range leaves() {
			v, ok := values[l.code]
			if !ok || skip[models.ItemRef{Year: year, RegionCode: r.Code, IndicatorCode: l.code}] {
				continue
			}
			claimed := v
			if ri%3 == 1 && l.area != "PTSP" {
				claimed = min(v+models.FixedFromInt(10), models.Hundred)
			}
			uploaded := time.Date(year, 4, 1, 9, 0, 0, 0, wib).AddDate(0, 0, 3*ri+li%20).Add(time.Duration(li) * 17 * time.Minute)
			records = append(records, record{region: r, regionID: regionIDs[r.Code], leafID: indicatorIDs[l.code], leaf: l.code, claimed: claimed, verified: v,
				claimant: claimantOf(users, r.Code), blob: blob, uploaded: uploaded, reviewed: uploaded.AddDate(0, 0, 12), note: note})
		}
	}
	reviewer := users["reviewer"]
	err = bulk.Insert(ctx, "items", []string{"period_id", "region_id", "indicator_id", "progress", "verified_progress", "status", "note", "claimed_by", "version", "updated_at"},
		500, func(add func(...any) error) error {
			for _, rc := range records {
				if err := add(period.ID, rc.regionID, rc.leafID, int64(rc.claimed), int64(rc.verified), string(models.StatusApproved), rc.note, rc.claimant.ID, 3, rc.reviewed.UTC()); err != nil {
					return err
				}
			}
			return nil
		})
	if err != nil {
		return err
	}
	itemIDs, err := bulk.ItemIDs(ctx, period.ID)
	if err != nil {
		return err
	}
	err = bulk.Insert(ctx, "evidence", []string{"item_id", "sha256", "filename", "size", "content_type", "uploaded_by", "created_at", "status", "reviewed_by", "reviewed_at"},
		500, func(add func(...any) error) error {
			for _, rc := range records {
				name := fmt.Sprintf("bukti-%s-%s-%d.pdf", rc.region.Code, rc.leaf, year)
				if err := add(itemIDs[[2]int64{rc.regionID, rc.leafID}], rc.blob.SHA256, name, rc.blob.Size, rc.blob.ContentType, rc.claimant.ID, rc.uploaded.UTC(),
					string(models.EvidenceAccepted), reviewer.ID, rc.reviewed.UTC()); err != nil {
					return err
				}
			}
			return nil
		})
	if err != nil {
		return err
	}
	err = bulk.Insert(ctx, "reviews", []string{"item_id", "user_id", "decision", "claimed_progress", "verified_progress", "comment", "created_at", "evidence_sha256"},
		500, func(add func(...any) error) error {
			for _, rc := range records {
				comment := "Sesuai bukti dukung."
				if rc.claimed != rc.verified {
					comment = "Sebagian bukti belum memenuhi kriteria; nilai disesuaikan."
				}
				if err := add(itemIDs[[2]int64{rc.regionID, rc.leafID}], reviewer.ID, string(models.DecisionApprove), int64(rc.claimed), int64(rc.verified),
					comment, rc.reviewed.UTC(), rc.blob.SHA256); err != nil {
					return err
				}
			}
			return nil
		})
	if err != nil {
		return err
	}
	if err := bulk.Finish(ctx); err != nil {
		return err
	}
	for _, r := range Regions {
		t := targets[year][r.Code]
		if _, err := db.SetDelegation(ctx, claimantOf(users, r.Code), year, r.Code, models.DelegationInput{Total: &t.total, Delegated: &t.delegated, LegalBasis: legalBases[r.Code]}); err != nil {
			return err
		}
	}
	return fileDelegationDocuments(ctx, db, blobs, users, year)
}

// claimantOf is who enters a region's data: its operator where the demo has one, else the
// coordinator.
func claimantOf(users map[string]*models.User, code string) *models.User {
	switch code {
	case "62.08":
		return users["operator"]
	case "62.09":
		return users["operator2"]
	}
	return users["coordinator"]
}

// outsideAuthority has a regency mark an item as outside its authority before the year's
// claims, and — when confirm — a reviewer confirm it.
func outsideAuthority(ctx context.Context, db *models.DB, users map[string]*models.User, ref models.ItemRef, reason string, confirm bool) error {
	no := false
	if _, err := db.SetApplicability(ctx, users["coordinator"], ref, models.ApplicabilityInput{Applicable: &no, Reason: reason}); err != nil {
		return err
	}
	if !confirm {
		return nil
	}
	_, err := db.ReviewItem(ctx, users["reviewer"], ref, models.ReviewInput{Decision: models.DecisionApprove,
		Comment: "Benar, kewenangan berada di luar Pemda ini."})
	return err
}

// openWork leaves the open year with what a real period has: new claims waiting for
// verification (so claimed and verified differ) and a rejection with its reason.
func openWork(ctx context.Context, db *models.DB, users map[string]*models.User, year int) error {
	ninety, eightyFive := models.FixedFromInt(90), models.FixedFromInt(85)
	waiting := []struct {
		region, indicator string
		value             models.Fixed
		note              string
	}{
		{"62.01", "PTSP.4", ninety, "Integrasi OSS untuk izin usaha mikro sudah berjalan sejak Oktober."},
		{"62.12", "PTSP.5", eightyFive, "Aplikasi pelacakan permohonan sudah daring."},
		{"62.06", "PTSP.7", eightyFive, "SK tim pengaduan terbit."},
	}
	for _, w := range waiting {
		note := w.note
		ref := models.ItemRef{Year: year, RegionCode: w.region, IndicatorCode: w.indicator}
		if _, err := db.ClaimItem(ctx, users["coordinator"], ref, models.Claim{Progress: &w.value, Note: &note}); err != nil {
			return err
		}
	}
	ref := models.ItemRef{Year: year, RegionCode: "62.06", IndicatorCode: "PTSP.7"}
	_, err := db.ReviewItem(ctx, users["reviewer"], ref, models.ReviewInput{Decision: models.DecisionReject,
		Comment: "SK tim pengaduan belum ditandatangani; unggah salinan yang telah ditandatangani dan diberi nomor."})
	return err
}

// samplePDF makes a one-page sample document of a year, marked as a demo, standing in for a
// Pemda's scanned evidence or regulation: its lines under the mark.
func samplePDF(year int, lines ...string) ([]byte, error) {
	pdf := gofpdf.New("P", "mm", "A4", "")
	pdf.SetCreationDate(time.Date(year, 4, 1, 9, 0, 0, 0, wib))
	pdf.SetCatalogSort(true)
	pdf.AddPage()
	pdf.SetFont("Helvetica", "B", 14)
	pdf.MultiCell(0, 8, "DOKUMEN CONTOH (DEMO) - bukan dokumen resmi", "", "L", false)
	pdf.SetFont("Helvetica", "", 11)
	pdf.MultiCell(0, 6, strings.Join(lines, "\n"), "", "L", false)
	var buf bytes.Buffer
	err := pdf.Output(&buf)
	return buf.Bytes(), err
}
