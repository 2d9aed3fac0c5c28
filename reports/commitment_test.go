package reports_test

import (
	"bytes"
	"fmt"
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
		ProvinceName: "Provinsi Kalimantan Tengah", Year: 2019, Kind: models.KindRegional, Number: "007/PTSP-PRIMA/62.08/2019", VerificationCode: "K7QM-2XPA-9RTD",
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
		s := models.CommitmentSlot{Slot: name, Kind: kind, Name: who, Title: title, DefaultTitle: def}
		if who != "" {
			id := int64(len(name))
			s.UserID = &id
		}
		return s
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
	if res.Pages < 1 || len(res.Fields) != 10 {
		t.Fatalf("result: %+v", res)
	}
	checkFields(t, res)
	pdfsigntest.QPDFCheck(t, a.Bytes())
	pdfsigntest.SoundFonts(t, a.Bytes())
	text := pdfLayoutText(t, a.Bytes(), 0)
	for _, want := range []string{"KOMITMEN BERSAMA", "Nomor: 007/PTSP-PRIMA/62.08/2019", "Palangka Raya, 4 Maret 2019", "Bupati Seruyan,",
		"Gubernur Kalimantan Tengah,", "Zulkifli Eka Putra", "Menyaksikan,", "Paraf", "Kode verifikasi: K7QM-2XPA-9RTD", "Halaman 1 dari", "3.", "pungutan liar"} {
		if !strings.Contains(text, want) {
			t.Errorf("the document lacks %q:\n%s", want, text)
		}
	}
	// The vice regent acts for the regent: the regent's name line waits for whoever signs.
	if strings.Contains(text, "Irawan") || strings.Contains(text, "a.n.") {
		t.Errorf("a deputy's name is printed as the regent's:\n%s", text)
	}
	closingOnSignaturePage(t, a.Bytes(), res, "regent")
}

// checkFields checks that every slot has a signature and a paraf field inside its page, the
// paraf beside the signature.
func checkFields(t *testing.T, res *reports.CommitmentResult) {
	t.Helper()
	for name, f := range res.Fields {
		if f.Page < 1 || f.Page > res.Pages || f.Rect[0] < 50 || f.Rect[2] > 545 || f.Rect[1] < 70 || f.Rect[3] > 800 || f.Rect[2]-f.Rect[0] < 50 {
			t.Errorf("field %s box %+v", name, f)
		}
		if strings.HasSuffix(name, "_paraf") {
			sig, ok := res.Fields[strings.TrimSuffix(name, "_paraf")]
			if !ok || sig.Page != f.Page || f.Rect[1] > sig.Rect[3] || f.Rect[3] < sig.Rect[1] {
				t.Errorf("paraf field %s %+v is not beside its signature field %+v", name, f, sig)
			}
		}
	}
}

