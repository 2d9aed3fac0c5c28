package models

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// DelegationPermit is one permit type within a Pemda's authority, delegated to its DPMPTSP or
// not, with where the delegating regulation lists it (e.g. "Lampiran I angka 12").
type DelegationPermit struct {
	Name       string `json:"name"`
	Delegated  bool   `json:"delegated"`
	Regulation string `json:"regulation"`
}

// DelegationPermitsInput replaces a region's list of permit types for a period. An empty list
// removes the list: the counts stay as they were and may be set by hand again.
type DelegationPermitsInput struct {
	Permits    []DelegationPermit `json:"permits"`
	LegalBasis string             `json:"legal_basis"`
	Version    *int64             `json:"version"`
}

// MaxDelegationPermits bounds a region's list (a regency's authority runs to a few hundred).
const MaxDelegationPermits = 2000

// Validate trims the entries and checks each has a name, none twice, and a legal basis.
func (in *DelegationPermitsInput) Validate() error {
	in.LegalBasis = strings.TrimSpace(in.LegalBasis)
	errs := fieldErrors{}
	if in.Permits == nil { // left out: [] is what removes a list
		errs.add("permits", "required")
		return errs.err()
	}
	if len(in.Permits) > MaxDelegationPermits {
		errs.add("permits", "permits_too_many")
		return errs.err()
	}
	seen := make(map[string]int, len(in.Permits))
	for i := range in.Permits {
		p := &in.Permits[i]
		p.Name, p.Regulation = strings.TrimSpace(p.Name), strings.TrimSpace(p.Regulation)
		field := "permits." + strconv.Itoa(i)
		if errs.requiredText(field+".name", p.Name, MaxLineLen) {
			key := strings.ToLower(strings.Join(strings.Fields(p.Name), " "))
			if _, twice := seen[key]; twice {
				errs.add(field+".name", "permit_duplicate")
			}
			seen[key] = i
		}
		errs.text(field+".regulation", p.Regulation, MaxLineLen)
	}
	if len(in.Permits) > 0 {
		errs.requiredText("legal_basis", in.LegalBasis, MaxLegalBasisLen)
	}
	return errs.err()
}

type delegationPermitRow struct {
	ID           int64
	DelegationID int64
	Position     int
	Name         string
	Delegated    bool
	Regulation   string
}

func (delegationPermitRow) TableName() string { return "delegation_permits" }

// SetDelegationPermits records a region's list of permit types for a period; its delegation's
// counts then follow from the list (total: the list's length; delegated: those delegated). A
// stale version is ErrConflict.
func (db *DB) SetDelegationPermits(ctx context.Context, actor *User, year int, regionCode string, in DelegationPermitsInput) (*Delegation, error) {
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
		before, err := delegationOf(tx, p.ID, r.ID)
		if err != nil {
			return err
		}
		if in.Version != nil && *in.Version != before.Version {
			return ErrConflict
		}
		var row delegationRow
		if len(in.Permits) == 0 {
			// Removing the list keeps the counts it gave; without a delegation there is nothing to remove.
			if before.Version == 0 {
				out = before
				return nil
			}
			if err := tx.Model(&delegationRow{}).Where("period_id = ? AND region_id = ?", p.ID, r.ID).Updates(map[string]any{
				"from_list": false, "updated_by": actor.ID, "updated_at": db.Now(), "version": before.Version + 1}).Error; err != nil {
				return err
			}
		} else {
			total, delegated := int64(len(in.Permits)), int64(0)
			for _, pm := range in.Permits {
				if pm.Delegated {
					delegated++
				}
			}
			row = delegationRow{PeriodID: p.ID, RegionID: r.ID, Total: total, Delegated: delegated, LegalBasis: in.LegalBasis,
				FromList: true, UpdatedBy: &actor.ID, Version: before.Version + 1, UpdatedAt: db.Now()}
			if err := upsertDelegation(tx, &row, before.Version); err != nil {
				return err
			}
		}
		if err := tx.Where("delegation_id IN (?)", tx.Model(&delegationRow{}).Select("id").
			Where("period_id = ? AND region_id = ?", p.ID, r.ID)).Delete(&delegationPermitRow{}).Error; err != nil {
			return err
		}
		if len(in.Permits) > 0 {
			rows := make([]delegationPermitRow, len(in.Permits))
			for i, pm := range in.Permits {
				rows[i] = delegationPermitRow{DelegationID: row.ID, Position: i + 1, Name: pm.Name, Delegated: pm.Delegated, Regulation: pm.Regulation}
			}
			if err := tx.CreateInBatches(rows, 200).Error; err != nil {
				return err
			}
		}
		out, err = delegationOf(tx, p.ID, r.ID)
		var was any
		if before.Version != 0 {
			was = before
		}
		audit(tx, "delegation", fmt.Sprintf("%d/%s", year, regionCode), "set_permits", was, out)
		return err
	})
	return out, err
}

