package api

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/pantau-id/pantau/documents"
)

// contentSecurityPolicy lets the web app load only its own scripts, styles, images and fonts,
// preview uploaded evidence (PDFs in a frame or object) from blob: URLs, and never be framed by
// another site. It is set here for every response, the web app's pages included.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; frame-src 'self' blob:; " +
	"worker-src 'self' blob:; object-src 'self' blob:; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

// securityHeaders sets the headers every response carries; HSTS only when the request came
// over TLS (directly, or through a trusted proxy that says so).
func (s *Server) securityHeaders() gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if c.Request.TLS != nil || (len(s.opts.TrustedProxies) > 0 && c.GetHeader("X-Forwarded-Proto") == "https") {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		c.Next()
	}
}

// errCrossOrigin refuses a sign-in or a cookie-authenticated change sent from another site.
var errCrossOrigin = errForbidden("cross_origin")

// sameOrigin reports whether a request may sign a browser in or change state with its cookie:
// browsers say where a request comes from (Sec-Fetch-Site, and Origin on every POST, PUT,
// PATCH and DELETE), and only this site's own pages may — the page's origin is the one the
// request was sent to (its Host) or the configured public address. A request with neither
// header comes from a script or a tool (curl, a bearer-token client), not from a page another
// site showed in the user's browser, and passes.
func (s *Server) sameOrigin(r *http.Request) bool {
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" {
		return false
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" { // "null": a sandboxed frame, a data: page, a redirect chain
		return false
	}
	if strings.EqualFold(u.Host, r.Host) {
		return true
	}
	public := s.opts.PublicURL
	if public == "" {
		public = documents.DefaultPublicURL
	}
	p, err := url.Parse(public)
	return err == nil && strings.EqualFold(u.Scheme, p.Scheme) && strings.EqualFold(u.Host, p.Host)
}