// pdfLayoutText is pdftotext -layout of one page (0: all).
func pdfLayoutText(t *testing.T, pdf []byte, page int) string {
	t.Helper()
	args := []string{"-layout"}
	if page > 0 {
		args = append(args, "-f", fmt.Sprint(page), "-l", fmt.Sprint(page))
	}
	out, err := exec.Command(pdfsigntest.Tool(t, "pdftotext"), append(args, pdfsigntest.WriteTemp(t, "c.pdf", pdf), "-")...).Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// closingOnSignaturePage checks that the closing paragraph stands on the page of the first
// signature field, so that no signature sits on a page without the text.
func closingOnSignaturePage(t *testing.T, pdf []byte, res *reports.CommitmentResult, first string) {
	t.Helper()
	page := res.Fields[first].Page
	if text := pdfLayoutText(t, pdf, page); !strings.Contains(text, "Demikian komitmen") {
		t.Errorf("page %d, where the signatures start, lacks the closing:\n%s", page, text)
	}
}

// jointFixture is Central Kalimantan's joint commitment: the governor, the 13 regents and the
// mayor, the 14 DPRD chairs, and two witnesses.
func jointFixture() *reports.Commitment {
	in := commitmentFixture()
	c := *in.C
	c.Kind, c.RegionCode, c.RegionName, c.RegionKind, c.Number = models.KindJoint, "62", "Provinsi Kalimantan Tengah", models.KindProvince, "001/PTSP-PRIMA/62/2019"
	c.Title = "Komitmen Bersama Penyelenggaraan PTSP Prima se-Provinsi Kalimantan Tengah Tahun 2019"
	c.Signatories = []models.CommitmentSlot{{Slot: "governor", Kind: models.SlotSigner, DefaultTitle: "Gubernur Kalimantan Tengah"}}
	for i := 1; i <= 14; i++ {
		code := fmt.Sprintf("62_%02d", i)
		c.Signatories = append(c.Signatories,
			models.CommitmentSlot{Slot: "regent_" + code, Kind: models.SlotSigner, DefaultTitle: fmt.Sprintf("Bupati Kabupaten Nomor %d", i)},
			models.CommitmentSlot{Slot: "dprd_chair_" + code, Kind: models.SlotSigner, DefaultTitle: fmt.Sprintf("Ketua DPRD Kabupaten Nomor %d", i)})
	}
	c.Signatories = append(c.Signatories,
		models.CommitmentSlot{Slot: "witness_vice_governor", Kind: models.SlotWitness, DefaultTitle: "Wakil Gubernur Kalimantan Tengah"},
		models.CommitmentSlot{Slot: "witness_dprd_province", Kind: models.SlotWitness, DefaultTitle: "Ketua DPRD Provinsi Kalimantan Tengah"})
	return &reports.Commitment{C: &c, VerificationURL: in.VerificationURL}
}

// TestWriteJointCommitment: 31 slots in a table that runs across pages, each with both
// fields, the header repeated under a line naming the document, the closing with the first rows.
func TestWriteJointCommitment(t *testing.T) {
	in := jointFixture()
	var buf bytes.Buffer
	res, err := reports.WriteCommitment(&buf, in)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Fields) != 62 || res.Pages < 3 {
		t.Fatalf("result: %d fields on %d pages", len(res.Fields), res.Pages)
	}
	checkFields(t, res)
	pdfsigntest.QPDFCheck(t, buf.Bytes())
	closingOnSignaturePage(t, buf.Bytes(), res, "governor")
	last := res.Fields["witness_dprd_province"].Page
	if last <= res.Fields["governor"].Page {
		t.Fatalf("the table does not run across pages: %+v", res.Fields)
	}
	for p := res.Fields["governor"].Page + 1; p <= last; p++ {
		text := pdfLayoutText(t, buf.Bytes(), p)
		if !strings.Contains(text, "Lanjutan tanda tangan") || !strings.Contains(text, "001/PTSP-PRIMA/62/2019") || !strings.Contains(text, "Jabatan dan nama") {
			t.Errorf("page %d does not name what it continues:\n%s", p, text)
		}
	}
	if text := pdfLayoutText(t, buf.Bytes(), 0); !strings.Contains(text, "Menyaksikan") || !strings.Contains(text, "31.") {
		t.Errorf("the table lacks the witnesses:\n%s", text)
	}
	lookDir(t, "joint", buf.Bytes())
}

// lookDir renders a document's pages as PNG into PANTAU_SIGN_LOOK_DIR, when set, for a person
// to look at.
func lookDir(t *testing.T, name string, pdf []byte) {
	dir := os.Getenv("PANTAU_SIGN_LOOK_DIR")
	if dir == "" {
		return
	}
	os.MkdirAll(dir, 0o755)
	file := filepath.Join(dir, name+".pdf")
	os.WriteFile(file, pdf, 0o644)
	if out, err := exec.Command("pdftoppm", "-png", "-r", "60", file, filepath.Join(dir, name)).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
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
	for name, f := range res.Fields {
		fields = append(fields, pdfsign.Field{Name: name, Page: f.Page, Rect: pdfsign.Rect{X1: f.Rect[0], Y1: f.Rect[1], X2: f.Rect[2], Y2: f.Rect[3]}})
	}
	pdf := buf.Bytes()
	acts := []struct{ field, name, title, reason string }{
		{"regent_paraf", "Irawan", "Wakil Bupati Seruyan", "Paraf"}, {"dprd_chair", "Zulkifli Eka Putra", "Ketua DPRD Kabupaten Seruyan", "Tanda tangan"},
		{"regent", "Yulhaidir", "Bupati Seruyan", "Tanda tangan"}, {"governor", "H. Sutan Sabara", "Gubernur Kalimantan Tengah", "Tanda tangan"},
	}
	for i, a := range acts {
		key, chain := ca.Issue(t, a.name, i%2 == 0)
		req := pdfsign.Request{Field: a.field, Signer: key, Chain: chain, Name: a.name, Reason: a.reason, Time: time.Now(),
			Appearance: pdfsign.Appearance{PNG: nil, Lines: []string{a.reason + " oleh", a.name, a.title, "4 Maret 2019 pukul 10.15 WIB"}}}
		if i == 0 {
			req.NewFields, req.Certify = fields, true
		}
		if pdf, err = pdfsign.Sign(pdf, req); err != nil {
			t.Fatal(err)
		}
	}
	pdfsigntest.QPDFCheck(t, pdf)
	lookDir(t, "commitment", pdf)
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
