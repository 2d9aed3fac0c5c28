package models

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"sort"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"
)

// Sentinel errors. The api package maps them to HTTP statuses.
var (
	// ErrNotFound: the thing asked for does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict: a duplicate, or a stale version.
	ErrConflict = errors.New("conflict")
	// ErrForbidden: the actor may not do this to this thing.
	ErrForbidden = errors.New("forbidden")
	// ErrUnavailable: the database cannot be reached right now (a lost or refused connection,
	// a server shutting down, a closed pool); trying again later may succeed. Errors of that
	// kind are wrapped so that errors.Is(err, ErrUnavailable) holds.
	ErrUnavailable = errors.New("database unavailable")
)

// ForbiddenError is ErrForbidden with its reason, a message key ("own_claim", "region_scope").
type ForbiddenError struct{ Reason string }

func (e *ForbiddenError) Error() string { return "forbidden: " + e.Reason }

// Is makes errors.Is(err, ErrForbidden) hold for every ForbiddenError.
func (e *ForbiddenError) Is(target error) bool { return target == ErrForbidden }

// Forbidden returns a ForbiddenError with the given reason.
func Forbidden(reason string) error { return &ForbiddenError{Reason: reason} }

// ConflictError is ErrConflict with what refused the change: a state the API names in its
// error code ("period_closed"), or a reason that only picks the message ("already_signed").
type ConflictError struct{ Code, Reason string }

func (e *ConflictError) Error() string { return "conflict: " + e.Code + e.Reason }

// Is makes errors.Is(err, ErrConflict) hold for every ConflictError.
func (e *ConflictError) Is(target error) bool { return target == ErrConflict }

// ValidationError says which fields of an input are invalid. Each value is a message key
// (e.g. "required", "out_of_range") that the api package turns into words.
type ValidationError struct {
	Fields map[string]string
}

func (e *ValidationError) Error() string {
	keys := make([]string, 0, len(e.Fields))
	for k, v := range e.Fields {
		keys = append(keys, k+": "+v)
	}
	sort.Strings(keys)
	return "validation failed: " + strings.Join(keys, ", ")
}

// Invalid returns a ValidationError for one field.
func Invalid(field, key string) error {
	return &ValidationError{Fields: map[string]string{field: key}}
}

// fieldErrors collects validation problems; err returns nil when there are none.
type fieldErrors map[string]string

func (f fieldErrors) add(field, key string) {
	if _, ok := f[field]; !ok {
		f[field] = key
	}
}

func (f fieldErrors) err() error {
	if len(f) == 0 {
		return nil
	}
	return &ValidationError{Fields: f}
}

// translate maps driver-level errors to the package's sentinels.
func translate(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		return ErrNotFound
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return ErrConflict
	}
	return markUnavailable(err)
}

// markUnavailable wraps err with ErrUnavailable when it means the database cannot be reached.
func markUnavailable(err error) error {
	if err == nil || errors.Is(err, ErrUnavailable) || !lostConnection(err) {
		return err
	}
	return fmt.Errorf("%w: %w", ErrUnavailable, err)
}

// lostConnection reports every class of error that means the database cannot serve right now:
// PostgreSQL's connection exceptions (SQLSTATE class 08), its shutdowns (57P01 admin_shutdown
// — a fast shutdown or pg_terminate_backend —, 57P02 crash_shutdown, 57P03 cannot_connect_now),
// too many connections (53300), refused, reset or dropped connections, a pool closed while
// the server stops, and a deadline that passed while waiting for the database.
func lostConnection(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "57P01", "57P02", "57P03", "53300":
			return true
		}
		return strings.HasPrefix(pgErr.Code, "08")
	}
	var netErr *net.OpError
	var connErr *pgconn.ConnectError
	return errors.As(err, &netErr) || errors.As(err, &connErr) ||
		errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, net.ErrClosed) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) ||
		errors.Is(err, context.DeadlineExceeded) || pgconn.SafeToRetry(err) || pgconn.Timeout(err) ||
		strings.Contains(err.Error(), "sql: database is closed") // database/sql's errDBClosed is not exported
}

// unavailablePlugin marks lost-connection errors on every GORM operation, so that statements
// whose errors are returned as they are still say ErrUnavailable.
type unavailablePlugin struct{}

func (unavailablePlugin) Name() string { return "pantau:unavailable" }

func (unavailablePlugin) Initialize(g *gorm.DB) error {
	mark := func(tx *gorm.DB) { tx.Error = markUnavailable(tx.Error) }
	cb := g.Callback()
	for _, err := range []error{
		cb.Create().After("*").Register("pantau:unavailable", mark),
		cb.Query().After("*").Register("pantau:unavailable", mark),
		cb.Update().After("*").Register("pantau:unavailable", mark),
		cb.Delete().After("*").Register("pantau:unavailable", mark),
		cb.Row().After("*").Register("pantau:unavailable", mark),
		cb.Raw().After("*").Register("pantau:unavailable", mark),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}
