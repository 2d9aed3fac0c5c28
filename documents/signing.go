package documents

import (
	"bytes"
	"context"
	"crypto"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"image/png"
	"io"
	"strings"
	"time"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/reports"
	"github.com/pantau-id/pantau/reports/pdfsign"
)

// Limits on the drawn signature image.
const (
	maxSignaturePNG    = 512 << 10
	maxSignaturePixels = 4000
)

// SignInput is what a signer sends to sign or initial their slot.
type SignInput struct {
	Mode       models.SignMode `json:"mode"`
	Passphrase string          `json:"passphrase"`
	// SignaturePNG is the drawn signature, a PNG in base64, optionally as a data: URL.
	SignaturePNG string `json:"signature_png"`
}

// image checks the input and decodes the drawn image (nil when none was drawn).
func (in *SignInput) image() ([]byte, error) {
	errs := map[string]string{}
	if in.Mode != models.ModeSign && in.Mode != models.ModeInitial {
		errs["mode"] = "sign_mode"
	}
	if in.Passphrase == "" {
		errs["passphrase"] = "required"
	} else if key := models.TextProblem(in.Passphrase, models.MaxSecretLen); key != "" {
		errs["passphrase"] = key
	}
	var img []byte
	if in.SignaturePNG != "" {
		raw := in.SignaturePNG
		if i := strings.Index(raw, ","); strings.HasPrefix(raw, "data:") && i > 0 {
			raw = raw[i+1:]
		}
		var err error
		img, err = base64.StdEncoding.DecodeString(raw)
		if err != nil || len(img) > maxSignaturePNG {
			errs["signature_png"] = "signature_png"
		} else if cfg, err := png.DecodeConfig(bytes.NewReader(img)); err != nil || cfg.Width > maxSignaturePixels || cfg.Height > maxSignaturePixels {
			errs["signature_png"] = "signature_png"
		}
	}
	if len(errs) > 0 {
		return nil, &models.ValidationError{Fields: errs}
	}
	return img, nil
}

// SignRequest is one signature or paraf: who signs which slot of which commitment.
type SignRequest struct {
	// Commitment is the commitment as the caller read it; a newer state is read when needed.
	Commitment *models.Commitment
	Slot       string
	User       *models.User
	Input      SignInput
	// ClientIP is recorded with a wrong passphrase.
	ClientIP string
}

// SignableSlot returns the slot u may still act on (sign, or initial first): ErrNotFound when
// c has no such slot, models.ErrCommitmentVoid, models.ErrNotYourSlot or models.ErrSlotSigned.
// Whether the mode asked for is allowed (a paraf only once; a deputy only initials) is checked
// when signing.
func SignableSlot(c *models.Commitment, slot string, u *models.User) (*models.CommitmentSlot, error) {
	s := c.Slot(slot)
	switch {
	case s == nil:
		return nil, models.ErrNotFound
	case c.Status == models.CommitmentVoid:
		return nil, models.ErrCommitmentVoid
	case s.UserID == nil || *s.UserID != u.ID:
		return nil, models.ErrNotYourSlot
	case s.Status == models.SlotSigned:
		return nil, models.ErrSlotSigned
	}
	return s, nil
}

// unlockedKey is a signer's key, unlocked with their passphrase for the signatures of one request.
type unlockedKey struct {
	signer crypto.Signer
	chain  []*x509.Certificate
}

// Sign appends the signer's signature or paraf for their slot to the document as a PDF
// signature (PAdES: timestamped when a time-stamping authority is configured, with the
// validation data added after it). The key is unlocked with the signer's passphrase; wrong
// passphrases are recorded (and audited) and, past the policy's limit, refused with
// ErrSigningLocked without trying.
func (s *Service) Sign(ctx context.Context, r SignRequest) (*models.Commitment, error) {
	sg, err := s.signing()
	if err != nil {
		return nil, err
	}
	if _, err := SignableSlot(r.Commitment, r.Slot, r.User); err != nil {
		return nil, err
	}
	img, err := r.Input.image()
	if err != nil {
		return nil, err
	}
	if err := r.Commitment.Slot(r.Slot).CanAct(r.User, r.Input.Mode); err != nil {
		return nil, err
	}
	key, err := s.unlock(ctx, sg, r.User, r.Input.Passphrase, &r.Commitment.ID, r.Slot, r.ClientIP)
	if err != nil {
		return nil, err
	}
	imageSHA, err := storeImage(sg, img)
	if err != nil {
		return nil, err
	}
	return s.act(ctx, sg, act{commitment: r.Commitment, slot: r.Slot, user: r.User, mode: r.Input.Mode, key: key, image: img, imageSHA: imageSHA})
}

