package pdfsign_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"syscall"
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

// cpuTime is the process's user and system CPU time. The machine is shared, so wall time per
// operation (ns/op) depends on what else runs; the benchmarks also report CPU time per
// operation (cpu-ns/op), which does not.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// measureCPU resets the timer and reports CPU time per operation when the benchmark ends.
func measureCPU(b *testing.B) {
	b.ResetTimer()
	start := cpuTime()
	b.Cleanup(func() { b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op") })
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
	measureCPU(b)
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
	measureCPU(b)
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
	measureCPU(b)
	for i := 0; i < b.N; i++ {
		if rep := pdfsign.Verify(pdf, nil); len(rep.Signatures) != 5 {
			b.Fatal(rep)
		}
	}
}

// localTSA is an in-process TSA for benchmarks (no network round trip).
func localTSA(b *testing.B, ca *pdfsigntest.CA) pdfsign.LocalTSA {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	cert, err := pdfsign.IssueTSACertificate(ca.Cert, ca.Key, key.Public(), pkix.Name{CommonName: "TSA"}, time.Now().Add(-time.Hour), time.Now().AddDate(1, 0, 0))
	if err != nil {
		b.Fatal(err)
	}
	return pdfsign.LocalTSA{Cert: cert, Chain: []*x509.Certificate{ca.Cert}, Signer: key}
}

// BenchmarkVerifyThreeLT checks a 20-page document with three B-LT signatures (each
// timestamped, each followed by a DSS update), as a commitment will carry them.
func BenchmarkVerifyThreeLT(b *testing.B) {
	ctx := context.Background()
	ca := pdfsigntest.NewCA(b)
	tsa := localTSA(b, ca)
	responder := &pdfsign.OCSPResponder{CA: ca.Cert, Signer: ca.Key, Status: func(context.Context, *big.Int) (pdfsign.CertStatus, error) {
		return pdfsign.CertStatus{Issued: true}, nil
	}}
	pdf := samplePDF(b, 20)
	img := scribble(b)
	slots := benchSlots()
	for i, f := range slots[:3] {
		key, chain := ca.Issue(b, f.Name, false)
		req := pdfsign.Request{Field: f.Name, Signer: key, Chain: chain, Time: time.Now(), Timestamper: tsa,
			Appearance: pdfsign.Appearance{PNG: img, Lines: []string{f.Name, "Bupati"}}}
		if i == 0 {
			req.NewFields, req.Certify = slots, true
		}
		var err error
		if pdf, err = pdfsign.Sign(pdf, req); err != nil {
			b.Fatal(err)
		}
		if pdf, err = pdfsign.AddValidationData(ctx, pdf, responder); err != nil {
			b.Fatal(err)
		}
	}
	roots := x509.NewCertPool()
	roots.AddCert(ca.Cert)
	measureCPU(b)
	for i := 0; i < b.N; i++ {
		if rep := pdfsign.Verify(pdf, roots); !rep.Valid() || rep.Signatures[2].Level != pdfsign.LevelBLT {
			b.Fatal(rep)
		}
	}
	b.ReportMetric(float64(len(pdf)), "file-bytes")
}

// BenchmarkBatch14 is one batch: a signatory signs 14 documents of 20 pages (each already
// certified by its first signer) with one unlocked key and one drawing; ns/op is the batch.
func BenchmarkBatch14(b *testing.B) {
	ca := pdfsigntest.NewCA(b)
	img := scribble(b)
	slots := benchSlots()
	docs := make([][]byte, 14)
	for i := range docs {
		key, chain := ca.Issue(b, "Bupati", false)
		var err error
		docs[i], err = pdfsign.Sign(samplePDF(b, 20), pdfsign.Request{Field: slots[0].Name, NewFields: slots, Certify: true, Signer: key, Chain: chain,
			Time: time.Now(), Appearance: pdfsign.Appearance{PNG: scribble(b), Lines: []string{"Bupati"}}})
		if err != nil {
			b.Fatal(err)
		}
	}
	key, chain := ca.Issue(b, "Gubernur", false)
	measureCPU(b)
	for i := 0; i < b.N; i++ {
		for _, doc := range docs {
			req := pdfsign.Request{Field: "governor", Signer: key, Chain: chain, Time: time.Now(), Name: "Gubernur",
				Appearance: pdfsign.Appearance{PNG: img, Lines: []string{"Ditandatangani secara elektronik oleh", "Gubernur Kalimantan Tengah"}}}
			if _, err := pdfsign.Sign(doc, req); err != nil {
				b.Fatal(err)
			}
		}
	}
}
