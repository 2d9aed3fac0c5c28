// Package national loads Pantau's synthetic national data set, for benchmarks and load tests:
// every Pemda of the country (38 provinces, 415 regencies, 93 cities, 546 in all) with
// synthetic but well-formed Kemendagri codes, periods 2023–2025 with eight weighted areas and a
// hundred weighted indicators each, and for every Pemda, indicator and period an action item
// with claimed and verified progress, plus every Pemda's delegation in every period.
//
// The figures are a pure function of the options (a seeded hash, not the clock), so two loads
// give the same summaries on SQLite and on PostgreSQL. Items and delegations are written with
// bulk inserts in transactions, not through the per-item workflow, so the whole set
// (about 164,000 items) loads in seconds.
package national

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/pantau-id/pantau/models"
)

// ErrNotEmpty: the database already holds regions, periods or users, so nothing is loaded.
var ErrNotEmpty = models.ErrNotEmpty

// Options size the data set. The zero value is the full national set.
type Options struct {
	// Provinces, Regencies and Cities count the Pemda of each kind (38, 415 and 93).
	Provinces, Regencies, Cities int
	// Indicators is the number of indicators per period, spread over the eight areas (100).
	Indicators int
	// Years are the periods (2023, 2024 and 2025).
	Years []int
	// Seed selects the synthetic figures; the same seed gives the same data set.
	Seed uint64
	// BatchRows bounds the rows of one INSERT statement; zero picks a size that suits the
	// database (the SQLite driver binds parameters in quadratic time, so it gets small batches).
	BatchRows int
}

// Full is the national data set.
func Full() Options {
	return Options{Provinces: 38, Regencies: 415, Cities: 93, Indicators: 100,
		Years: []int{2023, 2024, 2025}, Seed: 20250101}
}

func (o Options) withDefaults(d models.Dialect) Options {
	full := Full()
	if o.Provinces == 0 {
		o.Provinces = full.Provinces
	}
	if o.Regencies == 0 && o.Cities == 0 {
		o.Regencies, o.Cities = full.Regencies, full.Cities
	}
	if o.Indicators == 0 {
		o.Indicators = full.Indicators
	}
	if len(o.Years) == 0 {
		o.Years = full.Years
	}
	if o.Seed == 0 {
		o.Seed = full.Seed
	}
	if o.BatchRows == 0 {
		o.BatchRows = 1000
		if d == models.SQLite {
			o.BatchRows = 64
		}
	}
	return o
}

func (o Options) validate() error {
	switch {
	case o.Provinces < 1 || o.Provinces > len(provinceCodes):
		return fmt.Errorf("provinces must be between 1 and %d", len(provinceCodes))
	case o.Regencies < 0 || o.Regencies > o.Provinces*maxRegencies:
		return fmt.Errorf("at most %d regencies per province", maxRegencies)
	case o.Cities < 0 || o.Cities > o.Provinces*maxCities:
		return fmt.Errorf("at most %d cities per province", maxCities)
	case o.Indicators < len(areas) || o.Indicators > 99*len(areas):
		return fmt.Errorf("indicators must be between %d and %d", len(areas), 99*len(areas))
	case o.BatchRows < 1 || o.BatchRows > 3000:
		return fmt.Errorf("batch rows must be between 1 and 3000")
	}
	for _, y := range o.Years {
		if y < models.MinYear || y > models.MaxYear {
			return fmt.Errorf("year %d is out of range", y)
		}
	}
	return nil
}

// Seed loads the full national data set into an empty database, drawing progress bars on progress.
func Seed(ctx context.Context, db *models.DB, progress io.Writer) error {
	return SeedWith(ctx, db, progress, Full())
}