// storeImage keeps the drawn image with the documents; "" when none was drawn.
func storeImage(sg *models.Signing, img []byte) (string, error) {
	if len(img) == 0 {
		return "", nil
	}
	blob, err := sg.Documents.Put(bytes.NewReader(img))
	return blob.SHA256, err
}

// act is one paraf or signature to append.
type act struct {
	commitment *models.Commitment
	slot       string
	user       *models.User
	mode       models.SignMode
	key        *unlockedKey
	image      []byte
	imageSHA   string
}

// act signs the commitment's current bytes and records the result. The signed bytes are made
// outside any transaction and recorded only if no other act was recorded meanwhile; otherwise
// the newer bytes are signed again. A draft stored before slots had paraf fields is rendered
// again first.
func (s *Service) act(ctx context.Context, sg *models.Signing, a act) (*models.Commitment, error) {
	cm := a.commitment
	var err error
	for attempt := 1; ; attempt++ {
		if attempt > attempts {
			return nil, models.ErrStaleCommitment
		}
		if attempt > 1 {
			if cm, err = s.DB.Commitment(ctx, cm.ID); err != nil {
				return nil, err
			}
		}
		slot, err := SignableSlot(cm, a.slot, a.user)
		if err != nil {
			return nil, err
		}
		if err := slot.CanAct(a.user, a.mode); err != nil {
			return nil, err
		}
		if cm.FrozenAt == nil && !cm.HasFields() {
			if _, err := s.refreshDraft(ctx, sg, cm); err != nil && !errors.Is(err, models.ErrStaleCommitment) {
				return nil, err
			}
			continue
		}
		chain, err := s.DB.SignerChain(ctx, sg.CA, a.user, a.key.signer.Public(), a.key.chain, slot.Name, slot.Title)
		if err != nil {
			return nil, err
		}
		a.key.chain = chain
		current, err := readAll(sg.Documents, cm.SHA256)
		if err != nil {
			return nil, err
		}
		now := s.DB.Now()
		req := signatureRequest(cm, slot, a.mode, now, a.image)
		req.Signer, req.Chain = a.key.signer, chain
		level := pdfsign.LevelBB
		if sg.Timestamper != nil {
			req.Timestamper, level = sg.Timestamper, pdfsign.LevelBT
		}
		signed, err := pdfsign.SignContext(ctx, current, req)
		switch {
		case errors.Is(err, pdfsign.ErrFieldSigned):
			return nil, models.ErrSlotSigned
		case errors.Is(err, pdfsign.ErrNoField):
			return nil, ErrReissueNeeded
		case err != nil:
			return nil, err
		}
		if withData, err := pdfsign.AddValidationData(ctx, signed, s.revocationSources(sg)); err == nil {
			signed = withData
			if level == pdfsign.LevelBT {
				level = pdfsign.LevelBLT // without a timestamp the data does not outlive the certificate: still B-B
			}
		} else if s.Log != nil {
			s.Log.WarnContext(ctx, "signature kept without validation data (PAdES B-LT)", "commitment", cm.ID, "slot", a.slot, "err", err)
		}
		blob, err := sg.Documents.Put(bytes.NewReader(signed))
		if err != nil {
			return nil, err
		}
		out, err := s.DB.RecordSignature(ctx, models.SignatureRecord{CommitmentID: cm.ID, Version: cm.Version, Slot: a.slot, User: a.user,
			Mode: a.mode, SHA256: blob.SHA256, Size: blob.Size, ImageSHA: a.imageSHA, SignedAt: now, Certified: req.Certify, Level: level})
		if errors.Is(err, models.ErrStaleCommitment) && attempt < attempts {
			continue // another act came first: sign its result
		}
		return out, err
	}
}

