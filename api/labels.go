package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/pantau-id/pantau/models"
)

// labels serves the one table of names for states and kinds, in every language, so the web
// app shows the words the narrative and the PDFs use. It changes only with a new release.
func (s *Server) labels(c *gin.Context) {
	c.Header("Cache-Control", "public, max-age=3600")
	c.JSON(http.StatusOK, models.AllLabels())
}
