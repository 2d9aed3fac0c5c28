package models

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

// TestLostConnectionClasses: every class of error that means the database cannot serve right
// now is ErrUnavailable (which the API answers 503), however deeply wrapped; errors about the
// request itself are not. The real outages (a terminated backend, a closed pool, a cut
// connection) are driven end to end by the api package's outage and shutdown tests.
func TestLostConnectionClasses(t *testing.T) {
	lost := map[string]error{
		"57P01 admin_shutdown (fast shutdown, pg_terminate_backend)": &pgconn.PgError{Code: "57P01"},
		"57P02 crash_shutdown":                     &pgconn.PgError{Code: "57P02"},
		"57P03 cannot_connect_now (starting up)":   &pgconn.PgError{Code: "57P03"},
		"53300 too_many_connections":               &pgconn.PgError{Code: "53300"},
		"08006 connection_failure":                 &pgconn.PgError{Code: "08006"},
		"08001 unable_to_connect":                  &pgconn.PgError{Code: "08001"},
		"connection refused":                       &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED},
		"connection reset":                         fmt.Errorf("read: %w", syscall.ECONNRESET),
		"broken pipe":                              fmt.Errorf("write: %w", syscall.EPIPE),
		"unexpected EOF":                           io.ErrUnexpectedEOF,
		"bad driver connection":                    driver.ErrBadConn,
		"connection already returned":              sql.ErrConnDone,
		"closed pool":                              errors.New("sql: database is closed"),
		"deadline passed waiting for the database": context.DeadlineExceeded,
	}
	for name, err := range lost {
		wrapped := fmt.Errorf("query items: %w", err)
		if got := translate(wrapped); !errors.Is(got, ErrUnavailable) {
			t.Errorf("%s: %v is not ErrUnavailable", name, got)
		} else if !errors.Is(got, err) {
			t.Errorf("%s: the cause was lost: %v", name, got)
		}
	}
	for name, err := range map[string]error{
		"23505 unique_violation":      &pgconn.PgError{Code: "23505"},
		"22021 invalid byte sequence": &pgconn.PgError{Code: "22021"},
		"40001 serialization_failure": &pgconn.PgError{Code: "40001"},
		"57014 query_canceled":        &pgconn.PgError{Code: "57014"},
		"a plain error":               errors.New("something else"),
	} {
		if errors.Is(translate(err), ErrUnavailable) {
			t.Errorf("%s is taken for a lost connection", name)
		}
	}
}
