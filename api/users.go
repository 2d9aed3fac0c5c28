package api

import (
	"net/http"

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