// SeedWith loads a data set of the given size into an empty database. Zero fields take the full
// set's values. Regions and periods are marked as demo data.
func SeedWith(ctx context.Context, db *models.DB, progress io.Writer, opts Options) error {
	opts = opts.withDefaults(db.Dialect)
	if err := opts.validate(); err != nil {
		return err
	}
	if progress == nil {
		progress = io.Discard
	}
	bulk, err := db.StartBulkLoad(ctx)
	if err != nil {
		return err
	}
	// Periods and areas go through the store, whose audit events name this seed. The bulk rows
	// (regions, indicators, items, delegations) bypass the store and have no audit events.
	ctx = models.WithActor(ctx, models.Actor{Email: "seed:national"})
	l := &loader{db: db, bulk: bulk, opts: opts, out: progress, regions: plan(opts)}
	if err := l.loadRegions(ctx); err != nil {
		return fmt.Errorf("regions: %w", err)
	}
	for _, year := range opts.Years {
		if err := l.loadPeriod(ctx, year); err != nil {
			return fmt.Errorf("period %d: %w", year, err)
		}
	}
	return bulk.Finish(ctx)
}

// loader carries one load's state: the planned regions (with their IDs once inserted) and the
// current period's catalogue.
type loader struct {
	db      *models.DB
	bulk    *models.BulkLoad
	opts    Options
	out     io.Writer
	regions []region
}

// catalogue is a period's indicators as loaded, in catalogue order.
type catalogue struct {
	periodID   int64
	indicators []indicatorRow
}

type indicatorRow struct {
	id     int64
	code   string
	weight int64 // whole units
}

func (l *loader) loadRegions(ctx context.Context) error {
	bar := newBar(l.out, "regions", len(l.regions))
	now := l.db.Now()
	err := l.bulk.Insert(ctx, "regions", []string{"code", "name", "kind", "demo", "created_at"}, l.opts.BatchRows, func(add func(...any) error) error {
		for _, r := range l.regions {
			if err := add(r.code, r.name, r.kind, true, now); err != nil {
				return err
			}
			bar.add(1)
		}
		return nil
	})
	if err != nil {
		return err
	}
	ids, err := l.bulk.IDs(ctx, "regions", 0)
	if err != nil {
		return err
	}
	for i := range l.regions {
		l.regions[i].id = ids[l.regions[i].code]
	}
	return nil
}

func (l *loader) loadPeriod(ctx context.Context, year int) error {
	cat, err := l.loadCatalogue(ctx, year)
	if err != nil {
		return err
	}
	if err := l.loadItems(ctx, year, cat); err != nil {
		return err
	}
	return l.loadDelegations(ctx, year, cat.periodID)
}

