package models

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/schema"
)

// Period is one year of the action plan. Revision grows with every change to the period itself
// (catalogue, zones, settings); changes to a region's data move that region's standing instead
// (see standing.go).
type Period struct {
	ID       int64   `json:"-"`
	Year     int     `json:"year"`
	Name     string  `json:"name"`
	Deadline *string `json:"deadline"`
	// Status is open or closed: a closed period's figures are final.
	Status    PeriodStatus `json:"status"`
	ClosedAt  *time.Time   `json:"closed_at"`
	Version   int64        `json:"version"`
	Revision  int64        `json:"-"`
	Demo      bool         `json:"-"`
	CreatedAt time.Time    `json:"-"`
}

func (p *Period) yearKey() string { return strconv.Itoa(p.Year) }

// PeriodInput is a new period.
type PeriodInput struct {
	Year int    `json:"year"`
	Name string `json:"name"`
}

// Area is an intervention area of a period (PTSP, procurement, …) with its weight.
type Area struct {
	ID       int64  `json:"-"`
	PeriodID int64  `json:"-"`
	Code     string `json:"code"`
	Name     string `json:"name"`
	Weight   Fixed  `json:"weight"`
	Version  int64  `json:"version"`
	Position int    `json:"-"`
}

// AreaInput is a new area; a zero Weight means the default, 1.
type AreaInput struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Weight *Fixed `json:"weight"`
}

// Indicator belongs to an area of a period and carries a weight among its siblings. A
// sub-indicator names its parent (an indicator of the same area without a parent of its own);
// items, claims and evidence attach to leaves: sub-indicators, and indicators without any.
// Requirement says what evidence a leaf asks for; AppliesTo the region kinds it concerns.
type Indicator struct {
	ID          int64   `json:"-"`
	PeriodID    int64   `json:"-"`
	AreaID      int64   `json:"-"`
	AreaCode    string  `json:"area" gorm:"->;-:migration"`
	ParentID    *int64  `json:"-"`
	ParentCode  *string `json:"parent" gorm:"->;-:migration"`
	Code        string  `json:"code"`
	Title       string  `json:"title"`
	Weight      Fixed   `json:"weight"`
	Requirement string  `json:"requirement"`
	AppliesTo   KindSet `json:"applies_to"`
	Version     int64   `json:"version"`
	Position    int     `json:"-"`
}

// IndicatorInput is a new indicator, or with Parent a sub-indicator (whose area is its
// parent's). AppliesTo nil means every region kind.
type IndicatorInput struct {
	Code        string       `json:"code"`
	Area        string       `json:"area"`
	Parent      string       `json:"parent"`
	Title       string       `json:"title"`
	Weight      *Fixed       `json:"weight"`
	Requirement string       `json:"requirement"`
	AppliesTo   []RegionKind `json:"applies_to"`
}

// validAppliesTo checks a list of region kinds: known kinds, at least one.
func validAppliesTo(errs fieldErrors, kinds []RegionKind) {
	if kinds == nil {
		return
	}
	if len(kinds) == 0 {
		errs.add("applies_to", "applies_to")
	}
	for _, k := range kinds {
		switch k {
		case KindProvince, KindRegency, KindCity:
		default:
			errs.add("applies_to", "applies_to")
		}
	}
}

var catalogueCodePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$`)

// MinYear and MaxYear bound a period's year.
const (
	MinYear = 2000
	MaxYear = 2100
)

// Validate checks the year and fills a default name.
func (in *PeriodInput) Validate() error {
	in.Name = strings.TrimSpace(in.Name)
	if in.Year < MinYear || in.Year > MaxYear {
		return Invalid("year", "year_range")
	}
	if in.Name == "" {
		in.Name = fmt.Sprintf("Rencana Aksi %d", in.Year)
	}
	return CheckText("name", in.Name, MaxNameLen)
}

// validateCatalogue checks an area's or indicator's code, its name (or title) of at most
// maxName characters, and its weight.
func validateCatalogue(code, name, nameField string, maxName int, weight *Fixed) error {
	errs := fieldErrors{}
	if code == "" {
		errs.add("code", "required")
	} else if !catalogueCodePattern.MatchString(code) {
		errs.add("code", "code_format")
	}
	errs.requiredText(nameField, name, maxName)
	if weight != nil && (*weight <= 0 || *weight > FixedFromInt(10000)) {
		errs.add("weight", "weight_positive")
	}
	return errs.err()
}

func weightOrDefault(w *Fixed) Fixed {
	if w == nil {
		return FixedFromInt(1)
	}
	return *w
}

// CreatePeriod adds a period with the default zone bands; a duplicate year is ErrConflict.
func (db *DB) CreatePeriod(ctx context.Context, in PeriodInput, demo bool) (*Period, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	p := &Period{Year: in.Year, Name: in.Name, Status: PeriodOpen, Demo: demo, CreatedAt: db.Now(), Version: 1}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(p).Error; err != nil {
			return err
		}
		audit(tx, "period", p.yearKey(), "create", nil, p)
		for _, m := range Metrics {
			if err := replaceBands(tx, p.ID, m, ZonePresets["default"][m]); err != nil {
				return err
			}
		}
		var regions []int64
		if err := tx.Table("regions").Pluck("id", &regions).Error; err != nil {
			return err
		}
		return db.addStandings(tx, []int64{p.ID}, regions)
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// Periods lists every period, newest first.
func (db *DB) Periods(ctx context.Context) ([]Period, error) {
	var out []Period
	err := db.read(ctx).Order("year DESC").Find(&out).Error
	return out, translate(err)
}

// PeriodByYear finds a period, or ErrNotFound.
func (db *DB) PeriodByYear(ctx context.Context, year int) (*Period, error) {
	return periodByYear(db.read(ctx), year)
}

func periodByYear(tx *gorm.DB, year int) (*Period, error) {
	var p Period
	if err := tx.Where("year = ?", year).Take(&p).Error; err != nil {
		return nil, translate(err)
	}
	return &p, nil
}

// periodAndRegion reads a period by its year and a region by its code, in one query:
// ErrNotFound when either does not exist.
func periodAndRegion(q *gorm.DB, year int, regionCode string) (*Period, *Region, error) {
	var rows []struct {
		Period Period `gorm:"embedded;embeddedPrefix:p_"`
		Region Region `gorm:"embedded;embeddedPrefix:r_"`
	}
	err := q.Raw("SELECT "+periodColumns()+", "+regionColumns()+" FROM periods JOIN regions ON regions.code = ? WHERE periods.year = ?",
		regionCode, year).Scan(&rows).Error
	if err != nil {
		return nil, nil, err
	}
	if len(rows) == 0 {
		return nil, nil, ErrNotFound
	}
	return &rows[0].Period, &rows[0].Region, nil
}

// Select lists of a table's every column as prefix_column, for reading rows of several tables
// in one query into structs embedded with that prefix.
var (
	periodColumns = prefixedColumns(&Period{}, "periods", "p_")
	regionColumns = prefixedColumns(&Region{}, "regions", "r_")
	itemColumns   = prefixedColumns(&itemRow{}, "items", "i_")
)

func prefixedColumns(model any, table, prefix string) func() string {
	return sync.OnceValue(func() string {
		s, err := schema.Parse(model, &sync.Map{}, schema.NamingStrategy{})
		if err != nil {
			panic(fmt.Sprintf("columns of %s: %v", table, err)) // a model that does not parse is a programming error
		}
		cols := make([]string, len(s.DBNames))
		for i, c := range s.DBNames {
			cols[i] = table + "." + c + " AS " + prefix + c
		}
		return strings.Join(cols, ", ")
	})
}

func bumpPeriod(tx *gorm.DB, periodID int64) error {
	return tx.Exec("UPDATE periods SET revision = revision + 1 WHERE id = ?", periodID).Error
}

// catalogueChanged recomputes every region's figures after a change to the period's catalogue,
// holding every region's standing lock so that no write to the period's items slips between.
func (db *DB) catalogueChanged(tx *gorm.DB, periodID int64) error {
	if err := bumpPeriod(tx, periodID); err != nil {
		return err
	}
	if err := lockPeriodStandings(tx, periodID); err != nil {
		return err
	}
	return db.restate(tx, periodID, nil)
}

// CreateArea adds an intervention area to a period.
func (db *DB) CreateArea(ctx context.Context, year int, in AreaInput) (*Area, error) {
	in.Code, in.Name = strings.TrimSpace(in.Code), strings.TrimSpace(in.Name)
	if err := validateCatalogue(in.Code, in.Name, "name", MaxNameLen, in.Weight); err != nil {
		return nil, err
	}
	a := &Area{Code: in.Code, Name: in.Name, Weight: weightOrDefault(in.Weight), Version: 1}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		p, err := openPeriodByYear(tx, year)
		if err != nil {
			return err
		}
		a.PeriodID = p.ID
		if err := tx.Raw("SELECT COUNT(*) FROM areas WHERE period_id = ?", p.ID).Scan(&a.Position).Error; err != nil {
			return err
		}
		if err := tx.Create(a).Error; err != nil {
			return err
		}
		audit(tx, "area", fmt.Sprintf("%d/%s", year, a.Code), "create", nil, a)
		return db.catalogueChanged(tx, p.ID)
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// Areas lists a period's areas in the order they were added.
func (db *DB) Areas(ctx context.Context, year int) ([]Area, error) {
	p, err := db.PeriodByYear(ctx, year)
	if err != nil {
		return nil, err
	}
	var out []Area
	err = db.read(ctx).Where("period_id = ?", p.ID).Order("position, id").Find(&out).Error
	return out, translate(err)
}

// CreateIndicator adds an indicator to an area of a period, or a sub-indicator under one; an
// unknown area or parent is a validation error, and so is a parent that already holds items
// of its own (they would be lost) or is itself a sub-indicator.
func (db *DB) CreateIndicator(ctx context.Context, year int, in IndicatorInput) (*Indicator, error) {
	in.Code, in.Title, in.Area, in.Parent = strings.TrimSpace(in.Code), strings.TrimSpace(in.Title), strings.TrimSpace(in.Area), strings.TrimSpace(in.Parent)
	in.Requirement = strings.TrimSpace(in.Requirement)
	errs := fieldErrors{}
	if err := validateCatalogue(in.Code, in.Title, "title", MaxTitleLen, in.Weight); err != nil {
		errs = err.(*ValidationError).Fields
	}
	if in.Parent == "" {
		errs.requiredText("area", in.Area, MaxCodeLen)
	} else {
		errs.text("area", in.Area, MaxCodeLen)
		errs.text("parent", in.Parent, MaxCodeLen)
	}
	errs.text("requirement", in.Requirement, MaxNoteLen)
	validAppliesTo(errs, in.AppliesTo)
	if err := errs.err(); err != nil {
		return nil, err
	}
	ind := &Indicator{Code: in.Code, Title: in.Title, Weight: weightOrDefault(in.Weight), AreaCode: in.Area, Requirement: in.Requirement,
		AppliesTo: KindSet(in.AppliesTo).Normal(), Version: 1}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		p, err := openPeriodByYear(tx, year)
		if err != nil {
			return err
		}
		if in.Parent != "" {
			parent, err := indicatorByCode(tx, p.ID, in.Parent)
			if err == ErrNotFound {
				return Invalid("parent", "unknown_indicator")
			} else if err != nil {
				return err
			}
			if parent.ParentID != nil {
				return Invalid("parent", "parent_is_sub_indicator")
			}
			if in.Area != "" && in.Area != parent.AreaCode {
				return Invalid("area", "parent_area")
			}
			var held int64
			if err := tx.Table("items").Where("indicator_id = ?", parent.ID).Count(&held).Error; err != nil {
				return err
			}
			if held > 0 {
				return Invalid("parent", "indicator_has_items")
			}
			ind.ParentID, ind.ParentCode, ind.AreaID, ind.AreaCode = &parent.ID, &parent.Code, parent.AreaID, parent.AreaCode
		} else {
			var area Area
			if err := tx.Where("period_id = ? AND code = ?", p.ID, in.Area).Take(&area).Error; err != nil {
				if translate(err) == ErrNotFound {
					return Invalid("area", "unknown_area")
				}
				return err
			}
			ind.AreaID = area.ID
		}
		ind.PeriodID = p.ID
		if err := tx.Raw("SELECT COUNT(*) FROM indicators WHERE period_id = ?", p.ID).Scan(&ind.Position).Error; err != nil {
			return err
		}
		if err := tx.Omit("AreaCode", "ParentCode").Create(ind).Error; err != nil {
			return err
		}
		audit(tx, "indicator", fmt.Sprintf("%d/%s", year, ind.Code), "create", nil, ind)
		return db.catalogueChanged(tx, p.ID)
	})
	if err != nil {
		return nil, err
	}
	return ind, nil
}

// indicatorByCode finds one indicator of a period, with its area's and parent's codes.
func indicatorByCode(tx *gorm.DB, periodID int64, code string) (*Indicator, error) {
	var out []Indicator
	err := indicatorQuery(tx, periodID).Where("indicators.code = ?", code).Find(&out).Error
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, ErrNotFound
	}
	return &out[0], nil
}

// Indicators lists a period's indicators, area by area, in the order they were added.
func (db *DB) Indicators(ctx context.Context, year int) ([]Indicator, error) {
	p, err := db.PeriodByYear(ctx, year)
	if err != nil {
		return nil, err
	}
	return indicatorsOf(db.read(ctx), p.ID)
}

// indicatorsOf lists a period's indicators in catalogue order: area by area, each indicator
// followed by its sub-indicators.
func indicatorsOf(tx *gorm.DB, periodID int64) ([]Indicator, error) {
	var out []Indicator
	err := indicatorQuery(tx, periodID).Find(&out).Error
	return out, translate(err)
}

// indicatorQuery selects a period's indicators with their area's and parent's codes, in
// catalogue order.
func indicatorQuery(tx *gorm.DB, periodID int64) *gorm.DB {
	return tx.Table("indicators").Select("indicators.*, areas.code AS area_code, parents.code AS parent_code").
		Joins("JOIN areas ON areas.id = indicators.area_id").
		Joins("LEFT JOIN indicators AS parents ON parents.id = indicators.parent_id").
		Where("indicators.period_id = ?", periodID).
		Order("areas.position, areas.id, COALESCE(parents.position, indicators.position), COALESCE(parents.id, indicators.id), " +
			"CASE WHEN indicators.parent_id IS NULL THEN 0 ELSE 1 END, indicators.position, indicators.id")
}
