package models

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// TestQueryLogKeepsFailuresAndSlowQueries: the query log names failed and slow queries, and
// every query once asked to (GORM's Debug), but no fast query that succeeded or found nothing.
func TestQueryLogKeepsFailuresAndSlowQueries(t *testing.T) {
	var buf bytes.Buffer
	l := gormLogger(slog.New(slog.NewTextHandler(&buf, nil)))
	ctx := context.Background()
	query := func(sql string) func() (string, int64) { return func() (string, int64) { return sql, 1 } }
	l.Trace(ctx, time.Now(), query("SELECT fast"), nil)
	l.Trace(ctx, time.Now(), query("SELECT missing"), gorm.ErrRecordNotFound)
	if buf.Len() != 0 {
		t.Fatalf("logged a fast query that succeeded or found nothing: %s", buf.String())
	}
	l.Trace(ctx, time.Now().Add(-time.Second), query("SELECT slow"), nil)
	l.Trace(ctx, time.Now(), query("SELECT broken"), errors.New("boom"))
	l.LogMode(logger.Info).Trace(ctx, time.Now(), query("SELECT debugged"), nil)
	for _, want := range []string{"level=WARN", "SELECT slow", "level=ERROR", "SELECT broken", "boom", "level=INFO", "SELECT debugged"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("the log lacks %q:\n%s", want, buf.String())
		}
	}
}
