package api

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/modelstest"
)

// BenchmarkSignOverHTTP measures whole signing requests — passphrase check, key unlock,
// incremental PDF signature, database — from 4 concurrent signatories, each signing its own
// slot of its own commitment, on SQLite. Commitments are prepared outside the timing.
func BenchmarkSignOverHTTP(b *testing.B) {
	e := newEnv(b, modelstest.Open(b, models.SQLite))
	cmSigning(b, e)
	const signers = 4
	for i := 0; i < signers; i++ {
		who := fmt.Sprintf("penanda%d", i)
		u, err := e.db.CreateUser(context.Background(), models.UserInput{Email: who + "@sign.pantau.id", Name: "Penanda " + who,
			Role: models.RoleSignatory, Password: testPassword}, false)
		if err != nil {
			b.Fatal(err)
		}
		e.users[models.Role(who)], e.tokens[models.Role(who)] = u, e.login(u.Email)
		e.mustOK(e.call("PUT", "/api/v1/me/signing-key", models.Role(who), map[string]string{"passphrase": "frasa-" + who}))
	}
	// One commitment per operation, each in its own (synthetic) region; slot "regent".
	type job struct{ who, path string }
	jobs := make([]job, b.N)
	for i := range jobs {
		code := fmt.Sprintf("63.%02d.%02d", i/100%100, i%100)
		if _, err := e.db.CreateRegion(context.Background(), models.RegionInput{Code: code, Name: "Kabupaten Uji " + code, Kind: models.KindRegency}, false); err != nil {
			b.Fatal(err)
		}
		var cm cmJSON
		e.mustOK(e.call("POST", "/api/v1/commitments", models.RoleCoordinator, map[string]any{"region_code": code, "year": 2025})).decode(b, &cm)
		who := fmt.Sprintf("penanda%d", i%signers)
		base := fmt.Sprintf("/api/v1/commitments/%d/signatories/regent", cm.ID)
		e.mustOK(e.call("PUT", base, models.RoleCoordinator, map[string]string{"user_email": who + "@sign.pantau.id", "name": e.users[models.Role(who)].Name}))
		jobs[i] = job{who, base + "/sign"}
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for w := 0; w < signers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(jobs) {
					return
				}
				req, _ := http.NewRequest("POST", e.srv.URL+jobs[i].path, strings.NewReader(`{"mode":"sign","passphrase":"frasa-`+jobs[i].who+`"}`))
				req.Header.Set("Authorization", "Bearer "+e.tokens[models.Role(jobs[i].who)])
				req.Header.Set("Content-Type", "application/json")
				res, err := http.DefaultClient.Do(req)
				if err != nil || res.StatusCode != http.StatusOK {
					b.Errorf("sign %d: %v %v", i, err, res)
					return
				}
				res.Body.Close()
			}
		}()
	}
	wg.Wait()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "signatures/s")
}
