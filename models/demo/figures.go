package demo

import "github.com/pantau-id/pantau/models"

// Years are the demo's periods: 2018 and 2019 closed, 2020 open.
var Years = []int{2018, 2019, 2020}

// Year is the year whose figures were published (domain.md) and that the demo's tests and
// README quote.
const Year = 2019

// target is a region's figures for a year: its overall verified action-plan score and its
// PTSP area score (percent, two decimals), and its delegation counts.
type target struct {
	overall, ptsp    string
	delegated, total int64
}

// targets are each year's figures by region code. 2019 reproduces what was published: overall
// Katingan 87, Palangka Raya 83, Kotawaringin Timur 79, Lamandau 77, Pulang Pisau 76,
// Kotawaringin Barat 74, Barito Timur 72, Seruyan 62, the province 91, the average of the
// fifteen Pemda 69; in the PTSP area Seruyan at 100%, ten at 75% or more, four above 50% and
// below 75%; delegation: the province at 100% and, of the fourteen regencies and cities, seven
// at 100%, four green, one light green, one yellow and one red. 2020 reproduces the province's
// 82.78 and the average of 64. Every other figure — 2018, the six Pemda whose 2019 score was
// not published, 2020 apart from those two, the delegation counts and all of Kalimantan Utara
// — is illustrative, chosen to fit the published ones.
var targets = map[int]map[string]target{
	2018: {
		"62": {"84", "85", 128, 142}, "62.01": {"66", "68", 80, 120}, "62.02": {"70", "72", 96, 118},
		"62.03": {"51", "70", 90, 116}, "62.04": {"55", "69", 60, 110}, "62.05": {"57", "71", 100, 112},
		"62.06": {"41", "57", 20, 104}, "62.07": {"69", "70", 70, 108}, "62.08": {"55", "90", 115, 115},
		"62.09": {"78", "80", 95, 120}, "62.10": {"67", "70", 80, 110}, "62.11": {"50", "72", 60, 106},
		"62.12": {"64", "65", 36, 112}, "62.13": {"40", "50", 20, 102}, "62.71": {"76", "77", 110, 125},
		"65": {"62", "66", 70, 96}, "65.02": {"48", "55", 40, 88}, "65.71": {"58", "64", 60, 90},
	},
	2019: {
		"62": {"91", "91", 142, 142}, "62.01": {"74", "74", 96, 120}, "62.02": {"79", "79", 118, 118},
		"62.03": {"58", "80", 116, 116}, "62.04": {"61", "78", 88, 110}, "62.05": {"63", "75", 112, 112},
		"62.06": {"48", "64", 60, 104}, "62.07": {"77", "77", 90, 108}, "62.08": {"62", "100", 115, 115},
		"62.09": {"87", "87", 120, 120}, "62.10": {"76", "76", 110, 110}, "62.11": {"56", "81", 84, 106},
		"62.12": {"72", "72", 40, 112}, "62.13": {"48", "58", 22, 102}, "62.71": {"83", "83", 125, 125},
		"65": {"70", "72", 80, 96}, "65.02": {"55", "61", 52, 88}, "65.71": {"66", "70", 72, 90},
	},
	2020: {
		"62": {"82.78", "84", 142, 142}, "62.01": {"70", "72", 100, 120}, "62.02": {"72", "76", 118, 118},
		"62.03": {"55", "74", 116, 116}, "62.04": {"58", "70", 92, 110}, "62.05": {"60", "72", 112, 112},
		"62.06": {"45", "60", 64, 104}, "62.07": {"71", "74", 94, 108}, "62.08": {"66", "95", 115, 115},
		"62.09": {"80", "83", 120, 120}, "62.10": {"69", "71", 110, 110}, "62.11": {"52", "76", 86, 106},
		"62.12": {"65", "68", 48, 112}, "62.13": {"42", "55", 30, 102}, "62.71": {"72.22", "78", 125, 125},
		"65": {"73", "75", 86, 96}, "65.02": {"57", "63", 60, 88}, "65.71": {"68", "71", 78, 90},
	},
}

// areaOffsets vary the areas other than PTSP around the value that gives a region its overall
// score. Within each group of equally weighted areas the offsets sum to zero, so the weighted
// mean is exactly that value; the second pattern alternates with the first between regions.
// When village funds do not apply (provinces and cities), ASN's offset is dropped with DD's.
var areaOffsets = [2]map[string]int64{
	{"PRC": 6, "PBJ": -3, "APIP": -3, "PAD": 4, "ASET": -4, "ASN": 5, "DD": -5},
	{"PRC": -4, "PBJ": 2, "APIP": 2, "PAD": -2, "ASET": 2, "ASN": -3, "DD": 3},
}

