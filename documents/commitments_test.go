package documents_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/png"
	"strings"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/pantau-id/pantau/documents"
	"github.com/pantau-id/pantau/models"
)

// prepare creates Seruyan's 2019 commitment.
func (d *desk) prepare() *models.Commitment {
	d.t.Helper()
	c, err := d.docs.CreateCommitment(d.ctx, models.CommitmentInput{RegionCode: "62.08", Year: 2019, Date: "2019-03-04"}, d.coordinator)
	if err != nil {
		d.t.Fatal(err)
	}
	return c
}

func (d *desk) assign(c *models.Commitment, slot string, u *models.User) *models.Commitment {
	d.t.Helper()
	out, err := d.docs.AssignSlot(d.ctx, c.ID, slot, models.AssignInput{UserEmail: u.Email, Name: u.Name})
	if err != nil {
		d.t.Fatalf("assign %s: %v", slot, err)
	}
	return out
}

// TestCommitmentDraft: a prepared commitment's draft is stored with the documents under its
// SHA-256 with every slot's field placed, and is rendered again, with the name, on assignment.
func TestCommitmentDraft(t *testing.T) {
	forEachDesk(t, func(t *testing.T, d *desk) {
		off := &documents.Service{DB: d.db}
		if _, err := off.CreateCommitment(d.ctx, models.CommitmentInput{RegionCode: "62.08", Year: 2019}, d.coordinator); !errors.Is(err, documents.ErrSigningUnavailable) {
			t.Fatalf("without a signing service: %v", err)
		}
		for in, field := range map[models.CommitmentInput]string{{RegionCode: "62", Year: 2019}: "region_code", {RegionCode: "99.99", Year: 2019}: "region_code",
			{RegionCode: "62.08", Year: 1900}: "year"} {
			var verr *models.ValidationError
			if _, err := d.docs.CreateCommitment(d.ctx, in, d.coordinator); !errors.As(err, &verr) || verr.Fields[field] == "" {
				t.Errorf("%+v: %v, want a validation error on %s", in, err, field)
			}
		}

		c := d.prepare()
		pdf := d.commitmentPDF(c)
		sum := sha256.Sum256(pdf)
		if c.Status != models.CommitmentDraft || c.SHA256 != hex.EncodeToString(sum[:]) || c.Size != int64(len(pdf)) || c.Pages < 1 || len(c.Signatories) != 5 {
			t.Fatalf("created: %+v", c)
		}
		for _, s := range c.Signatories {
			if f, ok := s.Field(); !ok || f.Page > c.Pages {
				t.Errorf("slot %s has no field: %+v", s.Slot, s)
			}
		}
		text := pdfText(t, pdf)
		for _, want := range []string{"Kabupaten Seruyan", "4 Maret 2019", "Kode verifikasi: " + c.VerificationCode, "https://pantau.example/verify/" + c.VerificationCode} {
			if !strings.Contains(text, want) {
				t.Errorf("the draft lacks %q", want)
			}
		}
		if _, err := d.docs.CreateCommitment(d.ctx, models.CommitmentInput{RegionCode: "62.08", Year: 2019}, d.coordinator); !errors.Is(err, models.ErrConflict) {
			t.Fatalf("a second commitment for the same region and year: %v", err)
		}

		regent := d.signer("bupati", "Yulhaidir")
		c = d.assign(c, "regent", regent)
		if s := c.Slot("regent"); s.Status != models.SlotOpen || s.Name != "Yulhaidir" || c.Version != 2 {
			t.Fatalf("assigned: %+v", c)
		}
		if !strings.Contains(pdfText(t, d.commitmentPDF(c)), "Yulhaidir") {
			t.Fatal("the draft was not rendered again with the name")
		}
		stored, err := d.db.Commitment(d.ctx, c.ID)
		if err != nil || stored.SHA256 != c.SHA256 || stored.Version != 2 {
			t.Fatalf("stored: %+v %v", stored, err)
		}
		var verr *models.ValidationError
		if _, err := d.docs.AssignSlot(d.ctx, c.ID, "regent", models.AssignInput{UserEmail: d.coordinator.Email, Name: "X"}); !errors.As(err, &verr) {
			t.Fatalf("assigning a coordinator: %v", err)
		}
		if _, err := d.docs.AssignSlot(d.ctx, c.ID, "nope", models.AssignInput{UserEmail: regent.Email, Name: "X"}); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("an unknown slot: %v", err)
		}
	})
}

