package api

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/pantau-id/pantau/models"
)

// verification is the public answer about a document found by its code.
type verification struct {
	Kind      string    `json:"kind"`
	Title     string    `json:"title"`
	Status    string    `json:"status"`
	SHA256    string    `json:"sha256"`
	CreatedAt time.Time `json:"created_at"`
	// CreatedBy names who made the document (for a report, who generated it).
	CreatedBy  string          `json:"created_by,omitempty"`
	Signatures []signatureInfo `json:"signatures"`
}

type signatureInfo struct {
	Slot     string    `json:"slot"`
	Name     string    `json:"name"`
	Title    string    `json:"title"`
	Mode     string    `json:"mode"`
	SignedAt time.Time `json:"signed_at"`
}

// verifyCode answers, without sign-in, what a verification code printed on a document stands for.
func (s *Server) verifyCode(c *gin.Context) {
	ctx := c.Request.Context()
	doc, err := s.db.DocumentByCode(ctx, c.Param("code"))
	if err != nil {
		fail(c, err)
		return
	}
	sigs, err := s.db.DocumentSignatures(ctx, doc.ID)
	if err != nil {
		fail(c, err)
		return
	}
	out := verification{Kind: doc.Kind, Title: doc.Title, Status: doc.Status, SHA256: doc.SHA256, CreatedAt: doc.CreatedAt, Signatures: []signatureInfo{}}
	if out.CreatedBy, err = s.db.DocumentIssuer(ctx, doc); err != nil {
		fail(c, err)
		return
	}
	for _, sg := range sigs {
		out.Signatures = append(out.Signatures, signatureInfo{Slot: sg.Slot, Name: sg.Name, Title: sg.Title, Mode: sg.Mode, SignedAt: sg.SignedAt})
	}
	c.JSON(http.StatusOK, out)
}

// fileCheck is the public answer about an uploaded file.
type fileCheck struct {
	Valid            bool             `json:"valid"`
	VerificationCode *string          `json:"verification_code"`
	Kind             string           `json:"kind,omitempty"`
	Title            string           `json:"title,omitempty"`
	SHA256           string           `json:"sha256"`
	Signatures       []signatureCheck `json:"signatures"`
	// ModifiedAfterSigning: the file has bytes after its last embedded signature.
	ModifiedAfterSigning bool `json:"modified_after_signing"`
}

type signatureCheck struct {
	Name     string    `json:"name"`
	SignedAt time.Time `json:"signed_at"`
	Valid    bool      `json:"valid"`
	// The rest describe a signature embedded in the PDF (see embeddedSignatures).
	Slot     string `json:"slot,omitempty"`
	Capacity string `json:"capacity,omitempty"`
	Reason   string `json:"reason,omitempty"`
	Intact   *bool  `json:"intact,omitempty"`
	Trusted  *bool  `json:"trusted,omitempty"`
	Changes  string `json:"changes_after,omitempty"`
}

// verifyFile answers, without sign-in, whether an uploaded file is a document Pantau issued,
// byte for byte.
func (s *Server) verifyFile(c *gin.Context) {
	data, ok := s.readUpload(c)
	if !ok {
		return
	}
	sum := sha256.Sum256(data)
	out := fileCheck{SHA256: hex.EncodeToString(sum[:]), Signatures: []signatureCheck{}}
	doc, err := s.db.DocumentByHash(c.Request.Context(), out.SHA256)
	if err != nil && !errors.Is(err, models.ErrNotFound) {
		fail(c, err)
		return
	}
	if doc != nil {
		out.Valid, out.VerificationCode, out.Kind, out.Title = true, &doc.VerificationCode, doc.Kind, doc.Title
		sigs, err := s.db.DocumentSignatures(c.Request.Context(), doc.ID)
		if err != nil {
			fail(c, err)
			return
		}
		for _, sg := range sigs {
			out.Signatures = append(out.Signatures, signatureCheck{Name: sg.Name, SignedAt: sg.SignedAt, Valid: true})
		}
	}
	if !s.embeddedSignatures(c, data, &out) {
		return
	}
	c.JSON(http.StatusOK, out)
}

// readUpload reads the multipart field "file" into memory, up to the upload limit.
func (s *Server) readUpload(c *gin.Context) ([]byte, bool) {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, s.blobs.MaxSize+1<<20)
	mr, err := c.Request.MultipartReader()
	if err != nil {
		fail(c, errBadRequest("not_multipart"))
		return nil, false
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			fail(c, models.Invalid("file", "required"))
			return nil, false
		}
		if err != nil {
			fail(c, uploadError(err))
			return nil, false
		}
		if part.FormName() != "file" {
			continue
		}
		data, err := io.ReadAll(io.LimitReader(part, s.blobs.MaxSize+1))
		if err != nil {
			fail(c, uploadError(err))
			return nil, false
		}
		if int64(len(data)) > s.blobs.MaxSize {
			fail(c, models.ErrTooLarge)
			return nil, false
		}
		if len(data) == 0 {
			fail(c, models.ErrEmptyFile)
			return nil, false
		}
		return data, true
	}
}
