package models

import (
	"context"
	"database/sql/driver"
	"log/slog"
	"time"
)

// leaderLockSpace is the first key of the session-level advisory locks that elect leaders (the
// second is the hash of the schema and the leadership's name: installations in other schemas of
// the database elect their own); see also attemptLockSpace.
const leaderLockSpace = 7261130

// Lead runs fn while this process leads the named work among the instances that share the
// database, and returns when ctx ends. On PostgreSQL the leader is whoever holds a session-level
// advisory lock on a connection of its own; the others try again every retry and take over
// when the leader's connection ends (its process died or lost the database). fn's context ends
// when leadership is lost; fn should then return. A leader whose connection died while its
// process lives learns it at its next check, within twice retry (a check every retry, whose
// ping has retry to answer); so an instance taking over from a leader waits three times retry
// before it runs fn, and the two never work at once. On SQLite, one process owns the database, and fn simply runs.
func (db *DB) Lead(ctx context.Context, name string, retry time.Duration, log *slog.Logger, fn func(ctx context.Context)) {
	if db.Dialect != Postgres {
		fn(ctx)
		return
	}
	followed := false // whether another instance led when this one last tried
	for ctx.Err() == nil {
		wait := time.Duration(0)
		if followed {
			wait = 3 * retry
		}
		led, err := db.leadOnce(ctx, name, retry, wait, fn)
		followed = !led && err == nil
		if err != nil && ctx.Err() == nil && log != nil {
			log.Warn("leadership lost or not reached; will try again", "work", name, "err", err)
		}
		if led && log != nil && ctx.Err() == nil {
			log.Info("no longer leading", "work", name)
		}
		select {
		case <-ctx.Done():
		case <-time.After(retry):
		}
	}
}

// leadOnce tries to take the lock once; holding it, it waits for wait, then runs fn and checks
// every retry that its connection lives. led says whether it took the lock.
func (db *DB) leadOnce(ctx context.Context, name string, retry, wait time.Duration, fn func(ctx context.Context)) (led bool, err error) {
	pool, err := db.conn.DB()
	if err != nil {
		return false, err
	}
	conn, err := pool.Conn(ctx)
	if err != nil {
		return false, err
	}
	defer conn.Close()
	var ok bool
	if err := conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock($1, hashtext(current_schema() || '/' || $2))", leaderLockSpace, name).Scan(&ok); err != nil {
		return false, err
	}
	if !ok {
		return false, nil
	}
	// The lock belongs to this connection: closing it (below, or by the process dying) frees it.
	defer conn.Raw(func(any) error { return driver.ErrBadConn }) // never return it to the pool
	leadCtx, stop := context.WithCancel(ctx)
	defer stop()
	lost := make(chan error, 1)
	go func() {
		t := time.NewTicker(retry)
		defer t.Stop()
		for {
			select {
			case <-leadCtx.Done():
				return
			case <-t.C:
				pingCtx, cancel := context.WithTimeout(leadCtx, retry)
				err := conn.PingContext(pingCtx)
				cancel()
				if err != nil && leadCtx.Err() == nil {
					lost <- err
					stop()
					return
				}
			}
		}
	}()
	select {
	case <-leadCtx.Done(): // ended, or the connection died while waiting
	case <-time.After(wait):
		fn(leadCtx)
	}
	stop()
	select {
	case err = <-lost:
	default:
	}
	return true, err
}

// exclusively runs fn while no other instance sharing the database runs an exclusively of the
// same name: on PostgreSQL under a session-level advisory lock on a connection of its own; on
// SQLite, which one process owns, fn simply runs.
func (db *DB) exclusively(ctx context.Context, name string, fn func() error) error {
	if db.Dialect != Postgres {
		return fn()
	}
	pool, err := db.conn.DB()
	if err != nil {
		return err
	}
	conn, err := pool.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1, hashtext(current_schema() || '/' || $2))", leaderLockSpace, name); err != nil {
		return err
	}
	defer conn.Raw(func(any) error { return driver.ErrBadConn }) // closing the connection frees the lock
	return fn()
}