// TestConcurrentAssignments assigns every slot at once: each assignment lands without a
// conflict nobody asked for, and the draft saved last shows every name, since a draft rendered
// from a state that changed meanwhile is never saved.
func TestConcurrentAssignments(t *testing.T) {
	forEachDesk(t, func(t *testing.T, d *desk) {
		c := d.prepare()
		signers := map[string]*models.User{}
		for i, sl := range models.CommitmentSlots {
			signers[sl.Slot] = d.user(fmt.Sprintf("penanda%d", i), fmt.Sprintf("Penanda Tangan Nomor %d", i), models.RoleSignatory)
		}
		var g errgroup.Group
		for slot, u := range signers {
			g.Go(func() error {
				_, err := d.docs.AssignSlot(d.ctx, c.ID, slot, models.AssignInput{UserEmail: u.Email, Name: u.Name})
				return err
			})
		}
		if err := g.Wait(); err != nil {
			t.Fatalf("concurrent assignment: %v", err)
		}
		c, err := d.db.Commitment(d.ctx, c.ID)
		if err != nil || c.Version != int64(1+len(signers)) {
			t.Fatalf("after the assignments: version %d, want %d (%v)", c.Version, 1+len(signers), err)
		}
		text := pdfText(t, d.commitmentPDF(c))
		for slot, u := range signers {
			if c.Slot(slot).Status != models.SlotOpen || !strings.Contains(text, u.Name) {
				t.Errorf("slot %s: %+v; the draft shows its name: %v", slot, c.Slot(slot), strings.Contains(text, u.Name))
			}
		}
	})
}

// drawing is a small drawn signature, ink on paper, as a data URL.
func drawing(t testing.TB) string {
	img := image.NewGray(image.Rect(0, 0, 120, 40))
	for i := range img.Pix {
		img.Pix[i] = 255 // paper
	}
	for x := 10; x < 110; x++ {
		img.Pix[(20+x%7-3)*120+x] = 0 // a stroke of ink
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())
}

