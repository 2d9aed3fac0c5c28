package api

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"log/slog"
	"math"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/modelstest"
	"github.com/pantau-id/pantau/reports/pdfsign"
	"github.com/pantau-id/pantau/reports/pdfsign/pdfsigntest"
)

// cmSigning gives the test server a signing service: a fresh CA and document store; the
// simulated clock starts now and is moved with e.cmDay.
func cmSigning(t testing.TB, e *env) *models.Signing {
	t.Helper()
	ca, err := models.OpenCA(filepath.Join(t.TempDir(), "ca"), "Uji", e.db.Now())
	if err != nil {
		t.Fatal(err)
	}
	sg := &models.Signing{CA: ca, Documents: &models.BlobStore{Dir: t.TempDir(), MaxSize: 16 << 20}}
	_, h, err := New(e.db, &models.BlobStore{Dir: t.TempDir(), MaxSize: 4 << 20}, slog.New(slog.NewTextHandler(io.Discard, nil)),
		models.DefaultLoginPolicy, Options{Signing: sg})
	if err != nil {
		t.Fatal(err)
	}
	e.srv.Close()
	e.srv, e.engine = newTestServer(t, h), h.(*gin.Engine)
	return sg
}

// cmSignatory adds a signatory user and signs them in under the given token name.
func cmSignatory(t *testing.T, e *env, token models.Role, name string) {
	t.Helper()
	email := string(token) + "@sign.pantau.id"
	u, err := e.db.CreateUser(context.Background(), models.UserInput{Email: email, Name: name, Role: models.RoleSignatory, Password: testPassword}, false)
	if err != nil {
		t.Fatal(err)
	}
	e.users[token] = u
	e.tokens[token] = e.login(email)
}

// cmRelogin signs the given users in again (after the simulated clock moved past their sessions).
func cmRelogin(e *env, tokens ...models.Role) {
	for _, token := range tokens {
		e.tokens[token] = e.login(e.users[token].Email)
	}
}

// cmDrawing is a drawn signature as the web page would send it.
func cmDrawing(t *testing.T, seed int) string {
	img := image.NewNRGBA(image.Rect(0, 0, 240, 90))
	for x := 8; x < 232; x++ {
		y := 45 + int(28*math.Sin(float64(x*seed)/40)*math.Cos(float64(x)/23))
		for d := -2; d <= 2; d++ {
			img.Set(x, y+d, color.NRGBA{20, 30, 140, 255})
		}
	}
	var buf bytes.Buffer
	png.Encode(&buf, img)
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())
}

type cmJSON struct {
	ID               int64  `json:"id"`
	Status           string `json:"status"`
	VerificationCode string `json:"verification_code"`
	SHA256           string `json:"sha256"`
	Signatories      []struct {
		Slot, Kind, Status, Name, Title string
	} `json:"signatories"`
}

func (c *cmJSON) slot(name string) string {
	for _, s := range c.Signatories {
		if s.Slot == name {
			return s.Status
		}
	}
	return ""
}

type cmFileCheck struct {
	Valid                bool    `json:"valid"`
	VerificationCode     *string `json:"verification_code"`
	ModifiedAfterSigning bool    `json:"modified_after_signing"`
	Status               string  `json:"status"`
	VoidReason           string  `json:"void_reason"`
	Signatures           []struct {
		Name, Slot, Mode, Capacity, Reason, Level, Trust string
		Valid                                            bool
		Changes                                          string `json:"changes_after"`
	} `json:"signatures"`
}

