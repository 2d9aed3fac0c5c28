package reports

import (
	"fmt"
	"time"

	"github.com/pantau-id/pantau/models"
)

// fixture describes in-memory report data: no database, since reports never touches one.
type fixture struct {
	year       int
	regions    int // Pemda after the province
	areas      int
	indicators int // per period
	longNames  bool
	noPrevious bool
	comments   bool
}

var fixtureAreas = []string{"Perencanaan dan Penganggaran APBD", "Pengadaan Barang dan Jasa", "Pelayanan Terpadu Satu Pintu",
	"Penguatan Kapabilitas APIP", "Manajemen ASN", "Optimalisasi Pendapatan Daerah", "Manajemen Aset Daerah", "Tata Kelola Dana Desa"}

var fixtureTopics = []string{"Peraturan kepala daerah tentang pendelegasian kewenangan perizinan dan nonperizinan kepada DPMPTSP",
	"SOP dan standar pelayanan dipublikasikan", "Layanan perizinan daring terintegrasi OSS", "Penanganan pengaduan masyarakat",
	"Rencana umum pengadaan diumumkan", "Tindak lanjut hasil pemeriksaan"}

// mix is a small deterministic hash for synthetic figures.
func mix(a ...int) int {
	h := uint64(1469598103934665603)
	for _, v := range a {
		h ^= uint64(v)
		h *= 1099511628211
	}
	return int(h >> 33)
}

