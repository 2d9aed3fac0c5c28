package sheets

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"github.com/pantau-id/pantau/models"
)

func TestParseNumber(t *testing.T) {
	for in, want := range map[string]string{
		"87,5": "87.5", "87.5": "87.5", " 12 ": "12", "87,5 %": "87.5", "87.50%": "87.5", "1.234,5": "1234.5",
		"1,234.5": "1234.5", "1.000.000": "1000000", "1,000,000": "1000000", "1 000": "1000", "1\u00a0000,25": "1000.25",
		"1e2": "100", "-3": "-3", "0,125": "0.13", "2,5": "2.5",
	} {
		got, err := ParseNumber(in)
		if err != nil || got.String() != want {
			t.Errorf("ParseNumber(%q) = %v, %v; want %s", in, got, err, want)
		}
	}
	for _, in := range []string{"", "abc", "1,2,3.4.5", "12a", "=1+1", strings.Repeat("9", 50)} {
		if got, err := ParseNumber(in); err == nil {
			t.Errorf("ParseNumber(%q) = %v, want an error", in, got)
		}
	}
}

func TestParseKinds(t *testing.T) {
	for in, want := range map[string][]models.RegionKind{
		"province, regency, city": models.RegionKinds, "Semua": models.RegionKinds, "Kabupaten/Kota": {models.KindRegency, models.KindCity},
		"kab. dan kota": {models.KindRegency, models.KindCity}, "Provinsi": {models.KindProvince}, "city;province": {models.KindProvince, models.KindCity},
	} {
		got, ok := ParseKinds(in)
		if !ok || !slices.Equal(got, want) {
			t.Errorf("ParseKinds(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
	for _, in := range []string{"desa", "province, kecamatan", ""} {
		if got, ok := ParseKinds(in); ok {
			t.Errorf("ParseKinds(%q) = %v, want refused", in, got)
		}
	}
}

func TestNeutraliseAndClean(t *testing.T) {
	for _, s := range []string{"=1+1", "+62 811", "-5", "@SUM(A1)", "\tx", "=", "biasa", "", "'kutip"} {
		n := Neutralise(s)
		if s != "" && strings.IndexByte(formulaStarts, s[0]) >= 0 && n != "'"+s {
			t.Errorf("Neutralise(%q) = %q", s, n)
		}
		if got := Clean(n); got != strings.TrimSpace(s) {
			t.Errorf("Clean(Neutralise(%q)) = %q", s, got)
		}
	}
	if got := Clean("  \u00a0'kutip biasa\u00a0 "); got != "'kutip biasa" {
		t.Errorf("Clean keeps an apostrophe before ordinary text: %q", got)
	}
}

// claimsOf reads a file in the claims layout and returns its rows as "row:region/indicator=progress|note".
func claimsOf(t *testing.T, data []byte) ([]string, error) {
	t.Helper()
	recs, err := Read(data, ClaimsLayout, DefaultLimits)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, l := range ClaimLines(recs) {
		progress := "-"
		if l.Progress != nil {
			progress = l.Progress.String()
		}
		note := "-"
		if l.Note != nil {
			note = *l.Note
		}
		out = append(out, fmt.Sprintf("%d:%s/%s=%s|%s", l.Row, l.RegionCode, l.IndicatorCode, progress, note))
	}
	return out, nil
}

// TestReadCSVVariants reads the same claims written the ways spreadsheet programs and people
// write CSV: separators, a byte-order mark, a "sep=" line, Windows-1252, CRLF, a title line,
// blank lines, quoted values, spaces.
func TestReadCSVVariants(t *testing.T) {
	want := []string{"2:62.08/I1=87.5|Perda No. 3, sudah terbit", "3:62.08/I2=40|Catatan café"}
	cp1252, _ := charmap.Windows1252.NewEncoder().String("Kode Pemda;Kode indikator;Klaim;Keterangan\r\n62.08;I1;87,5;Perda No. 3, sudah terbit\r\n62.08;I2;40;Catatan café\r\n")
	for name, text := range map[string]string{
		"comma":     "region_code,indicator_code,progress,note\n62.08,I1,87.5,\"Perda No. 3, sudah terbit\"\n62.08,I2,40,Catatan café\n",
		"semicolon": "\uFEFFKode Pemda;Kode indikator;Klaim (%);Catatan\r\n62.08;I1;\"87,5\";Perda No. 3, sudah terbit\r\n62.08;I2; 40 ;Catatan café\r\n",
		"tab":       "Kode Pemda\tKode indikator\tProgres (%)\tCatatan\n62.08\tI1\t87,5%\tPerda No. 3, sudah terbit\n62.08\tI2\t40\tCatatan café\n",
		"cp1252":    cp1252,
	} {
		got, err := claimsOf(t, []byte(text))
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("%s: %q, %v; want %q", name, got, err, want)
		}
	}
	// A "sep=" line, a title and blank lines move the rows down; the numbers are the lines'.
	got, err := claimsOf(t, []byte("sep=;\nKlaim Seruyan 2019\n\nregion_code;indicator_code;progress;note\n62.08;I1;87,5;\"dua\nbaris\"\n\n62.08;I2;;\n"))
	if err != nil || !slices.Equal(got, []string{"5:62.08/I1=87.5|dua\nbaris", "8:62.08/I2=-|"}) {
		t.Errorf("sep line: %q, %v", got, err)
	}
	// Without a note column the note is nil (kept); unknown columns are ignored.
	got, err = claimsOf(t, []byte("Lain,region_code,indicator_code,progress\nx,62.08,I1,1\n"))
	if err != nil || !slices.Equal(got, []string{"2:62.08/I1=1|-"}) {
		t.Errorf("no note column: %q, %v", got, err)
	}
	var missing *MissingColumnsError
	if _, err := claimsOf(t, []byte("a,b\n1,2\n")); !errors.As(err, &missing) || !slices.Equal(missing.Missing, []string{"region_code", "indicator_code", "progress"}) {
		t.Errorf("no header: %v", err)
	}
}

// TestReadXLSXLayouts reads workbooks laid out as people do: the header below a title, a
// vertically merged header cell, several sheets (one without the header), numbers as text.
func TestReadXLSXLayouts(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", "Catatan")
	f.SetCellValue("Catatan", "A1", "Lembar ini hanya catatan.")
	for _, name := range []string{"PTSP", "PBJ"} {
		f.NewSheet(name)
		f.SetCellValue(name, "A1", "Klaim area "+name)
		f.MergeCell(name, "A1", "D1")
		f.SetSheetRow(name, "A3", &[]any{"Kode Pemda", "Kode indikator", "Klaim (%)", "Catatan"})
		f.SetSheetRow(name, "A2", &[]any{nil, nil, "Klaim (%)"}) // merged downwards over C2:C3
		f.MergeCell(name, "C2", "C3")
	}
	f.SetSheetRow("PTSP", "A4", &[]any{"62.08", "PTSP.1", "50,5", " ada "})
	f.SetSheetRow("PTSP", "A6", &[]any{"62.08", "PTSP.2", 75.25})
	f.SetSheetRow("PBJ", "A4", &[]any{"62.08", "PBJ.1", 0.5})
	style, _ := f.NewStyle(&excelize.Style{NumFmt: 10})
	f.SetCellStyle("PBJ", "C4", "C4", style)
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	recs, err := Read(buf.Bytes(), ClaimsLayout, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range ClaimLines(recs) {
		got = append(got, fmt.Sprintf("%s!%d %s %s %v", l.Sheet, l.Row, l.IndicatorCode, l.Progress, *l.Note))
	}
	want := []string{"PTSP!4 PTSP.1 50.5 ada", "PTSP!6 PTSP.2 75.25 ", "PBJ!4 PBJ.1 50 "}
	if !slices.Equal(got, want) {
		t.Errorf("read %q, want %q", got, want)
	}
	lim := DefaultLimits
	lim.Rows = 2
	if _, err := Read(buf.Bytes(), ClaimsLayout, lim); !errors.Is(err, ErrTooLarge) {
		t.Errorf("three rows over a limit of two: %v", err)
	}
}

// TestWriteReadsBack writes a sheet longer than the width sample in both formats and reads it
// back in the claims layout: every row, the numbers as written, widths measured.
func TestWriteReadsBack(t *testing.T) {
	const n = widthSample + 500
	sheet := func() Sheet {
		return Sheet{Name: "Item: 2019/uji?", Columns: []Column{{"Kode Pemda", Text}, {"Kode indikator", Text}, {"Klaim (%)", Percent},
			{"Catatan", Text}, {"Versi", Number}},
			Rows: func(emit func(...any) error) error {
				for i := range n {
					note := "catatan"
					if i == n-1 {
						note = strings.Repeat("panjang ", 20)
					}
					if err := emit("62.08", fmt.Sprintf("I%d", i), models.Fixed(i%10001), note, int64(i)); err != nil {
						return err
					}
				}
				return nil
			}}
	}
	var x, c bytes.Buffer
	if err := WriteXLSX(&x, sheet()); err != nil {
		t.Fatal(err)
	}
	if err := WriteCSV(&c, sheet(), Semicolon); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(x.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, []string{"Item- 2019-uji-"}) {
		t.Errorf("sheet names %q", got)
	}
	if w, _ := f.GetColWidth("Item- 2019-uji-", "D"); w != float64(len("catatan")+2) {
		t.Errorf("column D is %v wide, want the width of the sampled rows (the long last note came after the sample)", w)
	}
	for name, data := range map[string][]byte{"xlsx": x.Bytes(), "csv": c.Bytes()} {
		recs, err := Read(data, ClaimsLayout, DefaultLimits)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		lines := ClaimLines(recs)
		if len(lines) != n {
			t.Fatalf("%s: %d rows, want %d", name, len(lines), n)
		}
		for i, l := range lines {
			if *l.Progress != models.Fixed(i%10001) || *l.Version != int64(i) || l.Row != i+2 || len(l.Problems) > 0 {
				t.Fatalf("%s row %d: %+v", name, i, l)
			}
		}
	}
}
