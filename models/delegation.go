package models

import (
	"context"
	"fmt"
	"math/big"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Delegation is how much licensing authority a region has delegated to its DPMPTSP in a
// period, and the regional head regulation that did it.
type Delegation struct {
	Total      *int64 `json:"total"`
	Delegated  *int64 `json:"delegated"`
	Percent    *Fixed `json:"percent"`
	Zone       Zone   `json:"zone"`
	LegalBasis string `json:"legal_basis"`
	// FromList: the counts follow from Permits, the region's list of permit types.
	FromList bool               `json:"from_list"`
	Permits  []DelegationPermit `json:"permits"`
	// Documents are the current regulation and annex as files (see DelegationDocument).
	Documents []DelegationDocument `json:"documents"`
	Version   int64                `json:"version"`
	UpdatedAt *time.Time           `json:"updated_at"`
}

// DelegationInput sets a region's delegation for a period.
type DelegationInput struct {
	Total      *int64 `json:"total"`
	Delegated  *int64 `json:"delegated"`
	LegalBasis string `json:"legal_basis"`
	Version    *int64 `json:"version"`
}

// Validate checks total > 0, 0 ≤ delegated ≤ total and a legal basis.
func (in *DelegationInput) Validate() error {
	in.LegalBasis = strings.TrimSpace(in.LegalBasis)
	errs := fieldErrors{}
	if in.Total == nil {
		errs.add("total", "required")
	} else if *in.Total <= 0 || *in.Total > 100000 {
		errs.add("total", "total_positive")
	}
	if in.Delegated == nil {
		errs.add("delegated", "required")
	} else if *in.Delegated < 0 || (in.Total != nil && *in.Total > 0 && *in.Delegated > *in.Total) {
		errs.add("delegated", "delegated_range")
	}
	errs.requiredText("legal_basis", in.LegalBasis, MaxLegalBasisLen)
	return errs.err()
}

type delegationRow struct {
	ID         int64
	PeriodID   int64
	RegionID   int64
	Total      int64
	Delegated  int64
	LegalBasis string
	FromList   bool
	UpdatedBy  *int64
	Version    int64
	UpdatedAt  time.Time
}

func (delegationRow) TableName() string { return "delegations" }

// DelegationPercent is delegated / total × 100, rounded half-up to two decimals.
func DelegationPercent(delegated, total int64) Fixed {
	return RoundRat(big.NewRat(delegated*100, total))
}

func (r *delegationRow) view(s Scheme) *Delegation {
	p := DelegationPercent(r.Delegated, r.Total)
	updated := r.UpdatedAt
	return &Delegation{Total: &r.Total, Delegated: &r.Delegated, Percent: &p, Zone: s.Zone(&p),
		LegalBasis: r.LegalBasis, FromList: r.FromList, Permits: []DelegationPermit{}, Documents: []DelegationDocument{}, Version: r.Version, UpdatedAt: &updated}
}

// SetDelegation records a region's delegation for a period. A stale version is ErrConflict.
func (db *DB) SetDelegation(ctx context.Context, actor *User, year int, regionCode string, in DelegationInput) (*Delegation, error) {
	if !actor.CanWriteRegion(regionCode) {
		return nil, Forbidden("region_scope")
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var out *Delegation
	err := db.tx(ctx, func(tx *gorm.DB) error {
		p, r, err := db.lockOpenRegion(tx, year, regionCode)
		if err != nil {
			return err
		}
		var row delegationRow
		err = tx.Where("period_id = ? AND region_id = ?", p.ID, r.ID).Take(&row).Error
		switch translate(err) {
		case nil:
			if in.Version != nil && *in.Version != row.Version {
				return ErrConflict
			}
			if row.FromList {
				return Invalid("total", "from_list") // the counts follow from the list of permit types
			}
			res := tx.Model(&delegationRow{}).Where("id = ? AND version = ?", row.ID, row.Version).Updates(map[string]any{
				"total": *in.Total, "delegated": *in.Delegated, "legal_basis": in.LegalBasis,
				"updated_by": actor.ID, "updated_at": db.Now(), "version": row.Version + 1})
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected == 0 {
				return ErrConflict
			}
		case ErrNotFound:
			if in.Version != nil && *in.Version != 0 {
				return ErrConflict
			}
			if err := tx.Create(&delegationRow{PeriodID: p.ID, RegionID: r.ID, Total: *in.Total, Delegated: *in.Delegated,
				LegalBasis: in.LegalBasis, UpdatedBy: &actor.ID, Version: 1, UpdatedAt: db.Now()}).Error; err != nil {
				return err
			}
		default:
			return err
		}
		out, err = delegationOf(tx, p.ID, r.ID)
		var before any
		if row.ID != 0 {
			before = row.view(nil)
		}
		audit(tx, "delegation", fmt.Sprintf("%d/%s", year, regionCode), "set", before, out)
		return err
	})
	return out, err
}

// DelegationOf returns a region's delegation for a period; one never recorded has no values and zone no_data.
func (db *DB) DelegationOf(ctx context.Context, year int, regionCode string) (*Delegation, error) {
	q := db.read(ctx)
	p, r, err := periodAndRegion(q, year, regionCode)
	if err != nil {
		return nil, err
	}
	return delegationOf(q, p.ID, r.ID)
}

func delegationOf(tx *gorm.DB, periodID, regionID int64) (*Delegation, error) {
	schemes, err := zoneSchemes(tx, periodID)
	if err != nil {
		return nil, err
	}
	docs, err := documentsOf(tx, periodID, regionID, true)
	if err != nil {
		return nil, err
	}
	var row delegationRow
	err = tx.Where("period_id = ? AND region_id = ?", periodID, regionID).Take(&row).Error
	if translate(err) == ErrNotFound {
		return &Delegation{Zone: ZoneNoData, Permits: []DelegationPermit{}, Documents: docs}, nil
	} else if err != nil {
		return nil, err
	}
	d := row.view(schemes[MetricDelegation])
	d.Documents = docs
	if row.FromList {
		if d.Permits, err = permitsOf(tx, row.ID); err != nil {
			return nil, err
		}
	}
	return d, nil
}
