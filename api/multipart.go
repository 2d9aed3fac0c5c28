package api

import (
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"
)

// readForm reads a multipart/form-data request body of at most limit bytes to its closing
// boundary, handing each part to take in order (a part take does not read is skipped) and
// returning take's first error. A part whose name is not one of fields is 400 unknown_part (a
// misspelt "replaces" must not quietly become a new document). A body that is not multipart,
// or that ends before its closing boundary, is 400 not_multipart — whatever take already did
// with its parts — and one over the limit is tooLarge.
func readForm(c *gin.Context, limit int64, tooLarge error, fields []string, take func(*multipart.Part) error) error {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
	mr, err := c.Request.MultipartReader()
	if err != nil {
		return errBadRequest("not_multipart")
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return nil
		}
		var over *http.MaxBytesError
		if errors.As(err, &over) {
			return tooLarge
		}
		if err != nil {
			return errBadRequest("not_multipart")
		}
		if !slices.Contains(fields, part.FormName()) {
			return errBadRequest("unknown_part")
		}
		if err := take(part); err != nil {
			return err
		}
	}
}
