package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/pantau-id/pantau/models"
)

// getLetterhead returns the letterhead printed on reports and commitments (logo as base64).
func (s *Server) getLetterhead(c *gin.Context) {
	lh, err := s.db.Letterhead(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, lh)
}

// setLetterhead records a new letterhead; earlier ones are kept, and reports already issued
// keep the letterhead they were printed with.
func (s *Server) setLetterhead(c *gin.Context) {
	var in models.LetterheadInput
	if !s.bindJSON(c, &in) {
		return
	}
	lh, err := s.db.SetLetterhead(c.Request.Context(), currentUser(c), in)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, lh)
}
