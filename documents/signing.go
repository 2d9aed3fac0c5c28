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
	Mode       string `json:"mode"`
	Passphrase string `json:"passphrase"`
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

// SignRequest is one signature or initial: who signs which slot of which commitment.
type SignRequest struct {
	// Commitment is the commitment as the caller read it; a newer state is read when needed.
	Commitment *models.Commitment
	Slot       string
	User       *models.User
	Input      SignInput
	// ClientIP is recorded with a wrong passphrase.
	ClientIP string
}

// SignableSlot returns the slot u may sign now: ErrNotFound when c has no such slot,
// ErrNotYourSlot when it is assigned to someone else, ErrAlreadySigned when it is done.
func SignableSlot(c *models.Commitment, slot string, u *models.User) (*models.CommitmentSlot, error) {
	s := c.Slot(slot)
	switch {
	case s == nil:
		return nil, models.ErrNotFound
	case s.UserID == nil || *s.UserID != u.ID:
		return nil, ErrNotYourSlot
	case s.Done():
		return nil, ErrAlreadySigned
	}
	return s, nil
}

// Sign appends the signer's signature or initial for their slot to the document as a PDF
// signature. The key is unlocked with the signer's passphrase; wrong passphrases are recorded
// (and audited) and, past the policy's limit, refused with ErrSigningLocked without trying.
// The signed bytes are made outside any transaction and recorded only if no other signature
// was recorded meanwhile; otherwise the newer bytes are signed again.
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
	key, chain, err := s.unlock(ctx, sg, r)
	if err != nil {
		return nil, err
	}
	var imageSHA string
	if len(img) > 0 {
		blob, err := sg.Documents.Put(bytes.NewReader(img))
		if err != nil {
			return nil, err
		}
		imageSHA = blob.SHA256
	}
	cm := r.Commitment
	for attempt := 1; ; attempt++ {
		if attempt > 1 {
			if cm, err = s.DB.Commitment(ctx, cm.ID); err != nil {
				return nil, err
			}
		}
		slot, err := SignableSlot(cm, r.Slot, r.User)
		if err != nil {
			return nil, err
		}
		current, err := readAll(sg.Documents, cm.SHA256)
		if err != nil {
			return nil, err
		}
		now := s.DB.Now()
		req := signatureRequest(cm, slot, r.Input.Mode, now, img)
		req.Signer, req.Chain = key, chain
		signed, err := pdfsign.Sign(current, req)
		if errors.Is(err, pdfsign.ErrFieldSigned) {
			return nil, ErrAlreadySigned
		}
		if err != nil {
			return nil, err
		}
		blob, err := sg.Documents.Put(bytes.NewReader(signed))
		if err != nil {
			return nil, err
		}
		out, err := s.DB.RecordSignature(ctx, models.SignatureRecord{CommitmentID: cm.ID, Version: cm.Version, Slot: r.Slot, User: r.User,
			Mode: r.Input.Mode, SHA256: blob.SHA256, Size: blob.Size, ImageSHA: imageSHA, SignedAt: now, Certified: req.Certify})
		if errors.Is(err, models.ErrConflict) && attempt < attempts {
			continue // another signature came first: sign its result
		}
		return out, err
	}
}

// unlock unlocks the signer's key within the bound on wrong passphrases (see
// models.Signing.Unlock): a wrong passphrase is recorded and answered as invalid; past the
// limit ErrSigningLocked, without trying.
func (s *Service) unlock(ctx context.Context, sg *models.Signing, r SignRequest) (crypto.Signer, []*x509.Certificate, error) {
	key, chain, err := sg.Unlock(ctx, s.DB, r.User, r.Input.Passphrase,
		models.SigningTry{CommitmentID: &r.Commitment.ID, Slot: r.Slot, IP: r.ClientIP})
	switch {
	case errors.Is(err, models.ErrRateLimited):
		err = ErrSigningLocked
	case errors.Is(err, models.ErrWrongPassphrase):
		err = models.Invalid("passphrase", "wrong_passphrase")
	case errors.Is(err, models.ErrNoSigningKey):
		err = models.Invalid("passphrase", "no_signing_key")
	}
	return key, chain, err
}

// signatureRequest describes a slot's signature: the first one certifies the document and
// creates every slot's empty field; each shows the drawn image, the name, capacity and time.
func signatureRequest(cm *models.Commitment, slot *models.CommitmentSlot, mode string, now time.Time, img []byte) pdfsign.Request {
	reason, verb := "Tanda tangan", "Ditandatangani secara elektronik oleh"
	if mode == models.ModeInitial {
		reason, verb = "Paraf", "Diparaf secara elektronik oleh"
	}
	local := now.In(models.WIB)
	req := pdfsign.Request{Field: slot.Slot, FieldLabel: slot.Capacity(), Name: slot.Name, Reason: reason, Location: cm.Place, Time: now,
		Appearance: pdfsign.Appearance{PNG: img, Lines: []string{verb, slot.Name, slot.Capacity(),
			reports.DateID(local) + " " + reports.TimeID(local)}}}
	if cm.FrozenAt == nil {
		req.Certify = true
		for _, sl := range cm.Signatories {
			if f, ok := sl.Field(); ok {
				req.NewFields = append(req.NewFields, pdfsign.Field{Name: sl.Slot, Page: f.Page,
					Rect: pdfsign.Rect{X1: f.Rect[0], Y1: f.Rect[1], X2: f.Rect[2], Y2: f.Rect[3]}})
			}
		}
	}
	return req
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