// TestCommitmentCeremony walks the whole ceremony on different (simulated) days, with every
// act timestamped by an independent TSA (OpenSSL's): prepare, assign, the vice regent's paraf
// for the regent (a deputy may not sign), the DPRD chair, the governor and a witness, then the
// regent, to whom the coordinator gives the initialled slot, signs; the refusals; and
// verification by code, by upload (levels and trust) and with pdfsig, qpdf and an NSS
// database that trusts the installation's CA.
func TestCommitmentCeremony(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		// The simulated days lie in the past, so that the TSA's real clock follows them.
		start := time.Now().UTC().Truncate(time.Second).Add(-12 * 24 * time.Hour)
		clock := start
		e.db.Now = func() time.Time { return clock }
		sg := cmSigning(t, e)
		tsa := pdfsigntest.NewOpenSSLTSA(t)
		sg.Timestamper, sg.TimestampRoots = pdfsign.TSAClient{URL: tsa.URL}, []*x509.Certificate{tsa.Root.Cert}
		nss := pdfsigntest.NSSDB(t, sg.CA.Cert)
		for token, name := range map[models.Role]string{"wabup": "Irawan", "bupati": "H. Supian Hadi", "dprd": "Zulkifli Eka Putra", "gub": "H. Sutan Sabara",
			"wagub": "H. Hasan Iskandar", "dprdprov": "Wirawan"} {
			cmSignatory(t, e, token, name)
		}

		// Prepare.
		e.expect(e.call("POST", "/api/v1/commitments", models.RoleOperator, map[string]any{"region_code": "62.08", "year": 2019}), 403, "forbidden")
		e.expect(e.call("POST", "/api/v1/commitments", models.RoleCoordinator, map[string]any{"region_code": "62", "year": 2019}), 422, "validation_failed")
		var cm cmJSON
		e.mustOK(e.call("POST", "/api/v1/commitments", models.RoleCoordinator, map[string]any{"region_code": "62.08", "year": 2019, "date": "2019-03-04"})).decode(t, &cm)
		if cm.Status != "draft" || len(cm.Signatories) != 5 || cm.slot("regent") != "open" || cm.VerificationCode == "" {
			t.Fatalf("created: %+v", cm)
		}
		e.expect(e.call("POST", "/api/v1/commitments", models.RoleCoordinator, map[string]any{"region_code": "62.08", "year": 2019}), 409, "conflict")
		base := fmt.Sprintf("/api/v1/commitments/%d", cm.ID)

		// Assign; a deputy takes the regent's slot.
		e.expect(e.call("PUT", base+"/signatories/regent", models.RoleCoordinator, map[string]string{"user_email": "operator@test.pantau.id", "name": "X"}), 422, "validation_failed")
		e.expect(e.call("PUT", base+"/signatories/regent", "wabup", map[string]string{"user_email": "wabup@sign.pantau.id", "name": "X"}), 403, "forbidden")
		draft := cm.SHA256
		for slot, a := range map[string]struct {
			who   models.Role
			title string
		}{"regent": {"wabup", "Wakil Bupati Seruyan"}, "dprd_chair": {"dprd", ""}, "governor": {"gub", ""},
			"witness_vice_governor": {"wagub", ""}, "witness_dprd_province": {"dprdprov", ""}} {
			e.mustOK(e.call("PUT", base+"/signatories/"+slot, models.RoleCoordinator, map[string]string{"user_email": string(a.who) + "@sign.pantau.id", "name": e.users[a.who].Name, "title": a.title})).decode(t, &cm)
		}
		if cm.SHA256 == draft || cm.slot("regent") != "open" {
			t.Fatalf("assigning did not re-render the draft: %+v", cm)
		}
		// A signatory sees only the commitments they sign.
		e.expect(e.call("GET", base, models.RoleSignatory, nil), 404, "not_found")
		e.expect(e.call("POST", base+"/signatories/regent/sign", models.RoleSignatory, map[string]string{"mode": "sign", "passphrase": "xxxxxxxxxx"}), 404, "not_found")
		e.mustOK(e.call("GET", base, "wabup", nil))

		// Keys.
		pass := map[models.Role]string{}
		for _, who := range []models.Role{"wabup", "bupati", "dprd", "gub", "wagub", "dprdprov"} {
			pass[who] = "frasa-" + string(who) + "-rahasia"
			var k struct {
				CertificatePEM string `json:"certificate_pem"`
				Fingerprint    string
			}
			e.mustOK(e.call("PUT", "/api/v1/me/signing-key", who, map[string]string{"passphrase": pass[who]})).decode(t, &k)
			if k.Fingerprint == "" || !bytes.Contains([]byte(k.CertificatePEM), []byte("BEGIN CERTIFICATE")) {
				t.Fatalf("signing key: %+v", k)
			}
		}
		e.expect(e.call("PUT", "/api/v1/me/signing-key", "gub", map[string]string{"passphrase": "yang-baru-sekali"}), 422, "validation_failed")
		e.expect(e.call("PUT", "/api/v1/me/signing-key", "gub", map[string]string{"passphrase": testPassword, "old_passphrase": pass["gub"]}), 422, "validation_failed")

		sign := func(who models.Role, slot, mode string) *response {
			return e.call("POST", base+"/signatories/"+slot+"/sign", who, map[string]string{"mode": mode, "passphrase": pass[who], "signature_png": cmDrawing(t, len(who))})
		}
		var states [][]byte
		check := func(n int) []byte {
			t.Helper()
			r := e.mustOK(e.call("GET", base+"/document.pdf", models.RoleCoordinator, nil))
			pdfsigntest.QPDFCheck(t, r.Body)
			text, sigs := pdfsigntest.Pdfsig(t, r.Body, nss)
			if len(sigs) != n {
				t.Fatalf("pdfsig finds %d signatures, want %d:\n%s", len(sigs), n, text)
			}
			for _, s := range sigs {
				if s.Validation != "Signature is Valid." || s.Certificate != "Certificate is Trusted." {
					t.Fatalf("pdfsig:\n%s", text)
				}
			}
			states = append(states, r.Body)
			return r.Body
		}

		// Day 1: the vice regent initials for the regent; a deputy may not sign.
		clock = start.Add(24 * time.Hour)
		cmRelogin(e, "wabup", "dprd", models.RoleCoordinator)
		e.expect(sign("wabup", "regent", "sign"), 403, "forbidden")
		e.mustOK(sign("wabup", "regent", "initial")).decode(t, &cm)
		if cm.slot("regent") != "initialled" || cm.Status != "partially_signed" {
			t.Fatalf("after the paraf: %+v", cm)
		}
		check(1)
		e.expect(sign("wabup", "regent", "initial"), 409, "conflict")
		e.expect(sign("dprd", "governor", "sign"), 403, "forbidden")
		e.expect(e.call("POST", base+"/signatories/dprd_chair/sign", "dprd", map[string]string{"mode": "scribble", "passphrase": "x"}), 422, "validation_failed")

		// Wrong passphrases: 422 each, audited, then 429 until the window has passed.
		for i := 0; i < models.DefaultSigningPolicy.MaxFailures; i++ {
			r := e.call("POST", base+"/signatories/dprd_chair/sign", "dprd", map[string]string{"mode": "sign", "passphrase": "salah-salah-salah"})
			e.expect(r, 422, "validation_failed")
			if r.fields(t)["passphrase"] == "" {
				t.Fatalf("wrong passphrase: %s", r.Body)
			}
		}
		e.expect(sign("dprd", "dprd_chair", "sign"), 429, "rate_limited")
		var failed int64
		modelstest.Raw(t, e.db).Table("audit_events").Where("entity = ? AND action = ?", "signing_attempt", "failed").Count(&failed)
		if failed != int64(models.DefaultSigningPolicy.MaxFailures) {
			t.Fatalf("%d failed attempts audited", failed)
		}

		// Day 4: the DPRD chair signs; day 7 the governor; day 8 the vice governor witnesses.
		for i, st := range []struct {
			who  models.Role
			slot string
		}{{"dprd", "dprd_chair"}, {"gub", "governor"}, {"wagub", "witness_vice_governor"}} {
			clock = start.Add(time.Duration([]int{4, 7, 8}[i]) * 24 * time.Hour)
			cmRelogin(e, st.who, models.RoleCoordinator)
			e.mustOK(sign(st.who, st.slot, "sign")).decode(t, &cm)
			check(i + 2)
		}
		if cm.Status != "partially_signed" || cm.slot("governor") != "signed" {
			t.Fatalf("a paraf is not a signature: the regent's slot keeps the commitment partially signed: %+v", cm)
		}

		// Day 9: the coordinator gives the initialled slot to the regent, who signs it.
		clock = start.Add(9 * 24 * time.Hour)
		cmRelogin(e, "bupati", "wabup", models.RoleCoordinator)
		e.mustOK(e.call("PUT", base+"/signatories/regent", models.RoleCoordinator, map[string]string{"user_email": "bupati@sign.pantau.id", "name": e.users["bupati"].Name}))
		e.expect(sign("wabup", "regent", "initial"), 404, "not_found") // no longer theirs to see
		e.mustOK(sign("bupati", "regent", "sign")).decode(t, &cm)
		if cm.Status != "signed" || cm.slot("regent") != "signed" {
			t.Fatalf("after the regent's signature: %+v", cm)
		}
		e.expect(e.call("PUT", base+"/signatories/regent", models.RoleCoordinator, map[string]string{"user_email": "wabup@sign.pantau.id", "name": "Irawan"}), 409, "conflict")
		final := check(5)
		t.Logf("the commitment with a paraf and four signatures, each B-LT: %d bytes", len(final))

		// Verify by code: both acts on the regent's slot, in order.
		var v struct {
			Kind, Status string
			Signatures   []struct{ Slot, Name, Title, Mode, Capacity string }
		}
		e.mustOK(e.call("GET", "/api/v1/verify/"+cm.VerificationCode, asAnonymous, nil)).decode(t, &v)
		if v.Kind != "commitment" || v.Status != "signed" || len(v.Signatures) != 5 || v.Signatures[0].Mode != "initial" ||
			v.Signatures[0].Title != "Wakil Bupati Seruyan" || v.Signatures[0].Capacity != "deputy" || v.Signatures[2].Slot != "governor" ||
			v.Signatures[4].Slot != "regent" || v.Signatures[4].Mode != "sign" || v.Signatures[4].Title != "Bupati Seruyan" {
			t.Fatalf("verify by code: %+v", v)
		}

		// Verify by upload, today (after the TSA's stamps): every signed state is recognised,
		// each act at PAdES B-LT; tampering and appending are not.
		clock = time.Now()
		var fc cmFileCheck
		e.mustOK(e.upload("/api/v1/verify", asAnonymous, "komitmen.pdf", final)).decode(t, &fc)
		if !fc.Valid || fc.VerificationCode == nil || len(fc.Signatures) != 5 || fc.Signatures[0].Reason != "Paraf" || fc.Signatures[0].Mode != "initial" ||
			fc.Signatures[0].Slot != "regent" || fc.Signatures[0].Changes != "signatures_only" || fc.Signatures[4].Changes != "signatures_only" {
			t.Fatalf("final file: %+v", fc)
		}
		for i, s := range fc.Signatures {
			if s.Level != "B-LT" || s.Trust != "trusted" || !s.Valid {
				t.Fatalf("signature %d: %+v", i+1, s)
			}
		}
		e.mustOK(e.upload("/api/v1/verify", asAnonymous, "komitmen.pdf", states[1])).decode(t, &fc)
		if !fc.Valid || len(fc.Signatures) != 2 || fc.Signatures[1].Slot != "dprd_chair" {
			t.Fatalf("second state: %+v", fc)
		}
		tampered := append([]byte(nil), final...)
		at := bytes.Index(tampered, []byte("/MediaBox"))
		tampered[at+11] ^= 0x01
		e.mustOK(e.upload("/api/v1/verify", asAnonymous, "komitmen.pdf", tampered)).decode(t, &fc)
		if fc.Valid || len(fc.Signatures) != 5 || fc.Signatures[0].Valid || fc.Signatures[0].Trust != "broken" {
			t.Fatalf("tampered file: %+v", fc)
		}
		if text, sigs := pdfsigntest.Pdfsig(t, tampered, nss); len(sigs) == 0 || sigs[0].Validation == "Signature is Valid." {
			t.Fatalf("pdfsig accepts the tampered file:\n%s", text)
		}
		appended := append(append([]byte(nil), final...), "\n% ditambahkan\n"...)
		e.mustOK(e.upload("/api/v1/verify", asAnonymous, "komitmen.pdf", appended)).decode(t, &fc)
		if fc.Valid || !fc.ModifiedAfterSigning {
			t.Fatalf("appended file: %+v", fc)
		}

		// The CA certificate is public.
		r := e.mustOK(e.call("GET", "/api/v1/signing/ca.pem", asAnonymous, nil))
		if !bytes.Equal(r.Body, sg.CA.CertPEM()) {
			t.Fatal("ca.pem differs from the CA")
		}
		if dir := os.Getenv("PANTAU_SIGN_LOOK_DIR"); dir != "" && e.db.Dialect == models.SQLite {
			cmLook(t, dir, final, nss)
		}
	})
}

