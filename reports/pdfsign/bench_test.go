package pdfsign_test

import (
	"testing"
	"time"

	"github.com/pantau-id/pantau/reports/pdfsign"
	"github.com/pantau-id/pantau/reports/pdfsign/pdfsigntest"
)

// benchSlots are five fields on the last of 20 pages, like a commitment's.
func benchSlots() []pdfsign.Field {
	var out []pdfsign.Field
	for i, name := range []string{"regent", "dprd_chair", "governor", "witness_vice_governor", "witness_dprd_province"} {
		x := 60 + float64(i%2)*260
		y := 100 + float64(i/2)*120
		out = append(out, pdfsign.Field{Name: name, Page: 20, Rect: pdfsign.Rect{X1: x, Y1: y, X2: x + 200, Y2: y + 80}})
	}
	return out
}

// BenchmarkSign20Pages: one signature (the first, which certifies and creates the fields) on
// a 20-page document, with a drawn image; reports the bytes it adds.
func BenchmarkSign20Pages(b *testing.B) {
	ca := pdfsigntest.NewCA(b)
	key, chain := ca.Issue(b, "Penanda Tangan", false)
	pdf := samplePDF(b, 20)
	img := scribble(b)
	req := pdfsign.Request{Field: "regent", NewFields: benchSlots(), Certify: true, Signer: key, Chain: chain, Name: "Penanda Tangan",
		Reason: "Tanda tangan", Time: time.Now(), Appearance: pdfsign.Appearance{PNG: img, Lines: []string{"Penanda Tangan", "Bupati"}}}
	var grown int
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out, err := pdfsign.Sign(pdf, req)
		if err != nil {
			b.Fatal(err)
		}
		grown = len(out) - len(pdf)
	}
	b.ReportMetric(float64(grown), "bytes-added/sig")
	b.ReportMetric(float64(len(pdf)), "base-bytes")
}

// BenchmarkSignLater: a later signature (filling an existing field) on a 20-page document
// that already carries four signatures, with an RSA-2048 key.
func BenchmarkSignLater(b *testing.B) {
	ca := pdfsigntest.NewCA(b)
	pdf := samplePDF(b, 20)
	img := scribble(b)
	slots := benchSlots()
	for i, f := range slots[:4] {
		key, chain := ca.Issue(b, f.Name, false)
		req := pdfsign.Request{Field: f.Name, Signer: key, Chain: chain, Time: time.Now(), Appearance: pdfsign.Appearance{PNG: img, Lines: []string{f.Name}}}
		if i == 0 {
			req.NewFields, req.Certify = slots, true
		}
		var err error
		if pdf, err = pdfsign.Sign(pdf, req); err != nil {
			b.Fatal(err)
		}
	}
	key, chain := ca.Issue(b, "Saksi", true)
	req := pdfsign.Request{Field: slots[4].Name, Signer: key, Chain: chain, Time: time.Now(), Appearance: pdfsign.Appearance{PNG: img, Lines: []string{"Saksi"}}}
	var grown int
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out, err := pdfsign.Sign(pdf, req)
		if err != nil {
			b.Fatal(err)
		}
		grown = len(out) - len(pdf)
	}
	b.ReportMetric(float64(grown), "bytes-added/sig")
}

// BenchmarkSignConcurrent: signers working at once, each on their own document; ns/op is the
// wall time per signature across all of them (signatures/s = 1e9 / ns/op).
func BenchmarkSignConcurrent(b *testing.B) {
	ca := pdfsigntest.NewCA(b)
	pdf := samplePDF(b, 20)
	img := scribble(b)
	b.SetParallelism(4)
	b.RunParallel(func(pb *testing.PB) {
		key, chain := ca.Issue(b, "Penanda Tangan", false)
		req := pdfsign.Request{Field: "regent", NewFields: benchSlots(), Certify: true, Signer: key, Chain: chain, Time: time.Now(),
			Appearance: pdfsign.Appearance{PNG: img, Lines: []string{"Penanda Tangan"}}}
		for pb.Next() {
			if _, err := pdfsign.Sign(pdf, req); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkVerify checks a 20-page document with five signatures.
func BenchmarkVerify(b *testing.B) {
	ca := pdfsigntest.NewCA(b)
	pdf := samplePDF(b, 20)
	slots := benchSlots()
	for i, f := range slots {
		key, chain := ca.Issue(b, f.Name, false)
		req := pdfsign.Request{Field: f.Name, Signer: key, Chain: chain, Time: time.Now()}
		if i == 0 {
			req.NewFields, req.Certify = slots, true
		}
		var err error
		if pdf, err = pdfsign.Sign(pdf, req); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if rep := pdfsign.Verify(pdf, nil); len(rep.Signatures) != 5 {
			b.Fatal(rep)
		}
	}
}
