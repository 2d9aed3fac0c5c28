package api

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"image/png"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/reports"
	"github.com/pantau-id/pantau/reports/pdfsign"
)

// Limits on the drawn signature image.
const (
	maxSignaturePNG    = 512 << 10
	maxSignaturePixels = 4000
)

// signingCommitment is commitmentParam for the routes that also need the signing service.
func (s *Server) signingCommitment(c *gin.Context) (*models.Signing, *models.Commitment, bool) {
	sg, ok := s.signingService(c)
	if !ok {
		return nil, nil, false
	}
	cm, ok := s.commitmentParam(c)
	return sg, cm, ok
}

// commitmentParam loads the commitment named by :id, answering 404 when it does not exist or
// the caller may not see it.
func (s *Server) commitmentParam(c *gin.Context) (*models.Commitment, bool) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		fail(c, errBadRequest("bad_id"))
		return nil, false
	}
	cm, err := s.db.Commitment(c.Request.Context(), id)
	if err == nil && !currentUser(c).CanSeeCommitment(cm) {
		err = models.ErrNotFound
	}
	if err != nil {
		fail(c, err)
		return nil, false
	}
	return cm, true
}

// commitmentVerifyURL is the public verification address printed as the document's QR code.
func (s *Server) commitmentVerifyURL(code string) string {
	base := strings.TrimRight(s.opts.PublicURL, "/")
	if base == "" {
		base = DefaultPublicURL
	}
	return base + "/verify/" + code
}

// commitmentRenderer renders a commitment's draft and stores its bytes with the documents.
func (s *Server) commitmentRenderer(c *gin.Context, sg *models.Signing) models.Renderer {
	return func(cm *models.Commitment) (*models.Draft, error) {
		lh, err := s.db.Letterhead(c.Request.Context())
		if err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		res, err := reports.WriteCommitment(&buf, &reports.Commitment{C: cm, Letterhead: *lh, VerificationURL: s.commitmentVerifyURL(cm.VerificationCode)})
		if err != nil {
			return nil, err
		}
		blob, err := sg.Documents.Put(&buf)
		if err != nil {
			return nil, err
		}
		return &models.Draft{SHA256: blob.SHA256, Size: blob.Size, Pages: res.Pages, Fields: res.Fields}, nil
	}
}

// listCommitments lists the commitments the caller may see; ?year= narrows to one year.
func (s *Server) listCommitments(c *gin.Context) {
	year, _ := strconv.Atoi(c.Query("year"))
	out, err := s.db.Commitments(c.Request.Context(), currentUser(c), year)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, out)
}

// createCommitment (coordinator, admin) prepares a region's commitment for a year.
func (s *Server) createCommitment(c *gin.Context) {
	sg, ok := s.signingService(c)
	if !ok {
		return
	}
	var in models.CommitmentInput
	if !s.bindJSON(c, &in) {
		return
	}
	cm, err := s.db.CreateCommitment(c.Request.Context(), in, currentUser(c), s.commitmentRenderer(c, sg))
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("X-Verification-Code", cm.VerificationCode)
	c.JSON(http.StatusCreated, cm)
}

func (s *Server) getCommitment(c *gin.Context) {
	if cm, ok := s.commitmentParam(c); ok {
		c.JSON(http.StatusOK, cm)
	}
}

// assignSlot (coordinator, admin) assigns a signatory user to a slot.
func (s *Server) assignSlot(c *gin.Context) {
	sg, cm, ok := s.signingCommitment(c)
	if !ok {
		return
	}
	var in models.AssignInput
	if !s.bindJSON(c, &in) {
		return
	}
	out, err := s.db.AssignSlot(c.Request.Context(), cm.ID, c.Param("slot"), in, s.commitmentRenderer(c, sg))
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, out)
}

// commitmentDocument serves the document's current bytes: the draft, or the frozen text with
// every signature so far.
func (s *Server) commitmentDocument(c *gin.Context) {
	sg, cm, ok := s.signingCommitment(c)
	if !ok {
		return
	}
	f, err := sg.Documents.Open(cm.SHA256)
	if err != nil {
		fail(c, err)
		return
	}
	defer f.Close()
	c.Header("X-Verification-Code", cm.VerificationCode)
	c.Header("Content-Disposition", `inline; filename="komitmen-`+cm.RegionCode+`-`+strconv.Itoa(cm.Year)+`.pdf"`)
	c.DataFromReader(http.StatusOK, cm.Size, "application/pdf", f, nil)
}

type signRequest struct {
	Mode         string `json:"mode"`
	Passphrase   string `json:"passphrase"`
	SignaturePNG string `json:"signature_png"`
}

