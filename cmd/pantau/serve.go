package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/pantau-id/pantau/api"
	"github.com/pantau-id/pantau/frontend"
	"github.com/pantau-id/pantau/jobs"
	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/notify"
)

func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var cfg config
	fs := newFlags("serve", "Run the Pantau web server (API, metrics and health checks).\n\n"+
		"/metrics answers only the addresses in --metrics-addresses and scrapers that send\n"+
		"\"Authorization: Bearer <token>\" with the token in PANTAU_METRICS_TOKEN (a secret: set it in the\n"+
		"environment or name a file holding it in PANTAU_METRICS_TOKEN_FILE, never on the command line).", stderr)
	cfg.dbFlags(fs, getenv)
	level, proxies, ttl := cfg.serveFlags(fs, getenv)
	withDemo := fs.Bool("demo", false, "load the demo data set when the database is empty, and show the demo logins")
	jobCfg := jobFlags(fs, getenv)
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := cfg.finish(*level, *proxies, *ttl); err != nil {
		return err
	}
	if err := jobCfg.check(); err != nil {
		return err
	}
	log := newLogger(&cfg, stderr)
	db, err := cfg.open(log)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := prepareSchema(ctx, &cfg, db, log); err != nil {
		return err
	}
	if err := bootstrap(ctx, &cfg, db, *withDemo, stdout, log); err != nil {
		return err
	}
	policy := models.DefaultLoginPolicy
	policy.SessionTTL = cfg.SessionTTL
	signing, tokens, err := openKeys(ctx, &cfg, db)
	if err != nil {
		return err
	}
	models.LimitKeyDerivation(cfg.Argon2Slots, 0)
	blobs := cfg.blobs()
	db.MailOutbox = cfg.SMTP != nil
	srv, handler, err := api.New(db, blobs, log, policy, api.Options{SecureCookies: cfg.SecureCookies, TrustedProxies: cfg.TrustedProxies, UI: uiHandler(), PublicURL: cfg.PublicURL,
		Tokens:  tokens,
		Signing: signing, MetricsToken: cfg.MetricsToken, MetricsAddresses: cfg.MetricsAddresses,
		Limits: api.Limits{Verify: cfg.VerifySlots, VerifyMemory: int64(cfg.VerifyMemoryMB) << 20, Reports: cfg.ReportSlots, Uploads: cfg.UploadSlots}})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Pantau is running on %s (database: %s)\n", displayURL(ln.Addr()), db.Dialect)
	if !frontend.Built() {
		fmt.Fprintln(stdout, "The web app is not part of this binary: run \"make build\" to include it.")
	}
	log.Info("listening", "addr", ln.Addr().String(), "database", string(db.Dialect), "version", version)
	bgCtx, stopBackground := context.WithCancel(ctx)
	defer stopBackground()
	go db.Follow(bgCtx, log)
	// One instance among those sharing the database seals the audit trail and sweeps; timed
	// work (reminders, digests) is the job queue's.
	go db.Lead(bgCtx, "housekeeping", 5*time.Second, log, func(ctx context.Context) {
		log.Info("leading the housekeeping: sealing the audit trail, sweeping files")
		if cfg.SweepInterval > 0 {
			go sweep(ctx, db, cfg.SweepInterval, log, blobs, signing.Documents)
		}
		db.RunSealer(ctx, time.Second, log)
	})
	if cfg.SMTP != nil {
		outbox := &notify.Outbox{DB: db, SMTP: cfg.SMTP, Renderer: &notify.Renderer{PublicURL: cfg.PublicURL, Tokens: tokens}, Log: log, Pace: jobCfg.pace()}
		go outbox.Run(bgCtx)
		log.Info("sending e-mail", "smtp", cfg.SMTP.Host, "port", cfg.SMTP.Port, "from", cfg.MailFrom)
	}
	queue, err := startJobs(bgCtx, db, jobCfg, log, srv.Metrics())
	if err != nil {
		return err
	}
	defer func() {
		stop, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := queue.Stop(stop); err != nil {
			log.Warn("stopping the job queue", "err", err)
		}
	}()
	return listen(ctx, ln, handler, log)
}

