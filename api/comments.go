package api

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/pantau-id/pantau/models"
)

// commentID parses the :id path parameter of a comment.
func commentID(c *gin.Context) (int64, bool) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id < 1 {
		fail(c, errBadRequest("bad_id"))
		return 0, false
	}
	return id, true
}

// listComments lists an item's discussion, oldest first.
func (s *Server) listComments(c *gin.Context) {
	ref, ok := itemRef(c)
	if !ok {
		return
	}
	out, err := s.db.ItemComments(c.Request.Context(), currentUser(c), ref)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, out)
}

// addComment writes a comment on an item; mentioned users and the item's participants are
// notified.
func (s *Server) addComment(c *gin.Context) {
	ref, ok := itemRef(c)
	var in models.CommentInput
	if !ok || !s.bindJSON(c, &in) {
		return
	}
	out, err := s.db.AddComment(c.Request.Context(), currentUser(c), ref, in)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, out)
}

// editComment changes one's own comment within its edit window.
func (s *Server) editComment(c *gin.Context) {
	ref, ok := itemRef(c)
	if !ok {
		return
	}
	id, ok := commentID(c)
	var in models.CommentPatch
	if !ok || !s.bindJSON(c, &in) {
		return
	}
	out, err := s.db.EditComment(c.Request.Context(), currentUser(c), ref, id, in)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, out)
}

// deleteComment removes one's own comment that nobody has answered yet.
func (s *Server) deleteComment(c *gin.Context) {
	ref, ok := itemRef(c)
	if !ok {
		return
	}
	id, ok := commentID(c)
	if !ok {
		return
	}
	if err := s.db.DeleteComment(c.Request.Context(), currentUser(c), ref, id); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