// validate checks the request and decodes the drawn image.
func (in *signRequest) validate() ([]byte, error) {
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

// signSlot appends the caller's signature or initial for their slot to the document as a PDF
// signature. The key is unlocked with the caller's signing passphrase; wrong passphrases are
// recorded (and audited) and, past the policy's limit, refused with 429 without trying.
func (s *Server) signSlot(c *gin.Context) {
	sg, cm, ok := s.signingCommitment(c)
	if !ok {
		return
	}
	ctx, u := c.Request.Context(), currentUser(c)
	slot := cm.Slot(c.Param("slot"))
	switch {
	case slot == nil:
		fail(c, errNotFound)
		return
	case slot.UserID == nil || *slot.UserID != u.ID:
		fail(c, errForbidden("not_your_slot"))
		return
	case slot.Done():
		fail(c, &Error{Status: http.StatusConflict, Code: "conflict", Key: "already_signed"})
		return
	}
	var in signRequest
	if !s.bindJSON(c, &in) {
		return
	}
	img, err := in.validate()
	if err != nil {
		fail(c, err)
		return
	}
	if !s.signingAllowed(c, u) {
		return
	}
	key, chain, err := sg.KeyStore(s.db).Unlock(ctx, u, in.Passphrase)
	switch {
	case errors.Is(err, models.ErrWrongPassphrase):
		if err = s.db.RecordSigningFailure(ctx, u, &cm.ID, slot.Slot, "wrong_passphrase", c.ClientIP()); err == nil {
			err = models.Invalid("passphrase", "wrong_passphrase")
		}
	case errors.Is(err, models.ErrNoSigningKey):
		err = models.Invalid("passphrase", "no_signing_key")
	}
	if err != nil {
		fail(c, err)
		return
	}
	var imageSHA string
	if len(img) > 0 {
		blob, err := sg.Documents.Put(bytes.NewReader(img))
		if err != nil {
			fail(c, err)
			return
		}
		imageSHA = blob.SHA256
	}
	out, err := s.appendSignature(c, sg, cm, slot.Slot, in.Mode, img, imageSHA, key, chain)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, out)
}

// appendSignature signs the document's current bytes and records the result. When another
// signature was recorded in between, it signs the newer bytes again.
func (s *Server) appendSignature(c *gin.Context, sg *models.Signing, cm *models.Commitment, slotName, mode string, img []byte, imageSHA string,
	key crypto.Signer, chain []*x509.Certificate) (*models.Commitment, error) {
	ctx, u := c.Request.Context(), currentUser(c)
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		if attempt > 0 {
			if cm, err = s.db.Commitment(ctx, cm.ID); err != nil {
				return nil, err
			}
		}
		slot := cm.Slot(slotName)
		if slot.Done() {
			return nil, &Error{Status: http.StatusConflict, Code: "conflict", Key: "already_signed"}
		}
		current, err := commitmentBytes(sg, cm.SHA256)
		if err != nil {
			return nil, err
		}
		now := s.db.Now()
		req := commitmentSignRequest(cm, slot, mode, now, img)
		req.Signer, req.Chain = key, chain
		signed, err := pdfsign.Sign(current, req)
		if errors.Is(err, pdfsign.ErrFieldSigned) {
			return nil, &Error{Status: http.StatusConflict, Code: "conflict", Key: "already_signed"}
		}
		if err != nil {
			return nil, err
		}
		blob, err := sg.Documents.Put(bytes.NewReader(signed))
		if err != nil {
			return nil, err
		}
		out, err := s.db.RecordSignature(ctx, models.SignatureRecord{CommitmentID: cm.ID, Version: cm.Version, Slot: slotName, User: u, Mode: mode,
			SHA256: blob.SHA256, Size: blob.Size, ImageSHA: imageSHA, SignedAt: now, Certified: req.Certify})
		if errors.Is(err, models.ErrConflict) {
			continue // another signature came first: sign its result
		}
		return out, err
	}
	return nil, models.ErrConflict
}

// commitmentSignRequest describes a slot's signature: the first one certifies the document and
// creates every slot's empty field; each shows the drawn image, the name, capacity and time.
func commitmentSignRequest(cm *models.Commitment, slot *models.CommitmentSlot, mode string, now time.Time, img []byte) pdfsign.Request {
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

// commitmentBytes reads a stored document.
func commitmentBytes(sg *models.Signing, sha string) ([]byte, error) {
	f, err := sg.Documents.Open(sha)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// getCommitmentTemplate shows the text new commitments start from.
func (s *Server) getCommitmentTemplate(c *gin.Context) {
	t, err := s.db.CommitmentTemplate(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, t)
}

// setCommitmentTemplate (admin) saves a new template; prepared commitments keep their text.
func (s *Server) setCommitmentTemplate(c *gin.Context) {
	var in models.CommitmentTemplate
	if !s.bindJSON(c, &in) {
		return
	}
	t, err := s.db.SetCommitmentTemplate(c.Request.Context(), in, currentUser(c))
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, t)
}
