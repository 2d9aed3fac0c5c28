package api

import (
	"errors"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/pantau-id/pantau/models"
)

// uploadEvidence streams the multipart field "file" into the blob store (never holding the
// whole file in memory) and attaches it to the item once it is durably stored. Optional fields:
// "replaces" (the id of the document this one revises) and "effective_date" (YYYY-MM-DD).
func (s *Server) uploadEvidence(c *gin.Context) {
	ref, ok := itemRef(c)
	if !ok {
		return
	}
	if !currentUser(c).CanWriteRegion(ref.RegionCode) {
		fail(c, models.Forbidden("region_scope")) // asked before the file is stored; the store asks again
		return
	}
	ctx := c.Request.Context()
	if _, err := s.db.Item(ctx, ref); err != nil {
		fail(c, err)
		return
	}
	var up models.EvidenceUpload
	var file storedFile
	err := readForm(c, s.uploadLimit(), models.ErrTooLarge, []string{"file", "replaces", "effective_date"}, func(part *multipart.Part) error {
		switch part.FormName() {
		case "file":
			return file.take(s.blobs, part)
		case "replaces":
			v, err := formText(part, "replaces", maxFormValueLen)
			if err != nil {
				return err
			}
			id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			if err != nil {
				return models.Invalid("replaces", "integer")
			}
			up.Replaces = &id
		case "effective_date":
			d, err := formText(part, "effective_date", maxFormValueLen)
			if err != nil {
				return err
			}
			up.EffectiveDate = &d
		}
		return nil
	})
	if err == nil {
		err = file.required()
	}
	if err != nil {
		fail(c, err)
		return
	}
	up.Blob, up.Filename = file.blob, file.name
	ev, err := s.db.AddEvidence(ctx, currentUser(c), ref, up)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, ev)
}

// reviewEvidence records a reviewer's verdict on one document: accepted, or rejected with a reason.
func (s *Server) reviewEvidence(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		fail(c, errBadRequest("bad_id"))
		return
	}
	var in models.EvidenceReview
	if !s.bindJSON(c, &in) {
		return
	}
	ev, err := s.db.ReviewEvidence(c.Request.Context(), currentUser(c), id, in)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, ev)
}

// storedFile is the file of an upload form, stored in the blob store as it is read.
type storedFile struct {
	blob   models.Blob
	name   string
	stored bool
}

// take stores a file part's content; a second file in the same form is ignored.
func (f *storedFile) take(blobs *models.BlobStore, part *multipart.Part) error {
	if f.stored {
		return nil
	}
	blob, err := blobs.Put(part)
	if err != nil {
		return uploadError(err)
	}
	f.blob, f.name, f.stored = blob, part.FileName(), true
	return nil
}

// required refuses a form that held no file.
func (f *storedFile) required() error {
	if !f.stored {
		return models.Invalid("file", "required")
	}
	return nil
}

func uploadError(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return models.ErrTooLarge
	}
	if errors.Is(err, models.ErrTooLarge) || errors.Is(err, models.ErrUnsupportedType) || errors.Is(err, models.ErrEmptyFile) ||
		errors.Is(err, models.ErrStorageUnavailable) {
		return err
	}
	return errBadRequest("not_multipart")
}

func (s *Server) downloadEvidence(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		fail(c, errBadRequest("bad_id"))
		return
	}
	ev, err := s.db.EvidenceByID(c.Request.Context(), id)
	if err != nil {
		fail(c, err)
		return
	}
	s.serveBlob(c, models.Blob{SHA256: ev.SHA256, ContentType: ev.ContentType}, ev.Filename, ev.CreatedAt)
}

// serveBlob answers with a stored file as an attachment named filename: its content checked
// against its SHA-256 (which is also its ETag), byte ranges and conditional requests honoured.
func (s *Server) serveBlob(c *gin.Context, b models.Blob, filename string, modified time.Time) {
	f, err := s.blobs.Open(b.SHA256)
	if err != nil {
		fail(c, err)
		return
	}
	defer f.Close()
	h := c.Writer.Header()
	h.Set("Content-Type", b.ContentType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": filename}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, max-age=0")
	h.Set("ETag", `"`+b.SHA256+`"`)
	http.ServeContent(c.Writer, c.Request, "", modified, f)
}
