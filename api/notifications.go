package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/notify"
)

// notificationView is a notification as its reader sees it, titled in their language.
type notificationView struct {
	ID        int64                   `json:"id"`
	Kind      models.NotificationKind `json:"kind"`
	Title     string                  `json:"title"`
	Link      string                  `json:"link"`
	CreatedAt time.Time               `json:"created_at"`
	Read      bool                    `json:"read"`
}

// userLanguage is the caller's chosen language, or their request's when they chose none.
func (s *Server) userLanguage(c *gin.Context) (string, error) {
	p, err := s.db.UserPreferences(c.Request.Context(), currentUser(c).ID)
	if err != nil {
		return "", err
	}
	if !p.Chosen {
		return requestLanguage(c.Request), nil
	}
	return p.Language, nil
}

// listNotifications lists the caller's notifications, newest first: ?unread=true for the unread
// ones only, ?limit= (1–200, default 50).
func (s *Server) listNotifications(c *gin.Context) {
	var f models.NotificationFilter
	fields := map[string]string{}
	switch c.Query("unread") {
	case "", "false":
	case "true":
		f.UnreadOnly = true
	default:
		fields["unread"] = "boolean"
	}
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > models.MaxNotifications {
			fields["limit"] = "notification_limit"
		}
		f.Limit = n
	}
	if len(fields) > 0 {
		fail(c, &models.ValidationError{Fields: fields})
		return
	}
	lang, err := s.userLanguage(c)
	if err != nil {
		fail(c, err)
		return
	}
	list, err := s.db.Notifications(c.Request.Context(), currentUser(c).ID, f)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]notificationView, len(list))
	for i, n := range list {
		out[i] = notificationView{ID: n.ID, Kind: n.Kind, Title: notify.Title(n.Kind, lang, n.Params), Link: n.Link, CreatedAt: n.CreatedAt.UTC(), Read: n.ReadAt != nil}
	}
	c.JSON(http.StatusOK, out)
}

type readRequest struct {
	IDs []int64 `json:"ids"`
}

type unreadCount struct {
	Unread int64 `json:"unread"`
}

// markNotificationsRead marks some of the caller's notifications read and answers how many
// stay unread; others' notifications are left alone.
func (s *Server) markNotificationsRead(c *gin.Context) {
	var in readRequest
	if !s.bindJSON(c, &in) {
		return
	}
	n, err := s.db.MarkNotificationsRead(c.Request.Context(), currentUser(c).ID, in.IDs)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, unreadCount{Unread: n})
}

func (s *Server) getPreferences(c *gin.Context) {
	p, err := s.db.UserPreferences(c.Request.Context(), currentUser(c).ID)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, p)
}

func (s *Server) setPreferences(c *gin.Context) {
	var in models.PreferencesInput
	if !s.bindJSON(c, &in) {
		return
	}
	p, err := s.db.SetPreferences(c.Request.Context(), currentUser(c), in)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, p)
}

type unsubscribed struct {
	Category models.MailCategory `json:"category"`
	Email    string              `json:"email"`
}

// unsubscribe turns off the category of e-mail a signed link names, without signing in (GET
// from the link, POST from a mail client's one-click unsubscribe, RFC 8058). A browser (Accept:
// text/html) gets a short page in the user's language, anything else JSON.
func (s *Server) unsubscribe(c *gin.Context) {
	if s.opts.Tokens == nil {
		fail(c, errBadRequest("bad_token"))
		return
	}
	userID, cat, ok := s.opts.Tokens.ParseUnsubscribe(c.Query("token"))
	if !ok {
		fail(c, errBadRequest("bad_token"))
		return
	}
	u, err := s.db.UserByID(c.Request.Context(), userID)
	if err != nil {
		fail(c, err)
		return
	}
	ctx := models.WithActor(c.Request.Context(), models.Actor{UserID: &u.ID, Email: u.Email, IP: c.ClientIP()})
	prefs, err := s.db.Unsubscribe(ctx, u, cat)
	if err != nil {
		fail(c, err)
		return
	}
	if c.NegotiateFormat(gin.MIMEJSON, gin.MIMEHTML) == gin.MIMEHTML {
		page, err := notify.UnsubscribedPage(prefs.Language, cat, u.Email)
		if err != nil {
			fail(c, err)
			return
		}
		c.Data(http.StatusOK, "text/html; charset=utf-8", []byte(page))
		return
	}
	c.JSON(http.StatusOK, unsubscribed{Category: cat, Email: u.Email})
}
