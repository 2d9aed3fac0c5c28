package models

import (
	"context"
	"regexp"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Region is a Pemda: a province, regency (kabupaten) or city (kota), keyed by its Kemendagri code.
type Region struct {
	ID        int64      `json:"-"`
	Code      string     `json:"code"`
	Name      string     `json:"name"`
	Kind      RegionKind `json:"kind"`
	Demo      bool       `json:"-"`
	CreatedAt time.Time  `json:"-"`
}

// RegionInput is what a caller may set on a new region.
type RegionInput struct {
	Code string     `json:"code"`
	Name string     `json:"name"`
	Kind RegionKind `json:"kind"`
}

// provinceCode is a province's code: two digits.
var provinceCode = regexp.MustCompile(`^\d{2}$`)

var regionCodePattern = regexp.MustCompile(`^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$`)

// Validate checks the code's shape, the name and the kind.
func (in *RegionInput) Validate() error {
	in.Code, in.Name = strings.TrimSpace(in.Code), strings.TrimSpace(in.Name)
	errs := fieldErrors{}
	if in.Code == "" {
		errs.add("code", "required")
	} else if !regionCodePattern.MatchString(in.Code) {
		errs.add("code", "region_code_format")
	}
	errs.requiredText("name", in.Name, MaxNameLen)
	switch in.Kind {
	case KindProvince, KindRegency, KindCity:
	case "":
		errs.add("kind", "required")
	default:
		errs.add("kind", "region_kind")
	}
	return errs.err()
}

// CreateRegion adds a region; a duplicate code is ErrConflict. Every period's summary changes.
func (db *DB) CreateRegion(ctx context.Context, in RegionInput, demo bool) (*Region, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	r := &Region{Code: in.Code, Name: in.Name, Kind: in.Kind, Demo: demo, CreatedAt: db.Now()}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(r).Error; err != nil {
			return err
		}
		audit(tx, "region", r.Code, "create", nil, r)
		var periods []int64
		if err := tx.Table("periods").Pluck("id", &periods).Error; err != nil {
			return err
		}
		return db.addStandings(tx, periods, []int64{r.ID})
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// Regions lists every region ordered by code.
func (db *DB) Regions(ctx context.Context) ([]Region, error) {
	var out []Region
	err := db.read(ctx).Order("code").Find(&out).Error
	return out, translate(err)
}

// RegionByCode finds a region, or ErrNotFound.
func (db *DB) RegionByCode(ctx context.Context, code string) (*Region, error) {
	return regionByCode(db.read(ctx), code)
}

func regionByCode(tx *gorm.DB, code string) (*Region, error) {
	var r Region
	if err := tx.Where("code = ?", code).Take(&r).Error; err != nil {
		return nil, translate(err)
	}
	return &r, nil
}
