package api

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strconv"
	"testing"
	"time"
)

// TestMetricsOfThePool reads the database pool's figures from /metrics while every connection
// is held and a query waits for one: open and in use at the limit, none idle, and the wait
// counted and timed once it is served.
func TestMetricsOfThePool(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		e.reopen(Options{MetricsToken: "token-pemantauan-rahasia"})
		pool, err := e.db.SQL()
		if err != nil {
			t.Fatal(err)
		}
		metric := func(name string) float64 {
			t.Helper()
			body := e.mustOK(e.raw("GET", "/metrics", "", map[string]string{"Authorization": "Bearer token-pemantauan-rahasia"})).Body
			m := regexp.MustCompile(fmt.Sprintf(`(?m)^go_sql_%s\{db_name="%s"\} (\S+)$`, name, e.db.Dialect)).FindSubmatch(body)
			if m == nil {
				t.Fatalf("no go_sql_%s for %s in /metrics", name, e.db.Dialect)
			}
			v, _ := strconv.ParseFloat(string(m[1]), 64)
			return v
		}
		limit := pool.Stats().MaxOpenConnections
		if got := metric("max_open_connections"); got != float64(limit) || limit == 0 {
			t.Fatalf("max_open_connections %v, the pool's limit is %d", got, limit)
		}
		ctx := context.Background()
		var held []*sql.Conn
		for range limit {
			c, err := pool.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			held = append(held, c)
		}
		if open, inUse, idle := metric("open_connections"), metric("in_use_connections"), metric("idle_connections"); open != float64(limit) || inUse != float64(limit) || idle != 0 {
			t.Fatalf("all %d held: open %v, in use %v, idle %v", limit, open, inUse, idle)
		}
		waited := make(chan error, 1)
		go func() { waited <- pool.QueryRowContext(ctx, "SELECT 1").Scan(new(int)) }()
		for deadline := time.Now().Add(5 * time.Second); pool.Stats().WaitCount == 0 && time.Now().Before(deadline); {
			time.Sleep(5 * time.Millisecond)
		}
		time.Sleep(20 * time.Millisecond)
		for _, c := range held {
			c.Close()
		}
		if err := <-waited; err != nil {
			t.Fatal(err)
		}
		if n, d := metric("wait_count_total"), metric("wait_duration_seconds_total"); n < 1 || d < 0.02 {
			t.Fatalf("after a query waited: wait_count_total %v, wait_duration_seconds_total %v", n, d)
		}
		if inUse, idle := metric("in_use_connections"), metric("idle_connections"); inUse != 0 || idle < 1 {
			t.Fatalf("all released: in use %v, idle %v", inUse, idle)
		}
	})
}
