package main

import (
	"flag"
	"fmt"
	"log/slog"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/pantau-id/pantau/documents"
	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/notify"
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
	// Bounds on concurrent work (0: the default) and the orphan sweep (0: off).
	Argon2Slots, VerifySlots, ReportSlots, UploadSlots int
	VerifyMemoryMB                                     int
	SweepInterval                                      time.Duration
	// Who may read /metrics.
	MetricsToken     string
	MetricsAddresses []string
	// SMTPURL and MailFrom say where e-mail goes and from whom; none is sent without SMTPURL.
	SMTPURL, MailFrom string
	// SMTP is SMTPURL parsed (nil when unset).
	SMTP *notify.SMTP
	// SecretKey, when set, seals the CA directory's files in the database so that every
	// instance sharing it signs with one CA (models.DB.ShareFiles).
	SecretKey string
	// S3Config and S3: the bucket files are kept in (storage.go); nil keeps them in directories.
	S3Config models.S3Config
	S3       *models.S3Bucket
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
	c.S3Config = s3Settings(getenv)
	fs.Int64Var(&c.MaxUploadMB, "max-upload-mb", 20, "largest evidence upload in MiB (env PANTAU_MAX_UPLOAD_MB)")
	if v := getenv("PANTAU_MAX_UPLOAD_MB"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			n = -1 // rejected by validate with a clear message
		}
		c.MaxUploadMB = n
	}
}

// envInt reads a whole-number setting; a value that is not one becomes -1, which the
// validation refuses with a clear message.
func envInt(getenv func(string) string, name string, def int) int {
	v := getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		return -1
	}
	return n
}

// serveFlags registers the settings only the server uses.
func (c *config) serveFlags(fs *flag.FlagSet, getenv func(string) string) (level, proxies, ttl *string) {
	fs.StringVar(&c.Addr, "addr", env(getenv, "PANTAU_ADDR", ":8080"), "listen address (env PANTAU_ADDR)")
	c.AdminEmail = env(getenv, "PANTAU_ADMIN_EMAIL", "")
	c.AdminPassword = env(getenv, "PANTAU_ADMIN_PASSWORD", "")
	c.DemoPassword = env(getenv, "PANTAU_DEMO_PASSWORD", "")
	c.SecretKey = env(getenv, "PANTAU_SECRET_KEY", "")
	level = fs.String("log-level", env(getenv, "PANTAU_LOG_LEVEL", "info"), "debug, info, warn or error (env PANTAU_LOG_LEVEL)")
	fs.StringVar(&c.LogFormat, "log-format", env(getenv, "PANTAU_LOG_FORMAT", "json"), "json or text (env PANTAU_LOG_FORMAT)")
	fs.BoolVar(&c.SecureCookies, "secure-cookies", env(getenv, "PANTAU_SECURE_COOKIES", "false") == "true", "mark cookies Secure; set behind HTTPS (env PANTAU_SECURE_COOKIES)")
	proxies = fs.String("trusted-proxies", env(getenv, "PANTAU_TRUSTED_PROXIES", ""), "comma-separated proxy addresses whose X-Forwarded-For is trusted (env PANTAU_TRUSTED_PROXIES)")
	ttl = fs.String("session-ttl", env(getenv, "PANTAU_SESSION_TTL", "12h"), "how long a sign-in lasts (env PANTAU_SESSION_TTL)")
	fs.BoolVar(&c.Migrate, "migrate", env(getenv, "PANTAU_MIGRATE", "true") == "true", "apply pending migrations at start; with false, refuse to start on a stale schema (env PANTAU_MIGRATE)")
	c.publicURLFlag(fs, getenv)
	fs.StringVar(&c.TSAURL, "tsa-url", env(getenv, "PANTAU_TSA_URL", ""), "RFC 3161 time-stamping authority for signatures (PAdES B-T): an http(s) URL, or \"local\" for the installation's own; empty signs without timestamps (env PANTAU_TSA_URL)")
	c.tsaCAFlag(fs, getenv)
	c.limitFlags(fs, getenv)
	c.mailFlags(fs, getenv)
	return level, proxies, ttl
}

// mailFlags registers the e-mail settings.
func (c *config) mailFlags(fs *flag.FlagSet, getenv func(string) string) {
	fs.StringVar(&c.SMTPURL, "smtp-url", env(getenv, "PANTAU_SMTP_URL", ""),
		"SMTP server for e-mail: smtp://[user:pass@]host[:port] (STARTTLS when offered) or smtps://… (TLS); empty sends no e-mail (env PANTAU_SMTP_URL, or PANTAU_SMTP_URL_FILE naming a file that holds it)")
	fs.StringVar(&c.MailFrom, "mail-from", env(getenv, "PANTAU_MAIL_FROM", ""), "sender address of e-mail, e.g. \"Pantau <pantau@example.go.id>\" (env PANTAU_MAIL_FROM)")
}

// checkMail parses the e-mail settings.
func (c *config) checkMail() error {
	if c.SMTPURL == "" {
		return nil
	}
	if _, err := mail.ParseAddress(c.MailFrom); err != nil {
		return fmt.Errorf("PANTAU_MAIL_FROM / --mail-from: %q is not an e-mail address (needed with PANTAU_SMTP_URL)", c.MailFrom)
	}
	s, err := notify.ParseSMTPURL(c.SMTPURL, c.MailFrom)
	if err != nil {
		return fmt.Errorf("PANTAU_SMTP_URL / --smtp-url: %w", err)
	}
	c.SMTP = s
	return nil
}

