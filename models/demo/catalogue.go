package demo

import (
	"context"

	"github.com/pantau-id/pantau/models"
)

// node is an area's indicator or an indicator's sub-indicator in the demo catalogue.
type node struct {
	code, title string
	weight      string // a decimal
	requirement string
	appliesTo   []models.RegionKind // nil: every kind
	subs        []node
}

// area is one of the year's eight intervention areas.
type area struct {
	code, name, weight string
	indicators         []node
}

var (
	regencies   = []models.RegionKind{models.KindRegency}
	localTaxing = []models.RegionKind{models.KindRegency, models.KindCity}
)

// catalogue is the 2019 programme's eight areas (domain.md) with plausible indicators and
// sub-indicators. The PTSP area is weighted as the only public PTSP weighting found
// (regulation 25, infrastructure 10, licensing process 40, control and supervision 25); the
// other weights and all item names are illustrative. Village funds apply to regencies only,
// the land and building tax (PBB-P2) to regencies and cities.
var catalogue = []area{
	{"PRC", "Perencanaan dan Penganggaran APBD", "15", []node{
		{code: "PRC.1", title: "Perencanaan dan penganggaran terintegrasi secara elektronik (e-Planning dan e-Budgeting)", weight: "50",
			requirement: "Tangkapan layar aplikasi dan dokumen RKPD/APBD yang dihasilkannya"},
		{code: "PRC.2", title: "Dokumen APBD dipublikasikan di laman resmi Pemda", weight: "50", requirement: "Tautan laman dan tangkapan layar dokumen APBD"},
	}},
	{"PBJ", "Pengadaan Barang dan Jasa", "15", []node{
		{code: "PBJ.1", title: "UKPBJ berdiri sebagai unit kerja struktural permanen dengan pengelola pengadaan bersertifikat", weight: "50",
			requirement: "Peraturan kepala daerah tentang UKPBJ dan daftar pengelola bersertifikat"},
		{code: "PBJ.2", title: "Rencana umum pengadaan diumumkan di SIRUP dan seluruh tender melalui SPSE", weight: "50", requirement: "Rekapitulasi RUP dan laporan SPSE"},
	}},
	{"PTSP", "Pelayanan Terpadu Satu Pintu", "10", []node{
		{code: "PTSP.A", title: "Regulasi", weight: "25", subs: []node{
			{code: "PTSP.1", title: "Peraturan kepala daerah tentang pendelegasian kewenangan perizinan dan nonperizinan kepada DPMPTSP", weight: "60",
				requirement: "Peraturan kepala daerah beserta lampiran daftar perizinan yang didelegasikan"},
			{code: "PTSP.2", title: "SOP dan standar pelayanan perizinan ditetapkan dan dipublikasikan", weight: "40", requirement: "SK penetapan SOP dan standar pelayanan"},
		}},
		{code: "PTSP.3", title: "Sarana dan prasarana PTSP: ruang layanan, loket, ruang pengaduan dan akses difabel", weight: "10",
			requirement: "Foto ruang layanan dan berita acara pemeriksaan sarana"},
		{code: "PTSP.C", title: "Proses perizinan", weight: "40", subs: []node{
			{code: "PTSP.4", title: "Layanan perizinan daring terintegrasi dengan OSS", weight: "50", requirement: "Laporan integrasi OSS dan contoh izin terbit"},
			{code: "PTSP.5", title: "Sistem penelusuran (tracking) status permohonan izin", weight: "25", requirement: "Tangkapan layar aplikasi penelusuran"},
			{code: "PTSP.6", title: "Transparansi persyaratan, biaya dan waktu layanan di laman dan ruang layanan", weight: "25", requirement: "Tautan laman dan foto papan informasi"},
		}},
		{code: "PTSP.D", title: "Pengendalian dan pengawasan", weight: "25", subs: []node{
			{code: "PTSP.7", title: "Unit dan mekanisme penanganan pengaduan masyarakat", weight: "50", requirement: "SK tim pengaduan dan rekap pengaduan"},
			{code: "PTSP.8", title: "Pengawasan dan pengendalian pelaksanaan perizinan", weight: "50", requirement: "Laporan pengawasan perizinan"},
		}},
	}},
	{"APIP", "Kapabilitas APIP", "15", []node{
		{code: "APIP.1", title: "Level kapabilitas APIP (IACM) minimal level 3", weight: "60", requirement: "Hasil penilaian kapabilitas oleh BPKP"},
		{code: "APIP.2", title: "Anggaran pengawasan sesuai ketentuan", weight: "40", requirement: "DPA inspektorat"},
	}},
	{"ASN", "Manajemen ASN", "10", []node{
		{code: "ASN.1", title: "Seleksi terbuka jabatan pimpinan tinggi", weight: "50", requirement: "Pengumuman dan hasil seleksi terbuka"},
		{code: "ASN.2", title: "Tambahan penghasilan pegawai berbasis kinerja", weight: "50", requirement: "Peraturan kepala daerah tentang TPP"},
	}},
	{"DD", "Pengelolaan Dana Desa", "10", []node{
		{code: "DD.1", title: "Siskeudes diterapkan di seluruh desa", weight: "50", appliesTo: regencies, requirement: "Rekapitulasi desa pengguna Siskeudes"},
		{code: "DD.2", title: "Pembinaan dan pengawasan dana desa oleh APIP", weight: "50", appliesTo: regencies, requirement: "Laporan hasil pengawasan dana desa"},
	}},
	{"PAD", "Optimalisasi Pendapatan Daerah", "12.5", []node{
		{code: "PAD.1", title: "Basis data dan perekaman pajak daerah", weight: "100", subs: []node{
			{code: "PAD.1.1", title: "Pemutakhiran basis data PBB-P2", weight: "50", appliesTo: localTaxing, requirement: "Laporan pemutakhiran data objek pajak"},
			{code: "PAD.1.2", title: "Perekaman transaksi pajak hotel, restoran dan parkir secara elektronik", weight: "50", requirement: "Daftar wajib pajak dengan alat perekam"},
		}},
	}},
	{"ASET", "Manajemen Aset Daerah", "12.5", []node{
		{code: "ASET.1", title: "Penatausahaan barang milik daerah dengan sistem informasi aset", weight: "50", requirement: "Tangkapan layar aplikasi dan berita acara rekonsiliasi"},
		{code: "ASET.2", title: "Pengamanan aset", weight: "50", subs: []node{
			{code: "ASET.2.1", title: "Sertifikasi tanah milik Pemda", weight: "50", requirement: "Daftar bidang tanah bersertifikat"},
			{code: "ASET.2.2", title: "Penertiban aset bermasalah", weight: "50", requirement: "Berita acara penertiban"},
		}},
	}},
}

