package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/pantau-id/pantau/models"
)

// itemRef reads the item named by the path.
func itemRef(c *gin.Context) (models.ItemRef, bool) {
	y, ok := year(c)
	if !ok {
		return models.ItemRef{}, false
	}
	return models.ItemRef{Year: y, RegionCode: c.Param("code"), IndicatorCode: c.Param("indicator")}, true
}

func (s *Server) listItems(c *gin.Context) {
	y, ok := year(c)
	if !ok {
		return
	}
	items, err := s.db.Items(c.Request.Context(), y, c.Param("code"))
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, items)
}

func (s *Server) claimItem(c *gin.Context) {
	ref, ok := itemRef(c)
	var in models.Claim
	if !ok || !s.bindJSON(c, &in) {
		return
	}
	item, err := s.db.ClaimItem(c.Request.Context(), currentUser(c), ref, in)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, item)
}

func (s *Server) reviewItem(c *gin.Context) {
	ref, ok := itemRef(c)
	var in models.ReviewInput
	if !ok || !s.bindJSON(c, &in) {
		return
	}
	item, err := s.db.ReviewItem(c.Request.Context(), currentUser(c), ref, in)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, item)
}