// upsertDelegation writes row as the region's delegation for its period: a new one when was is
// 0, else over version was (a concurrent change is ErrConflict). row.ID is set either way.
func upsertDelegation(tx *gorm.DB, row *delegationRow, was int64) error {
	if was == 0 {
		return tx.Create(row).Error
	}
	res := tx.Model(&delegationRow{}).Where("period_id = ? AND region_id = ? AND version = ?", row.PeriodID, row.RegionID, was).Updates(map[string]any{
		"total": row.Total, "delegated": row.Delegated, "legal_basis": row.LegalBasis, "from_list": row.FromList,
		"updated_by": row.UpdatedBy, "updated_at": row.UpdatedAt, "version": row.Version})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrConflict
	}
	return tx.Model(&delegationRow{}).Select("id").Where("period_id = ? AND region_id = ?", row.PeriodID, row.RegionID).Scan(&row.ID).Error
}

// permitsOf returns a delegation's list of permit types, in order.
func permitsOf(q *gorm.DB, delegationID int64) ([]DelegationPermit, error) {
	var rows []delegationPermitRow
	if err := q.Where("delegation_id = ?", delegationID).Order("position").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]DelegationPermit, len(rows))
	for i, r := range rows {
		out[i] = DelegationPermit{Name: r.Name, Delegated: r.Delegated, Regulation: r.Regulation}
	}
	return out, nil
}

// carryDelegations copies every region's delegation of period from (counts, legal basis and
// list of permit types) into period to, for the regions that have none there yet: a regulation
// stays in force from one year to the next until it is replaced. It returns how many it copied.
func carryDelegations(tx *gorm.DB, from, to int64, now time.Time) (int, error) {
	var rows []delegationRow
	if err := tx.Where("period_id = ? AND region_id NOT IN (?)", from,
		tx.Model(&delegationRow{}).Select("region_id").Where("period_id = ?", to)).Order("id").Find(&rows).Error; err != nil {
		return 0, err
	}
	for _, r := range rows {
		old := r.ID
		r.ID, r.PeriodID, r.Version, r.UpdatedAt = 0, to, 1, now
		if err := tx.Create(&r).Error; err != nil {
			return 0, err
		}
		if err := tx.Exec("INSERT INTO delegation_permits (delegation_id, position, name, delegated, regulation) "+
			"SELECT ?, position, name, delegated, regulation FROM delegation_permits WHERE delegation_id = ?", r.ID, old).Error; err != nil {
			return 0, err
		}
	}
	return len(rows), nil
}

// RegionPermit is one entry of a region's list of permit types, as an export lists it.
type RegionPermit struct {
	RegionCode string
	RegionName string
	Position   int
	DelegationPermit
}

// PermitLists returns the lists of permit types of a period's regions that f picks, by region
// code and then in each list's order.
func (db *DB) PermitLists(ctx context.Context, year int, f RegionFilter) ([]RegionPermit, error) {
	q := db.read(ctx)
	p, err := periodByYear(q, year)
	if err != nil {
		return nil, err
	}
	var rows []struct {
		Code, Name, PermitName, Regulation string
		Position                           int
		Delegated                          bool
	}
	err = f.where(q.Table("delegation_permits").
		Select("regions.code, regions.name, delegation_permits.name AS permit_name, delegation_permits.regulation, delegation_permits.position, delegation_permits.delegated").
		Joins("JOIN delegations ON delegations.id = delegation_permits.delegation_id").
		Joins("JOIN regions ON regions.id = delegations.region_id").
		Where("delegations.period_id = ? AND delegations.from_list", p.ID)).
		Order("regions.code, delegation_permits.position").Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	out := make([]RegionPermit, len(rows))
	for i, r := range rows {
		out[i] = RegionPermit{RegionCode: r.Code, RegionName: r.Name, Position: r.Position,
			DelegationPermit: DelegationPermit{Name: r.PermitName, Delegated: r.Delegated, Regulation: r.Regulation}}
	}
	return out, nil
}