// loadCatalogue creates the period (with its default zone bands) and its areas through the
// store, then the indicators in one bulk insert.
func (l *loader) loadCatalogue(ctx context.Context, year int) (*catalogue, error) {
	counts := indicatorCounts(l.opts.Indicators)
	bar := newBar(l.out, fmt.Sprintf("catalogue %d", year), len(areas)+l.opts.Indicators)
	p, err := l.db.CreatePeriod(ctx, models.PeriodInput{Year: year, Name: fmt.Sprintf("Rencana Aksi MCP %d (data sintetis nasional)", year)}, true)
	if err != nil {
		return nil, err
	}
	type planned struct {
		areaID int64
		row    indicatorRow
		title  string
	}
	var inds []planned
	for ai, a := range areas {
		w := models.FixedFromInt(a.weight)
		created, err := l.db.CreateArea(ctx, year, models.AreaInput{Code: a.code, Name: a.nameFor(year), Weight: &w})
		if err != nil {
			return nil, err
		}
		bar.add(1)
		for n := 1; n <= counts[ai]; n++ {
			code := fmt.Sprintf("%s.%02d", a.code, n)
			h := newHash(l.opts.Seed, "indicator", uint64(year), uint64(ai), uint64(n))
			inds = append(inds, planned{areaID: created.ID, row: indicatorRow{code: code, weight: 1 + h.intn(5)},
				title: fmt.Sprintf("%s (%s, sintetis)", a.topics[(n-1)%len(a.topics)], code)})
		}
	}
	cat := &catalogue{periodID: p.ID}
	err = l.bulk.Insert(ctx, "indicators", []string{"period_id", "area_id", "code", "title", "weight", "position"}, l.opts.BatchRows, func(add func(...any) error) error {
		for pos, ind := range inds {
			if err := add(p.ID, ind.areaID, ind.row.code, ind.title, int64(models.FixedFromInt(ind.row.weight)), pos); err != nil {
				return err
			}
			bar.add(1)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	ids, err := l.bulk.IDs(ctx, "indicators", p.ID)
	if err != nil {
		return nil, err
	}
	for _, ind := range inds {
		row := ind.row
		row.id = ids[row.code]
		cat.indicators = append(cat.indicators, row)
	}
	return cat, nil
}

// loadItems writes one item per region and indicator, in one transaction per period.
func (l *loader) loadItems(ctx context.Context, year int, cat *catalogue) error {
	bar := newBar(l.out, fmt.Sprintf("items %d", year), len(l.regions)*len(cat.indicators))
	columns := []string{"period_id", "region_id", "indicator_id", "progress", "verified_progress", "status", "version", "updated_at"}
	return l.bulk.Insert(ctx, "items", columns, l.opts.BatchRows, func(add func(...any) error) error {
		for ri, r := range l.regions {
			target := l.target(year, ri)
			for ii, ind := range cat.indicators {
				it := l.item(year, ri, ii, target)
				if err := add(cat.periodID, r.id, ind.id, it.claimed, it.verified, it.status, it.version, it.updated); err != nil {
					return err
				}
			}
			bar.add(len(cat.indicators))
		}
		return nil
	})
}

func (l *loader) loadDelegations(ctx context.Context, year int, periodID int64) error {
	bar := newBar(l.out, fmt.Sprintf("delegation %d", year), len(l.regions))
	columns := []string{"period_id", "region_id", "total", "delegated", "legal_basis", "version", "updated_at"}
	return l.bulk.Insert(ctx, "delegations", columns, l.opts.BatchRows, func(add func(...any) error) error {
		for ri, r := range l.regions {
			d := l.delegation(year, ri)
			if err := add(periodID, r.id, d.total, d.delegated, d.legalBasis, 1, d.updated); err != nil {
				return err
			}
			bar.add(1)
		}
		return nil
	})
}

// bar draws a textual progress bar. On a terminal it redraws its line as it grows; elsewhere
// (a log file, a pipe, a test buffer) it writes the finished bar only.
type bar struct {
	w            io.Writer
	live         bool
	label        string
	total, done  int
	shown, width int
}

func newBar(w io.Writer, label string, total int) *bar {
	b := &bar{w: w, live: isTerminal(w), label: label, total: total, width: 30, shown: -1}
	b.add(0)
	return b
}

func (b *bar) add(n int) {
	b.done += n
	filled := b.width
	if b.total > 0 {
		filled = min(b.done, b.total) * b.width / b.total
	}
	finished := b.done >= b.total
	if filled == b.shown || (!b.live && !finished) {
		return
	}
	b.shown = filled
	line := fmt.Sprintf("%-16s [%s%s] %d/%d", b.label, strings.Repeat("#", filled), strings.Repeat(".", b.width-filled), b.done, b.total)
	switch {
	case b.live && finished:
		fmt.Fprintf(b.w, "\r%s\n", line)
	case b.live:
		fmt.Fprintf(b.w, "\r%s", line)
	default:
		fmt.Fprintln(b.w, line)
	}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// at returns a fixed time within year, spread by h, for updated_at columns.
func at(year int, h *hash) time.Time {
	month, day := time.Month(2+h.intn(10)), 1+int(h.intn(28))
	return time.Date(year, month, day, 8+int(h.intn(9)), int(h.intn(60)), int(h.intn(60)), 0, time.UTC)
}
