package documents_test

import (
	"fmt"
	"testing"

	"github.com/pantau-id/pantau/documents"
	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/modelstest"
)

// BenchmarkSignBatch14 measures the governor's batch of fourteen commitments, each signed at
// PAdES B-LT with the installation's own TSA (in process, so no network round trip) and the
// CA's OCSP answers, recorded in the database: the whole SignBatch, one passphrase unlock
// (argon2id) included. Commitments are prepared outside the timing.
func BenchmarkSignBatch14(b *testing.B) {
	for _, dialect := range modelstest.Dialects() {
		b.Run(string(dialect), func(b *testing.B) {
			d := newDesk(b, modelstest.Open(b, dialect))
			tsa, err := documents.OpenLocalTSA(d.ctx, d.db, d.docs.Signing.CA, b.TempDir())
			if err != nil {
				b.Fatal(err)
			}
			d.docs.Signing.Timestamper = tsa
			governor := d.signer("gubernur", "Sugianto Sabran")
			img := drawing(b)
			year := 2000
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				year++
				items := make([]documents.BatchItem, 0, 14)
				for r := 0; r < 14; r++ {
					code := fmt.Sprintf("62.%02d", 20+r)
					if i == 0 {
						if _, err := d.db.CreateRegion(d.ctx, models.RegionInput{Code: code, Name: "Kabupaten Uji " + code, Kind: models.KindRegency}, false); err != nil {
							b.Fatal(err)
						}
					}
					c, err := d.docs.CreateCommitment(d.ctx, models.CommitmentInput{RegionCode: code, Year: year}, d.coordinator)
					if err != nil {
						b.Fatal(err)
					}
					d.assign(c, "governor", governor)
					items = append(items, documents.BatchItem{CommitmentID: c.ID, Slot: "governor"})
				}
				b.StartTimer()
				res, err := d.docs.SignBatch(d.ctx, governor, documents.BatchInput{Items: items, Mode: models.ModeSign, Passphrase: "frasa-gubernur", SignaturePNG: img}, "192.0.2.1")
				if err != nil || len(res) != 14 {
					b.Fatalf("batch: %v %v", res, err)
				}
			}
		})
	}
}
