package sheets

import (
	"context"
	"fmt"
	"slices"

	"github.com/pantau-id/pantau/models"
)

// Tables are the tables an export writes.
var Tables = []string{"summary", "items", "radar", "delegation", "catalogue", "audit"}

// Request names one export: a period's table, for the regions the filter picks (summary, items,
// radar, delegation); Audit narrows the audit trail (its Year is set from the request's).
type Request struct {
	Year   int
	Table  string
	Filter models.RegionFilter
	Audit  models.AuditFilter
}

// Export reads what a table needs and returns its sheets; CSV takes the first. The rows of the
// items and the audit trail are read from the database while they are written. An unknown
// period or region is models.ErrNotFound.
func Export(ctx context.Context, db *models.DB, req Request) ([]Sheet, error) {
	if _, err := db.PeriodByYear(ctx, req.Year); err != nil {
		return nil, err
	}
	if req.Filter.Region != "" {
		if _, err := db.RegionByCode(ctx, req.Filter.Region); err != nil {
			return nil, err
		}
	}
	switch req.Table {
	case "summary", "delegation":
		s, err := db.Summary(ctx, req.Year, req.Filter.Province)
		if err != nil {
			return nil, err
		}
		if req.Filter.Region != "" {
			s.Regions = slices.DeleteFunc(s.Regions, func(r models.RegionSummary) bool { return r.Code != req.Filter.Region })
		}
		if req.Table == "delegation" {
			permits, err := db.PermitLists(ctx, req.Year, req.Filter)
			if err != nil {
				return nil, err
			}
			documents, err := db.DocumentLists(ctx, req.Year, req.Filter)
			if err != nil {
				return nil, err
			}
			return []Sheet{delegationSheet(s), permitsSheet(permits), documentsSheet(documents)}, nil
		}
		return summarySheets(s), nil
	case "radar":
		r, err := db.Radar(ctx, req.Year)
		if err != nil {
			return nil, err
		}
		r.Regions = slices.DeleteFunc(r.Regions, func(p models.RegionProgress) bool { return !picks(req.Filter, p.Code) })
		return radarSheets(r), nil
	case "items":
		return []Sheet{itemsSheet(ctx, db, req)}, nil
	case "catalogue":
		tree, err := db.Catalogue(ctx, req.Year)
		if err != nil {
			return nil, err
		}
		return []Sheet{catalogueSheet(tree)}, nil
	case "audit":
		return []Sheet{auditSheet(ctx, db, req)}, nil
	}
	return nil, models.ErrNotFound
}

// picks reports whether the filter keeps a region.
func picks(f models.RegionFilter, code string) bool {
	return (f.Region == "" || code == f.Region) && (f.Province == "" || models.ProvinceOf(code) == f.Province)
}

// zoneOrder lists the zones of a count, highest first.
func zoneOrder(counts map[models.Zone]int) []models.Zone {
	var out []models.Zone
	for _, z := range []models.Zone{models.ZoneComplete, models.ZoneGreen, models.ZoneLightGreen, models.ZoneBlue,
		models.ZoneYellow, models.ZoneRed, models.ZoneNoData} {
		if _, ok := counts[z]; ok {
			out = append(out, z)
		}
	}
	return out
}

func label(group, key string) string { return models.Label(models.Indonesian, group, key) }

func summarySheets(s *models.Summary) []Sheet {
	cols := []Column{{"Peringkat", Number}, {header(ClaimsLayout, "region_code"), Text}, {"Nama Pemda", Text}, {"Jenis", Text},
		{"Capaian terverifikasi", Percent}, {"Capaian diklaim", Percent}, {"Zona", Text}, {"Perubahan (poin)", Number},
		{"Pendelegasian", Percent}, {"Zona pendelegasian", Text}}
	for _, a := range s.Areas {
		cols = append(cols, Column{fmt.Sprintf("%s: %s", a.Code, a.Name), Percent})
	}
	regions := Sheet{Name: "Ringkasan", Columns: cols, Rows: func(emit func(...any) error) error {
		for _, r := range s.Regions {
			row := []any{r.Rank, r.Code, r.Name, label("region_kind", string(r.Kind)), r.ActionPlan.Percent, r.ActionPlan.ClaimedPercent,
				r.ActionPlan.Zone.Label(models.Indonesian), r.Change, r.Delegation.Percent, r.Delegation.Zone.Label(models.Indonesian)}
			for _, a := range r.Areas {
				if a.Applicable {
					row = append(row, a.Percent)
				} else {
					row = append(row, label("item_status", string(models.StatusNotApplicable)))
				}
			}
			if err := emit(row...); err != nil {
				return err
			}
		}
		return nil
	}}
	out := []Sheet{regions}
	if len(s.Areas) > 0 {
		zones := zoneOrder(s.Areas[0].Counts)
		cols := []Column{{"Kode area", Text}, {"Nama area", Text}, {"Rata-rata", Percent}}
		for _, z := range zones {
			cols = append(cols, Column{"Jumlah Pemda " + z.Label(models.Indonesian), Number})
		}
		out = append(out, Sheet{Name: "Per area", Columns: cols, Rows: func(emit func(...any) error) error {
			for _, a := range s.Areas {
				row := []any{a.Code, a.Name, a.Average}
				for _, z := range zones {
					row = append(row, a.Counts[z])
				}
				if err := emit(row...); err != nil {
					return err
				}
			}
			return nil
		}})
	}
	if len(s.Provinces) > 0 {
		zones := zoneOrder(s.Provinces[0].Counts)
		cols := []Column{{"Peringkat", Number}, {"Kode provinsi", Text}, {"Nama provinsi", Text}, {"Rata-rata", Percent}}
		for _, z := range zones {
			cols = append(cols, Column{"Jumlah Pemda " + z.Label(models.Indonesian), Number})
		}
		out = append(out, Sheet{Name: "Per provinsi", Columns: cols, Rows: func(emit func(...any) error) error {
			for _, p := range s.Provinces {
				row := []any{p.Rank, p.Code, p.Name, p.Average}
				for _, z := range zones {
					row = append(row, p.Counts[z])
				}
				if err := emit(row...); err != nil {
					return err
				}
			}
			return nil
		}})
	}
	return out
}

