package models

import (
	"context"
	"net/mail"
	"strings"
	"time"

	"gorm.io/gorm"
)

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 10

// User is a person who signs in. RegionCode is set for operators (their own Pemda).
type User struct {
	ID         int64   `json:"id"`
	Email      string  `json:"email"`
	Name       string  `json:"name"`
	Role       Role    `json:"role"`
	RegionID   *int64  `json:"-"`
	RegionCode *string `json:"region_code" gorm:"->;-:migration"`
	// Province scopes a coordinator or reviewer to one province ("62"); nil is the whole country.
	Province     *string   `json:"province"`
	PasswordHash string    `json:"-"`
	Active       bool      `json:"active"`
	Version      int64     `json:"version"`
	Demo         bool      `json:"-"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"-"`
}

// UserInput is a new user.
type UserInput struct {
	Email      string  `json:"email"`
	Name       string  `json:"name"`
	Role       Role    `json:"role"`
	Password   string  `json:"password"`
	RegionCode *string `json:"region_code"`
	Province   *string `json:"province"`
}

// validProvince checks an optional province code (two digits) for a role that may have one.
func validProvince(errs fieldErrors, role Role, province *string) {
	if province == nil || *province == "" {
		return
	}
	if !provinceCode.MatchString(*province) {
		errs.add("province", "province_code")
	} else if role != RoleCoordinator && role != RoleReviewer {
		errs.add("province", "province_role")
	}
}

// Validate checks the fields that need no database.
func (in *UserInput) Validate() error {
	in.Email, in.Name = strings.TrimSpace(in.Email), strings.TrimSpace(in.Name)
	errs := fieldErrors{}
	if errs.requiredText("email", in.Email, MaxEmailLen) { // before ToLower, which would repair invalid bytes
		in.Email = strings.ToLower(in.Email)
		if a, err := mail.ParseAddress(in.Email); err != nil || a.Address != in.Email {
			errs.add("email", "email_format")
		}
	}
	errs.requiredText("name", in.Name, MaxNameLen)
	if !validRole(in.Role) {
		errs.add("role", "role")
	}
	if len([]rune(in.Password)) < MinPasswordLength {
		errs.add("password", "password_short")
	} else {
		errs.text("password", in.Password, MaxSecretLen)
	}
	if in.Role == RoleOperator && (in.RegionCode == nil || *in.RegionCode == "") {
		errs.add("region_code", "required_for_operator")
	} else if in.RegionCode != nil {
		errs.text("region_code", *in.RegionCode, MaxCodeLen)
	}
	validProvince(errs, in.Role, in.Province)
	return errs.err()
}

func userQuery(tx *gorm.DB) *gorm.DB {
	return tx.Table("users").Select("users.*, regions.code AS region_code").
		Joins("LEFT JOIN regions ON regions.id = users.region_id")
}

