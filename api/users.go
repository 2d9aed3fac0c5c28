package api

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/pantau-id/pantau/models"
)

func (s *Server) listUsers(c *gin.Context) {
	users, err := s.db.Users(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, users)
}

// listSignatories lists the signatory users a coordinator may assign to a commitment's slot.
func (s *Server) listSignatories(c *gin.Context) {
	out, err := s.db.SignatoryChoices(c.Request.Context(), currentUser(c))
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, out)
}

// updateUser changes a user's name, role, region or whether the account is active (admin).
func (s *Server) updateUser(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		fail(c, errBadRequest("bad_id"))
		return
	}
	var in models.UserPatch
	if !s.bindJSON(c, &in) {
		return
	}
	u, err := s.db.UpdateUser(c.Request.Context(), currentUser(c), id, in)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, u)
}

func (s *Server) createUser(c *gin.Context) {
	var in models.UserInput
	if !s.bindJSON(c, &in) {
		return
	}
	u, err := s.db.CreateUser(c.Request.Context(), in, false)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, u)
}
