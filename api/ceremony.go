package api

import (
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/pantau-id/pantau/documents"
	"github.com/pantau-id/pantau/models"
)

// voidCommitment (coordinator, admin) voids a commitment with a reason, optionally naming the
// commitment that replaces it; its document stays and verifies as void.
func (s *Server) voidCommitment(c *gin.Context) {
	cm, ok := s.signingCommitment(c)
	if !ok {
		return
	}
	var in models.VoidInput
	if !s.bindJSON(c, &in) {
		return
	}
	out, err := s.db.VoidCommitment(c.Request.Context(), cm.ID, in, currentUser(c))
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, out)
}

// setSlotDelegation (coordinator, admin) records the delegation under which the deputy
// assigned to a slot may sign: multipart fields kind (an | surat_kuasa), reference and file
// (the scanned instrument: PDF, PNG or JPEG), in any order; the file is streamed into the
// document store.
func (s *Server) setSlotDelegation(c *gin.Context) {
	cm, ok := s.signingCommitment(c)
	if !ok {
		return
	}
	if cm.Slot(c.Param("slot")) == nil {
		fail(c, errNotFound)
		return
	}
	var up documents.DelegationUpload
	err := readForm(c, s.blobs.MaxSize+1<<20, models.ErrTooLarge, []string{"file", "kind", "reference"}, func(part *multipart.Part) error {
		switch name := part.FormName(); name {
		case "file":
			if up.SHA256 != "" {
				return nil
			}
			sum, err := s.docs.StoreDelegationDocument(io.LimitReader(part, s.blobs.MaxSize+1))
			if err != nil {
				return uploadError(documentError(err))
			}
			up.SHA256, up.Filename = sum, part.FileName()
		case "kind", "reference":
			v, err := formText(part, name, models.MaxLegalBasisLen)
			if err != nil {
				return err
			}
			if name == "kind" {
				up.Kind = models.DelegationKind(strings.TrimSpace(v))
			} else {
				up.Reference = v
			}
		}
		return nil
	})
	if err != nil {
		fail(c, err)
		return
	}
	out, err := s.docs.SetDelegation(c.Request.Context(), cm.ID, c.Param("slot"), up)
	if err != nil {
		fail(c, documentError(err))
		return
	}
	c.JSON(http.StatusOK, out)
}

// slotDelegationDocument serves the instrument of the delegation recorded for a slot, to
// whoever may see the commitment.
func (s *Server) slotDelegationDocument(c *gin.Context) {
	cm, ok := s.signingCommitment(c)
	if !ok {
		return
	}
	f, dl, err := s.docs.DelegationDocument(cm, c.Param("slot"))
	if err != nil {
		fail(c, documentError(err))
		return
	}
	defer f.Close()
	h := c.Writer.Header()
	// No Content-Type: ServeContent sniffs it from the bytes, which were checked to be a
	// PDF, PNG or JPEG when stored (a file name may say anything).
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": dl.Filename}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, max-age=0")
	http.ServeContent(c.Writer, c.Request, "", cm.UpdatedAt, f)
}

// batchResult is one item of a batch as the API answers it: the message for its error key.
type batchResult struct {
	documents.BatchResult
	Message string `json:"message,omitempty"`
}

// signBatch (signatory) signs or initials several of the caller's slots, each in its own
// document, with one passphrase (see documents.Service.SignBatch). An item that cannot be
// signed refuses the whole batch (422 naming items[i]) before anything is signed.
func (s *Server) signBatch(c *gin.Context) {
	if _, ok := s.signingService(c); !ok {
		return
	}
	var in documents.BatchInput
	if !s.bindJSON(c, &in) {
		return
	}
	results, err := s.docs.SignBatch(c.Request.Context(), currentUser(c), in, c.ClientIP())
	if err != nil {
		fail(c, documentError(err))
		return
	}
	out := make([]batchResult, len(results))
	for i, r := range results {
		out[i] = batchResult{BatchResult: r}
		if r.Error != "" {
			out[i].Message = fieldMessage(requestLanguage(c.Request), r.Error)
		}
	}
	c.JSON(http.StatusOK, gin.H{"results": out})
}

// maxOCSPRequest bounds an OCSP request; one names a certificate in about a hundred bytes.
const maxOCSPRequest = 8 << 10

// ocspPost answers an OCSP request (RFC 6960, POST of application/ocsp-request) about a
// certificate of the installation's CA.
func (s *Server) ocspPost(c *gin.Context) {
	if mt, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type")); mt != "application/ocsp-request" {
		fail(c, &Error{Status: http.StatusUnsupportedMediaType, Code: "unsupported_media_type"})
		return
	}
	req, err := io.ReadAll(io.LimitReader(c.Request.Body, maxOCSPRequest+1))
	if err != nil || len(req) > maxOCSPRequest {
		fail(c, errBadRequest("ocsp_request"))
		return
	}
	s.ocsp(c, req)
}

// ocspGet answers an OCSP request in the GET form: the DER request, base64 and URL-encoded, as
// the last part of the path.
func (s *Server) ocspGet(c *gin.Context) {
	raw, err := url.PathUnescape(strings.TrimPrefix(c.Param("request"), "/"))
	if err != nil || len(raw) > maxOCSPRequest {
		fail(c, errBadRequest("ocsp_request"))
		return
	}
	req, err := base64.StdEncoding.DecodeString(raw)
	if err != nil {
		fail(c, errBadRequest("ocsp_request"))
		return
	}
	s.ocsp(c, req)
}

// ocsp answers a DER OCSP request; a malformed one gets OCSP's own "malformed request" answer.
func (s *Server) ocsp(c *gin.Context, req []byte) {
	if _, ok := s.signingService(c); !ok {
		return
	}
	resp, err := s.docs.OCSP(c.Request.Context(), req)
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Cache-Control", "max-age=300, public")
	c.Data(http.StatusOK, "application/ocsp-response", resp)
}

// signingCRL serves the installation CA's current certificate revocation list (DER).
func (s *Server) signingCRL(c *gin.Context) {
	if _, ok := s.signingService(c); !ok {
		return
	}
	crl, err := s.docs.CRL(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Cache-Control", "max-age=300, public")
	c.Header("Content-Disposition", `attachment; filename="pantau-ca.crl"`)
	c.Data(http.StatusOK, "application/pkix-crl", crl)
}

// revokeInput says why a signer's key is revoked.
type revokeInput struct {
	// Reason is unspecified, key_compromise, affiliation_changed, superseded or
	// cessation_of_operation.
	Reason string `json:"reason"`
}

// revokeSigningKey (admin) revokes a signer's certificates and deletes their key: the CRL and
// OCSP say so from now on, and the signer makes a new key.
func (s *Server) revokeSigningKey(c *gin.Context) {
	if _, ok := s.signingService(c); !ok {
		return
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		fail(c, errBadRequest("bad_id"))
		return
	}
	var in revokeInput
	if !s.bindJSON(c, &in) {
		return
	}
	ctx := c.Request.Context()
	u, err := s.db.UserForSigning(ctx, id)
	if err != nil {
		fail(c, err)
		return
	}
	if err := s.db.RevokeSigningKey(ctx, u, in.Reason); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
