package demo

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/pantau-id/pantau/models"
)

// filing is a delegation document a Pemda uploads in a year.
type filing struct {
	region string
	kind   models.DocumentKind
	// copy names a regulation uploaded again as its signed and numbered official copy.
	copy bool
}

// filings are the delegation documents uploaded after the first year's, which every Pemda
// files with its regulation (and which later years carry forward): Seruyan and Katingan add
// the annex that lists the delegated permits in 2019, and Seruyan replaces its scanned
// regulation with the official copy in 2020, so that its page shows a history.
var filings = map[int][]filing{
	2019: {{region: "62.08", kind: models.DocumentAnnex}, {region: "62.09", kind: models.DocumentAnnex}},
	2020: {{region: "62.08", kind: models.DocumentRegulation, copy: true}},
}

// fileDelegationDocuments uploads a year's delegation documents through the store, as their
// Pemda's operator (or the coordinator) would.
func fileDelegationDocuments(ctx context.Context, db *models.DB, blobs *models.BlobStore, users map[string]*models.User, year int) error {
	todo := filings[year]
	if year == Years[0] {
		for _, r := range Regions {
			todo = append(todo, filing{region: r.Code, kind: models.DocumentRegulation})
		}
	}
	for _, f := range todo {
		r := regionByCode(f.region)
		name, lines := delegationDocument(f, r, year)
		doc, err := samplePDF(year, lines...)
		if err != nil {
			return err
		}
		blob, err := blobs.Put(bytes.NewReader(doc))
		if err != nil {
			return err
		}
		up := models.DelegationDocumentUpload{Blob: blob, Filename: name, Kind: f.kind}
		if _, err := db.AddDelegationDocument(ctx, claimantOf(users, r.Code), year, r.Code, up); err != nil {
			return fmt.Errorf("%d %s delegation %s: %w", year, r.Code, f.kind, err)
		}
	}
	return nil
}

// delegationDocument is a filing's file name and the lines of its sample page.
func delegationDocument(f filing, r models.RegionInput, year int) (string, []string) {
	basis := strings.TrimSuffix(legalBases[r.Code], " (demo)")
	slug := strings.ToLower(strings.ReplaceAll(basis, " ", "-"))
	subject := "tentang Pendelegasian Kewenangan Penyelenggaraan Perizinan dan Nonperizinan kepada DPMPTSP"
	switch {
	case f.kind == models.DocumentAnnex:
		t := targets[year][r.Code]
		return "lampiran-" + slug + ".pdf", []string{"Lampiran " + basis, subject,
			fmt.Sprintf("Daftar jenis perizinan yang didelegasikan: %d dari %d jenis perizinan kewenangan %s.", t.delegated, t.total, r.Name)}
	case f.copy:
		return slug + "-salinan-resmi.pdf", []string{basis, subject, "Salinan resmi bernomor dan bertanda tangan, menggantikan hasil pindaian sebelumnya."}
	}
	return slug + ".pdf", []string{basis, subject}
}

// regionByCode is one of the demo's regions.
func regionByCode(code string) models.RegionInput {
	for _, r := range Regions {
		if r.Code == code {
			return r
		}
	}
	panic("demo: no region " + code)
}
