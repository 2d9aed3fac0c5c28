// Package demo loads Pantau's demonstration data set: Central Kalimantan's 15 Pemda, a PTSP
// action plan for 2019 whose verified figures reproduce the province's published distribution
// (one Pemda at 100%, ten in the green zone, four in the yellow zone), delegation figures,
// and one demo user per role. Everything it creates is marked as demo data.
package demo

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/jung-kurt/gofpdf"

	"github.com/pantau-id/pantau/models"
)

// Year is the demo period.
const Year = 2019

// Login is a demo user's credentials.
type Login struct {
	Email, Password, Name string
	Role                  models.Role
	RegionCode            string
}

// ErrNotEmpty: the database already holds data, so the demo set is not loaded.
var ErrNotEmpty = errors.New("the database is not empty")

// Regions are Central Kalimantan's province, 13 regencies and one city.
var Regions = []models.RegionInput{
	{Code: "62", Name: "Provinsi Kalimantan Tengah", Kind: models.KindProvince},
	{Code: "62.01", Name: "Kabupaten Kotawaringin Barat", Kind: models.KindRegency},
	{Code: "62.02", Name: "Kabupaten Kotawaringin Timur", Kind: models.KindRegency},
	{Code: "62.03", Name: "Kabupaten Kapuas", Kind: models.KindRegency},
	{Code: "62.04", Name: "Kabupaten Barito Selatan", Kind: models.KindRegency},
	{Code: "62.05", Name: "Kabupaten Barito Utara", Kind: models.KindRegency},
	{Code: "62.06", Name: "Kabupaten Sukamara", Kind: models.KindRegency},
	{Code: "62.07", Name: "Kabupaten Lamandau", Kind: models.KindRegency},
	{Code: "62.08", Name: "Kabupaten Seruyan", Kind: models.KindRegency},
	{Code: "62.09", Name: "Kabupaten Katingan", Kind: models.KindRegency},
	{Code: "62.10", Name: "Kabupaten Pulang Pisau", Kind: models.KindRegency},
	{Code: "62.11", Name: "Kabupaten Gunung Mas", Kind: models.KindRegency},
	{Code: "62.12", Name: "Kabupaten Barito Timur", Kind: models.KindRegency},
	{Code: "62.13", Name: "Kabupaten Murung Raya", Kind: models.KindRegency},
	{Code: "62.71", Name: "Kota Palangka Raya", Kind: models.KindCity},
}

type indicator struct {
	code, title string
	weight      int64
}

// indicators are plausible PTSP items, weighted as the only public PTSP weighting found
// (regulation 25, infrastructure 10, licensing process 40, control and supervision 25).
var indicators = []indicator{
	{"PTSP.1", "Peraturan kepala daerah tentang pendelegasian kewenangan perizinan dan nonperizinan kepada DPMPTSP", 15},
	{"PTSP.2", "SOP dan standar pelayanan perizinan ditetapkan dan dipublikasikan", 10},
	{"PTSP.3", "Sarana dan prasarana PTSP: ruang layanan, loket, ruang pengaduan dan akses difabel", 10},
	{"PTSP.4", "Layanan perizinan daring terintegrasi dengan OSS", 20},
	{"PTSP.5", "Sistem penelusuran (tracking) status permohonan izin", 10},
	{"PTSP.6", "Transparansi persyaratan, biaya dan waktu layanan di laman dan ruang layanan", 10},
	{"PTSP.7", "Unit dan mekanisme penanganan pengaduan masyarakat", 15},
	{"PTSP.8", "Pengawasan dan pengendalian pelaksanaan perizinan", 10},
}

// Two offset patterns whose weighted sums are zero, so every region's items vary around its
// target while the weighted mean stays exactly on it.
var offsets = [2][8]int64{{4, -6, 8, -3, 5, -10, 2, 0}, {-2, 5, -4, 3, -6, 4, 0, -2}}

// standing is a region's 2019 figures: its verified action-plan target and its delegation.
type standing struct {
	target           int64 // percent
	delegated, total int64
	legalBasis       string
}

