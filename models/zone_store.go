package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

type zoneBand struct {
	ID           int64
	PeriodID     int64
	Metric       string
	Zone         Zone
	Position     int
	MinValue     Fixed
	MinInclusive bool
	MaxValue     Fixed
	MaxInclusive bool
}

func (zoneBand) TableName() string { return "zone_bands" }

// ZoneSchemes returns a period's band scheme for each metric.
func (db *DB) ZoneSchemes(ctx context.Context, year int) (map[Metric]Scheme, error) {
	p, err := db.PeriodByYear(ctx, year)
	if err != nil {
		return nil, err
	}
	return zoneSchemes(db.read(ctx), p.ID)
}

func zoneSchemes(tx *gorm.DB, periodID int64) (map[Metric]Scheme, error) {
	var rows []zoneBand
	if err := tx.Where("period_id = ?", periodID).Order("metric, position").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := map[Metric]Scheme{}
	for _, r := range rows {
		m := Metric(r.Metric)
		out[m] = append(out[m], Band{Key: r.Zone, Min: r.MinValue, MinInclusive: r.MinInclusive, Max: r.MaxValue, MaxInclusive: r.MaxInclusive})
	}
	return out, nil
}

// SetZoneScheme replaces a period's bands for one metric, after checking that they cover
// 0–100 without gaps or overlaps. Bands are kept per period, so earlier years keep theirs.
// They are part of the period: periodVersion, when given, must be the period's version (else
// ErrConflict), and the change moves it on.
func (db *DB) SetZoneScheme(ctx context.Context, year int, m Metric, s Scheme, periodVersion *int64) error {
	if m != MetricActionPlan && m != MetricDelegation {
		return ErrNotFound
	}
	for _, b := range s {
		if err := CheckText("bands", string(b.Key), MaxCodeLen); err != nil {
			return err
		}
	}
	if err := s.Validate(); err != nil {
		return &ValidationError{Fields: map[string]string{"bands": "bands_cover"}}
	}
	return db.tx(ctx, func(tx *gorm.DB) error {
		p, err := openPeriodByYear(tx, year)
		if err != nil {
			return err
		}
		if periodVersion != nil && *periodVersion != p.Version {
			return ErrConflict
		}
		res := tx.Model(&Period{}).Where("id = ? AND version = ?", p.ID, p.Version).Update("version", p.Version+1)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrConflict
		}
		before, err := zoneSchemes(tx, p.ID)
		if err != nil {
			return err
		}
		if err := replaceBands(tx, p.ID, m, s); err != nil {
			return err
		}
		audit(tx, "zones", fmt.Sprintf("%d/%s", year, m), "set", before[m], s)
		return bumpPeriod(tx, p.ID)
	})
}

func replaceBands(tx *gorm.DB, periodID int64, m Metric, s Scheme) error {
	if err := tx.Where("period_id = ? AND metric = ?", periodID, string(m)).Delete(&zoneBand{}).Error; err != nil {
		return err
	}
	for i, b := range s {
		row := zoneBand{PeriodID: periodID, Metric: string(m), Zone: b.Key, Position: i,
			MinValue: b.Min, MinInclusive: b.MinInclusive, MaxValue: b.Max, MaxInclusive: b.MaxInclusive}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
	}
	return nil
}
