package national

import (
	"fmt"
	"time"

	"github.com/pantau-id/pantau/models"
)

// provinceCodes are the Kemendagri codes of Indonesia's 38 provinces; the names given to them
// here are synthetic.
var provinceCodes = []string{
	"11", "12", "13", "14", "15", "16", "17", "18", "19", "21",
	"31", "32", "33", "34", "35", "36", "51", "52", "53", "61",
	"62", "63", "64", "65", "71", "72", "73", "74", "75", "76",
	"81", "82", "91", "92", "93", "94", "95", "96",
}

// A province's regencies are numbered from .01 and its cities from .71, as Kemendagri does.
const (
	maxRegencies = 70
	maxCities    = 29
)

type area struct {
	code   string
	names  map[int]string // the name used from a year on (0: from the start)
	weight int64
	share  int // of 100 indicators
	topics []string
}

func (a area) nameFor(year int) string {
	best, name := -1, ""
	for from, n := range a.names {
		if from <= year && from > best {
			best, name = from, n
		}
	}
	return name
}

// areas are the eight MCP intervention areas with weights (Σ 100) and their share of the
// indicators (Σ 100). The public-service area was called Perizinan until 2023.
var areas = []area{
	{"PPA", map[int]string{0: "Perencanaan dan Penganggaran APBD"}, 15, 14, []string{
		"RKPD dan APBD ditetapkan tepat waktu", "Standar satuan harga ditetapkan dan dipakai", "Pokok pikiran DPRD melalui aplikasi perencanaan",
		"Keterpaduan perencanaan dan penganggaran dalam satu sistem"}},
	{"PBJ", map[int]string{0: "Pengadaan Barang dan Jasa"}, 15, 14, []string{
		"UKPBJ berdiri sendiri dengan SDM bersertifikat", "Rencana umum pengadaan diumumkan", "Pengadaan melalui katalog elektronik",
		"Pengendalian kontrak dan pengelolaan penyedia"}},
	{"PTSP", map[int]string{0: "Perizinan", 2024: "Pelayanan Publik"}, 10, 12, []string{
		"Pendelegasian kewenangan perizinan kepada DPMPTSP", "SOP dan standar pelayanan dipublikasikan", "Layanan perizinan daring terintegrasi OSS",
		"Penanganan pengaduan masyarakat"}},
	{"APIP", map[int]string{0: "Penguatan Kapabilitas APIP"}, 15, 14, []string{
		"Pemenuhan rasio jabatan fungsional auditor", "Anggaran pengawasan memadai", "Tindak lanjut hasil pemeriksaan",
		"Penerapan manajemen risiko"}},
	{"MASN", map[int]string{0: "Manajemen ASN"}, 15, 12, []string{
		"Sistem informasi kepegawaian mutakhir", "Seleksi terbuka jabatan pimpinan tinggi", "Penegakan disiplin dan kode etik ASN",
		"Tunjangan berbasis kinerja"}},
	{"OPD", map[int]string{0: "Optimalisasi Pendapatan Daerah"}, 10, 12, []string{
		"Basis data wajib pajak mutakhir", "Pembayaran pajak daerah secara elektronik", "Perekaman transaksi usaha",
		"Pemutakhiran NJOP PBB-P2"}},
	{"MAD", map[int]string{0: "Manajemen Aset Daerah"}, 10, 12, []string{
		"Sertifikasi tanah milik pemerintah daerah", "Penertiban aset bermasalah", "Inventarisasi dan penilaian aset",
		"Pemanfaatan aset secara sah"}},
	{"TKDD", map[int]string{0: "Tata Kelola Dana Desa"}, 10, 10, []string{
		"Penyaluran dana desa tepat waktu", "Pengawasan dana desa oleh APIP", "Sistem keuangan desa diterapkan",
		"Transparansi APBDes kepada warga"}},
}

// indicatorCounts spreads n indicators over the areas by their shares, at least one each.
func indicatorCounts(n int) []int {
	counts := make([]int, len(areas))
	used := 0
	for i, a := range areas {
		counts[i] = max(1, n*a.share/100)
		used += counts[i]
	}
	for i := 0; used != n; i = (i + 1) % len(areas) {
		switch {
		case used < n:
			counts[i]++
			used++
		case counts[i] > 1:
			counts[i]--
			used--
		}
	}
	return counts
}

// region is a planned Pemda.
type region struct {
	id         int64
	code, name string
	kind       models.RegionKind
}

