package reports

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jung-kurt/gofpdf"
)

// The benchmarks render in memory (reading the data and keeping the bytes are measured by
// documents' BenchmarkProgressReportNational):
//
//	go test ./reports -run '^$' -bench . -benchtime 3x
//
// Each reports pages, the PDF's size, the peak live heap during the iterations (sampled) and
// the process's peak resident set (VmHWM, reset before the timed loop). The baseline writes
// as many pages of plain text with gofpdf alone, to show how much of the time is ours.

// benchShapes are a province's and the whole country's reports, both in the national
// catalogue's shape: 8 areas, 100 indicators.
var benchShapes = map[string]fixture{
	"provincial": {year: 2025, regions: 14, areas: 8, indicators: 100, comments: true},
	"national":   {year: 2025, regions: 545, areas: 8, indicators: 100, comments: true},
}

// pagesOf remembers each shape's page count for the baselines.
var pagesOf = struct {
	sync.Mutex
	m map[string]int
}{m: map[string]int{}}

func BenchmarkProgress(b *testing.B) {
	for _, name := range []string{"provincial", "national"} {
		b.Run(name, func(b *testing.B) {
			data := benchShapes[name].build()
			var pages, size int
			measure(b, func() {
				cw := &countingWriter{}
				res, err := WriteProgress(cw, progressFor(data, ""))
				if err != nil {
					b.Fatal(err)
				}
				pages, size = res.Pages, cw.n
			})
			pagesOf.Lock()
			pagesOf.m[name] = pages
			pagesOf.Unlock()
			b.ReportMetric(float64(pages), "pages")
			b.ReportMetric(float64(size)/(1<<20), "MB-pdf")
		})
	}
}

// BenchmarkBaseline writes the same number of pages as BenchmarkProgress did (or a fixed
// estimate when run alone) as plain text: 60 lines a page in the same UTF-8 font, and in a
// core font.
func BenchmarkBaseline(b *testing.B) {
	for _, name := range []string{"provincial", "national"} {
		pagesOf.Lock()
		pages := pagesOf.m[name]
		pagesOf.Unlock()
		if pages == 0 {
			pages = map[string]int{"provincial": 40, "national": 1400}[name]
		}
		for _, font := range []string{"utf8", "core"} {
			b.Run(fmt.Sprintf("%s/%s/%dpages", name, font, pages), func(b *testing.B) {
				measure(b, func() { plainText(b, pages, font == "utf8") })
				b.ReportMetric(float64(pages), "pages")
			})
		}
	}
}

func plainText(b *testing.B, pages int, utf8 bool) {
	pdf := gofpdf.New("P", "mm", "A4", "")
	pdf.SetCompression(true)
	family := "Helvetica"
	if utf8 {
		addFonts(pdf)
		family = fontFamily
	}
	pdf.SetFont(family, "", 8)
	pdf.SetAutoPageBreak(false, 0)
	line := "Kabupaten Contoh Nomor 12 — indikator A3.61 Peraturan kepala daerah tentang pendelegasian 82,25%"
	for p := 0; p < pages; p++ {
		pdf.AddPage()
		for l := 0; l < 60; l++ {
			pdf.Text(15, 15+float64(l)*4.3, line)
		}
	}
	if err := pdf.Output(io.Discard); err != nil {
		b.Fatal(err)
	}
}

// measure runs fn b.N times and reports the peak live heap and peak RSS.
func measure(b *testing.B, fn func()) {
	runtime.GC()
	resetPeakRSS()
	stop := make(chan struct{})
	peak := make(chan uint64)
	go func() {
		sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		var max uint64
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > max {
				max = v
			}
			select {
			case <-stop:
				peak <- max
				return
			case <-t.C:
			}
		}
	}()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		fn()
	}
	b.StopTimer()
	close(stop)
	b.ReportMetric(float64(<-peak)/(1<<20), "peak-heap-MB")
	if rss := peakRSS(); rss > 0 {
		b.ReportMetric(float64(rss)/(1<<10), "peak-RSS-MB")
	}
}

// resetPeakRSS resets the process's VmHWM (Linux: "5" into /proc/self/clear_refs).
func resetPeakRSS() { os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSS returns VmHWM in KiB, or 0 where /proc is not there.
func peakRSS() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return n
		}
	}
	return 0
}

type countingWriter struct{ n int }

func (w *countingWriter) Write(p []byte) (int, error) { w.n += len(p); return len(p), nil }