// TestSignCommitment: refusals (another's slot, bad input, wrong passphrases up to the lock),
// a signature and an initial made at the same time by two signers (both land, one after the
// other), and the signed file checked by upload, also once something is appended to it.
func TestSignCommitment(t *testing.T) {
	forEachDesk(t, func(t *testing.T, d *desk) {
		c := d.prepare()
		regent, dprd := d.signer("bupati", "Yulhaidir"), d.signer("dprd", "Zuli Eko Prasetyo")
		d.assign(c, "regent", regent)
		c = d.assign(c, "dprd_chair", dprd)
		sign := func(c *models.Commitment, slot string, u *models.User, in documents.SignInput) (*models.Commitment, error) {
			return d.docs.Sign(d.ctx, documents.SignRequest{Commitment: c, Slot: slot, User: u, Input: in, ClientIP: "192.0.2.1"})
		}
		good := func(login string, mode models.SignMode) documents.SignInput {
			return documents.SignInput{Mode: mode, Passphrase: "frasa-" + login, SignaturePNG: drawing(t)}
		}

		if _, err := sign(c, "dprd_chair", regent, good("bupati", models.ModeSign)); !errors.Is(err, models.ErrNotYourSlot) {
			t.Fatalf("another's slot: %v", err)
		}
		if _, err := sign(c, "nope", regent, good("bupati", models.ModeSign)); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("an unknown slot: %v", err)
		}
		var verr *models.ValidationError
		if _, err := sign(c, "regent", regent, documents.SignInput{Mode: "coret", SignaturePNG: "data:image/png;base64,AAAA"}); !errors.As(err, &verr) ||
			len(verr.Fields) != 3 {
			t.Fatalf("bad input: %v", err)
		}
		for i := 0; i < models.DefaultSigningPolicy.MaxFailures; i++ {
			if _, err := sign(c, "regent", regent, documents.SignInput{Mode: models.ModeSign, Passphrase: "salah-salah-salah"}); !errors.As(err, &verr) ||
				verr.Fields["passphrase"] != "wrong_passphrase" {
				t.Fatalf("wrong passphrase %d: %v", i+1, err)
			}
		}
		if _, err := sign(c, "regent", regent, good("bupati", models.ModeSign)); !errors.Is(err, documents.ErrSigningLocked) {
			t.Fatalf("past the limit: %v", err)
		}

		// The regent is locked out, so the slot goes to the deputy, who initials it at the same
		// moment as the DPRD chair signs.
		wakil := d.signer("wakil", "Iswanto")
		c = d.assign(c, "regent", wakil)
		var g errgroup.Group
		for _, st := range []struct {
			slot  string
			u     *models.User
			login string
			mode  models.SignMode
		}{{"regent", wakil, "wakil", models.ModeInitial}, {"dprd_chair", dprd, "dprd", models.ModeSign}} {
			g.Go(func() error {
				_, err := sign(c, st.slot, st.u, good(st.login, st.mode))
				return err
			})
		}
		if err := g.Wait(); err != nil {
			t.Fatalf("concurrent signatures: %v", err)
		}
		c, err := d.db.Commitment(d.ctx, c.ID)
		if err != nil || c.Status != models.CommitmentPartiallySigned || c.Slot("regent").Status != models.SlotInitialled ||
			c.Slot("dprd_chair").Status != models.SlotSigned || c.FrozenAt == nil {
			t.Fatalf("after both: %+v %v", c, err)
		}
		if _, err := sign(c, "dprd_chair", dprd, good("dprd", models.ModeSign)); !errors.Is(err, models.ErrSlotSigned) {
			t.Fatalf("signing twice: %v", err)
		}

		pdf := d.commitmentPDF(c)
		fc, err := d.docs.VerifyFile(d.ctx, pdf)
		if err != nil || !fc.Valid || fc.VerificationCode == nil || *fc.VerificationCode != c.VerificationCode || len(fc.Signatures) != 2 ||
			!*fc.Signatures[0].Trusted || !*fc.Signatures[1].Intact || fc.ModifiedAfterSigning {
			t.Fatalf("verify the signed file: %+v %v", fc, err)
		}
		byCode, err := d.docs.VerifyCode(d.ctx, c.VerificationCode)
		if err != nil || byCode.Status != string(models.CommitmentPartiallySigned) || len(byCode.Signatures) != 2 || byCode.CreatedBy != d.coordinator.Name {
			t.Fatalf("verify by code: %+v %v", byCode, err)
		}
		appended := append(append([]byte(nil), pdf...), "\n% ditambahkan\n"...)
		if fc, err := d.docs.VerifyFile(d.ctx, appended); err != nil || fc.Valid || !fc.ModifiedAfterSigning || fc.VerificationCode != nil {
			t.Fatalf("verify an appended file: %+v %v", fc, err)
		}
		roots, err := d.docs.TrustRoots(d.ctx)
		if err != nil || len(roots.Names()) != 1 {
			t.Fatalf("trust roots: %v %v", roots.Names(), err)
		}
		if rep := documents.VerifySignatures(pdf, &documents.Roots{}, time.Now()); rep.Valid() || len(rep.Signatures) != 2 || rep.Signatures[0].Trusted {
			t.Fatal("signatures are trusted without a root")
		}
	})
}
