package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/pantau-id/pantau/models"
)

// nationalScope lets through only those who may change what is national — periods, their
// catalogue and zones: admins, and coordinators not scoped to a province.
func (s *Server) nationalScope(c *gin.Context) {
	if !currentUser(c).CanManageCatalogue() {
		fail(c, models.Forbidden("national_scope"))
		c.Abort()
		return
	}
	c.Next()
}

func (s *Server) getCatalogue(c *gin.Context) {
	y, ok := year(c)
	if !ok {
		return
	}
	tree, err := s.db.Catalogue(c.Request.Context(), y)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, tree)
}

func (s *Server) copyCatalogue(c *gin.Context) {
	y, ok := year(c)
	var in models.CopyInput
	if !ok || !s.bindJSON(c, &in) {
		return
	}
	tree, err := s.db.CopyCatalogue(c.Request.Context(), y, in)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, tree)
}

func (s *Server) setApplicability(c *gin.Context) {
	ref, ok := itemRef(c)
	var in models.ApplicabilityInput
	if !ok || !s.bindJSON(c, &in) {
		return
	}
	item, err := s.db.SetApplicability(c.Request.Context(), currentUser(c), ref, in)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, item)
}

func (s *Server) closePeriod(c *gin.Context) {
	y, ok := year(c)
	if !ok {
		return
	}
	p, err := s.db.ClosePeriod(c.Request.Context(), currentUser(c), y)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, p)
}

func (s *Server) reopenPeriod(c *gin.Context) {
	y, ok := year(c)
	var in models.ReopenInput
	if !ok || !s.bindJSON(c, &in) {
		return
	}
	p, err := s.db.ReopenPeriod(c.Request.Context(), currentUser(c), y, in)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, p)
}

func (s *Server) setExtension(c *gin.Context) {
	y, ok := year(c)
	var in models.ExtensionInput
	if !ok || !s.bindJSON(c, &in) {
		return
	}
	ext, err := s.db.SetExtension(c.Request.Context(), currentUser(c), y, c.Param("code"), in)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, ext)
}

func (s *Server) listExtensions(c *gin.Context) {
	y, ok := year(c)
	if !ok {
		return
	}
	out, err := s.db.Extensions(c.Request.Context(), y)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, out)
}

func (s *Server) regionTrend(c *gin.Context) {
	out, err := s.db.Trend(c.Request.Context(), c.Param("code"))
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, out)
}
