package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/pantau-id/pantau/models"
)

func (s *Server) listRegions(c *gin.Context) {
	regions, err := s.db.Regions(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, regions)
}

func (s *Server) createRegion(c *gin.Context) {
	var in models.RegionInput
	if !s.bindJSON(c, &in) {
		return
	}
	if !currentUser(c).CanWriteRegion(in.Code) {
		fail(c, models.Forbidden("region_scope"))
		return
	}
	r, err := s.db.CreateRegion(c.Request.Context(), in, false)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, r)
}
