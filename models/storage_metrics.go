package models

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// StorageDuration is the latency of the file stores' operations (put, get, ping, sweep) by
// backend ("local", "s3"); a server registers it on its metrics registry.
var StorageDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
	Name:    "pantau_storage_operation_duration_seconds",
	Help:    "File storage operation latency by backend and operation.",
	Buckets: []float64{.001, .005, .025, .1, .25, 1, 2.5, 10},
}, []string{"backend", "operation"})

// observeStorage records an operation that began at start (deferred at its start).
func observeStorage(backend, op string, start time.Time) {
	StorageDuration.WithLabelValues(backend, op).Observe(time.Since(start).Seconds())
}
