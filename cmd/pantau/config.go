package main

import (
	"flag"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/pantau-id/pantau/documents"
	"github.com/pantau-id/pantau/models"
)

// config is every setting, read once from the environment and flags and validated.
type config struct {
	Addr           string
	DatabaseURL    string
	DataDir        string
	EvidenceDir    string
	CADir          string
	MaxUploadMB    int64
	AdminEmail     string
	AdminPassword  string
	DemoPassword   string
	LogLevel       slog.Level
	LogFormat      string
	SecureCookies  bool
	TrustedProxies []string
	SessionTTL     time.Duration
	Migrate        bool
	PublicURL      string
	// TSAURL is the RFC 3161 time-stamping authority signatures are stamped by: an http(s)
	// URL, "local" for the installation's own, or empty for none (B-B signatures).
	TSAURL string
	// TSACAFile holds the root certificate(s), PEM, trusted for the TSA's tokens.
	TSACAFile string
}

// env reads a setting; NAME_FILE, when set, names a file holding the value (for secrets).
func env(getenv func(string) string, name, def string) string {
	if f := getenv(name + "_FILE"); f != "" {
		if b, err := os.ReadFile(f); err == nil {
			return strings.TrimSpace(string(b))
		}
	}
	if v := getenv(name); v != "" {
		return v
	}
	return def
}

// dbFlags registers the database settings every command shares.
func (c *config) dbFlags(fs *flag.FlagSet, getenv func(string) string) {
	fs.StringVar(&c.DatabaseURL, "database-url", env(getenv, "DATABASE_URL", ""), "PostgreSQL URL (env DATABASE_URL); empty selects the embedded SQLite database")
	fs.StringVar(&c.DataDir, "data-dir", env(getenv, "PANTAU_DATA_DIR", "./data"), "directory for the SQLite database, evidence files and keys (env PANTAU_DATA_DIR)")
	fs.StringVar(&c.EvidenceDir, "evidence-dir", env(getenv, "PANTAU_EVIDENCE_DIR", ""), "directory for evidence files (env PANTAU_EVIDENCE_DIR; default DATA_DIR/evidence)")
	fs.StringVar(&c.CADir, "ca-dir", env(getenv, "PANTAU_CA_DIR", ""), "directory of the installation's certificate authority, created at first start; its key is readable by the owner only (env PANTAU_CA_DIR; default DATA_DIR/ca)")
	fs.Int64Var(&c.MaxUploadMB, "max-upload-mb", 20, "largest evidence upload in MiB (env PANTAU_MAX_UPLOAD_MB)")
	if v := getenv("PANTAU_MAX_UPLOAD_MB"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			n = -1 // rejected by validate with a clear message
		}
		c.MaxUploadMB = n
	}
}

// serveFlags registers the settings only the server uses.
func (c *config) serveFlags(fs *flag.FlagSet, getenv func(string) string) (level, proxies, ttl *string) {
	fs.StringVar(&c.Addr, "addr", env(getenv, "PANTAU_ADDR", ":8080"), "listen address (env PANTAU_ADDR)")
	c.AdminEmail = env(getenv, "PANTAU_ADMIN_EMAIL", "")
	c.AdminPassword = env(getenv, "PANTAU_ADMIN_PASSWORD", "")
	c.DemoPassword = env(getenv, "PANTAU_DEMO_PASSWORD", "")
	level = fs.String("log-level", env(getenv, "PANTAU_LOG_LEVEL", "info"), "debug, info, warn or error (env PANTAU_LOG_LEVEL)")
	fs.StringVar(&c.LogFormat, "log-format", env(getenv, "PANTAU_LOG_FORMAT", "json"), "json or text (env PANTAU_LOG_FORMAT)")
	fs.BoolVar(&c.SecureCookies, "secure-cookies", env(getenv, "PANTAU_SECURE_COOKIES", "false") == "true", "mark cookies Secure; set behind HTTPS (env PANTAU_SECURE_COOKIES)")
	proxies = fs.String("trusted-proxies", env(getenv, "PANTAU_TRUSTED_PROXIES", ""), "comma-separated proxy addresses whose X-Forwarded-For is trusted (env PANTAU_TRUSTED_PROXIES)")
	ttl = fs.String("session-ttl", env(getenv, "PANTAU_SESSION_TTL", "12h"), "how long a sign-in lasts (env PANTAU_SESSION_TTL)")
	fs.BoolVar(&c.Migrate, "migrate", env(getenv, "PANTAU_MIGRATE", "true") == "true", "apply pending migrations at start; with false, refuse to start on a stale schema (env PANTAU_MIGRATE)")
	c.publicURLFlag(fs, getenv)
	fs.StringVar(&c.TSAURL, "tsa-url", env(getenv, "PANTAU_TSA_URL", ""), "RFC 3161 time-stamping authority for signatures (PAdES B-T): an http(s) URL, or \"local\" for the installation's own; empty signs without timestamps (env PANTAU_TSA_URL)")
	c.tsaCAFlag(fs, getenv)
	return level, proxies, ttl
}

