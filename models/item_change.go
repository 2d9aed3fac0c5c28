package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// How every change to an item runs: under its region's standing lock, in one transaction.

// itemScope is what an item lives in, loaded inside a transaction.
type itemScope struct {
	period    *Period
	region    *Region
	indicator Indicator
	// applies is false when the catalogue leaves the region's kind out of the indicator.
	applies bool
	// catalogue is the period's catalogue at the revision read with period.
	catalogue *cachedCatalogue
	// item is the item's row as read with period, nil when it has none yet.
	item *itemRow
}

func (db *DB) loadScope(tx *gorm.DB, ref ItemRef) (*itemScope, error) {
	// The period, the region and the item's row (when it exists) in one query.
	var rows []struct {
		Period Period  `gorm:"embedded;embeddedPrefix:p_"`
		Region Region  `gorm:"embedded;embeddedPrefix:r_"`
		Item   itemRow `gorm:"embedded;embeddedPrefix:i_"`
	}
	err := tx.Raw("SELECT "+periodColumns()+", "+regionColumns()+", "+itemColumns()+" FROM periods JOIN regions ON regions.code = ? "+
		"LEFT JOIN indicators ON indicators.period_id = periods.id AND indicators.code = ? "+
		"LEFT JOIN items ON items.indicator_id = indicators.id AND items.region_id = regions.id WHERE periods.year = ?",
		ref.RegionCode, ref.IndicatorCode, ref.Year).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, ErrNotFound
	}
	p, r := &rows[0].Period, &rows[0].Region
	c, err := db.catalogueAt(tx, p.ID, p.Revision)
	if err != nil {
		return nil, err
	}
	// Items exist for leaves only.
	ind := c.byCode[ref.IndicatorCode]
	if ind == nil || c.parents[ind.ID] {
		return nil, ErrNotFound
	}
	s := &itemScope{period: p, region: r, indicator: *ind, applies: ind.AppliesTo.Has(r.Kind), catalogue: c}
	if rows[0].Item.ID != 0 {
		s.item = &rows[0].Item
	}
	if ind.ParentID != nil && s.applies {
		s.applies = c.byID[*ind.ParentID].AppliesTo.Has(r.Kind)
	}
	return s, nil
}

// ensureItem returns the item's row, creating an untouched draft when none exists yet.
func (db *DB) ensureItem(tx *gorm.DB, s *itemScope) (*itemRow, error) {
	// Most items exist, read with the scope; one is created only when missing (under the
	// region's lock, so nobody else creates it meanwhile; DoNothing keeps a race harmless all
	// the same).
	if s.item != nil {
		return s.item, nil
	}
	var got itemRow
	take := func() error {
		return tx.Where("indicator_id = ? AND region_id = ?", s.indicator.ID, s.region.ID).Take(&got).Error
	}
	row := itemRow{PeriodID: s.period.ID, RegionID: s.region.ID, IndicatorID: s.indicator.ID, Status: StatusDraft, Applicability: ApplicabilityApplicable, UpdatedAt: db.Now()}
	if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error; err != nil {
		return nil, err
	}
	return &got, translate(take())
}

// updateItem writes changes to an item whose row the caller read under the region's standing
// lock (see changeItem), and bumps the version. row stays as read; on PostgreSQL the row as
// changed comes back with the update, in row.updated, which spares changeItem reading it again.
func updateItem(tx *gorm.DB, row *itemRow, changes map[string]any) error {
	changes["version"] = gorm.Expr("version + 1")
	// SQLite's RETURNING would make the update keep a statement journal: there changeItem reads.
	var after *itemRow
	q := tx.Model(&itemRow{})
	if tx.Dialector.Name() == string(Postgres) {
		after = &itemRow{}
		q = tx.Model(after).Clauses(clause.Returning{})
	}
	res := q.Where("id = ? AND version = ?", row.ID, row.Version).Updates(changes)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("item %d changed under its region's lock", row.ID)
	}
	row.updated = after
	return nil
}

// itemChange says what a change to an item needs besides its row.
type itemChange struct {
	// callerVersion, when set, must be the item's version (else ErrConflict).
	callerVersion *int64
	// rescore: the change can move the region's figures (claims and reviews). A change without
	// it (documents) leaves every item's progress, verified progress and applicability as they
	// were.
	rescore bool
	// entry: the region's own entry (a claim, an upload, applicability), refused after the
	// deadline unless extended; otherwise (reviews) only a closed period refuses it.
	entry bool
	// answer: return the item as the transaction leaves it (read inside it, which spares a
	// second transaction).
	answer bool
}

// changeItem runs fn on an item's row in a transaction, creating the item as an untouched
// draft when needed. It first locks the region's standing for the period, so concurrent
// changes to the region's items are applied one after the other — nobody's change is refused
// because another came first; only a callerVersion that is not the item's is ErrConflict.
// The period, the region and the catalogue are read under that lock, so a change to the
// catalogue (which locks every standing of the period) is seen whole or not at all.
func (db *DB) changeItem(ctx context.Context, actor *User, ref ItemRef, ch itemChange, fn func(tx *gorm.DB, s *itemScope, row *itemRow) error) (*Item, error) {
	var answer *Item
	err := db.tx(ctx, func(tx *gorm.DB) error {
		revision, err := db.lockStandingOf(tx, ref)
		if err != nil {
			return err
		}
		s, err := db.loadScope(tx, ref)
		if err != nil {
			return err
		}
		if revision == 0 { // the standing's row is missing: create it, then read again under its lock
			if err := db.lockStanding(tx, s.period.ID, s.region.ID); err != nil {
				return err
			}
			if s, err = db.loadScope(tx, ref); err != nil {
				return err
			}
		}
		if ch.entry {
			err = beforeDeadline(tx, s.period, s.region.ID, db.Now())
		} else {
			err = periodOpen(s.period)
		}
		if err != nil {
			return err
		}
		row, err := db.ensureItem(tx, s)
		if err != nil {
			return err
		}
		if ch.callerVersion != nil && *ch.callerVersion != row.Version {
			return ErrConflict
		}
		if err := fn(tx, s, row); err != nil {
			return err
		}
		if !ch.rescore {
			db.carryLeaves(tx, s, revision)
		}
		if !ch.rescore && !ch.answer {
			return nil
		}
		after := row.updated
		if after == nil {
			after = &itemRow{}
			if err := tx.Where("id = ?", row.ID).Take(after).Error; err != nil {
				return translate(err)
			}
		}
		if ch.rescore {
			if err := db.restateItem(tx, s, revision, after); err != nil {
				return err
			}
		}
		if ch.answer {
			answer, err = scopeItem(tx, s, after)
		}
		return err
	})
	return answer, err
}