// build makes a period's data: a summary computed like the store does, and every section.
func (f fixture) build() *models.ProgressData {
	d := &models.ProgressData{Period: models.Period{ID: 1, Year: f.year, Name: fmt.Sprintf("Rencana Aksi %d", f.year)}}
	d.Schemes = map[models.Metric]models.Scheme{}
	for m, s := range models.ZonePresets["default"] {
		d.Schemes[m] = s
	}
	for i := 0; i < f.areas; i++ {
		code := fmt.Sprintf("A%d", i+1)
		d.Areas = append(d.Areas, models.Area{ID: int64(i + 1), Code: code, Name: fixtureAreas[i%len(fixtureAreas)], Weight: models.FixedFromInt(int64(10 + i%3*5))})
	}
	var inds []models.Indicator
	for i := 0; i < f.indicators && f.areas > 0; i++ {
		a := d.Areas[i*f.areas/f.indicators]
		inds = append(inds, models.Indicator{ID: int64(i + 1), AreaID: a.ID, AreaCode: a.Code, Code: fmt.Sprintf("%s.%02d", a.Code, i+1),
			Title: fixtureTopics[i%len(fixtureTopics)], Weight: models.FixedFromInt(int64(1 + i%4))})
	}
	regions := []models.Region{{ID: 1, Code: "62", Name: "Provinsi Kalimantan Tengah", Kind: models.KindProvince}}
	for i := 1; i <= f.regions; i++ {
		name := fmt.Sprintf("Kabupaten Contoh Nomor %d", i)
		if f.longNames && i%2 == 1 {
			name = fmt.Sprintf("Kabupaten Kepulauan Contoh yang Namanya Sangat Panjang Sekali Hingga Tidak Muat Dalam Satu Baris Tabel Nomor %d", i)
		}
		code := fmt.Sprintf("62.%02d", i)
		if i > 99 {
			code = fmt.Sprintf("62.%d", i)
		}
		regions = append(regions, models.Region{ID: int64(i + 1), Code: code, Name: name, Kind: models.KindRegency})
	}
	scorer := models.NewScorer(d.Areas, inds)
	sum := &models.Summary{Year: f.year, Counts: map[models.Metric]map[models.Zone]int{}}
	for _, m := range models.Metrics {
		sum.Counts[m] = map[models.Zone]int{}
		for _, k := range d.Schemes[m].Keys() {
			sum.Counts[m][k] = 0
		}
	}
	reviewed := time.Date(f.year, 11, 2, 3, 4, 0, 0, time.UTC)
	for ri, r := range regions {
		sec := models.ReportSection{Region: r, Items: make([]models.ReportItem, len(inds))}
		verified, claimed := map[int64]models.Fixed{}, map[int64]models.Fixed{}
		target := 40 + mix(ri, f.year)%61
		if ri == 3 {
			target = 100
		}
		for ii := range inds {
			c := models.FixedFromInt(int64(min(100, target+mix(ri, ii)%20)))
			v := c
			status := models.StatusApproved
			switch mix(ri, ii, 7) % 6 {
			case 0:
				v, status = 0, models.StatusSubmitted
			case 1:
				v, status = c/2, models.StatusRejected
			}
			if target == 100 {
				c, v, status = models.Hundred, models.Hundred, models.StatusApproved
			}
			it := models.ReportItem{Indicator: &inds[ii], Progress: c, VerifiedProgress: v, Status: status, EvidenceCount: mix(ri, ii) % 4}
			if f.comments && status != models.StatusSubmitted {
				comment := "Bukti sudah sesuai."
				if status == models.StatusRejected {
					comment = "Dokumen SK belum ditandatangani kepala daerah; unggah ulang salinan yang sah beserta lampiran daftar izin."
				}
				it.LastReview = &models.ReviewInfo{Decision: map[bool]models.Decision{true: models.DecisionReject, false: models.DecisionApprove}[status == models.StatusRejected],
					VerifiedProgress: v, Comment: comment, Reviewer: "Reviewer KPK", CreatedAt: reviewed}
			}
			sec.Items[ii] = it
			verified[inds[ii].ID], claimed[inds[ii].ID] = v, c
		}
		sec.AreaScores = areaScores(d.Areas, sec.Items)
		total, delegated := int64(100+ri%40), int64(40+mix(ri)%100)
		delegated = min(delegated, total)
		p := models.DelegationPercent(delegated, total)
		sec.Delegation = &models.Delegation{Total: &total, Delegated: &delegated, Percent: &p, Zone: d.Schemes[models.MetricDelegation].Zone(&p),
			LegalBasis: fmt.Sprintf("Peraturan Bupati Contoh Nomor %d Tahun %d tentang Pendelegasian Kewenangan Perizinan", ri+1, f.year-2)}
		if ri == 2 {
			sec.Delegation = &models.Delegation{Zone: models.ZoneNoData}
		}
		rs := models.RegionSummary{Code: r.Code, Name: r.Name, Kind: r.Kind}
		rs.ActionPlan.Percent, rs.ActionPlan.ClaimedPercent = scorer.Score(models.KindRegency, verified), scorer.Score(models.KindRegency, claimed)
		rs.ActionPlan.Zone = d.Schemes[models.MetricActionPlan].Zone(rs.ActionPlan.Percent)
		rs.Delegation = models.DelegationStanding{Percent: sec.Delegation.Percent, Zone: sec.Delegation.Zone}
		sum.Counts[models.MetricActionPlan][rs.ActionPlan.Zone]++
		sum.Counts[models.MetricDelegation][rs.Delegation.Zone]++
		sum.Regions = append(sum.Regions, rs)
		d.Sections = append(d.Sections, sec)
	}
	sum.AsOf = time.Date(2026, 11, 22, 7, 5, 0, 0, time.UTC)
	sum.Narrative = models.Narrative(sum, d.Schemes)
	d.Summary = sum
	if !f.noPrevious {
		prev := &models.Summary{Year: f.year - 1}
		for i, r := range sum.Regions {
			if r.ActionPlan.Percent == nil || i == 1 {
				continue
			}
			v := *r.ActionPlan.Percent + models.Fixed(mix(i, 99)%1500) - 700
			v = max(0, min(models.Hundred, v))
			r.ActionPlan.Percent = &v
			prev.Regions = append(prev.Regions, r)
		}
		d.Previous = prev
	}
	d.State = fmt.Sprintf("fixture %+v", f)
	return d
}

// progressFor wraps data in the report's options, with a fixed clock and code.
func progressFor(d *models.ProgressData, region string) *Progress {
	return &Progress{
		Data: d, Region: region,
		GeneratedAt: time.Date(2026, 11, 22, 7, 5, 0, 0, time.UTC), GeneratedBy: "Koordinator Provinsi",
		VerificationCode: "K7QM-2XPA-9RTD", VerificationURL: "http://localhost:8080/verify/K7QM-2XPA-9RTD",
	}
}

// areaScores is each area's verified percentage from the section's items, as the store's
// scorer computes it.
func areaScores(areas []models.Area, items []models.ReportItem) map[string]*models.Fixed {
	inds := make([]models.Indicator, len(items))
	values := map[int64]models.LeafValue{}
	for i, it := range items {
		inds[i] = *it.Indicator
		values[it.Indicator.ID] = models.LeafValue{Verified: it.VerifiedProgress}
	}
	f := models.NewScorer(areas, inds).Figures(models.KindRegency, values)
	out := map[string]*models.Fixed{}
	for i, a := range areas {
		out[a.Code] = f.Areas[i].Verified
	}
	return out
}
