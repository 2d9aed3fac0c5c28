// Package demo loads Pantau's demonstration data set: Central Kalimantan's 15 Pemda and a
// small second province for 2018, 2019 and 2020, with the 2019 programme's eight areas,
// indicators and sub-indicators. 2019 reproduces the province's published figures (see
// targets); every other figure is illustrative and says so. Items go through the real
// workflow, dated inside their year; 2018 and 2019 are closed, 2020 is open with claims
// waiting for verification. Everything it creates is marked as demo data.
package demo

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/pantau-id/pantau/models"
)

// Login is a demo user's credentials.
type Login struct {
	Email, Password, Name string
	Role                  models.Role
	RegionCode            string
}

// ErrNotEmpty: the database already holds data, so the demo set is not loaded.
var ErrNotEmpty = errors.New("the database is not empty")

// Regions are Central Kalimantan's province, 13 regencies and one city, and — to show the
// national view — Kalimantan Utara's province, one regency and one city.
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
	{Code: "65", Name: "Provinsi Kalimantan Utara", Kind: models.KindProvince},
	{Code: "65.02", Name: "Kabupaten Bulungan", Kind: models.KindRegency},
	{Code: "65.71", Name: "Kota Tarakan", Kind: models.KindCity},
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
	bulk, err := db.StartBulkLoad(ctx)
	if errors.Is(err, models.ErrNotEmpty) {
		return nil, ErrNotEmpty
	} else if err != nil {
		return nil, err
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
	c := &clock{}
	restore := db.Now
	db.Now = c.now
	defer func() { db.Now = restore }()
	if err := seedYears(ctx, db, bulk, blobs, users, c); err != nil {
		return nil, err
	}
	return logins, nil
}

func seedUsers(ctx context.Context, db *models.DB, password string) ([]Login, map[string]*models.User, error) {
	seruyan, katingan, kaltara := "62.08", "62.09", "65"
	specs := []struct {
		key, email, name string
		role             models.Role
		region, province *string
	}{
		{"admin", "admin@demo.pantau.id", "Admin Pantau (demo)", models.RoleAdmin, nil, nil},
		{"coordinator", "koordinator@demo.pantau.id", "Koordinator MCP (demo)", models.RoleCoordinator, nil, nil},
		{"coordinator65", "koordinator.kaltara@demo.pantau.id", "Koordinator DPMPTSP Kalimantan Utara (demo)", models.RoleCoordinator, nil, &kaltara},
		{"operator", "operator.seruyan@demo.pantau.id", "Operator DPMPTSP Seruyan (demo)", models.RoleOperator, &seruyan, nil},
		{"operator2", "operator.katingan@demo.pantau.id", "Operator DPMPTSP Katingan (demo)", models.RoleOperator, &katingan, nil},
		{"reviewer", "reviewer@demo.pantau.id", "Reviewer Korsupgah (demo)", models.RoleReviewer, nil, nil},
		{"signatory", "bupati.seruyan@demo.pantau.id", "Bupati Seruyan (demo)", models.RoleSignatory, nil, nil},
	}
	var logins []Login
	users := map[string]*models.User{}
	for _, sp := range specs {
		pw := password
		if pw == "" {
			pw = randomPassword()
		}
		u, err := db.CreateUser(ctx, models.UserInput{Email: sp.email, Name: sp.name, Role: sp.role, Password: pw, RegionCode: sp.region, Province: sp.province}, true)
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

// seedYears enters the three years as they happened: 2018's catalogue entered by hand and
// copied forward, each year's work from March, 2018 and 2019 closed early the next year.
func seedYears(ctx context.Context, db *models.DB, bulk *models.BulkLoad, blobs *models.BlobStore, users map[string]*models.User, c *clock) error {
	for _, year := range Years {
		c.set(time.Date(year, 3, 1, 8, 0, 0, 0, wib))
		if _, err := db.CreatePeriod(ctx, models.PeriodInput{Year: year, Name: fmt.Sprintf("Monitoring Center for Prevention (MCP) %d", year)}, true); err != nil {
			return err
		}
		var err error
		if year == Years[0] {
			err = seedCatalogue(ctx, db, year)
		} else {
			_, err = db.CopyCatalogue(ctx, year, models.CopyInput{From: year - 1})
		}
		if err != nil {
			return fmt.Errorf("%d catalogue: %w", year, err)
		}
		c.set(time.Date(year, 3, 15, 8, 0, 0, 0, wib))
		skip := map[models.ItemRef]bool{}
		for _, o := range outside[year] {
			if err := outsideAuthority(ctx, db, users, o.ref, o.reason, o.confirm); err != nil {
				return fmt.Errorf("%d %s %s not applicable: %w", year, o.ref.RegionCode, o.ref.IndicatorCode, err)
			}
			skip[o.ref] = true
		}
		if err := history(ctx, db, bulk, blobs, users, year, skip); err != nil {
			return err
		}
		if year == Years[len(Years)-1] {
			c.set(time.Date(year, 10, 20, 10, 0, 0, 0, wib))
			return openWork(ctx, db, users, year)
		}
		deadline := fmt.Sprintf("%d-11-30", year)
		if _, err := db.UpdatePeriod(ctx, year, models.PeriodPatch{Deadline: &deadline}); err != nil {
			return err
		}
		c.set(time.Date(year+1, 2, 20, 9, 0, 0, 0, wib))
		if _, err := db.ClosePeriod(ctx, users["admin"], year); err != nil {
			return err
		}
	}
	return nil
}

// exemption is an item a Pemda marks as outside its authority.
type exemption struct {
	ref     models.ItemRef
	reason  string
	confirm bool
}

// outside are the demo's items outside a Pemda's authority, by year: one confirmed each year
// in Barito Utara (its figures do not move: the item's sibling carries the same value), and one
// waiting for a reviewer in Bulungan in 2020.
var outside = map[int][]exemption{
	2019: {{models.ItemRef{Year: 2019, RegionCode: "62.05", IndicatorCode: "ASET.2.1"}, landReason, true}},
	2020: {
		{models.ItemRef{Year: 2020, RegionCode: "62.05", IndicatorCode: "ASET.2.1"}, landReason, true},
		{models.ItemRef{Year: 2020, RegionCode: "65.02", IndicatorCode: "PAD.1.2"},
			"Perekaman transaksi pajak parkir dikelola oleh BUMD berdasarkan perjanjian kerja sama (demo).", false},
	},
}

const landReason = "Penerbitan sertifikat tanah merupakan kewenangan Kantor Pertanahan (BPN); Pemda hanya mengajukan permohonan (demo)."