// cmLook writes the signed document, its pages as PNG and pdfsig's report for a person to see.
func cmLook(t *testing.T, dir string, pdf []byte, nss string) {
	os.MkdirAll(dir, 0o755)
	file := filepath.Join(dir, "ceremony.pdf")
	os.WriteFile(file, pdf, 0o644)
	if out, err := exec.Command("pdftoppm", "-png", "-r", "60", file, filepath.Join(dir, "ceremony")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	out, _ := exec.Command("pdfsig", "-nssdir", "sql:"+nss, file).CombinedOutput()
	os.WriteFile(filepath.Join(dir, "ceremony-pdfsig.txt"), out, 0o644)
}

// TestCommitmentSignedAndImportedKey: a city's commitment signed by all three signers, one
// of them with a key imported as PKCS#12 from another certification authority.
func TestCommitmentSignedAndImportedKey(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		sg := cmSigning(t, e)
		for token, name := range map[models.Role]string{"walikota": "Fajar Nugraha", "dprd": "Sigit Wibowo", "gub": "Agus Santoso"} {
			cmSignatory(t, e, token, name)
		}
		var cm cmJSON
		e.mustOK(e.call("POST", "/api/v1/commitments", models.RoleAdmin, map[string]any{"region_code": "62.71", "year": 2025})).decode(t, &cm)
		base := fmt.Sprintf("/api/v1/commitments/%d", cm.ID)
		for slot, who := range map[string]models.Role{"regent": "walikota", "dprd_chair": "dprd", "governor": "gub"} {
			e.mustOK(e.call("PUT", base+"/signatories/"+slot, models.RoleCoordinator, map[string]string{"user_email": string(who) + "@sign.pantau.id", "name": e.users[who].Name}))
		}
		for _, who := range []models.Role{"walikota", "dprd"} {
			e.mustOK(e.call("PUT", "/api/v1/me/signing-key", who, map[string]string{"passphrase": "frasa-" + string(who)}))
		}
		// The governor's key comes from a national CA, as PKCS#12.
		national := pdfsigntest.NewCA(t)
		key, chain := national.Issue(t, "AGUS SANTOSO", true)
		p12 := pdfsigntest.PKCS12(t, key, chain, "sandi-p12")
		imp := func(password, passphrase string) *response {
			return e.uploadWith(fmt.Sprintf("/api/v1/users/%d/signing-key", e.users["gub"].ID), models.RoleAdmin, map[string]string{"password": password, "passphrase": passphrase}, "kunci.p12", p12)
		}
		e.expect(imp("salah", "frasa-gub"), 422, "validation_failed")
		var k struct{ Source, Issuer string }
		e.mustOK(imp("sandi-p12", "frasa-gub")).decode(t, &k)
		if k.Source != "pkcs12" {
			t.Fatalf("import: %+v", k)
		}
		e.mustOK(e.call("POST", base+"/signatories/governor/sign", "gub", map[string]string{"mode": "sign", "passphrase": "frasa-gub"}))
		// The mayor and the DPRD chair sign at the same moment: both signatures must land, one
		// appended after the other.
		statuses := make(chan int, 2)
		for _, st := range [][2]string{{"walikota", "regent"}, {"dprd", "dprd_chair"}} {
			go func(who models.Role, slot string) {
				req, _ := http.NewRequest("POST", e.srv.URL+base+"/signatories/"+slot+"/sign", bytes.NewReader([]byte(`{"mode":"sign","passphrase":"frasa-`+string(who)+`"}`)))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+e.tokens[who])
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					statuses <- 0
					return
				}
				res.Body.Close()
				statuses <- res.StatusCode
			}(models.Role(st[0]), st[1])
		}
		if a, b := <-statuses, <-statuses; a != 200 || b != 200 {
			t.Fatalf("concurrent signatures: %d, %d", a, b)
		}
		e.mustOK(e.call("GET", base, models.RoleCoordinator, nil)).decode(t, &cm)
		if cm.Status != "signed" {
			t.Fatalf("every signer signed: %+v", cm)
		}
		pdf := e.mustOK(e.call("GET", base+"/document.pdf", "gub", nil)).Body
		pdfsigntest.QPDFCheck(t, pdf)
		text, sigs := pdfsigntest.Pdfsig(t, pdf, pdfsigntest.NSSDB(t, sg.CA.Cert, national.Cert))
		if len(sigs) != 3 || !bytes.Contains([]byte(text), []byte("Common Name: AGUS SANTOSO")) {
			t.Fatalf("pdfsig:\n%s", text)
		}
		for _, s := range sigs {
			if s.Validation != "Signature is Valid." || s.Certificate != "Certificate is Trusted." {
				t.Fatalf("pdfsig:\n%s", text)
			}
		}
		var fc cmFileCheck
		e.mustOK(e.upload("/api/v1/verify", asAnonymous, "komitmen.pdf", pdf)).decode(t, &fc)
		if !fc.Valid || len(fc.Signatures) != 3 {
			t.Fatalf("verify: %+v", fc)
		}
		e.expect(e.call("GET", base+"/document.pdf", asOperator2, nil), 200, "")
		e.expect(e.call("GET", base+"/document.pdf", models.RoleOperator, nil), 404, "not_found")
	})
}

