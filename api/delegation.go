package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/pantau-id/pantau/models"
)

func (s *Server) getDelegation(c *gin.Context) {
	y, ok := year(c)
	if !ok {
		return
	}
	d, err := s.db.DelegationOf(c.Request.Context(), y, c.Param("code"))
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, d)
}

func (s *Server) setDelegation(c *gin.Context) {
	y, ok := year(c)
	if !ok {
		return
	}
	code := c.Param("code")
	var in models.DelegationInput
	if !s.bindJSON(c, &in) {
		return
	}
	d, err := s.db.SetDelegation(c.Request.Context(), currentUser(c), y, code, in)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, d)
}

// setDelegationPermits records a region's list of permit types; the delegation's counts follow from it.
func (s *Server) setDelegationPermits(c *gin.Context) {
	y, ok := year(c)
	if !ok {
		return
	}
	var in models.DelegationPermitsInput
	if !s.bindJSON(c, &in) {
		return
	}
	d, err := s.db.SetDelegationPermits(c.Request.Context(), currentUser(c), y, c.Param("code"), in)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, d)
}
