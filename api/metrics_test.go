package api

import (
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/pantau-id/pantau/models"
)

// reopen replaces the environment's server by one with these options, on the same database.
func (e *env) reopen(opts Options) {
	e.t.Helper()
	_, h, err := New(e.db, &models.BlobStore{Dir: e.t.TempDir(), MaxSize: 256 << 10}, slog.New(slog.NewTextHandler(io.Discard, nil)), models.DefaultLoginPolicy, opts)
	if err != nil {
		e.t.Fatal(err)
	}
	e.srv.Close()
	e.srv, e.engine = newTestServer(e.t, h), h.(*gin.Engine)
}

// TestMetricsOnlyForScrapers: /metrics is served to configured addresses or with the metrics
// bearer token, to nobody else — not even from the loopback address, which a reverse proxy on
// the same machine would share with every visitor.
func TestMetricsOnlyForScrapers(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		e.expect(e.call("GET", "/metrics", asAnonymous, nil), 403, "forbidden")
		e.expect(e.call("GET", "/metrics", roleAdmin, nil), 403, "forbidden")

		e.reopen(Options{MetricsToken: "token-pemantauan-rahasia"})
		e.expect(e.raw("GET", "/metrics", "", nil), 403, "forbidden")
		e.expect(e.raw("GET", "/metrics", "", map[string]string{"Authorization": "Bearer salah"}), 403, "forbidden")
		m := e.mustOK(e.raw("GET", "/metrics", "", map[string]string{"Authorization": "Bearer token-pemantauan-rahasia"}))
		if !strings.Contains(string(m.Body), "pantau_http_requests_total") {
			t.Fatalf("metrics: %s", m.Body)
		}

		e.reopen(Options{MetricsAddresses: []string{"10.0.0.0/8", "127.0.0.1"}})
		e.mustOK(e.raw("GET", "/metrics", "", nil))
		e.reopen(Options{MetricsAddresses: []string{"10.0.0.0/8"}})
		e.expect(e.raw("GET", "/metrics", "", nil), 403, "forbidden")
	})
}
