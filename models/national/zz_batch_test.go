package national_test

import (
	"context"
	"testing"
	"time"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/modelstest"
	"github.com/pantau-id/pantau/models/national"
)

func TestBatchSizes(t *testing.T) {
	for _, n := range []int{8, 16, 32, 64, 128, 256} {
		db := modelstest.Open(t, models.SQLite)
		o := national.Full()
		o.BatchRows = n
		start := time.Now()
		if err := national.SeedWith(context.Background(), db, nil, o); err != nil {
			t.Fatal(err)
		}
		t.Logf("batch %d: %s", n, time.Since(start))
	}
}
