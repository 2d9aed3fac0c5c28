package pdfsign_test

import (
	"runtime"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/pantau-id/pantau/reports/pdfsign"
	"github.com/pantau-id/pantau/reports/pdfsign/pdfsigntest"
)

// cost runs fn and returns the CPU time the process spent meanwhile, the bytes it allocated
// and the highest live heap seen (sampled every millisecond).
func cost(fn func()) (cpu time.Duration, allocated, peak uint64) {
	var before, after runtime.MemStats
	var ru0, ru1 syscall.Rusage
	runtime.GC()
	runtime.ReadMemStats(&before)
	var high atomic.Uint64
	done := make(chan struct{})
	go func() {
		var m runtime.MemStats
		for {
			select {
			case <-done:
				return
			case <-time.After(time.Millisecond):
				runtime.ReadMemStats(&m)
				if m.HeapAlloc > high.Load() {
					high.Store(m.HeapAlloc)
				}
			}
		}
	}()
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru0)
	fn()
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru1)
	close(done)
	runtime.ReadMemStats(&after)
	tv := func(t syscall.Timeval) time.Duration { return time.Duration(t.Nano()) }
	cpu = tv(ru1.Utime) - tv(ru0.Utime) + tv(ru1.Stime) - tv(ru0.Stime)
	return cpu, after.TotalAlloc - before.TotalAlloc, max(high.Load(), after.HeapAlloc) - before.HeapAlloc
}

// TestVerifyRefusesHostileFiles: files built to make a parser spend seconds and gigabytes —
// the 190,000-object upload of the attack review, thousands of signature fields, an object
// stream that inflates to 400 MiB — stay within the verifier's bounds: the first two are
// refused before parsing, with a problem that says so; the stream is inflated only up to the
// bound (the bytes allocated show it; unbounded, it costs over a GiB). The cost of each is
// logged (the goal: well under 1 s of CPU and 64 MiB).
func TestVerifyRefusesHostileFiles(t *testing.T) {
	for _, tc := range []struct {
		name    string
		pdf     []byte
		refused bool // before parsing, by the look at the raw bytes
	}{
		{"190000 objects in 18 MiB", pdfsigntest.ManyObjects(190000, 18<<20), true},
		{"2000 signature fields", pdfsigntest.ManySignatureFields(2000), true},
		{"object stream inflating to 400 MiB", pdfsigntest.ObjectStreamBomb(400 << 20), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var rep *pdfsign.Report
			cpu, allocated, peak := cost(func() { rep = pdfsign.Verify(tc.pdf, nil) })
			t.Logf("%s (%.1f MiB): %v CPU, %.0f MiB allocated, %.0f MiB peak heap; problem: %q", tc.name,
				float64(len(tc.pdf))/(1<<20), cpu.Round(time.Millisecond), float64(allocated)/(1<<20), float64(peak)/(1<<20), rep.Problem)
			if rep.Valid() || allocated > 64<<20 {
				t.Fatalf("a hostile file cost %d MiB of allocations (valid %v)", allocated>>20, rep.Valid())
			}
			if tc.refused && (!strings.Contains(rep.Problem, "beyond the verifier's bounds") || len(rep.Signatures) != 0) {
				t.Fatalf("a hostile file was parsed: %d signatures, problem %q", len(rep.Signatures), rep.Problem)
			}
		})
	}
}

// TestVerifyBoundsLeaveRealDocuments: a document within the bounds is still checked.
func TestVerifyBoundsLeaveRealDocuments(t *testing.T) {
	rep := pdfsign.Verify(pdfsigntest.ManyObjects(2000, 1<<20), nil)
	if strings.Contains(rep.Problem, "beyond the verifier's bounds") || len(rep.Signatures) != 1 {
		t.Fatalf("a file within the bounds was refused: %d signatures, problem %q", len(rep.Signatures), rep.Problem)
	}
}
