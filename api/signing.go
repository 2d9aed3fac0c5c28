package api

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/pantau-id/pantau/documents"
	"github.com/pantau-id/pantau/models"
)

var errSigningUnavailable = &Error{Status: http.StatusServiceUnavailable, Code: "unavailable", Key: "signing_unavailable"}

// signingService returns the signing service, or reports 503 when the server has none.
func (s *Server) signingService(c *gin.Context) (*models.Signing, bool) {
	if !s.docs.SigningAvailable() {
		fail(c, errSigningUnavailable)
		return nil, false
	}
	return s.opts.Signing, true
}

// errSigningLocked answers a signer who gave too many wrong passphrases.
var errSigningLocked = &Error{Status: http.StatusTooManyRequests, Code: "rate_limited", Key: "signing_locked", RetryAfter: 900}

// documentError gives the document workflows' own errors their codes and messages.
func documentError(err error) error {
	switch {
	case errors.Is(err, documents.ErrSigningUnavailable):
		return errSigningUnavailable
	case errors.Is(err, documents.ErrSigningLocked):
		return errSigningLocked
	}
	return err
}

// signingCA serves the installation's CA certificate, for PDF readers to trust.
func (s *Server) signingCA(c *gin.Context) {
	sg, ok := s.signingService(c)
	if !ok {
		return
	}
	c.Header("Content-Disposition", `attachment; filename="pantau-ca.pem"`)
	c.Data(http.StatusOK, "application/x-pem-file", sg.CA.CertPEM())
}

// signingKeyView is a signer's certificate as the API shows it; the key never leaves the server.
type signingKeyView struct {
	CertificatePEM string    `json:"certificate_pem"`
	Fingerprint    string    `json:"fingerprint"`
	Source         string    `json:"source"`
	Subject        string    `json:"subject"`
	Issuer         string    `json:"issuer"`
	NotAfter       time.Time `json:"not_after"`
}

func viewSigningKey(k *models.SigningKey) signingKeyView {
	v := signingKeyView{CertificatePEM: k.CertificatePEM, Fingerprint: k.Fingerprint, Source: k.Source}
	if chain, err := k.Chain(); err == nil {
		v.Subject, v.Issuer, v.NotAfter = chain[0].Subject.String(), chain[0].Issuer.String(), chain[0].NotAfter
	}
	return v
}

// mySigningKey shows the caller's certificate, or 404 before they have set a passphrase.
func (s *Server) mySigningKey(c *gin.Context) {
	k, err := s.db.SigningKeyOf(c.Request.Context(), currentUser(c).ID)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, viewSigningKey(k))
}

// setMySigningKey creates the caller's key pair and certificate on the first call, and changes
// the passphrase it is stored under on later ones (old_passphrase needed; wrong ones count
// towards the same limit as wrong passphrases when signing).
func (s *Server) setMySigningKey(c *gin.Context) {
	sg, ok := s.signingService(c)
	if !ok {
		return
	}
	var in models.SigningKeyInput
	if !s.bindJSON(c, &in) {
		return
	}
	k, err := s.db.SetSigningKey(c.Request.Context(), sg, currentUser(c), in)
	switch {
	case errors.Is(err, models.ErrWrongPassphrase):
		err = models.Invalid("old_passphrase", "wrong_passphrase")
	case errors.Is(err, models.ErrRateLimited):
		err = errSigningLocked
	}
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, viewSigningKey(k))
}

// importSigningKey (admin) stores a signatory's own certificate and key from a PKCS#12 file
// (multipart: file, password — the file's — and passphrase — the signer's signing passphrase).
func (s *Server) importSigningKey(c *gin.Context) {
	if _, ok := s.signingService(c); !ok {
		return
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		fail(c, errBadRequest("bad_id"))
		return
	}
	ctx := c.Request.Context()
	u, err := s.db.UserForSigning(ctx, id)
	if err != nil {
		fail(c, err)
		return
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, 1<<20)
	if err := c.Request.ParseMultipartForm(1 << 20); err != nil {
		fail(c, errBadRequest("not_multipart"))
		return
	}
	f, _, err := c.Request.FormFile("file")
	if err != nil {
		fail(c, models.Invalid("file", "required"))
		return
	}
	defer f.Close()
	p12, err := io.ReadAll(io.LimitReader(f, 256<<10))
	if err != nil {
		fail(c, err)
		return
	}
	k, err := s.db.ImportSigningKey(ctx, u, p12, c.Request.FormValue("password"), c.Request.FormValue("passphrase"))
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, viewSigningKey(k))
}
