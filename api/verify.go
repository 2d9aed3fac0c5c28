package api

import (
	"bytes"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/pantau-id/pantau/models"
)

// verifyCode answers, without sign-in, what a verification code printed on a document stands for.
func (s *Server) verifyCode(c *gin.Context) {
	out, err := s.docs.VerifyCode(c.Request.Context(), c.Param("code"))
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, out)
}

// verifyFile answers, without sign-in, whether an uploaded file is a document Pantau issued,
// byte for byte, and whether its embedded signatures hold (see documents.Service.VerifyFile).
func (s *Server) verifyFile(c *gin.Context) {
	data, ok := s.readUpload(c)
	if !ok {
		return
	}
	out, err := s.docs.VerifyFile(c.Request.Context(), data)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, out)
}

// readUpload reads the multipart field "file" into memory, up to the upload limit, in a buffer
// sized once from the declared length (growing it by doubling would hold up to twice the file).
func (s *Server) readUpload(c *gin.Context) ([]byte, bool) {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, s.uploadLimit())
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
		var buf bytes.Buffer
		if n := c.Request.ContentLength; n > 0 {
			buf.Grow(int(min(n, s.blobs.MaxSize+1)) + bytes.MinRead) // ReadFrom wants MinRead free to see the end
		}
		_, err = buf.ReadFrom(io.LimitReader(part, s.blobs.MaxSize+1))
		data := buf.Bytes()
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