// refreshDraft renders a commitment's draft again and saves it.
func (s *Service) refreshDraft(ctx context.Context, sg *models.Signing, c *models.Commitment) (*models.Commitment, error) {
	d, err := s.renderDraft(ctx, sg, c)
	if err != nil {
		return nil, err
	}
	return s.DB.RefreshDraft(ctx, c, d)
}

// unlock unlocks the signer's key within the bound on wrong passphrases (see
// models.Signing.Unlock): a wrong passphrase is recorded (with the commitment and slot it was
// for, when one) and answered as invalid; past the limit ErrSigningLocked, without trying.
func (s *Service) unlock(ctx context.Context, sg *models.Signing, u *models.User, passphrase string, commitmentID *int64, slot, ip string) (*unlockedKey, error) {
	key, chain, err := sg.Unlock(ctx, s.DB, u, passphrase, models.SigningTry{CommitmentID: commitmentID, Slot: slot, IP: ip})
	switch {
	case errors.Is(err, models.ErrRateLimited):
		err = ErrSigningLocked
	case errors.Is(err, models.ErrWrongPassphrase):
		err = models.Invalid("passphrase", "wrong_passphrase")
	case errors.Is(err, models.ErrNoSigningKey):
		err = models.Invalid("passphrase", "no_signing_key")
	}
	if err != nil {
		return nil, err
	}
	return &unlockedKey{signer: key, chain: chain}, nil
}

// signatureRequest describes a slot's signature or paraf: the first act certifies the
// document and creates every slot's two empty fields; each shows the drawn image, the name,
// the capacity and the date and time ("pukul"), a paraf in the slot's small paraf box.
func signatureRequest(cm *models.Commitment, slot *models.CommitmentSlot, mode models.SignMode, now time.Time, img []byte) pdfsign.Request {
	capacity := slot.SigningCapacity()
	title := slot.ActTitle(capacity)
	local := now.In(models.WIB)
	req := pdfsign.Request{Field: slot.Slot, FieldLabel: title, Name: slot.Name, Reason: "Tanda tangan", Location: cm.Place, Time: now}
	lines := []string{"Ditandatangani secara elektronik oleh", slot.Name, title, reports.DateID(local) + " pukul " + reports.TimeID(local)}
	if capacity == models.CapacityDelegated {
		lines = append(lines, slot.DelegationKind.Label(models.Indonesian)+": "+slot.DelegationReference)
	}
	if mode == models.ModeInitial {
		req.Field, req.FieldLabel, req.Reason = models.ParafField(slot.Slot), "Paraf — "+title, "Paraf"
		lines = append([]string{"Paraf"}, wrapWords(slot.Name, 22)...)
		lines = append(lines, wrapWords(title, 22)...)
		lines = append(lines, local.Format("02-01-2006"), "pukul "+reports.TimeID(local))
	}
	req.Appearance = pdfsign.Appearance{PNG: img, Lines: lines}
	if cm.FrozenAt == nil {
		req.Certify = true
		for _, sl := range cm.Signatories {
			if f, ok := sl.Field(); ok {
				req.NewFields = append(req.NewFields, pdfField(sl.Slot, f))
			}
			if f, ok := sl.ParafFieldBox(); ok {
				req.NewFields = append(req.NewFields, pdfField(models.ParafField(sl.Slot), f))
			}
		}
	}
	return req
}

func pdfField(name string, f models.SlotField) pdfsign.Field {
	return pdfsign.Field{Name: name, Page: f.Page, Rect: pdfsign.Rect{X1: f.Rect[0], Y1: f.Rect[1], X2: f.Rect[2], Y2: f.Rect[3]}}
}

// wrapWords breaks s into lines of at most n characters at spaces (a longer word stays whole).
func wrapWords(s string, n int) []string {
	var out []string
	line := ""
	for _, w := range strings.Fields(s) {
		if line != "" && len([]rune(line))+1+len([]rune(w)) > n {
			out = append(out, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	if line != "" {
		out = append(out, line)
	}
	return out
}

// readAll reads a stored document.
func readAll(store *models.BlobStore, sha string) ([]byte, error) {
	f, err := store.Open(sha)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}