func delegationSheet(s *models.Summary) Sheet {
	cols := []Column{{header(ClaimsLayout, "region_code"), Text}, {"Nama Pemda", Text}, {"Jenis", Text}, {"Jumlah kewenangan", Number},
		{"Didelegasikan", Number}, {"Pendelegasian", Percent}, {"Zona", Text}, {"Dasar hukum", Text}}
	return Sheet{Name: "Pendelegasian", Columns: cols, Rows: func(emit func(...any) error) error {
		for _, r := range s.Regions {
			d := r.Delegation
			var total, delegated any
			if d.Total != nil {
				total = *d.Total
			}
			if d.Delegated != nil {
				delegated = *d.Delegated
			}
			if err := emit(r.Code, r.Name, label("region_kind", string(r.Kind)), total, delegated, d.Percent,
				d.Zone.Label(models.Indonesian), d.LegalBasis); err != nil {
				return err
			}
		}
		return nil
	}}
}

// permitsSheet lists the regions' permit types, where they keep a list (XLSX only: CSV takes the first sheet).
func permitsSheet(permits []models.RegionPermit) Sheet {
	cols := []Column{{header(ClaimsLayout, "region_code"), Text}, {"Nama Pemda", Text}, {"No.", Number}, {"Jenis izin", Text},
		{"Didelegasikan", Text}, {"Letak dalam peraturan", Text}}
	return Sheet{Name: "Daftar izin", Columns: cols, Rows: func(emit func(...any) error) error {
		for _, p := range permits {
			delegated := "Belum"
			if p.Delegated {
				delegated = "Ya"
			}
			if err := emit(p.RegionCode, p.RegionName, p.Position, p.Name, delegated, p.Regulation); err != nil {
				return err
			}
		}
		return nil
	}}
}

// documentsSheet lists the regions' delegation documents, current and replaced (XLSX only).
func documentsSheet(docs []models.RegionDocument) Sheet {
	cols := []Column{{header(ClaimsLayout, "region_code"), Text}, {"Nama Pemda", Text}, {"Dokumen", Text}, {"Nama berkas", Text},
		{"Ukuran (bita)", Number}, {"SHA-256", Text}, {"Diunggah oleh", Text}, {"Waktu unggah", Time}, {"Status", Text}}
	return Sheet{Name: "Dokumen pendelegasian", Columns: cols, Rows: func(emit func(...any) error) error {
		for _, d := range docs {
			status := "Berlaku"
			if d.Superseded {
				status = "Diganti"
			}
			if err := emit(d.RegionCode, d.RegionName, label("document_kind", string(d.Kind)), d.Filename, d.Size, d.SHA256,
				d.Uploader, d.CreatedAt, status); err != nil {
				return err
			}
		}
		return nil
	}}
}

// tallyColumns are the headers of a radar tally.
var tallyColumns = []Column{{"Belum diisi", Number}, {"Menunggu verifikasi", Number}, {"Diterima", Number}, {"Ditolak", Number},
	{"Tidak berlaku", Number}}

func tallyValues(t models.Tally) []any {
	return []any{t.NotStarted, t.Waiting, t.Accepted, t.Rejected, t.NotApplicable}
}

func radarSheets(r *models.Radar) []Sheet {
	lead := []Column{{header(ClaimsLayout, "region_code"), Text}, {"Nama Pemda", Text}}
	perRegion := Sheet{Name: "Radar", Columns: append(append(append([]Column{}, lead...), Column{"Jenis", Text}), append(tallyColumns,
		Column{"Menunggu terlama (hari)", Number})...), Rows: func(emit func(...any) error) error {
		for _, p := range r.Regions {
			row := append([]any{p.Code, p.Name, label("region_kind", string(p.Kind))}, tallyValues(p.Tally)...)
			if err := emit(append(row, p.OldestWaitingDays)...); err != nil {
				return err
			}
		}
		return nil
	}}
	perArea := Sheet{Name: "Radar per area", Columns: append(append(append([]Column{}, lead...), Column{"Kode area", Text}, Column{"Nama area", Text}),
		tallyColumns...), Rows: func(emit func(...any) error) error {
		for _, p := range r.Regions {
			for _, a := range p.Areas {
				if err := emit(append([]any{p.Code, p.Name, a.Code, a.Name}, tallyValues(a.Tally)...)...); err != nil {
					return err
				}
			}
		}
		return nil
	}}
	return []Sheet{perRegion, perArea}
}

