package models

import (
	"context"
)

// SignatoryChoice is a signatory user as a coordinator picks one for a commitment's slot, with
// the title they last signed or were assigned under (to fill the slot's title).
type SignatoryChoice struct {
	Email      string  `json:"email"`
	Name       string  `json:"name"`
	RegionCode *string `json:"region_code"`
	Title      string  `json:"title"`
}

// SignatoryChoices lists the active signatory users that actor may assign, by name: a
// coordinator of a province those of the province, its regencies and cities, and those with no
// region; everyone else in charge of commitments every one.
func (db *DB) SignatoryChoices(ctx context.Context, actor *User) ([]SignatoryChoice, error) {
	q := db.read(ctx).Table("users").
		Select("users.email, users.name, regions.code AS region_code, COALESCE((SELECT s.title FROM commitment_slots s "+
			"WHERE s.user_id = users.id AND s.title <> '' ORDER BY s.id DESC LIMIT 1), '') AS title").
		Joins("LEFT JOIN regions ON regions.id = users.region_id").
		Where("users.role = ? AND users.active", RoleSignatory)
	if actor.Province != nil {
		q = q.Where("(regions.code IS NULL OR regions.code = ? OR regions.code LIKE ?)", *actor.Province, *actor.Province+".%")
	}
	out := []SignatoryChoice{}
	err := q.Order("users.name, users.email").Scan(&out).Error
	return out, translate(err)
}
