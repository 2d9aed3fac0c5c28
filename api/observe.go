package api

import (
	"crypto/subtle"
	"fmt"
	"log/slog"
	"net/netip"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/pantau-id/pantau/models"
)

// metrics are the server's Prometheus collectors, on a registry of its own, and who may read them.
type metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	// token, when set, lets a scraper in with "Authorization: Bearer <token>".
	token string
	// scrapers are the client addresses let in without the token.
	scrapers []netip.Prefix
}

// newMetrics registers the collectors; addresses are single IP addresses or CIDR prefixes.
func newMetrics(token string, addresses []string) (*metrics, error) {
	m := &metrics{token: token,
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pantau_http_requests_total", Help: "HTTP requests by route and status.",
		}, []string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "pantau_http_request_duration_seconds", Help: "HTTP request latency by route and status.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"method", "route", "status"}),
	}
	m.registry.MustRegister(m.requests, m.duration, models.StorageDuration,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for _, a := range addresses {
		p, err := netip.ParsePrefix(a)
		if err != nil {
			addr, aerr := netip.ParseAddr(a)
			if aerr != nil {
				return nil, fmt.Errorf("metrics address %q is neither an IP address nor a CIDR prefix", a)
			}
			p = netip.PrefixFrom(addr, addr.BitLen())
		}
		m.scrapers = append(m.scrapers, p.Masked())
	}
	return m, nil
}

// serveMetrics answers Prometheus, but only to a configured scraper address or with the
// metrics token: the figures (routes, error rates, memory) are not for the public, and the
// loopback address is not trusted by default, since a reverse proxy on the same machine would
// lend it to every visitor.
func (s *Server) serveMetrics(c *gin.Context) {
	if !s.metrics.allowed(c) {
		fail(c, errForbidden("metrics"))
		return
	}
	promhttp.HandlerFor(s.metrics.registry, promhttp.HandlerOpts{}).ServeHTTP(c.Writer, c.Request)
}

func (m *metrics) allowed(c *gin.Context) bool {
	if m.token != "" && subtle.ConstantTimeCompare([]byte(bearerToken(c.Request)), []byte(m.token)) == 1 {
		return true
	}
	addr, err := netip.ParseAddr(c.ClientIP())
	if err != nil {
		return false
	}
	addr = addr.Unmap()
	for _, p := range m.scrapers {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// observe counts and times each request by its route pattern (never the raw path, so the
// label set stays bounded) and writes one structured log line. Headers, bodies and query
// strings are never logged, so neither are passwords nor tokens.
func (s *Server) observe() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		elapsed := time.Since(start)
		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		status := c.Writer.Status()
		code := strconv.Itoa(status)
		s.metrics.requests.WithLabelValues(c.Request.Method, route, code).Inc()
		s.metrics.duration.WithLabelValues(c.Request.Method, route, code).Observe(elapsed.Seconds())
		if route == "/healthz" || route == "/metrics" {
			return
		}
		level := slog.LevelInfo
		switch {
		case status >= 500:
			level = slog.LevelError
		case status >= 400:
			level = slog.LevelWarn
		}
		attrs := []slog.Attr{
			slog.String("method", c.Request.Method), slog.String("route", route), slog.String("path", c.Request.URL.Path),
			slog.Int("status", status), slog.Float64("ms", float64(elapsed.Microseconds())/1000),
			slog.Int("bytes", c.Writer.Size()), slog.String("ip", c.ClientIP()),
		}
		if u, ok := c.Get(string(userKey)); ok {
			attrs = append(attrs, slog.Int64("user_id", u.(*models.User).ID))
		}
		s.log.LogAttrs(c.Request.Context(), level, "request", attrs...)
	}
}

// Metrics is the registry /metrics serves, for collectors outside the HTTP server (the job
// queue's, package jobs).
func (s *Server) Metrics() prometheus.Registerer { return s.metrics.registry }