// tsaCAFlag registers the file of roots trusted for timestamps.
func (c *config) tsaCAFlag(fs *flag.FlagSet, getenv func(string) string) {
	fs.StringVar(&c.TSACAFile, "tsa-ca", env(getenv, "PANTAU_TSA_CA_FILE", ""), "PEM file of the time-stamping authority's root certificate(s), trusted when verifying (env PANTAU_TSA_CA_FILE)")
}

// finish parses the string-typed server settings.
func (c *config) finish(level, proxies, ttl string) error {
	if err := c.LogLevel.UnmarshalText([]byte(level)); err != nil {
		return fmt.Errorf("PANTAU_LOG_LEVEL / --log-level: %q is not debug, info, warn or error", level)
	}
	if c.LogFormat != "json" && c.LogFormat != "text" {
		return fmt.Errorf("PANTAU_LOG_FORMAT / --log-format: %q is not json or text", c.LogFormat)
	}
	d, err := time.ParseDuration(ttl)
	if err != nil || d < time.Minute {
		return fmt.Errorf("PANTAU_SESSION_TTL / --session-ttl: %q is not a duration of a minute or more (e.g. 12h)", ttl)
	}
	c.SessionTTL = d
	for _, p := range strings.Split(proxies, ",") {
		if p = strings.TrimSpace(p); p != "" {
			c.TrustedProxies = append(c.TrustedProxies, p)
		}
	}
	if (c.AdminEmail == "") != (c.AdminPassword == "") {
		return fmt.Errorf("PANTAU_ADMIN_EMAIL and PANTAU_ADMIN_PASSWORD must be set together")
	}
	if c.AdminPassword != "" && len([]rune(c.AdminPassword)) < models.MinPasswordLength {
		return fmt.Errorf("PANTAU_ADMIN_PASSWORD must have at least %d characters", models.MinPasswordLength)
	}
	if err := c.checkPublicURL(); err != nil {
		return err
	}
	if c.TSAURL != "" && c.TSAURL != "local" {
		if u, err := url.Parse(c.TSAURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("PANTAU_TSA_URL / --tsa-url: %q is not an http:// or https:// address, nor \"local\"", c.TSAURL)
		}
	}
	return c.validate()
}

// validate checks the shared settings.
func (c *config) validate() error {
	if c.DatabaseURL != "" && !strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://") {
		return fmt.Errorf("DATABASE_URL must start with postgres:// or postgresql://")
	}
	if c.DataDir == "" {
		return fmt.Errorf("PANTAU_DATA_DIR must not be empty")
	}
	if c.MaxUploadMB < 1 || c.MaxUploadMB > 1024 {
		return fmt.Errorf("PANTAU_MAX_UPLOAD_MB / --max-upload-mb must be a whole number from 1 to 1024")
	}
	if c.CADir == "" {
		c.CADir = filepath.Join(c.DataDir, "ca")
	}
	if c.EvidenceDir == "" {
		c.EvidenceDir = filepath.Join(c.DataDir, "evidence")
	}
	return nil
}

// open connects to the configured database.
func (c *config) open(log *slog.Logger) (*models.DB, error) {
	return models.Open(models.Options{DatabaseURL: c.DatabaseURL, DataDir: c.DataDir, Logger: log})
}

func (c *config) blobs() *models.BlobStore {
	return &models.BlobStore{Dir: c.EvidenceDir, MaxSize: c.MaxUploadMB << 20}
}

// publicURLFlag registers the address people reach Pantau at, under which printed documents'
// QR codes point (…/verify/CODE).
func (c *config) publicURLFlag(fs *flag.FlagSet, getenv func(string) string) {
	fs.StringVar(&c.PublicURL, "public-url", env(getenv, "PANTAU_PUBLIC_URL", documents.DefaultPublicURL),
		"public address of Pantau, printed in documents' QR codes (env PANTAU_PUBLIC_URL)")
}

// checkPublicURL accepts an absolute http or https address.
func (c *config) checkPublicURL() error {
	u, err := url.Parse(c.PublicURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("PANTAU_PUBLIC_URL / --public-url: %q is not an http:// or https:// address", c.PublicURL)
	}
	c.PublicURL = strings.TrimRight(c.PublicURL, "/")
	return nil
}
