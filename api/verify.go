package api

import (
	"bytes"
	"io"
	"mime/multipart"
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
	var data []byte
	err := readForm(c, s.uploadLimit(), models.ErrTooLarge, []string{"file"}, func(part *multipart.Part) error {
		if data != nil {
			return nil
		}
		var buf bytes.Buffer
		if n := c.Request.ContentLength; n > 0 {
			buf.Grow(int(min(n, s.blobs.MaxSize+1)) + bytes.MinRead) // ReadFrom wants MinRead free to see the end
		}
		if _, err := buf.ReadFrom(io.LimitReader(part, s.blobs.MaxSize+1)); err != nil {
			return uploadError(err)
		}
		if int64(buf.Len()) > s.blobs.MaxSize {
			return models.ErrTooLarge
		}
		if buf.Len() == 0 {
			return models.ErrEmptyFile
		}
		data = buf.Bytes()
		return nil
	})
	if err == nil && data == nil {
		err = models.Invalid("file", "required")
	}
	if err != nil {
		fail(c, err)
		return nil, false
	}
	return data, true
}