// openKeys opens, creating what is missing, the installation's CA (and TSA) and its unsubscribe
// key. With PANTAU_SECRET_KEY set they are shared through the database, so that every instance
// on it signs with one CA.
func openKeys(ctx context.Context, cfg *config, db *models.DB) (signing *models.Signing, tokens *notify.Tokens, err error) {
	open := func() error {
		if signing, err = cfg.signing(ctx, db); err != nil {
			return err
		}
		tokens, err = notify.OpenTokens(filepath.Join(cfg.CADir, notify.TokenKeyFile))
		return err
	}
	if cfg.SecretKey == "" {
		return signing, tokens, open()
	}
	if err := db.ShareFiles(ctx, cfg.CADir, []byte(cfg.SecretKey), open); err != nil {
		return nil, nil, fmt.Errorf("sharing the CA directory %s through the database: %w", cfg.CADir, err)
	}
	return signing, tokens, nil
}

// sweep removes orphaned files from the stores at start and then every interval, until ctx ends.
func sweep(ctx context.Context, db *models.DB, every time.Duration, log *slog.Logger, stores ...*models.BlobStore) {
	for {
		for _, s := range stores {
			res, err := s.Sweep(ctx, db, models.DefaultSweepGrace)
			switch {
			case err != nil && ctx.Err() == nil:
				log.Warn("sweeping orphaned files failed", "store", s.String(), "err", err)
			case res.Files > 0:
				log.Info("removed orphaned files", "store", s.String(), "files", res.Files, "bytes", res.Bytes)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(every):
		}
	}
}

// listen serves until ctx ends, then gives requests in flight ten seconds to finish.
func listen(ctx context.Context, ln net.Listener, h http.Handler, log *slog.Logger) error {
	srv := api.NewHTTPServer(h)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func prepareSchema(ctx context.Context, cfg *config, db *models.DB, log *slog.Logger) error {
	if cfg.Migrate {
		applied, err := db.Migrate(ctx)
		if err != nil {
			return err
		}
		if len(applied) > 0 {
			log.Info("applied migrations", "versions", applied)
		}
		applied, err = jobs.Migrate(ctx, db)
		if len(applied) > 0 {
			log.Info("applied job queue migrations", "versions", applied)
		}
		return err
	}
	pending, err := db.PendingMigrations(ctx)
	if err != nil {
		return err
	}
	if len(pending) > 0 {
		return fmt.Errorf("the database schema is behind (pending migrations %v): run \"pantau migrate\" first", pending)
	}
	behind, err := jobs.Pending(ctx, db)
	if err != nil {
		return err
	}
	if behind {
		return errors.New("the job queue's tables are missing or behind: run \"pantau migrate\" first")
	}
	return nil
}

// bootstrap creates the first admin from the environment and, with --demo, loads the demo data
// into an empty database and shows the demo logins.
func bootstrap(ctx context.Context, cfg *config, db *models.DB, withDemo bool, stdout io.Writer, log *slog.Logger) error {
	n, err := db.CountUsers(ctx)
	if err != nil {
		return err
	}
	if withDemo && n == 0 {
		if err := seedDemo(ctx, cfg, db, cfg.DemoPassword, stdout); err != nil {
			return err
		}
		n = 1
	} else if withDemo {
		if b, err := os.ReadFile(demoLoginsPath(cfg)); err == nil {
			fmt.Fprint(stdout, string(b))
		}
	}
	if n == 0 && cfg.AdminEmail != "" {
		u, err := db.CreateUser(ctx, models.UserInput{Email: cfg.AdminEmail, Name: "Administrator", Role: models.RoleAdmin, Password: cfg.AdminPassword}, false)
		if err != nil {
			return fmt.Errorf("create the first admin: %w", describe(err))
		}
		log.Info("created the first admin", "email", u.Email)
	}
	return nil
}

func newLogger(cfg *config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

func displayURL(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok || tcp.IP.IsUnspecified() {
		if ok {
			return fmt.Sprintf("http://localhost:%d", tcp.Port)
		}
	}
	return "http://" + a.String()
}

// uiHandler serves the web app with the label table written into its page, and, for a browser
// that sends a session cookie, a mark saying so: the app then asks for its first screen's data
// together with the session instead of after it.
func uiHandler() http.Handler {
	return frontend.Handler(
		frontend.Inline{ID: "pantau-labels", Value: models.AllLabels()},
		frontend.Inline{ID: "pantau-session", Value: true, IfCookie: api.SessionCookie},
	)
}