// ptspOffsets vary the PTSP sub-indicators around the area's score: zero-sum by weight within
// each indicator, so every PTSP indicator, and the area, stays exactly on it.
var ptspOffsets = [2]map[string]int64{
	{"PTSP.1": 2, "PTSP.2": -3, "PTSP.4": 4, "PTSP.5": -4, "PTSP.6": -4, "PTSP.7": 5, "PTSP.8": -5},
	{"PTSP.1": -2, "PTSP.2": 3, "PTSP.4": -2, "PTSP.5": 4, "PTSP.7": -3, "PTSP.8": 3},
}

// legalBases are the delegation regulations; only Seruyan's Perbup No. 16/2017 is real.
var legalBases = map[string]string{
	"62":    "Peraturan Gubernur Kalimantan Tengah Nomor 7 Tahun 2018 (demo)",
	"62.01": "Peraturan Bupati Kotawaringin Barat Nomor 12 Tahun 2018 (demo)",
	"62.02": "Peraturan Bupati Kotawaringin Timur Nomor 9 Tahun 2018 (demo)",
	"62.03": "Peraturan Bupati Kapuas Nomor 21 Tahun 2017 (demo)",
	"62.04": "Peraturan Bupati Barito Selatan Nomor 5 Tahun 2018 (demo)",
	"62.05": "Peraturan Bupati Barito Utara Nomor 14 Tahun 2018 (demo)",
	"62.06": "Peraturan Bupati Sukamara Nomor 3 Tahun 2016 (demo)",
	"62.07": "Peraturan Bupati Lamandau Nomor 18 Tahun 2018 (demo)",
	"62.08": "Peraturan Bupati Seruyan Nomor 16 Tahun 2017",
	"62.09": "Peraturan Bupati Katingan Nomor 30 Tahun 2018 (demo)",
	"62.10": "Peraturan Bupati Pulang Pisau Nomor 11 Tahun 2018 (demo)",
	"62.11": "Peraturan Bupati Gunung Mas Nomor 8 Tahun 2018 (demo)",
	"62.12": "Peraturan Bupati Barito Timur Nomor 6 Tahun 2017 (demo)",
	"62.13": "Peraturan Bupati Murung Raya Nomor 2 Tahun 2016 (demo)",
	"62.71": "Peraturan Wali Kota Palangka Raya Nomor 24 Tahun 2018 (demo)",
	"65":    "Peraturan Gubernur Kalimantan Utara Nomor 10 Tahun 2018 (demo)",
	"65.02": "Peraturan Bupati Bulungan Nomor 4 Tahun 2018 (demo)",
	"65.71": "Peraturan Wali Kota Tarakan Nomor 15 Tahun 2018 (demo)",
}

// published says whether a region's overall figure for a year was published (the rest are
// illustrative and their claims say so).
func published(year int, code string) bool {
	switch year {
	case 2019:
		switch code {
		case "62", "62.01", "62.02", "62.07", "62.08", "62.09", "62.10", "62.12", "62.71":
			return true
		}
	case 2020:
		return code == "62"
	}
	return false
}

// leafValues are a region's verified values for a year, by leaf code (applicable leaves only):
// the PTSP leaves around the PTSP score, the other areas around the value that makes the
// weighted overall score exactly the target once rounded.
func leafValues(year int, r models.RegionInput, variant int) (map[string]models.Fixed, error) {
	t := targets[year][r.Code]
	overall, ptsp := fixed(t.overall), fixed(t.ptsp)
	var ptspWeight, otherWeight int64
	applicable := map[string]bool{}
	for _, l := range leaves() {
		if l.applies(r.Kind) {
			applicable[l.area] = true
		}
	}
	for _, a := range catalogue {
		if !applicable[a.code] {
			continue
		}
		if a.code == "PTSP" {
			ptspWeight = int64(fixed(a.weight))
		} else {
			otherWeight += int64(fixed(a.weight))
		}
	}
	// X = (overall × W − w_PTSP × ptsp) / w_other, rounded half-up to hundredths: off by at
	// most 0.005 × w_other / W < 0.005 overall, which the single rounding removes.
	num := int64(overall)*(ptspWeight+otherWeight) - ptspWeight*int64(ptsp)
	x := (2*num + otherWeight) / (2 * otherWeight)
	values := map[string]models.Fixed{}
	for _, l := range leaves() {
		if !l.applies(r.Kind) {
			continue
		}
		var v int64
		if l.area == "PTSP" {
			v = int64(ptsp)
			if ptsp != models.Hundred {
				v += 100 * ptspOffsets[variant][l.code]
			}
		} else {
			off := areaOffsets[variant][l.area]
			if l.area == "ASN" && !applicable["DD"] {
				off = 0
			}
			v = x + 100*off
		}
		if v < 0 || models.Fixed(v) > models.Hundred {
			return nil, errOutOfRange(r.Code, l.code, v)
		}
		values[l.code] = models.Fixed(v)
	}
	return values, nil
}