// TestCommitmentTemplate: an admin edits the template; new commitments take it, prepared ones keep theirs.
func TestCommitmentTemplate(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		cmSigning(t, e)
		var before cmJSON
		e.mustOK(e.call("POST", "/api/v1/commitments", models.RoleCoordinator, map[string]any{"region_code": "62.08", "year": 2020})).decode(t, &before)
		tmpl := map[string]string{"title": "Komitmen {region} {year}", "preamble": "Kami, {head}, berkomitmen:", "commitments": "Satu.\nDua untuk {province}.",
			"closing": "", "place": "Sampit"}
		e.expect(e.call("PUT", "/api/v1/commitment-template", models.RoleCoordinator, tmpl), 403, "forbidden")
		e.expect(e.call("PUT", "/api/v1/commitment-template", models.RoleAdmin, map[string]string{"title": ""}), 422, "validation_failed")
		e.mustOK(e.call("PUT", "/api/v1/commitment-template", models.RoleAdmin, tmpl))
		var cm struct {
			ID    int64
			Title string
			Place string
		}
		e.mustOK(e.call("POST", "/api/v1/commitments", models.RoleCoordinator, map[string]any{"region_code": "62.71", "year": 2020})).decode(t, &cm)
		if cm.Title != "Komitmen Kota Palangka Raya 2020" || cm.Place != "Sampit" {
			t.Fatalf("new commitment: %+v", cm)
		}
		pdf := e.mustOK(e.call("GET", fmt.Sprintf("/api/v1/commitments/%d/document.pdf", cm.ID), models.RoleReviewer, nil)).Body
		out, err := exec.Command(pdfsigntest.Tool(t, "pdftotext"), pdfsigntest.WriteTemp(t, "t.pdf", pdf), "-").Output()
		if err != nil || !bytes.Contains(out, []byte("Kami, Wali Kota Palangka Raya, berkomitmen:")) || !bytes.Contains(out, []byte("Dua untuk Provinsi Kalimantan Tengah.")) {
			t.Fatalf("rendered template: %v\n%s", err, out)
		}
		var old struct{ Title string }
		e.mustOK(e.call("GET", fmt.Sprintf("/api/v1/commitments/%d", before.ID), models.RoleCoordinator, nil)).decode(t, &old)
		if old.Title == cm.Title || old.Title == "" {
			t.Fatalf("the prepared commitment changed its text: %q", old.Title)
		}
	})
}
