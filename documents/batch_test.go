package documents_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/pantau-id/pantau/documents"
	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/reports/pdfsign"
	"github.com/pantau-id/pantau/reports/pdfsign/pdfsigntest"
)

// centralKalimantan adds the province's other regencies, so that with Seruyan and Palangka
// Raya it has its fourteen.
func (d *desk) centralKalimantan() {
	d.t.Helper()
	for _, r := range []models.RegionInput{
		{Code: "62.01", Name: "Kabupaten Kotawaringin Barat"}, {Code: "62.02", Name: "Kabupaten Kotawaringin Timur"}, {Code: "62.03", Name: "Kabupaten Kapuas"},
		{Code: "62.04", Name: "Kabupaten Barito Selatan"}, {Code: "62.05", Name: "Kabupaten Barito Utara"}, {Code: "62.06", Name: "Kabupaten Sukamara"},
		{Code: "62.07", Name: "Kabupaten Lamandau"}, {Code: "62.09", Name: "Kabupaten Katingan"}, {Code: "62.10", Name: "Kabupaten Pulang Pisau"},
		{Code: "62.11", Name: "Kabupaten Gunung Mas"}, {Code: "62.12", Name: "Kabupaten Barito Timur"}, {Code: "62.13", Name: "Kabupaten Murung Raya"},
	} {
		r.Kind = models.KindRegency
		if _, err := d.db.CreateRegion(d.ctx, r, false); err != nil {
			d.t.Fatal(err)
		}
	}
}

