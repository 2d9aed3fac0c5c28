package sheets

import (
	"strconv"
	"strings"

	"github.com/pantau-id/pantau/models"
)

// The import layouts: the contract's column keys, and the Indonesian (and other English) header
// names they are known by. Headers are compared in lower case, on their letters and digits only
// ("Klaim (%)" is "klaim"). The exports write headers from these lists, so that an exported file
// imports as it is.
var (
	// CatalogueLayout is the catalogue import's columns.
	CatalogueLayout = Layout{
		{Key: "area_code", Aliases: []string{"Kode area", "Kode bidang", "Area code"}, Required: true},
		{Key: "area_name", Aliases: []string{"Nama area", "Area intervensi", "Nama area intervensi", "Bidang", "Area name"}, Required: true},
		{Key: "area_weight", Aliases: []string{"Bobot area", "Bobot bidang", "Area weight"}},
		{Key: "indicator_code", Aliases: []string{"Kode indikator", "Kode subindikator", "Indicator code", "Kode"}, Required: true},
		{Key: "parent", Aliases: []string{"Induk", "Kode induk", "Indikator induk", "Parent code"}},
		{Key: "title", Aliases: []string{"Uraian", "Judul", "Indikator", "Nama indikator", "Uraian indikator"}, Required: true},
		{Key: "weight", Aliases: []string{"Bobot", "Bobot indikator"}},
		{Key: "requirement", Aliases: []string{"Bukti dukung", "Persyaratan", "Dokumen pendukung", "Kebutuhan bukti"}},
		{Key: "applies_to", Aliases: []string{"Berlaku untuk", "Berlaku bagi", "Jenis Pemda", "Applies to"}},
	}
	// ClaimsLayout is the bulk claims import's columns.
	ClaimsLayout = Layout{
		{Key: "region_code", Aliases: []string{"Kode Pemda", "Kode wilayah", "Kode daerah", "Region code"}, Required: true},
		{Key: "indicator_code", Aliases: []string{"Kode indikator", "Kode subindikator", "Indicator code"}, Required: true},
		{Key: "progress", Aliases: []string{"Klaim (%)", "Klaim", "Progres", "Progres (%)", "Capaian", "Capaian (%)", "Claimed progress"}, Required: true},
		{Key: "note", Aliases: []string{"Catatan", "Keterangan"}},
		{Key: "version", Aliases: []string{"Versi"}},
	}
)

// header is the Indonesian header an export writes for a layout's column.
func header(l Layout, key string) string {
	for _, f := range l {
		if f.Key == key {
			return f.Aliases[0]
		}
	}
	panic("sheets: no column " + key)
}

// ParseNumber reads a number as people write it in spreadsheets: with a decimal comma or point,
// thousands separated by points, commas or spaces, a trailing "%" (dropped: percentages are
// read in points, "87,5%" is 87.5). The last of "." and "," is the decimal separator when both
// appear; a lone separator followed by exactly three digits, repeated ("1.000.000"), groups
// thousands.
func ParseNumber(s string) (models.Fixed, error) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\u00A0' || r == '\u202F' {
			return -1
		}
		return r
	}, s)
	dot, comma := strings.LastIndexByte(s, '.'), strings.LastIndexByte(s, ',')
	switch {
	case dot >= 0 && comma >= 0 && comma > dot:
		s = strings.ReplaceAll(s, ".", "")
		s = strings.Replace(s, ",", ".", 1)
	case dot >= 0 && comma >= 0:
		s = strings.ReplaceAll(s, ",", "")
	case comma >= 0 && strings.Count(s, ",") > 1:
		s = strings.ReplaceAll(s, ",", "")
	case comma >= 0:
		s = strings.Replace(s, ",", ".", 1)
	case strings.Count(s, ".") > 1:
		s = strings.ReplaceAll(s, ".", "")
	}
	return models.ParseFixed(s)
}

// kindNames are the words applies_to cells may use.
var kindNames = map[string][]models.RegionKind{
	"province": {models.KindProvince}, "provinsi": {models.KindProvince}, "prov": {models.KindProvince},
	"regency": {models.KindRegency}, "kabupaten": {models.KindRegency}, "kab": {models.KindRegency},
	"city": {models.KindCity}, "kota": {models.KindCity},
	"all": models.RegionKinds, "semua": models.RegionKinds,
}

