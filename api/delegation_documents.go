package api

import (
	"errors"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/pantau-id/pantau/models"
)

// uploadDelegationDocument streams the multipart field "file" into the blob store and files it
// as the region's regulation or annex ("kind") for the period, replacing the current one of
// that kind, which stays listed.
func (s *Server) uploadDelegationDocument(c *gin.Context) {
	y, ok := year(c)
	if !ok {
		return
	}
	code := c.Param("code")
	if !currentUser(c).CanWriteRegion(code) {
		fail(c, models.Forbidden("region_scope")) // asked before the file is stored; the store asks again
		return
	}
	ctx := c.Request.Context()
	if _, err := s.db.DelegationDocuments(ctx, y, code); err != nil {
		fail(c, err) // no such period or region: store nothing
		return
	}
	var up models.DelegationDocumentUpload
	var file storedFile
	err := readForm(c, s.uploadLimit(), models.ErrTooLarge, []string{"file", "kind"}, func(part *multipart.Part) error {
		if part.FormName() == "file" {
			return file.take(s.blobs, part)
		}
		v, err := formText(part, "kind", maxFormValueLen)
		up.Kind = models.DocumentKind(strings.TrimSpace(v))
		return err
	})
	if err == nil {
		err = file.required()
	}
	if err != nil {
		fail(c, documentTypeError(err))
		return
	}
	up.Blob, up.Filename = file.blob, file.name
	doc, err := s.db.AddDelegationDocument(ctx, currentUser(c), y, code, up)
	if err != nil {
		fail(c, documentTypeError(err))
		return
	}
	c.JSON(http.StatusCreated, doc)
}

// documentTypeError says which types a delegation document may have (fewer than evidence) when
// err refuses the file's type.
func documentTypeError(err error) error {
	if errors.Is(err, models.ErrUnsupportedType) {
		return &Error{Status: http.StatusUnsupportedMediaType, Code: "unsupported_media_type", Key: "document_type"}
	}
	return err
}

// listDelegationDocuments lists a region's delegation documents for a period, current and replaced.
func (s *Server) listDelegationDocuments(c *gin.Context) {
	y, ok := year(c)
	if !ok {
		return
	}
	docs, err := s.db.DelegationDocuments(c.Request.Context(), y, c.Param("code"))
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, docs)
}

// downloadDelegationDocument serves one delegation document, current or replaced, as evidence is served.
func (s *Server) downloadDelegationDocument(c *gin.Context) {
	y, ok := year(c)
	if !ok {
		return
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		fail(c, errBadRequest("bad_id"))
		return
	}
	d, err := s.db.DelegationDocumentByID(c.Request.Context(), y, c.Param("code"), id)
	if err != nil {
		fail(c, err)
		return
	}
	s.serveBlob(c, models.Blob{SHA256: d.SHA256, ContentType: d.ContentType}, d.Filename, d.CreatedAt)
}