// TestJointCommitmentBatch: the province's joint commitment has the governor, every regent or
// mayor and every regency and city DPRD chair (29 signers) and two witnesses; its certifying
// signature creates all 62 fields. The governor signs it and two regional commitments in one
// batch, with one passphrase: each document gets its own timestamped signature and audit event.
// A batch with an item that is not the governor's, a duplicate or a wrong passphrase signs
// nothing.
func TestJointCommitmentBatch(t *testing.T) {
	forEachDesk(t, func(t *testing.T, d *desk) {
		d.centralKalimantan()
		tsa := d.withTSA()
		governor := d.signer("gubernur", "Sugianto Sabran")
		regent := d.signer("bupati", "Yulhaidir")
		var verr *models.ValidationError
		if _, err := d.docs.CreateCommitment(d.ctx, models.CommitmentInput{RegionCode: "62.08", Year: 2019, Kind: models.KindJoint}, d.coordinator); !errors.As(err, &verr) ||
			verr.Fields["region_code"] != "joint_region" {
			t.Fatalf("a joint commitment for a regency: %v", err)
		}
		joint, err := d.docs.CreateCommitment(d.ctx, models.CommitmentInput{RegionCode: "62", Year: 2019, Kind: models.KindJoint, Date: "2019-03-04"}, d.coordinator)
		if err != nil {
			t.Fatal(err)
		}
		signers := 0
		for _, s := range joint.Signatories {
			if s.Kind == models.SlotSigner {
				signers++
			}
		}
		if signers != 29 || len(joint.Signatories) != 31 || joint.Slot("regent_62_71").DefaultTitle != "Wali Kota Palangka Raya" ||
			joint.Slot("dprd_chair_62_02").DefaultTitle != "Ketua DPRD Kabupaten Kotawaringin Timur" {
			t.Fatalf("the joint commitment's slots: %d signers of %d", signers, len(joint.Signatories))
		}
		joint = d.assign(joint, "governor", governor)
		seruyan := d.assign(d.prepare(), "governor", governor)
		seruyan = d.assign(seruyan, "regent", regent)
		palangka, err := d.docs.CreateCommitment(d.ctx, models.CommitmentInput{RegionCode: "62.71", Year: 2019, Date: "2019-03-04"}, d.coordinator)
		if err != nil {
			t.Fatal(err)
		}
		palangka = d.assign(palangka, "governor", governor)

		batch := func(items []documents.BatchItem, passphrase string) ([]documents.BatchResult, error) {
			return d.docs.SignBatch(d.ctx, governor, documents.BatchInput{Items: items, Mode: models.ModeSign, Passphrase: passphrase, SignaturePNG: drawing(t)}, "192.0.2.9")
		}
		good := []documents.BatchItem{{CommitmentID: joint.ID, Slot: "governor"}, {CommitmentID: seruyan.ID, Slot: "governor"}, {CommitmentID: palangka.ID, Slot: "governor"}}
		for _, bad := range []struct {
			items      []documents.BatchItem
			passphrase string
			field, key string
		}{
			{append(good[:1:1], documents.BatchItem{CommitmentID: seruyan.ID, Slot: "regent"}), "frasa-gubernur", "items[1]", "not_your_slot"},
			{append(good[:1:1], good[0]), "frasa-gubernur", "items[1]", "batch_duplicate"},
			{[]documents.BatchItem{{CommitmentID: 999999, Slot: "governor"}}, "frasa-gubernur", "items[0]", "batch_not_found"},
			{nil, "frasa-gubernur", "items", "batch_size"},
			{good, "salah-salah-salah", "passphrase", "wrong_passphrase"},
		} {
			if _, err := batch(bad.items, bad.passphrase); !errors.As(err, &verr) || verr.Fields[bad.field] != bad.key {
				t.Fatalf("batch %+v: %v, want %s on %s", bad.items, err, bad.key, bad.field)
			}
		}
		for _, c := range []*models.Commitment{joint, seruyan, palangka} {
			if now, err := d.db.Commitment(d.ctx, c.ID); err != nil || now.Version != c.Version || now.FrozenAt != nil {
				t.Fatalf("a refused batch changed commitment %d: %+v %v", c.ID, now, err)
			}
		}

		before, err := d.db.AuditEvents(d.ctx, models.AuditFilter{Entity: "commitment", Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		results, err := batch(good, "frasa-gubernur")
		if err != nil || len(results) != 3 {
			t.Fatalf("the batch: %+v %v", results, err)
		}
		for i, r := range results {
			if r.CommitmentID != good[i].CommitmentID || r.Slot != "governor" || r.Status != string(models.SlotSigned) || r.Error != "" {
				t.Errorf("result %d: %+v", i, r)
			}
		}
		after, err := d.db.AuditEvents(d.ctx, models.AuditFilter{Entity: "commitment", Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		signs := map[string]bool{}
		for _, e := range after[len(before):] {
			if e.Action == "sign" {
				signs[e.EntityKey] = true
			}
		}
		if len(signs) != 3 || tsa.Requests != 3 {
			t.Fatalf("%d documents with a sign event, %d timestamps; want 3 of each", len(signs), tsa.Requests)
		}
		if _, err := batch(good[:1], "frasa-gubernur"); !errors.As(err, &verr) || verr.Fields["items[0]"] != "already_signed" {
			t.Fatalf("signing the batch again: %v", err)
		}

		joint, err = d.db.Commitment(d.ctx, joint.ID)
		if err != nil || joint.Status != models.CommitmentPartiallySigned {
			t.Fatalf("the joint commitment after the governor: %+v %v", joint, err)
		}
		pdf := d.commitmentPDF(joint)
		t.Logf("the joint commitment (%d pages, 62 fields) with the governor's B-LT signature: %d bytes", joint.Pages, len(pdf))
		nss := pdfsigntest.NSSDB(t, d.docs.Signing.CA.Cert, tsa.Root.Cert)
		out, sigs := pdfsigntest.Pdfsig(t, pdf, nss)
		if len(sigs) != 1 || sigs[0].Validation != "Signature is Valid." || sigs[0].Certificate != "Certificate is Trusted." ||
			strings.Count(out, "is not signed") != 61 {
			t.Fatalf("pdfsig on the joint commitment (%d signed, %d empty fields):\n%s", len(sigs), strings.Count(out, "is not signed"), out)
		}
		fc, err := d.docs.VerifyFile(d.ctx, pdf)
		if err != nil || !fc.Valid || fc.Signatures[0].Level != pdfsign.LevelBLT || fc.Signatures[0].Slot != "governor" {
			t.Fatalf("VerifyFile on the joint commitment: %+v %v", fc, err)
		}
		text := pdfText(t, pdf)
		for _, want := range []string{"Wali Kota Palangka Raya", "Bupati Murung Raya", "Ketua DPRD Kabupaten Kapuas", "Sugianto Sabran", joint.Number} {
			if !strings.Contains(text, want) {
				t.Errorf("the joint commitment lacks %q", want)
			}
		}
		renderPNG(t, pdf, "joint-"+string(d.db.Dialect))

		// A regent still signs the joint commitment after the governor, into their own field.
		joint = d.assign(joint, "regent_62_08", regent)
		joint = d.mustAct(joint, "regent_62_08", regent, "bupati", models.ModeSign)
		if fc, err := d.docs.VerifyFile(d.ctx, d.commitmentPDF(joint)); err != nil || !fc.Valid || len(fc.Signatures) != 2 {
			t.Fatalf("the joint commitment with a regent's signature: %+v %v", fc, err)
		}
	})
}
