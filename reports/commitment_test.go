package reports_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/reports"
	"github.com/pantau-id/pantau/reports/pdfsign"
	"github.com/pantau-id/pantau/reports/pdfsign/pdfsigntest"
)

// commitmentFixture is Seruyan's 2019 commitment with the regent's slot taken by the vice
// regent and the witnesses not yet assigned.
func commitmentFixture() *reports.Commitment {
	c := &models.Commitment{ID: 1, RegionCode: "62.08", RegionName: "Kabupaten Seruyan", RegionKind: models.KindRegency,
		ProvinceName: "Provinsi Kalimantan Tengah", Year: 2019, VerificationCode: "K7QM-2XPA-9RTD",
		Title:    "Komitmen Bersama Penyelenggaraan PTSP Prima Kabupaten Seruyan Tahun 2019",
		Preamble: "Kami yang bertanda tangan di bawah ini dengan ini menyatakan komitmen bersama untuk:",
		Commitments: strings.Join([]string{
			"Menyelenggarakan pelayanan perizinan yang cepat, mudah, transparan, pasti dan terjangkau.",
			"Mendelegasikan seluruh kewenangan perizinan kepada Kepala DPMPTSP dengan Peraturan Bupati.",
			"Menolak segala bentuk gratifikasi, suap dan pungutan liar.",
		}, "\n"),
		Closing: "Demikian komitmen bersama ini dibuat untuk dilaksanakan.", Place: "Palangka Raya", Dated: "2019-03-04",
		CreatedAt: time.Date(2019, 3, 1, 8, 0, 0, 0, time.UTC)}
	slot := func(name, kind, who, title, def string) models.CommitmentSlot {
		return models.CommitmentSlot{Slot: name, Kind: kind, Name: who, Title: title, DefaultTitle: def}
	}
	c.Signatories = []models.CommitmentSlot{
		slot("regent", models.SlotSigner, "Irawan", "Wakil Bupati Seruyan", "Bupati Seruyan"),
		slot("dprd_chair", models.SlotSigner, "Zulkifli Eka Putra", "Ketua DPRD Kabupaten Seruyan", "Ketua DPRD Kabupaten Seruyan"),
		slot("governor", models.SlotSigner, "H. Sutan Sabara", "Gubernur Kalimantan Tengah", "Gubernur Kalimantan Tengah"),
		slot("witness_vice_governor", models.SlotWitness, "", "", "Wakil Gubernur Kalimantan Tengah"),
		slot("witness_dprd_province", models.SlotWitness, "", "", "Ketua DPRD Provinsi Kalimantan Tengah"),
	}
	return &reports.Commitment{C: c, VerificationURL: "https://pantau.example/verify/K7QM-2XPA-9RTD"}
}

func TestWriteCommitment(t *testing.T) {
	in := commitmentFixture()
	var a, b bytes.Buffer
	res, err := reports.WriteCommitment(&a, in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := reports.WriteCommitment(&b, in); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("the same commitment rendered twice differs")
	}
	if res.Pages < 1 || len(res.Fields) != 5 {
		t.Fatalf("result: %+v", res)
	}
	for slot, f := range res.Fields {
		if f.Page < 1 || f.Page > res.Pages || f.Rect[0] < 0 || f.Rect[2] > 595.3 || f.Rect[1] < 70 || f.Rect[3] > 842 || f.Rect[2]-f.Rect[0] < 100 {
			t.Fatalf("slot %s box %+v", slot, f)
		}
	}
	pdfsigntest.QPDFCheck(t, a.Bytes())
	out, err := exec.Command(pdfsigntest.Tool(t, "pdftotext"), "-layout", pdfsigntest.WriteTemp(t, "c.pdf", a.Bytes()), "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	for _, want := range []string{"KOMITMEN BERSAMA", "Palangka Raya, 4 Maret 2019", "a.n. Bupati Seruyan,", "Wakil Bupati Seruyan,",
		"Irawan", "Gubernur Kalimantan Tengah,", "Menyaksikan,", "Kode verifikasi: K7QM-2XPA-9RTD", "Halaman 1 dari", "3.", "pungutan liar"} {
		if !strings.Contains(text, want) {
			t.Errorf("the document lacks %q:\n%s", want, text)
		}
	}
}

// TestCommitmentSignedLook signs every slot of a rendered commitment (one initial) and renders
// the pages to PNG in PANTAU_SIGN_LOOK_DIR when set, for a person to look at.
func TestCommitmentSignedLook(t *testing.T) {
	in := commitmentFixture()
	var buf bytes.Buffer
	res, err := reports.WriteCommitment(&buf, in)
	if err != nil {
		t.Fatal(err)
	}
	ca := pdfsigntest.NewCA(t)
	var fields []pdfsign.Field
	for _, s := range in.C.Signatories {
		f := res.Fields[s.Slot]
		fields = append(fields, pdfsign.Field{Name: s.Slot, Page: f.Page, Rect: pdfsign.Rect{X1: f.Rect[0], Y1: f.Rect[1], X2: f.Rect[2], Y2: f.Rect[3]}})
	}
	pdf := buf.Bytes()
	for i, s := range in.C.Signatories[:4] {
		key, chain := ca.Issue(t, s.Name+" ", i%2 == 0)
		reason := "Tanda tangan"
		if s.Slot == "regent" {
			reason = "Paraf"
		}
		req := pdfsign.Request{Field: s.Slot, Signer: key, Chain: chain, Name: s.Name, Reason: reason, Time: time.Now(),
			Appearance: pdfsign.Appearance{Lines: []string{reason + ": " + s.Name, s.Capacity(), time.Now().Format("02-01-2006 15:04")}}}
		if i == 0 {
			req.NewFields, req.Certify = fields, true
		}
		if pdf, err = pdfsign.Sign(pdf, req); err != nil {
			t.Fatal(err)
		}
	}
	pdfsigntest.QPDFCheck(t, pdf)
	if dir := os.Getenv("PANTAU_SIGN_LOOK_DIR"); dir != "" {
		os.MkdirAll(dir, 0o755)
		os.WriteFile(filepath.Join(dir, "commitment.pdf"), pdf, 0o644)
		out, err := exec.Command("pdftoppm", "-png", "-r", "60", filepath.Join(dir, "commitment.pdf"), filepath.Join(dir, "page")).CombinedOutput()
		if err != nil {
			t.Fatalf("pdftoppm: %v %s", err, out)
		}
	}
}

// BenchmarkCommitment renders the commitment document in memory.
func BenchmarkCommitment(b *testing.B) {
	in := commitmentFixture()
	b.ReportAllocs()
	var size int
	for i := 0; i < b.N; i++ {
		var buf bytes.Buffer
		if _, err := reports.WriteCommitment(&buf, in); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	b.ReportMetric(float64(size)/1024, "KB-pdf")
}
