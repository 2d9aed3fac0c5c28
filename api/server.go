// Package api is Pantau's HTTP interface: the route table, the middleware (sessions, roles,
// CSRF, errors, request logs, metrics) and the handlers of the contract in shared/api.md.
package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/pantau-id/pantau/documents"
	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/notify"
)

// Server holds what the handlers need. Build it with New.
type Server struct {
	db       *models.DB
	blobs    *models.BlobStore
	log      *slog.Logger
	policy   models.LoginPolicy
	opts     Options
	metrics  *metrics
	summary  *summaryCache
	sessions *sessionCache
	docs     *documents.Service
	pools    *pools
}

// Options configure the HTTP layer.
type Options struct {
	// SecureCookies marks the session cookie Secure (set it when served over HTTPS).
	SecureCookies bool
	// TrustedProxies are the proxies whose X-Forwarded-For is believed; none by default.
	TrustedProxies []string
	// MaxJSONBody bounds JSON request bodies, in bytes.
	MaxJSONBody int64
	// SessionCacheTTL is how long a resolved session is reused without asking the database;
	// a logout on another instance takes effect within it. Zero means 2 s; negative turns it off.
	SessionCacheTTL time.Duration
	// PublicURL is the address people reach Pantau at; printed documents' QR codes point
	// under it (…/verify/CODE). Empty means documents.DefaultPublicURL.
	PublicURL string
	// Signing is the commitment signing service: the installation's CA, where signers' keys
	// come from and where signed documents are kept. Nil answers 503 on the signing routes.
	Signing *models.Signing
	// Limits bound expensive work and request bodies (see limits.go).
	Limits Limits
	// MetricsToken lets a scraper read /metrics with "Authorization: Bearer <token>".
	MetricsToken string
	// MetricsAddresses are the client addresses (IPs or CIDR prefixes) that read /metrics
	// without the token. With neither set, /metrics answers nobody.
	MetricsAddresses []string
	// Tokens checks the signed unsubscribe links of e-mails (GET /api/v1/unsubscribe); nil
	// refuses every link.
	Tokens *notify.Tokens
	// UI serves the web app on every GET or HEAD path outside the API and the health and
	// metrics endpoints (see routes.go's NoRoute); nil serves nothing there.
	UI http.Handler
}

// New builds the server and its router.
func New(db *models.DB, blobs *models.BlobStore, log *slog.Logger, policy models.LoginPolicy, opts Options) (*Server, http.Handler, error) {
	if opts.MaxJSONBody == 0 {
		opts.MaxJSONBody = 1 << 20
	}
	if opts.SessionCacheTTL == 0 {
		opts.SessionCacheTTL = 2 * time.Second
	}
	m, err := newMetrics(opts.MetricsToken, opts.MetricsAddresses)
	if err != nil {
		return nil, nil, err
	}
	if err := m.watchPool(db); err != nil {
		return nil, nil, err
	}
	s := &Server{db: db, blobs: blobs, log: log, policy: policy, opts: opts, metrics: m, summary: newSummaryCache(db),
		sessions: newSessionCache(opts.SessionCacheTTL), pools: newPools(opts.Limits),
		docs: &documents.Service{DB: db, Store: blobs, Signing: opts.Signing, PublicURL: opts.PublicURL, Log: log}}
	db.OnChange(s.sessions.forget)
	r, err := s.routes()
	if err != nil {
		return nil, nil, err
	}
	return s, r, nil
}

// bindJSON decodes a JSON body into v, reporting a body that is not application/json as 415
// (a cross-site form can send text/plain or form bodies without a preflight), a malformed one
// as 400, and a number its field cannot hold and strings that no database stores (see
// jsonTextError) as 422.
func (s *Server) bindJSON(c *gin.Context, v any) bool {
	if !isJSON(c.GetHeader("Content-Type")) {
		c.Error(&Error{Status: http.StatusUnsupportedMediaType, Code: "unsupported_media_type", Key: "json_only"})
		return false
	}
	var raw bytes.Buffer
	body := io.TeeReader(http.MaxBytesReader(c.Writer, c.Request.Body, s.opts.MaxJSONBody), &raw)
	dec := json.NewDecoder(body)
	// Decoding through an interface holding v fills v from an object, but sets the interface
	// to nil for a JSON null, which would otherwise pass as an empty request.
	target := any(v)
	if err := dec.Decode(&target); err != nil || target == nil {
		var tooBig *http.MaxBytesError
		var typeErr *json.UnmarshalTypeError
		switch {
		case errors.As(err, &tooBig):
			c.Error(&Error{Status: http.StatusRequestEntityTooLarge, Code: "too_large"})
		case errors.As(err, &typeErr) && strings.HasPrefix(typeErr.Value, "number") && typeErr.Field != "":
			// A number its field cannot hold: out of range (models.Fixed reports those this way
			// too) or a fraction for a whole number. Named by its top-level field.
			c.Error(models.Invalid(strings.SplitN(typeErr.Field, ".", 2)[0], "number_range"))
		default:
			c.Error(errBadRequest("malformed_json"))
		}
		return false
	}
	if _, err := dec.Token(); err != io.EOF {
		c.Error(errBadRequest("malformed_json"))
		return false
	}
	if err := jsonTextError(raw.Bytes()); err != nil {
		c.Error(err)
		return false
	}
	return true
}

// isJSON accepts application/json, with parameters (charset) or without.
func isJSON(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && mt == "application/json"
}

// year parses the :year path parameter.
func year(c *gin.Context) (int, bool) {
	y, err := strconv.Atoi(c.Param("year"))
	if err != nil {
		c.Error(errBadRequest("bad_year"))
		return 0, false
	}
	return y, true
}

// fail reports err and tells the caller to stop.
func fail(c *gin.Context, err error) {
	c.Error(err)
}
