package api

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/pantau-id/pantau/models"
)

// remediationPlan lists a region's remediation actions for a period.
func (s *Server) remediationPlan(c *gin.Context) {
	y, ok := year(c)
	if !ok {
		return
	}
	plan, err := s.db.RemediationPlan(c.Request.Context(), y, c.Param("code"))
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, plan)
}

// addRemediationAction adds an action to a region's remediation plan.
func (s *Server) addRemediationAction(c *gin.Context) {
	y, ok := year(c)
	if !ok {
		return
	}
	var in models.RemediationInput
	if !s.bindJSON(c, &in) {
		return
	}
	a, err := s.db.AddRemediationAction(c.Request.Context(), currentUser(c), y, c.Param("code"), in)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, a)
}

// remediationTarget reads the year and the action's id from the path.
func remediationTarget(c *gin.Context) (y int, id int64, ok bool) {
	if y, ok = year(c); !ok {
		return 0, 0, false
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		fail(c, errBadRequest("bad_id"))
		return 0, 0, false
	}
	return y, id, true
}

// updateRemediationAction changes an action of a region's remediation plan.
func (s *Server) updateRemediationAction(c *gin.Context) {
	y, id, ok := remediationTarget(c)
	if !ok {
		return
	}
	var in models.RemediationInput
	if !s.bindJSON(c, &in) {
		return
	}
	a, err := s.db.UpdateRemediationAction(c.Request.Context(), currentUser(c), y, c.Param("code"), id, in)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, a)
}

// deleteRemediationAction removes an action from a region's remediation plan.
func (s *Server) deleteRemediationAction(c *gin.Context) {
	y, id, ok := remediationTarget(c)
	if !ok {
		return
	}
	if err := s.db.DeleteRemediationAction(c.Request.Context(), currentUser(c), y, c.Param("code"), id); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
