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

// hostileFile is a file built to make a PDF parser spend seconds and gigabytes.
type hostileFile struct {
	name    string
	pdf     func() []byte
	refused bool // before parsing, by the look at the raw bytes
}

var hostileFiles = []hostileFile{
	{"190000 objects in 18 MiB", func() []byte { return pdfsigntest.ManyObjects(190000, 18<<20) }, true},
	{"50000 objects in 7 MiB", func() []byte { return pdfsigntest.ManyObjects(50000, 7<<20) }, true},
	{"2000 signature fields", func() []byte { return pdfsigntest.ManySignatureFields(2000) }, true},
	{"object stream inflating to 400 MiB", func() []byte { return pdfsigntest.ObjectStreamBomb(400 << 20) }, false},
	{"arrays nested 100000 deep", func() []byte { return pdfsigntest.DeepNesting(100000) }, false},
}

// TestVerifyRefusesHostileFiles: the 190,000-object upload of the attack review (18 MiB), 50,000
// objects in a file of a size the verifier parses, thousands of signature fields, an object
// stream that inflates to 400 MiB and arrays nested 100,000 deep stay within the verifier's
// bounds: the first three are refused before parsing, with a problem that says so; the stream is inflated only up to the bound (the bytes allocated show it;
// unbounded, it costs over a GiB); the nesting is cut off. The cost of each is logged
// (BenchmarkVerifyHostile measures it).
func TestVerifyRefusesHostileFiles(t *testing.T) {
	for _, tc := range hostileFiles {
		t.Run(tc.name, func(t *testing.T) {
			pdf := tc.pdf()
			var rep *pdfsign.Report
			cpu, allocated, peak := cost(func() { rep = pdfsign.Verify(pdf, nil) })
			t.Logf("%s (%.1f MiB): %v CPU, %.0f MiB allocated, %.0f MiB peak heap; problem: %q", tc.name,
				float64(len(pdf))/(1<<20), cpu.Round(time.Millisecond), float64(allocated)/(1<<20), float64(peak)/(1<<20), rep.Problem)
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

// TestVerifyBudgetCoversEveryRead: a file within the bounds on size, objects and signatures
// (9,000 objects in 7 MiB) with fifteen signed revisions makes the verifier read the file again as it
// was at each signature's end — unbounded, about sixteen parses, seconds of CPU and gigabytes
// of allocations. One time budget covers all the reads of one Verify: it stops, and says so.
func TestVerifyBudgetCoversEveryRead(t *testing.T) {
	pdf := pdfsigntest.SignedRevisions(9000, 7<<20, 15)
	var rep *pdfsign.Report
	cpu, allocated, peak := cost(func() { rep = pdfsign.Verify(pdf, nil) })
	problems := []string{rep.Problem}
	for _, s := range rep.Signatures {
		problems = append(problems, s.Problem, s.ChangeDetail)
	}
	all := strings.Join(problems, "; ")
	t.Logf("15 signed revisions of 9000 objects (%.1f MiB): %v CPU, %.0f MiB allocated, %.0f MiB peak heap; %d signatures checked",
		float64(len(pdf))/(1<<20), cpu.Round(time.Millisecond), float64(allocated)/(1<<20), float64(peak)/(1<<20), len(rep.Signatures))
	if rep.Valid() || !strings.Contains(all, "checking it takes more than") {
		t.Fatalf("the verifier read every revision: valid %v, problems %q", rep.Valid(), all)
	}
}

// BenchmarkVerifyHostile measures what each hostile file costs the verifier: CPU per check
// (cpu-ns/op) and the highest live heap seen above the file itself (peak-heap-MiB).
func BenchmarkVerifyHostile(b *testing.B) {
	files := append(hostileFiles[:len(hostileFiles):len(hostileFiles)],
		hostileFile{"15 signed revisions of 9000 objects in 7 MiB", func() []byte { return pdfsigntest.SignedRevisions(9000, 7<<20, 15) }, false})
	for _, f := range files {
		b.Run(strings.ReplaceAll(f.name, " ", "_"), func(b *testing.B) {
			pdf := f.pdf()
			var highest uint64
			measureCPU(b)
			for i := 0; i < b.N; i++ {
				_, _, peak := cost(func() { pdfsign.Verify(pdf, nil) })
				highest = max(highest, peak)
			}
			b.ReportMetric(float64(highest)/(1<<20), "peak-heap-MiB")
		})
	}
}
