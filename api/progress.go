package api

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/pantau-id/pantau/models"
)

// radar answers the coordinator's question: per Pemda and area, what is missing, waiting or
// rejected, how old the oldest waiting item is, and how many days are left.
func (s *Server) radar(c *gin.Context) {
	y, ok := year(c)
	if !ok {
		return
	}
	r, err := s.db.Radar(c.Request.Context(), y)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, r)
}

// reviewQueue lists the items waiting for verification, oldest first (limit ≤ 1000, default 200).
func (s *Server) reviewQueue(c *gin.Context) {
	y, ok := year(c)
	if !ok {
		return
	}
	limit := 0
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			fail(c, models.Invalid("limit", "limit_range"))
			return
		}
		limit = n
	}
	q, err := s.db.ReviewQueue(c.Request.Context(), y, limit)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, q)
}

func (s *Server) updatePeriod(c *gin.Context) {
	y, ok := year(c)
	var in models.PeriodPatch
	if !ok || !s.bindJSON(c, &in) {
		return
	}
	p, err := s.db.UpdatePeriod(c.Request.Context(), y, in)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, p)
}

// todo answers what waits for the caller's action in a period ("Perlu tindakan").
func (s *Server) todo(c *gin.Context) {
	y, ok := year(c)
	if !ok {
		return
	}
	t, err := s.db.TodoFor(c.Request.Context(), currentUser(c), y)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, t)
}

// explainZone answers why a region stands in its zone and what would move it up.
func (s *Server) explainZone(c *gin.Context) {
	y, ok := year(c)
	if !ok {
		return
	}
	x, err := s.db.ExplainZone(c.Request.Context(), y, c.Param("code"))
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, x)
}