// tsaCAFlag registers the file of roots trusted for timestamps.
func (c *config) tsaCAFlag(fs *flag.FlagSet, getenv func(string) string) {
	fs.StringVar(&c.TSACAFile, "tsa-ca", env(getenv, "PANTAU_TSA_CA_FILE", ""), "PEM file of the time-stamping authority's root certificate(s), trusted when verifying (env PANTAU_TSA_CA_FILE)")
}

// limitFlags registers the bounds on concurrent work, the orphan sweep and access to /metrics.
func (c *config) limitFlags(fs *flag.FlagSet, getenv func(string) string) {
	fs.IntVar(&c.Argon2Slots, "argon2-slots", envInt(getenv, "PANTAU_ARGON2_SLOTS", 0),
		"argon2id threads (password checks, signing key unlocks) running at once; 0 means GOMAXPROCS, at least 2; beyond a 2 s wait → 503 (env PANTAU_ARGON2_SLOTS)")
	fs.IntVar(&c.VerifySlots, "verify-slots", envInt(getenv, "PANTAU_VERIFY_SLOTS", 0),
		"public file checks (POST /api/v1/verify) read and parsed at once; 0 means GOMAXPROCS (env PANTAU_VERIFY_SLOTS)")
	fs.IntVar(&c.ReportSlots, "report-slots", envInt(getenv, "PANTAU_REPORT_SLOTS", 0),
		"progress reports generated at once; 0 means GOMAXPROCS (env PANTAU_REPORT_SLOTS)")
	fs.IntVar(&c.VerifyMemoryMB, "verify-memory-mb", envInt(getenv, "PANTAU_VERIFY_MEMORY_MB", 0),
		"MiB of uploaded files the public file checks hold at once, however many slots; 0 means 64 (env PANTAU_VERIFY_MEMORY_MB)")
	fs.IntVar(&c.UploadSlots, "upload-slots", envInt(getenv, "PANTAU_UPLOAD_SLOTS", 0),
		"evidence uploads received at once; 0 means 16 (env PANTAU_UPLOAD_SLOTS)")
	every, err := time.ParseDuration(env(getenv, "PANTAU_SWEEP_INTERVAL", "1h"))
	if err != nil {
		every = -1 // refused by validateLimits
	}
	fs.DurationVar(&c.SweepInterval, "sweep-interval", every,
		"how often unreferenced evidence and document files older than an hour are removed (also at start); 0 turns it off (env PANTAU_SWEEP_INTERVAL)")
	c.MetricsToken = env(getenv, "PANTAU_METRICS_TOKEN", "")
	addresses := func(list string) error {
		c.MetricsAddresses = nil
		for _, a := range strings.Split(list, ",") {
			if a = strings.TrimSpace(a); a != "" {
				c.MetricsAddresses = append(c.MetricsAddresses, a)
			}
		}
		return nil
	}
	addresses(env(getenv, "PANTAU_METRICS_ADDRESSES", ""))
	fs.Func("metrics-addresses", "comma-separated client addresses or CIDR prefixes that may read /metrics without the token (env PANTAU_METRICS_ADDRESSES)", addresses)
}

// validateLimits checks the bounds on work and the sweep interval.
func (c *config) validateLimits() error {
	for _, s := range []struct {
		name string
		n    int
	}{{"PANTAU_ARGON2_SLOTS / --argon2-slots", c.Argon2Slots}, {"PANTAU_VERIFY_SLOTS / --verify-slots", c.VerifySlots},
		{"PANTAU_REPORT_SLOTS / --report-slots", c.ReportSlots}, {"PANTAU_UPLOAD_SLOTS / --upload-slots", c.UploadSlots},
		{"PANTAU_VERIFY_MEMORY_MB / --verify-memory-mb", c.VerifyMemoryMB}} {
		if s.n < 0 || s.n > 1024 {
			return fmt.Errorf("%s must be a whole number from 0 (the default) to 1024", s.name)
		}
	}
	if c.SweepInterval < 0 || (c.SweepInterval > 0 && c.SweepInterval < time.Minute) {
		return fmt.Errorf("PANTAU_SWEEP_INTERVAL / --sweep-interval must be 0 (off) or a duration of a minute or more (e.g. 1h)")
	}
	return nil
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
	if c.SecretKey != "" && len(c.SecretKey) < models.MinSharedKeyLen {
		return fmt.Errorf("PANTAU_SECRET_KEY must have at least %d characters (e.g. openssl rand -base64 32)", models.MinSharedKeyLen)
	}
	if err := c.checkPublicURL(); err != nil {
		return err
	}
	if c.TSAURL != "" && c.TSAURL != "local" {
		if u, err := url.Parse(c.TSAURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("PANTAU_TSA_URL / --tsa-url: %q is not an http:// or https:// address, nor \"local\"", c.TSAURL)
		}
	}
	if err := c.validateLimits(); err != nil {
		return err
	}
	if err := c.checkMail(); err != nil {
		return err
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
	return c.openBucket()
}

// openValid checks the shared settings, then connects to the configured database: the start of
// every command that only reads or fills it (audit, backup, restore).
func (c *config) openValid() (*models.DB, error) {
	if err := c.validate(); err != nil {
		return nil, err
	}
	return c.open(nil)
}

// open connects to the configured database.
func (c *config) open(log *slog.Logger) (*models.DB, error) {
	return models.Open(models.Options{DatabaseURL: c.DatabaseURL, DataDir: c.DataDir, Logger: log})
}

// blobs is the store of evidence and reports.
func (c *config) blobs() *models.BlobStore {
	return c.store("evidence", c.EvidenceDir, c.MaxUploadMB<<20)
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