// itemColumns are the items export's columns; those the claims import reads carry its headers.
var itemColumns = []Column{
	{header(ClaimsLayout, "region_code"), Text}, {"Nama Pemda", Text}, {header(CatalogueLayout, "area_code"), Text},
	{header(CatalogueLayout, "area_name"), Text}, {header(ClaimsLayout, "indicator_code"), Text}, {"Induk", Text},
	{"Uraian", Text}, {"Bukti dukung", Text}, {"Bobot", Number}, {header(ClaimsLayout, "progress"), Percent},
	{"Terverifikasi (%)", Percent}, {"Status", Text}, {"Dokumen diterima", Number}, {"Dokumen menunggu", Number},
	{"Dokumen ditolak", Number}, {"Tinjauan terakhir", Text}, {"Peninjau", Text}, {"Waktu tinjauan", Time},
	{"Komentar peninjau", Text}, {header(ClaimsLayout, "note"), Text}, {"Diperbarui", Time}, {header(ClaimsLayout, "version"), Number},
}

func itemsSheet(ctx context.Context, db *models.DB, req Request) Sheet {
	return Sheet{Name: "Item", Columns: itemColumns, Rows: func(emit func(...any) error) error {
		return db.EachItem(ctx, req.Year, req.Filter, func(l *models.ItemLine) error {
			var decision, reviewer, comment any
			var reviewed any
			if r := l.LastReview; r != nil {
				decision, reviewer, comment, reviewed = label("decision", string(r.Decision)), r.Reviewer, r.Comment, r.CreatedAt
			}
			var parent any
			if l.Parent != nil {
				parent = *l.Parent
			}
			return emit(l.Region.Code, l.Region.Name, l.Area, l.AreaName, l.IndicatorCode, parent, l.Title, l.Requirement, l.Weight,
				l.Progress, l.VerifiedProgress, label("item_status", string(l.Status)), l.Documents.Accepted, l.Documents.Waiting,
				l.Documents.Rejected, decision, reviewer, reviewed, comment, l.Note, l.UpdatedAt, l.Version)
		})
	}}
}

func catalogueSheet(tree []models.CatalogueArea) Sheet {
	cols := make([]Column, len(CatalogueLayout))
	for i, f := range CatalogueLayout {
		cols[i] = Column{f.Aliases[0], Text}
		if f.Key == "area_weight" || f.Key == "weight" {
			cols[i].Kind = Number
		}
	}
	return Sheet{Name: "Katalog", Columns: cols, Rows: func(emit func(...any) error) error {
		for _, a := range tree {
			if len(a.Indicators) == 0 {
				if err := emit(a.Code, a.Name, a.Weight, nil, nil, nil, nil, nil, nil); err != nil {
					return err
				}
			}
			for _, ind := range a.Indicators {
				if err := emit(a.Code, a.Name, a.Weight, ind.Code, nil, ind.Title, ind.Weight, ind.Requirement, kindsText(ind.AppliesTo)); err != nil {
					return err
				}
				for _, sub := range ind.Children {
					if err := emit(a.Code, a.Name, a.Weight, sub.Code, ind.Code, sub.Title, sub.Weight, sub.Requirement, kindsText(sub.AppliesTo)); err != nil {
						return err
					}
				}
			}
		}
		return nil
	}}
}

// auditPage is how many events the audit export reads at a time.
const auditPage = 1000

func auditSheet(ctx context.Context, db *models.DB, req Request) Sheet {
	cols := []Column{{"No. urut", Number}, {"Waktu", Time}, {"Pengguna", Text}, {"Alamat IP", Text}, {"Entitas", Text},
		{"Kunci", Text}, {"Tindakan", Text}, {"Sebelum", Text}, {"Sesudah", Text}}
	return Sheet{Name: "Jejak audit", Columns: cols, Rows: func(emit func(...any) error) error {
		f := req.Audit
		f.Year, f.Limit = req.Year, auditPage
		for {
			events, err := db.AuditEvents(ctx, f)
			if err != nil {
				return err
			}
			for _, e := range events {
				var seq any
				if e.Seq != nil {
					seq = *e.Seq
				}
				if err := emit(seq, e.At, e.Actor, e.IP, e.Entity, e.EntityKey, e.Action, string(e.Before), string(e.After)); err != nil {
					return err
				}
			}
			if len(events) < auditPage {
				return nil
			}
			f.AfterID = events[len(events)-1].ID
		}
	}}
}