// standings reproduce the published 2019 line: Seruyan at 100%, ten Pemda at 75% or more,
// four between 50% and 75%. Where a Pemda's own figure was published (Katingan 87, Palangka
// Raya 83, Kotawaringin Timur 79, Lamandau 77, Pulang Pisau 76, Kotawaringin Barat 74, Barito
// Timur 72, the province 91) it is used; the others are illustrative, as are the delegation
// counts and regulation numbers (except Seruyan's Perbup No. 16/2017).
var standings = map[string]standing{
	"62":    {91, 142, 142, "Peraturan Gubernur Kalimantan Tengah Nomor 7 Tahun 2018 (demo)"},
	"62.01": {74, 88, 120, "Peraturan Bupati Kotawaringin Barat Nomor 12 Tahun 2018 (demo)"},
	"62.02": {79, 104, 118, "Peraturan Bupati Kotawaringin Timur Nomor 9 Tahun 2018 (demo)"},
	"62.03": {80, 96, 116, "Peraturan Bupati Kapuas Nomor 21 Tahun 2017 (demo)"},
	"62.04": {78, 60, 110, "Peraturan Bupati Barito Selatan Nomor 5 Tahun 2018 (demo)"},
	"62.05": {75, 112, 112, "Peraturan Bupati Barito Utara Nomor 14 Tahun 2018 (demo)"},
	"62.06": {64, 26, 104, "Peraturan Bupati Sukamara Nomor 3 Tahun 2016 (demo)"},
	"62.07": {77, 70, 108, "Peraturan Bupati Lamandau Nomor 18 Tahun 2018 (demo)"},
	"62.08": {100, 115, 115, "Peraturan Bupati Seruyan Nomor 16 Tahun 2017"},
	"62.09": {87, 101, 120, "Peraturan Bupati Katingan Nomor 30 Tahun 2018 (demo)"},
	"62.10": {76, 84, 110, "Peraturan Bupati Pulang Pisau Nomor 11 Tahun 2018 (demo)"},
	"62.11": {81, 60, 106, "Peraturan Bupati Gunung Mas Nomor 8 Tahun 2018 (demo)"},
	"62.12": {72, 40, 112, "Peraturan Bupati Barito Timur Nomor 6 Tahun 2017 (demo)"},
	"62.13": {58, 22, 102, "Peraturan Bupati Murung Raya Nomor 2 Tahun 2016 (demo)"},
	"62.71": {83, 125, 125, "Peraturan Wali Kota Palangka Raya Nomor 24 Tahun 2018 (demo)"},
}

// Seed loads the demo data set into an empty database. Every demo user gets password, or a
// random one each when password is empty; the logins are returned so they can be shown.
func Seed(ctx context.Context, db *models.DB, blobs *models.BlobStore, password string) ([]Login, error) {
	ctx = models.WithActor(ctx, models.Actor{Email: "seed:demo"})
	if n, err := db.CountUsers(ctx); err != nil {
		return nil, err
	} else if n > 0 {
		return nil, ErrNotEmpty
	}
	for _, r := range Regions {
		if _, err := db.CreateRegion(ctx, r, true); err != nil {
			return nil, fmt.Errorf("region %s: %w", r.Code, err)
		}
	}
	logins, users, err := seedUsers(ctx, db, password)
	if err != nil {
		return nil, err
	}
	if err := seedCatalogue(ctx, db); err != nil {
		return nil, err
	}
	if err := seedProgress(ctx, db, blobs, users); err != nil {
		return nil, err
	}
	return logins, nil
}

func seedUsers(ctx context.Context, db *models.DB, password string) ([]Login, map[string]*models.User, error) {
	seruyan, katingan := "62.08", "62.09"
	specs := []struct {
		key, email, name string
		role             models.Role
		region           *string
	}{
		{"admin", "admin@demo.pantau.id", "Admin Pantau (demo)", models.RoleAdmin, nil},
		{"coordinator", "koordinator@demo.pantau.id", "Koordinator DPMPTSP Provinsi (demo)", models.RoleCoordinator, nil},
		{"operator", "operator.seruyan@demo.pantau.id", "Operator DPMPTSP Seruyan (demo)", models.RoleOperator, &seruyan},
		{"operator2", "operator.katingan@demo.pantau.id", "Operator DPMPTSP Katingan (demo)", models.RoleOperator, &katingan},
		{"reviewer", "reviewer@demo.pantau.id", "Reviewer Korsupgah (demo)", models.RoleReviewer, nil},
		{"signatory", "bupati.seruyan@demo.pantau.id", "Bupati Seruyan (demo)", models.RoleSignatory, nil},
	}
	var logins []Login
	users := map[string]*models.User{}
	for _, sp := range specs {
		pw := password
		if pw == "" {
			pw = randomPassword()
		}
		u, err := db.CreateUser(ctx, models.UserInput{Email: sp.email, Name: sp.name, Role: sp.role, Password: pw, RegionCode: sp.region}, true)
		if err != nil {
			return nil, nil, fmt.Errorf("user %s: %w", sp.email, err)
		}
		users[sp.key] = u
		l := Login{Email: sp.email, Password: pw, Role: sp.role, Name: sp.name}
		if sp.region != nil {
			l.RegionCode = *sp.region
		}
		logins = append(logins, l)
	}
	return logins, users, nil
}

