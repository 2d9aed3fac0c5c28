package api

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/pantau-id/pantau/models"
)

// SessionCookie is the name of the browser session cookie.
const SessionCookie = "pantau_session"

// CSRFHeader carries the session's CSRF token on state-changing browser requests.
const CSRFHeader = "X-CSRF-Token"

type ctxKey string

const (
	userKey    ctxKey = "user"
	sessionKey ctxKey = "session"
)

func currentUser(c *gin.Context) *models.User { return c.MustGet(string(userKey)).(*models.User) }
func currentSession(c *gin.Context) *models.Session {
	return c.MustGet(string(sessionKey)).(*models.Session)
}

// authenticate resolves the bearer token or session cookie to a user. Cookie-authenticated
// requests that change state must also carry the session's CSRF token in X-CSRF-Token and come
// from this site's own pages (sameOrigin).
func (s *Server) authenticate(c *gin.Context) {
	token, viaCookie := bearerToken(c.Request), false
	if token == "" {
		if ck, err := c.Cookie(SessionCookie); err == nil && ck != "" {
			token, viaCookie = ck, true
		}
	}
	if token == "" {
		fail(c, errUnauthenticated)
		c.Abort()
		return
	}
	sess, user, err := s.sessions.resolve(c.Request.Context(), s.db, token)
	if errors.Is(err, models.ErrNotFound) {
		err = errUnauthenticated
	}
	if err != nil {
		fail(c, err)
		c.Abort()
		return
	}
	if viaCookie && changesState(c.Request.Method) {
		switch {
		case subtle.ConstantTimeCompare([]byte(c.GetHeader(CSRFHeader)), []byte(sess.CSRFToken)) != 1:
			err = errForbidden("csrf")
		case !s.sameOrigin(c.Request):
			err = errCrossOrigin
		}
		if err != nil {
			fail(c, err)
			c.Abort()
			return
		}
	}
	c.Set(string(userKey), user)
	c.Set(string(sessionKey), sess)
	c.Request = c.Request.WithContext(models.WithActor(c.Request.Context(), models.Actor{UserID: &user.ID, Email: user.Email, IP: c.ClientIP()}))
	c.Next()
}

func bearerToken(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

func changesState(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	return true
}

type loginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

type loginResponse struct {
	Token     string       `json:"token"`
	CSRFToken string       `json:"csrf_token"`
	ExpiresAt string       `json:"expires_at"`
	User      *models.User `json:"user"`
	// UnreadNotifications is GET /me's, so that the web app needs no second request.
	UnreadNotifications int64 `json:"unread_notifications"`
}

// login signs in with an e-mail and a password. Since it sets the session cookie, it is
// refused from another site's pages (sameOrigin), so that no page can sign a visitor's browser
// into another account.
func (s *Server) login(c *gin.Context) {
	if !s.sameOrigin(c.Request) {
		fail(c, errCrossOrigin)
		return
	}
	var in loginRequest
	if !s.bindJSON(c, &in) {
		return
	}
	fields := map[string]string{}
	if strings.TrimSpace(in.Email) == "" {
		fields["email"] = "required"
	} else if key := models.TextProblem(in.Email, models.MaxEmailLen); key != "" {
		fields["email"] = key // no account has such an address: nothing to check or count
	}
	if in.Password == "" {
		fields["password"] = "required"
	} else if key := models.TextProblem(in.Password, models.MaxSecretLen); key != "" {
		fields["password"] = key
	}
	if len(fields) > 0 {
		fail(c, &models.ValidationError{Fields: fields})
		return
	}
	ctx := models.WithActor(c.Request.Context(), models.Actor{Email: strings.ToLower(strings.TrimSpace(in.Email)), IP: c.ClientIP()})
	u, sess, token, err := s.db.Login(ctx, s.policy, in.Email, in.Password, c.ClientIP(), c.Request.UserAgent())
	if err != nil {
		fail(c, err)
		return
	}
	unread, err := s.db.UnreadNotifications(ctx, u.ID)
	if err != nil {
		fail(c, err)
		return
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: SessionCookie, Value: token, Path: "/", HttpOnly: true,
		Secure: s.opts.SecureCookies, SameSite: http.SameSiteLaxMode, Expires: sess.ExpiresAt})
	c.JSON(http.StatusOK, loginResponse{Token: token, CSRFToken: sess.CSRFToken, ExpiresAt: sess.ExpiresAt.Format("2006-01-02T15:04:05Z07:00"), User: u,
		UnreadNotifications: unread})
}

func (s *Server) logout(c *gin.Context) {
	if err := s.db.Logout(c.Request.Context(), currentSession(c).ID); err != nil {
		fail(c, err)
		return
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", HttpOnly: true,
		Secure: s.opts.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: -1})
	c.Status(http.StatusNoContent)
}

type passwordChange struct {
	OldPassword string `json:"old_password"`
	NewPassword string `json:"new_password"`
}

// changePassword sets the caller's password and signs out their other sessions.
func (s *Server) changePassword(c *gin.Context) {
	var in passwordChange
	if !s.bindJSON(c, &in) {
		return
	}
	if err := s.db.ChangePassword(c.Request.Context(), currentUser(c), currentSession(c).ID, in.OldPassword, in.NewPassword); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

type meResponse struct {
	*models.User
	CSRFToken string `json:"csrf_token"`
	// UnreadNotifications lets the web app show its badge without another request.
	UnreadNotifications int64 `json:"unread_notifications"`
}

func (s *Server) me(c *gin.Context) {
	unread, err := s.db.UnreadNotifications(c.Request.Context(), currentUser(c).ID)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, meResponse{User: currentUser(c), CSRFToken: currentSession(c).CSRFToken, UnreadNotifications: unread})
}
