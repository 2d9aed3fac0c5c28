package api

import (
	"context"
	"testing"

	"github.com/pantau-id/pantau/models"
)

// TestSignatoryChoices: the slot form's list of signatories — active signatory users by name,
// each with the title they were last assigned under; a provincial coordinator sees only their
// province's and those without a region.
func TestSignatoryChoices(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		cmSigning(t, e)
		ctx := context.Background()
		palangka, other := "62.71", "63.01"
		if _, err := e.db.CreateRegion(ctx, models.RegionInput{Code: "63", Name: "Provinsi Kalimantan Selatan", Kind: models.KindProvince}, false); err != nil {
			t.Fatal(err)
		}
		if _, err := e.db.CreateRegion(ctx, models.RegionInput{Code: other, Name: "Kabupaten Tanah Laut", Kind: models.KindRegency}, false); err != nil {
			t.Fatal(err)
		}
		for _, u := range []models.UserInput{
			{Email: "walikota@sign.pantau.id", Name: "Fairid Naparin", RegionCode: &palangka},
			{Email: "bupati.tala@sign.pantau.id", Name: "Sukamta", RegionCode: &other},
			{Email: "gone@sign.pantau.id", Name: "Mantan Bupati"},
		} {
			u.Role, u.Password = models.RoleSignatory, testPassword
			if _, err := e.db.CreateUser(ctx, u, false); err != nil {
				t.Fatal(err)
			}
		}
		gone, _ := e.db.UserByEmail(ctx, "gone@sign.pantau.id")
		inactive := false
		if _, err := e.db.UpdateUser(ctx, e.users[models.RoleAdmin], gone.ID, models.UserPatch{Active: &inactive}); err != nil {
			t.Fatal(err)
		}
		var cm cmJSON
		e.mustOK(e.call("POST", "/api/v1/commitments", models.RoleCoordinator, map[string]any{"region_code": "62.71", "year": 2019})).decode(t, &cm)
		e.mustOK(e.call("PUT", "/api/v1/commitments/"+itoa(cm.ID)+"/signatories/regent", models.RoleCoordinator,
			map[string]string{"user_email": "walikota@sign.pantau.id", "name": "Fairid Naparin", "title": "Wali Kota Palangka Raya"}))

		var all []models.SignatoryChoice
		e.mustOK(e.call("GET", "/api/v1/signatories", models.RoleCoordinator, nil)).decode(t, &all)
		byEmail := map[string]models.SignatoryChoice{}
		for _, s := range all {
			byEmail[s.Email] = s
		}
		if len(all) != 3 || byEmail["walikota@sign.pantau.id"].Title != "Wali Kota Palangka Raya" || *byEmail["walikota@sign.pantau.id"].RegionCode != "62.71" ||
			byEmail["bupati.tala@sign.pantau.id"].Name != "Sukamta" || byEmail["signatory@test.pantau.id"].Title != "" {
			t.Fatalf("signatories: %+v", all)
		}

		province := "62"
		coord, err := e.db.CreateUser(ctx, models.UserInput{Email: "koordinator.kalteng@test.pantau.id", Name: "Koordinator Kalteng",
			Role: models.RoleCoordinator, Province: &province, Password: testPassword}, false)
		if err != nil {
			t.Fatal(err)
		}
		e.tokens["kalteng"] = e.login(coord.Email)
		var mine []models.SignatoryChoice
		e.mustOK(e.call("GET", "/api/v1/signatories", "kalteng", nil)).decode(t, &mine)
		if len(mine) != 2 || mine[0].Email != "walikota@sign.pantau.id" || mine[1].Email != "signatory@test.pantau.id" {
			t.Fatalf("a provincial coordinator's signatories: %+v", mine)
		}
	})
}
