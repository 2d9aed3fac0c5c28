package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Dialect names the database engine in use.
type Dialect string

// The two supported engines.
const (
	Postgres Dialect = "postgres"
	SQLite   Dialect = "sqlite"
)

// DB is Pantau's handle on its database: a GORM connection plus what the store needs to know
// about it. All reads and writes of domain data go through its methods.
type DB struct {
	conn    *gorm.DB
	Dialect Dialect
	// Now is the clock; tests replace it.
	Now func() time.Time
	// writes counts committed writes made through this process; caches compare it.
	writes atomic.Int64
	// writer lines up this process's SQLite write transactions in Go, where waiting is cheap,
	// instead of in SQLite's busy handler, which sleeps with back-off; group gathers those
	// waiting, to commit together.
	writer sync.Mutex
	group  writeGroup
	// chainOff skips the audit chain; only benchmarks set it (export_test.go), to measure its cost.
	chainOff bool
	// sealNow wakes RunSealer after a commit.
	sealNow chan struct{}
	// catalogues keeps each period's scorer for the standings' roll-up.
	catalogues catalogueCache
	// standings keeps decoded standings for summaries (see cachedStandingsOf).
	standings standingCache
	// leaves keeps the regions' leaf values that writes restate from (see restateItem).
	leaves leafCache
	// feed tells other instances of this process's writes, and this process of theirs (Follow).
	feed *changeFeed
	// url is the PostgreSQL connection string, for Follow's and Lead's own connections.
	url string
	// followers counts Follow's live connections.
	followers atomic.Int32
	// MailOutbox makes notifications that are e-mailed also write an outbox row for the
	// sender (notify.Outbox); serve sets it when PANTAU_SMTP_URL is set. Set it before use.
	MailOutbox bool
}

// Options say which database to open.
type Options struct {
	// DatabaseURL selects PostgreSQL when set (postgres://…).
	DatabaseURL string
	// DataDir holds the SQLite file when DatabaseURL is empty.
	DataDir string
	// Logger receives slow-query warnings; nil discards them.
	Logger *slog.Logger
}

// Open connects to PostgreSQL or opens the embedded SQLite database.
func Open(opts Options) (*DB, error) {
	cfg := &gorm.Config{
		TranslateError: true,
		Logger:         gormLogger(opts.Logger),
		NowFunc:        func() time.Time { return time.Now().UTC() },
	}
	var (
		g       *gorm.DB
		err     error
		dialect Dialect
	)
	if opts.DatabaseURL != "" {
		dialect = Postgres
		g, err = gorm.Open(postgres.Open(opts.DatabaseURL), cfg)
	} else {
		dialect = SQLite
		if err := os.MkdirAll(opts.DataDir, 0o750); err != nil {
			return nil, fmt.Errorf("create data directory: %w", err)
		}
		var dialector gorm.Dialector
		if dialector, err = SQLiteDialector(filepath.Join(opts.DataDir, "pantau.db")); err != nil {
			return nil, err
		}
		g, err = gorm.Open(dialector, cfg)
	}
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", dialect, err)
	}
	if err := g.Use(unavailablePlugin{}); err != nil {
		return nil, err
	}
	sqlDB, err := g.DB()
	if err != nil {
		return nil, err
	}
	tunepool(sqlDB, dialect)
	db := &DB{conn: g, Dialect: dialect, Now: func() time.Time { return time.Now().UTC() }, sealNow: make(chan struct{}, 1),
		feed: newChangeFeed(), url: opts.DatabaseURL}
	if dialect == Postgres {
		if db.feed.channel, err = changesChannel(g); err != nil {
			return nil, err
		}
	}
	return db, nil
}

func tunepool(db *sql.DB, d Dialect) {
	if d == SQLite {
		// One writer at a time is SQLite's rule; a few connections let reads proceed in WAL mode.
		db.SetMaxOpenConns(4)
		db.SetMaxIdleConns(4)
		return
	}
	db.SetMaxOpenConns(20)
	db.SetMaxIdleConns(10)
	db.SetConnMaxIdleTime(5 * time.Minute)
}

// slowQuery is how long a query may take before it is logged.
const slowQuery = 500 * time.Millisecond

