package jobs

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"

	"github.com/pantau-id/pantau/models"
)

// metrics are the queue's collectors: jobs finished by kind and outcome, and jobs waiting.
type metrics struct {
	finished *prometheus.CounterVec
}

// newMetrics registers pantau_jobs_finished_total{kind,outcome} (completed or failed, counted
// by this instance) and pantau_jobs_queued (jobs available, scheduled or waiting for a retry,
// across instances: one count over River's table per scrape).
func newMetrics(reg prometheus.Registerer, db *models.DB) (*metrics, error) {
	m := &metrics{finished: prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "pantau_jobs_finished_total", Help: "Background jobs this instance finished, by kind and outcome (completed, failed).",
	}, []string{"kind", "outcome"})}
	queued := prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "pantau_jobs_queued", Help: "Background jobs waiting to run (available, scheduled or retryable)."},
		func() float64 { return queuedJobs(db) })
	for _, c := range []prometheus.Collector{m.finished, queued} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// count tallies finished jobs until the subscription closes.
func (m *metrics) count(events <-chan *river.Event, cancel func()) {
	defer cancel()
	for e := range events {
		outcome := "completed"
		if e.Kind == river.EventKindJobFailed {
			outcome = "failed"
		}
		m.finished.WithLabelValues(e.Job.Kind, outcome).Inc()
	}
}

// queuedJobs counts the jobs waiting in River's table; -1 when the count fails.
func queuedJobs(db *models.DB) float64 {
	pool, err := db.SQL()
	if err != nil {
		return -1
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	var n int64
	if err := pool.QueryRowContext(ctx, "SELECT COUNT(*) FROM river_job WHERE state IN ('available', 'scheduled', 'retryable')").Scan(&n); err != nil {
		return -1
	}
	return float64(n)
}