func randomPassword() string {
	b := make([]byte, 9)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func seedCatalogue(ctx context.Context, db *models.DB) error {
	if _, err := db.CreatePeriod(ctx, models.PeriodInput{Year: Year, Name: "Rencana Aksi Korsupgah PTSP 2019 (demo)"}, true); err != nil {
		return err
	}
	w := models.FixedFromInt(1)
	if _, err := db.CreateArea(ctx, Year, models.AreaInput{Code: "PTSP", Name: "Pelayanan Terpadu Satu Pintu", Weight: &w}); err != nil {
		return err
	}
	for _, ind := range indicators {
		w := models.FixedFromInt(ind.weight)
		if _, err := db.CreateIndicator(ctx, Year, models.IndicatorInput{Code: ind.code, Area: "PTSP", Title: ind.title, Weight: &w}); err != nil {
			return err
		}
	}
	return nil
}

// seedProgress walks every item through the real workflow: evidence, claim, review.
func seedProgress(ctx context.Context, db *models.DB, blobs *models.BlobStore, users map[string]*models.User) error {
	for ri, r := range Regions {
		st := standings[r.Code]
		claimant := users["coordinator"]
		if r.Code == "62.08" {
			claimant = users["operator"]
		}
		for i, ind := range indicators {
			value := models.FixedFromInt(st.target + offsets[ri%2][i])
			if st.target == 100 {
				value = models.Hundred
			}
			ref := models.ItemRef{Year: Year, RegionCode: r.Code, IndicatorCode: ind.code}
			if err := verify(ctx, db, blobs, claimant, users["reviewer"], ref, r.Name, ind.title, value); err != nil {
				return fmt.Errorf("%s %s: %w", r.Code, ind.code, err)
			}
		}
		total, delegated := st.total, st.delegated
		if _, err := db.SetDelegation(ctx, claimant, Year, r.Code, models.DelegationInput{Total: &total, Delegated: &delegated, LegalBasis: st.legalBasis}); err != nil {
			return err
		}
	}
	return openWork(ctx, db, users)
}

func verify(ctx context.Context, db *models.DB, blobs *models.BlobStore, claimant, reviewer *models.User, ref models.ItemRef, region, title string, value models.Fixed) error {
	doc, err := evidencePDF(region, ref.IndicatorCode, title)
	if err != nil {
		return err
	}
	blob, err := blobs.Put(bytes.NewReader(doc))
	if err != nil {
		return err
	}
	name := fmt.Sprintf("bukti-%s-%s.pdf", ref.RegionCode, ref.IndicatorCode)
	ev, err := db.AddEvidence(ctx, claimant, ref, models.EvidenceUpload{Blob: blob, Filename: name})
	if err != nil {
		return err
	}
	if _, err := db.ClaimItem(ctx, claimant, ref, models.Claim{Progress: &value}); err != nil {
		return err
	}
	_, err = db.ReviewItem(ctx, reviewer, ref, models.ReviewInput{Decision: models.DecisionApprove, Comment: "Sesuai bukti dukung.",
		AcceptEvidence: []int64{ev.ID}})
	return err
}

// openWork leaves the demo with what a real period has: new claims waiting for verification
// (so claimed and verified differ) and a rejection with its reason.
func openWork(ctx context.Context, db *models.DB, users map[string]*models.User) error {
	ninety, eighty := models.FixedFromInt(90), models.FixedFromInt(85)
	waiting := []struct {
		region, indicator string
		value             models.Fixed
		note              string
	}{
		{"62.01", "PTSP.4", ninety, "Integrasi OSS untuk izin usaha mikro sudah berjalan sejak Oktober."},
		{"62.12", "PTSP.5", eighty, "Aplikasi pelacakan permohonan sudah daring."},
		{"62.06", "PTSP.7", eighty, "SK tim pengaduan terbit."},
	}
	for _, w := range waiting {
		note := w.note
		ref := models.ItemRef{Year: Year, RegionCode: w.region, IndicatorCode: w.indicator}
		if _, err := db.ClaimItem(ctx, users["coordinator"], ref, models.Claim{Progress: &w.value, Note: &note}); err != nil {
			return err
		}
	}
	ref := models.ItemRef{Year: Year, RegionCode: "62.06", IndicatorCode: "PTSP.7"}
	_, err := db.ReviewItem(ctx, users["reviewer"], ref, models.ReviewInput{Decision: models.DecisionReject,
		Comment: "SK tim pengaduan belum ditandatangani; unggah salinan yang telah ditandatangani dan diberi nomor."})
	return err
}

// evidencePDF makes a one-page sample document standing in for a scanned piece of evidence.
func evidencePDF(region, code, title string) ([]byte, error) {
	pdf := gofpdf.New("P", "mm", "A4", "")
	pdf.SetCreationDate(time.Date(Year, 10, 1, 9, 0, 0, 0, time.UTC))
	pdf.SetCatalogSort(true)
	pdf.AddPage()
	pdf.SetFont("Helvetica", "B", 14)
	pdf.MultiCell(0, 8, "DOKUMEN CONTOH (DEMO) - bukan dokumen resmi", "", "L", false)
	pdf.SetFont("Helvetica", "", 11)
	pdf.MultiCell(0, 6, fmt.Sprintf("Pemda: %s\nIndikator: %s\n%s\nTahun: %d", region, code, title, Year), "", "L", false)
	var buf bytes.Buffer
	err := pdf.Output(&buf)
	return buf.Bytes(), err
}