// plan lays out the Pemda: each province, then its regencies and cities, spread evenly over
// the provinces (the first ones get the remainder).
func plan(o Options) []region {
	var out []region
	for p := 0; p < o.Provinces; p++ {
		pc := provinceCodes[p]
		out = append(out, region{code: pc, name: "Provinsi Sintetis " + pc, kind: models.KindProvince})
		for n := 1; n <= share(o.Regencies, o.Provinces, p); n++ {
			c := fmt.Sprintf("%s.%02d", pc, n)
			out = append(out, region{code: c, name: "Kabupaten Sintetis " + c, kind: models.KindRegency})
		}
		for n := 1; n <= share(o.Cities, o.Provinces, p); n++ {
			c := fmt.Sprintf("%s.%02d", pc, 70+n)
			out = append(out, region{code: c, name: "Kota Sintetis " + c, kind: models.KindCity})
		}
	}
	return out
}

func share(total, parts, i int) int {
	n := total / parts
	if i < total%parts {
		n++
	}
	return n
}

// yearShift moves every Pemda's level by year: the programme improves over time.
func yearShift(year int) int64 { return int64(year-2024) * 6 }

// target is a region's verified action-plan level for a year, in hundredths, or -1 for a
// Pemda that completed every item (about 3 in 100).
func (l *loader) target(year, ri int) int64 {
	if newHash(l.opts.Seed, "complete", uint64(year), uint64(ri)).intn(100) < 3 {
		return -1
	}
	hb := newHash(l.opts.Seed, "base", uint64(ri))
	base := 15 + (hb.intn(85)+hb.intn(85))/2 // a Pemda's standing, stable over the years: 15–99, mostly around 57
	noise := newHash(l.opts.Seed, "year", uint64(year), uint64(ri)).intn(11) - 5
	return clamp((base+yearShift(year)+noise)*100, 0, 9900)
}

type itemValues struct {
	claimed, verified int64 // hundredths
	status            models.ItemStatus
	version           int64
	updated           time.Time
}

// item draws one item around the region's target: mostly approved (claim = verified), some
// submitted with a claim above the last verified value, a few rejected.
func (l *loader) item(year, ri, ii int, target int64) itemValues {
	h := newHash(l.opts.Seed, "item", uint64(year), uint64(ri), uint64(ii))
	it := itemValues{status: models.StatusApproved, version: 2, updated: at(year, h)}
	if target < 0 {
		it.claimed, it.verified = 10000, 10000
		return it
	}
	v := clamp(target+(h.intn(61)-30)*100, 0, 10000)
	v -= v % 50 // whole and half percents
	it.claimed, it.verified = v, v
	switch r := h.intn(100); {
	case r < 10:
		it.status, it.version = models.StatusSubmitted, 3
	case r < 14:
		it.status, it.version = models.StatusRejected, 4
	default:
		return it
	}
	if v == 10000 {
		it.verified = 10000 - (1+h.intn(20))*100
	} else {
		it.claimed = clamp(v+(5+h.intn(26))*100, v+50, 10000)
	}
	return it
}

type delegationValues struct {
	total, delegated int64
	legalBasis       string
	updated          time.Time
}

// delegation draws a Pemda's delegated share of its licensing authorities, spread over every
// delegation zone and rising over the years.
func (l *loader) delegation(year, ri int) delegationValues {
	r := l.regions[ri]
	h := newHash(l.opts.Seed, "delegation", uint64(year), uint64(ri))
	base := newHash(l.opts.Seed, "delegation-base", uint64(ri)).intn(115) + 5 // percent, above 100 means complete
	total := 80 + newHash(l.opts.Seed, "authorities", uint64(ri)).intn(81)
	pct := clamp(base+yearShift(year)/2+h.intn(9)-4, 0, 100)
	head := map[models.RegionKind]string{models.KindProvince: "Gubernur", models.KindRegency: "Bupati", models.KindCity: "Wali Kota"}[r.kind]
	number, issued := 1+h.intn(60), int64(year)-1-h.intn(4)
	return delegationValues{total: total, delegated: total * pct / 100, updated: at(year, h),
		legalBasis: fmt.Sprintf("Peraturan %s %s Nomor %d Tahun %d tentang Pendelegasian Kewenangan Perizinan dan Nonperizinan kepada DPMPTSP (sintetis)",
			head, r.name, number, issued)}
}

func clamp(v, lo, hi int64) int64 { return min(max(v, lo), hi) }

// hash is a splitmix64 stream keyed by a label and coordinates, so each value depends only on
// what it describes, never on the order of generation or on a library's random generator.
type hash struct{ state uint64 }

func newHash(seed uint64, label string, coords ...uint64) *hash {
	h := &hash{state: seed}
	for i := 0; i < len(label); i++ {
		h.state = h.state*1099511628211 ^ uint64(label[i])
	}
	for _, c := range coords {
		h.state ^= c + 0x9e3779b97f4a7c15
		h.next()
	}
	return h
}

func (h *hash) next() uint64 {
	h.state += 0x9e3779b97f4a7c15
	z := h.state
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// intn returns a value in [0, n).
func (h *hash) intn(n int64) int64 { return int64(h.next() % uint64(n)) }