// ParseKinds reads an applies_to cell: region kinds in English or Indonesian ("province, regency",
// "Kabupaten/Kota", "semua"), separated by commas, semicolons, slashes or spaces.
func ParseKinds(s string) ([]models.RegionKind, bool) {
	var out []models.RegionKind
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return strings.ContainsRune(",;/ +&", r) }) {
		if w == "dan" || w == "and" {
			continue
		}
		kinds, ok := kindNames[strings.TrimSuffix(w, ".")]
		if !ok {
			return nil, false
		}
		out = append(out, kinds...)
	}
	return models.KindSet(out).Normal(), len(out) > 0
}

// kindsText writes a set of kinds as the catalogue export does.
func kindsText(k models.KindSet) string {
	parts := make([]string, 0, 3)
	for _, kind := range k.Normal() {
		parts = append(parts, models.Label(models.Indonesian, "region_kind", string(kind)))
	}
	return strings.Join(parts, ", ")
}

// cells reads one record's cells by key.
type cells struct {
	rec    *Record
	layout Layout
	src    *models.RowSource
}

func (c cells) index(key string) int {
	for i, f := range c.layout {
		if f.Key == key {
			return i
		}
	}
	panic("sheets: no column " + key)
}

// text is a cell's text ("" when blank or absent).
func (c cells) text(key string) string { return c.rec.Cells[c.index(key)] }

// given is a cell's text when the file has the column (blank included), nil when it has not.
func (c cells) given(key string) *string {
	if !c.rec.Present[c.index(key)] {
		return nil
	}
	t := c.text(key)
	return &t
}

// number is a cell's number, nil when blank; a cell that is not a number is a problem.
func (c cells) number(key string) *models.Fixed {
	t := c.text(key)
	if t == "" {
		return nil
	}
	n, err := ParseNumber(t)
	if err != nil {
		c.src.Problems = append(c.src.Problems, models.RowProblem{Field: key, Code: "number_format"})
		return nil
	}
	return &n
}

// CatalogueLines turns records read in CatalogueLayout into the store's catalogue lines.
func CatalogueLines(recs []Record) []models.CatalogueLine {
	out := make([]models.CatalogueLine, len(recs))
	for i := range recs {
		l := &out[i]
		l.Sheet, l.Row = recs[i].Sheet, recs[i].Row
		c := cells{rec: &recs[i], layout: CatalogueLayout, src: &l.RowSource}
		l.AreaCode, l.AreaName, l.IndicatorCode = c.text("area_code"), c.text("area_name"), c.text("indicator_code")
		l.Parent, l.Title = c.text("parent"), c.text("title")
		l.AreaWeight, l.Weight = c.number("area_weight"), c.number("weight")
		l.Requirement = c.given("requirement")
		if t := c.text("applies_to"); t != "" {
			kinds, ok := ParseKinds(t)
			if !ok {
				l.Problems = append(l.Problems, models.RowProblem{Field: "applies_to", Code: "applies_to"})
			}
			l.AppliesTo = kinds
		}
	}
	return out
}

// ClaimLines turns records read in ClaimsLayout into the store's claim lines.
func ClaimLines(recs []Record) []models.ClaimLine {
	out := make([]models.ClaimLine, len(recs))
	for i := range recs {
		l := &out[i]
		l.Sheet, l.Row = recs[i].Sheet, recs[i].Row
		c := cells{rec: &recs[i], layout: ClaimsLayout, src: &l.RowSource}
		l.RegionCode, l.IndicatorCode = c.text("region_code"), c.text("indicator_code")
		l.Progress = c.number("progress")
		l.Note = c.given("note")
		if t := c.text("version"); t != "" {
			v, err := strconv.ParseInt(strings.TrimSuffix(t, ".0"), 10, 64)
			if err != nil || v < 0 {
				l.Problems = append(l.Problems, models.RowProblem{Field: "version", Code: "integer"})
			} else {
				l.Version = &v
			}
		}
	}
	return out
}