// leaf is a claimable item of the catalogue: its code, its area and its weight inside its
// parent, with the kinds it applies to.
type leaf struct {
	code, area string
	appliesTo  []models.RegionKind
}

// leaves lists the catalogue's claimable items in catalogue order.
func leaves() []leaf {
	var out []leaf
	for _, a := range catalogue {
		for _, ind := range a.indicators {
			if len(ind.subs) == 0 {
				out = append(out, leaf{ind.code, a.code, ind.appliesTo})
			}
			for _, sub := range ind.subs {
				out = append(out, leaf{sub.code, a.code, sub.appliesTo})
			}
		}
	}
	return out
}

// applies says whether a leaf counts for a kind of region.
func (l leaf) applies(kind models.RegionKind) bool {
	if l.appliesTo == nil {
		return true
	}
	for _, k := range l.appliesTo {
		if k == kind {
			return true
		}
	}
	return false
}

// seedCatalogue enters the first year's catalogue through the store, as a coordinator would.
func seedCatalogue(ctx context.Context, db *models.DB, year int) error {
	for _, a := range catalogue {
		w := fixed(a.weight)
		if _, err := db.CreateArea(ctx, year, models.AreaInput{Code: a.code, Name: a.name, Weight: &w}); err != nil {
			return err
		}
		for _, ind := range a.indicators {
			if err := createIndicator(ctx, db, year, a.code, "", ind); err != nil {
				return err
			}
			for _, sub := range ind.subs {
				if err := createIndicator(ctx, db, year, a.code, ind.code, sub); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func createIndicator(ctx context.Context, db *models.DB, year int, areaCode, parent string, n node) error {
	w := fixed(n.weight)
	in := models.IndicatorInput{Code: n.code, Area: areaCode, Parent: parent, Title: n.title, Weight: &w, Requirement: n.requirement, AppliesTo: n.appliesTo}
	_, err := db.CreateIndicator(ctx, year, in)
	return err
}