func gormLogger(l *slog.Logger) logger.Interface {
	if l == nil {
		return logger.Discard
	}
	return quietLogger{Interface: logger.NewSlogLogger(l, logger.Config{SlowThreshold: slowQuery, IgnoreRecordNotFoundError: true,
		LogLevel: logger.Warn, ParameterizedQueries: true}), level: logger.Warn}
}

// quietLogger hands GORM's slog logger only the queries it logs at its level: at Warn, errors
// and slow queries. GORM's logger formats every query's SQL before deciding, a few per cent of
// a write's CPU.
type quietLogger struct {
	logger.Interface
	level logger.LogLevel
}

// LogMode returns the logger at another level (GORM's Debug asks for Info: every query).
func (q quietLogger) LogMode(level logger.LogLevel) logger.Interface {
	return quietLogger{Interface: q.Interface.LogMode(level), level: level}
}

// Trace passes a query on when the level logs every query, or when it failed (a missing
// record is no failure) or was slow.
func (q quietLogger) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	if q.level < logger.Info && (err == nil || errors.Is(err, gorm.ErrRecordNotFound)) && time.Since(begin) <= slowQuery {
		return
	}
	q.Interface.Trace(ctx, begin, fc, err)
}

// Ping checks that the database answers within the context's deadline.
func (db *DB) Ping(ctx context.Context) error {
	sqlDB, err := db.conn.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

// Close closes the connection pool.
func (db *DB) Close() error {
	sqlDB, err := db.conn.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// Writes returns how many write transactions this process has committed.
func (db *DB) Writes() int64 { return db.writes.Load() }

// tx runs fn in a transaction, appends the changes fn recorded with audit to the audit chain
// as the transaction's last step, and counts the commit. A transaction that PostgreSQL aborts
// to break a deadlock or a serialization conflict is run again, a few times: the caller sent
// nothing stale, so the change is applied to the state as it now is. On SQLite, writes waiting
// for the single writer commit together (see writeGroup).
func (db *DB) tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	if db.Dialect == SQLite {
		return db.txGrouped(ctx, fn)
	}
	for attempt := 1; ; attempt++ {
		err := db.txOnce(ctx, fn)
		if attempt == 4 || !mustRetry(err) {
			return err
		}
	}
}

// mustRetry reports PostgreSQL's deadlock and serialization failures.
func mustRetry(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && (pgErr.Code == "40P01" || pgErr.Code == "40001")
}

func (db *DB) txOnce(ctx context.Context, fn func(tx *gorm.DB) error) error {
	p := &pending{}
	err := db.conn.WithContext(context.WithValue(ctx, pendingKey{}, p)).Transaction(func(tx *gorm.DB) error {
		return db.write(ctx, tx, fn, p)
	})
	if err != nil {
		// A catalogue read inside the failed transaction may have been cached; forget it.
		db.catalogues.reset()
		return translate(err)
	}
	return db.afterCommit(ctx, p)
}

// write runs fn in tx, whose context carries p, and appends the changes fn recorded to the
// audit trail, in the same transaction.
func (db *DB) write(ctx context.Context, tx *gorm.DB, fn func(tx *gorm.DB) error, p *pending) error {
	if err := fn(tx); err != nil {
		return err
	}
	return db.appendAudit(ctx, tx, p)
}

// afterCommit counts a committed write and tells of its changes. The change is committed
// whatever publish answers: an error says other instances may not have heard of it.
func (db *DB) afterCommit(ctx context.Context, p *pending) error {
	db.committed(p)
	return translate(db.publish(ctx, p.announced))
}

// wakeSealer asks RunSealer to seal now.
func (db *DB) wakeSealer() {
	select {
	case db.sealNow <- struct{}{}:
	default: // a wake-up is already pending
	}
}

// snapshot runs fn in a read-only transaction that sees one state of the database throughout:
// repeatable read on PostgreSQL; on SQLite a deferred transaction, whose snapshot is fixed by
// its first read and which never takes the write lock.
func (db *DB) snapshot(ctx context.Context, fn func(q *gorm.DB) error) error {
	opts := &sql.TxOptions{ReadOnly: true}
	if db.Dialect == Postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	return translate(db.conn.WithContext(ctx).Transaction(fn, opts))
}

// read returns a GORM session for reads bound to ctx.
func (db *DB) read(ctx context.Context) *gorm.DB { return db.conn.WithContext(ctx) }
