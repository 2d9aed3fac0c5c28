package api

import (
	"bytes"
	"crypto/x509"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/reports/pdfsign"
)

var errSigningUnavailable = &Error{Status: http.StatusServiceUnavailable, Code: "unavailable", Key: "signing_unavailable"}

// signingService returns the signing service, or reports 503 when the server has none.
func (s *Server) signingService(c *gin.Context) (*models.Signing, bool) {
	if s.opts.Signing == nil || s.opts.Signing.CA == nil {
		fail(c, errSigningUnavailable)
		return nil, false
	}
	return s.opts.Signing, true
}

// errSigningLocked answers a signer who gave too many wrong passphrases.
var errSigningLocked = &Error{Status: http.StatusTooManyRequests, Code: "rate_limited", Key: "signing_locked"}

// signingAllowed reports 429 when the user gave too many wrong passphrases lately.
func (s *Server) signingAllowed(c *gin.Context, u *models.User) bool {
	err := s.db.SigningAllowed(c.Request.Context(), u.ID, s.signingPolicy())
	if errors.Is(err, models.ErrRateLimited) {
		err = errSigningLocked
	}
	if err != nil {
		fail(c, err)
		return false
	}
	return true
}

// signingPolicy is the configured bound on wrong passphrases.
func (s *Server) signingPolicy() models.SigningPolicy {
	if p := s.opts.Signing.Policy; p.MaxFailures > 0 {
		return p
	}
	return models.DefaultSigningPolicy
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
	ctx, u := c.Request.Context(), currentUser(c)
	if in.OldPassphrase != "" && !s.signingAllowed(c, u) {
		return
	}
	k, err := s.db.SetSigningKey(ctx, sg.CA, u, in)
	if errors.Is(err, models.ErrWrongPassphrase) {
		if rerr := s.db.RecordSigningFailure(ctx, u, nil, "", "wrong_old_passphrase", c.ClientIP()); rerr != nil {
			err = rerr
		} else {
			err = models.Invalid("old_passphrase", "wrong_passphrase")
		}
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

// trustRoots are the certificate authorities signatures are checked against: the
// installation's CA and the roots of imported signers' chains.
func (s *Server) trustRoots(c *gin.Context) (*x509.CertPool, error) {
	if s.opts.Signing == nil || s.opts.Signing.CA == nil {
		return nil, nil
	}
	pool := x509.NewCertPool()
	pool.AddCert(s.opts.Signing.CA.Cert)
	roots, err := s.db.ImportedRoots(c.Request.Context())
	if err != nil {
		return nil, err
	}
	for _, r := range roots {
		pool.AddCert(r)
	}
	return pool, nil
}

// embeddedSignatures checks the PDF signatures inside an uploaded file, when it has any: the
// answer lists them as the file holds them (a commitment recognised at an earlier state shows
// the signatures of that state), and the file is valid only if Pantau issued exactly these
// bytes and every signature is intact, trusted and followed by nothing but later signatures.
// Any byte changed inside a signed range makes it invalid.
func (s *Server) embeddedSignatures(c *gin.Context, data []byte, out *fileCheck) bool {
	if !bytes.Contains(data, []byte("/ByteRange")) {
		return true
	}
	roots, err := s.trustRoots(c)
	if err != nil {
		fail(c, err)
		return false
	}
	rep := pdfsign.Verify(data, roots)
	if len(rep.Signatures) == 0 {
		return true
	}
	out.Signatures = []signatureCheck{}
	out.ModifiedAfterSigning = rep.ModifiedAfterSigning
	out.Valid = out.Valid && rep.Valid()
	for i := range rep.Signatures {
		sig := &rep.Signatures[i]
		intact, trusted := sig.Intact, sig.Trusted
		out.Signatures = append(out.Signatures, signatureCheck{Name: sig.Name, SignedAt: sig.Time, Valid: sig.Valid(),
			Slot: sig.Field, Capacity: sig.Label, Reason: sig.Reason, Intact: &intact, Trusted: &trusted, Changes: sig.Changes})
	}
	return true
}