// CreateUser adds a user; a taken e-mail is ErrConflict, an unknown region a validation error.
func (db *DB) CreateUser(ctx context.Context, in UserInput, demo bool) (*User, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	hash, err := hashPassword(ctx, in.Password)
	if err != nil {
		return nil, err
	}
	now := db.Now()
	if in.Province != nil && *in.Province == "" {
		in.Province = nil
	}
	u := &User{Email: in.Email, Name: in.Name, Role: in.Role, Province: in.Province, PasswordHash: hash, Active: true, Version: 1, Demo: demo, CreatedAt: now, UpdatedAt: now}
	err = db.tx(ctx, func(tx *gorm.DB) error {
		if in.RegionCode != nil && *in.RegionCode != "" {
			r, err := regionByCode(tx, *in.RegionCode)
			if err == ErrNotFound {
				return Invalid("region_code", "unknown_region")
			} else if err != nil {
				return err
			}
			u.RegionID, u.RegionCode = &r.ID, &r.Code
		}
		if err := tx.Omit("RegionCode").Create(u).Error; err != nil {
			return err
		}
		audit(tx, "user", u.Email, "create", nil, u)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// Users lists every user ordered by e-mail.
func (db *DB) Users(ctx context.Context) ([]User, error) {
	var out []User
	err := userQuery(db.read(ctx)).Order("users.email").Find(&out).Error
	return out, translate(err)
}

// UserByEmail finds a user, or ErrNotFound.
func (db *DB) UserByEmail(ctx context.Context, email string) (*User, error) {
	var u User
	err := userQuery(db.read(ctx)).Where("users.email = ?", strings.ToLower(strings.TrimSpace(email))).Take(&u).Error
	if err != nil {
		return nil, translate(err)
	}
	return &u, nil
}

// UserByID finds a user, or ErrNotFound.
func (db *DB) UserByID(ctx context.Context, id int64) (*User, error) {
	var u User
	if err := userQuery(db.read(ctx)).Where("users.id = ?", id).Take(&u).Error; err != nil {
		return nil, translate(err)
	}
	return &u, nil
}

// CountUsers returns how many users exist.
func (db *DB) CountUsers(ctx context.Context) (int64, error) {
	var n int64
	err := db.read(ctx).Table("users").Count(&n).Error
	return n, err
}

// CanWriteRegion reports whether u may enter progress, evidence and delegation for the region.
// The store checks it on every such change; handlers may ask it early to avoid work.
func (u *User) CanWriteRegion(code string) bool {
	switch u.Role {
	case RoleAdmin:
		return true
	case RoleCoordinator:
		return u.inProvince(code)
	case RoleOperator:
		return u.RegionCode != nil && *u.RegionCode == code
	}
	return false
}

// inProvince reports whether a region lies in u's province; a user without one has the whole
// country.
func (u *User) inProvince(code string) bool {
	return u.Province == nil || *u.Province == ProvinceOf(code)
}

// CanReviewRegion reports whether u may review the region's items and documents: admins
// everywhere, reviewers in their province (everywhere without one).
func (u *User) CanReviewRegion(code string) bool {
	switch u.Role {
	case RoleAdmin:
		return true
	case RoleReviewer:
		return u.inProvince(code)
	}
	return false
}

// CanManageCatalogue reports whether u may change what is national: periods, their catalogue
// and zones, and new provinces. Coordinators scoped to a province may not.
func (u *User) CanManageCatalogue() bool {
	return u.Role == RoleAdmin || (u.Role == RoleCoordinator && u.Province == nil)
}

// CanReview reports whether u may approve or reject items.
func (u *User) CanReview() bool { return u.Role == RoleAdmin || u.Role == RoleReviewer }

// UserPatch changes a user: name, role, region (an empty code clears it) or whether the
// account is active. Version, when given, must be the user's.
type UserPatch struct {
	Name       *string `json:"name"`
	Role       *Role   `json:"role"`
	RegionCode *string `json:"region_code"`
	// Province "" removes the user's province.
	Province *string `json:"province"`
	Active   *bool   `json:"active"`
	Version  *int64  `json:"version"`
}

// UpdateUser applies a patch by actor. Nobody deactivates themselves or takes away their own
// admin role (so an installation always keeps an admin who can sign in); an operator keeps a
// region. Deactivating an account, or changing its role or region, ends its sessions.
func (db *DB) UpdateUser(ctx context.Context, actor *User, id int64, in UserPatch) (*User, error) {
	var out User
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var u User
		if err := userQuery(tx).Where("users.id = ?", id).Take(&u).Error; err != nil {
			return translate(err)
		}
		if in.Version != nil && *in.Version != u.Version {
			return ErrConflict
		}
		next := u
		errs := fieldErrors{}
		if in.Name != nil {
			next.Name = strings.TrimSpace(*in.Name)
			errs.requiredText("name", next.Name, MaxNameLen)
		}
		if in.Role != nil {
			next.Role = *in.Role
			if !validRole(next.Role) {
				errs.add("role", "role")
			} else if u.ID == actor.ID && u.Role == RoleAdmin && next.Role != RoleAdmin {
				errs.add("role", "own_admin_role")
			}
		}
		if in.Active != nil {
			if next.Active = *in.Active; !next.Active && u.ID == actor.ID {
				errs.add("active", "own_account")
			}
		}
		if in.RegionCode != nil {
			next.RegionID, next.RegionCode = nil, nil
			if code := strings.TrimSpace(*in.RegionCode); code != "" && errs.text("region_code", code, MaxCodeLen) {
				r, err := regionByCode(tx, code)
				if err == ErrNotFound {
					errs.add("region_code", "unknown_region")
				} else if err != nil {
					return err
				} else {
					next.RegionID, next.RegionCode = &r.ID, &r.Code
				}
			}
		}
		if in.Province != nil {
			next.Province = nil
			if p := strings.TrimSpace(*in.Province); p != "" {
				next.Province = &p
			}
		}
		if next.Role != RoleCoordinator && next.Role != RoleReviewer && in.Province == nil {
			next.Province = nil // a role without provinces keeps none
		}
		validProvince(errs, next.Role, next.Province)
		if next.Role == RoleOperator && next.RegionID == nil {
			errs.add("region_code", "required_for_operator")
		}
		if err := errs.err(); err != nil {
			return err
		}
		res := tx.Model(&User{}).Where("id = ? AND version = ?", u.ID, u.Version).Updates(map[string]any{
			"name": next.Name, "role": next.Role, "region_id": next.RegionID, "province": next.Province, "active": next.Active,
			"version": u.Version + 1, "updated_at": db.Now()})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrConflict
		}
		if !next.Active || next.Role != u.Role || !sameRegion(next.RegionID, u.RegionID) || !sameText(next.Province, u.Province) {
			if err := tx.Exec("DELETE FROM sessions WHERE user_id = ?", u.ID).Error; err != nil {
				return err
			}
		}
		next.Version = u.Version + 1
		audit(tx, "user", u.Email, "update", u, next)
		announce(tx, Change{TopicUser, u.ID}) // sessions resolved earlier carry the old account
		out = next
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

func sameRegion(a, b *int64) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}

func validRole(role Role) bool {
	for _, r := range Roles {
		if r == role {
			return true
		}
	}
	return false
}

// sameText reports whether two optional texts are equal.
func sameText(a, b *string) bool { return (a == nil && b == nil) || (a != nil && b != nil && *a == *b) }
