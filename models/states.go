package models

import (
	"database/sql/driver"
	"fmt"
	"strings"
)

// The typed states and kinds of Pantau's things. Their names, in each language, are in the
// label table (labels.go); each type's Label method looks its key up there.

// Role is what a user may do.
type Role string

// Roles.
const (
	RoleAdmin       Role = "admin"
	RoleCoordinator Role = "coordinator"
	RoleOperator    Role = "operator"
	RoleReviewer    Role = "reviewer"
	RoleSignatory   Role = "signatory"
)

// Roles lists every role.
var Roles = []Role{RoleAdmin, RoleCoordinator, RoleOperator, RoleReviewer, RoleSignatory}

// Label names the role in lang.
func (r Role) Label(lang Lang) string { return Label(lang, "role", string(r)) }

// RegionKind says whether a Pemda is a province, a regency (kabupaten) or a city (kota).
type RegionKind string

// Region kinds.
const (
	KindProvince RegionKind = "province"
	KindRegency  RegionKind = "regency"
	KindCity     RegionKind = "city"
)

// Label names the kind in lang.
func (k RegionKind) Label(lang Lang) string { return Label(lang, "region_kind", string(k)) }

// ItemStatus is where an action item stands.
type ItemStatus string

// Item statuses.
const (
	StatusDraft     ItemStatus = "draft"
	StatusSubmitted ItemStatus = "submitted"
	StatusApproved  ItemStatus = "approved"
	StatusRejected  ItemStatus = "rejected"
)

// Statuses an item shows, instead of its claim's, while it is said not to apply to the region
// (pending a reviewer's decision) and once it does not apply (confirmed, or by the catalogue).
const (
	StatusNotApplicablePending ItemStatus = "not_applicable_pending"
	StatusNotApplicable        ItemStatus = "not_applicable"
)

// Label names the status in lang.
func (s ItemStatus) Label(lang Lang) string { return Label(lang, "item_status", string(s)) }

// Decision is a reviewer's verdict on an item.
type Decision string

// Review decisions.
const (
	DecisionApprove Decision = "approve"
	DecisionReject  Decision = "reject"
)

// EvidenceStatus is where one document stands: each is verified on its own.
type EvidenceStatus string

// Evidence statuses.
const (
	EvidenceWaiting  EvidenceStatus = "waiting"
	EvidenceAccepted EvidenceStatus = "accepted"
	EvidenceRejected EvidenceStatus = "rejected"
)

// Label names the status in lang.
func (s EvidenceStatus) Label(lang Lang) string { return Label(lang, "evidence_status", string(s)) }

// Zone is a band of a metric's scheme (green, yellow, …), or ZoneNoData.
type Zone string

// Zone keys. ZoneNoData is used when a value does not exist yet.
const (
	ZoneComplete   Zone = "complete"
	ZoneGreen      Zone = "green"
	ZoneLightGreen Zone = "light_green"
	ZoneBlue       Zone = "blue"
	ZoneYellow     Zone = "yellow"
	ZoneRed        Zone = "red"
	ZoneNoData     Zone = "no_data"
)

// Label names the zone in lang ("Hijau").
func (z Zone) Label(lang Lang) string { return Label(lang, "zone", string(z)) }

// RegionKinds lists every region kind.
var RegionKinds = []RegionKind{KindProvince, KindRegency, KindCity}

// KindSet is the region kinds a catalogue entry applies to. Empty means every kind. It is
// stored as a comma-separated list.
type KindSet []RegionKind

// Has reports whether the set includes k.
func (s KindSet) Has(k RegionKind) bool {
	if len(s) == 0 {
		return true
	}
	for _, x := range s {
		if x == k {
			return true
		}
	}
	return false
}

// All reports whether the set includes every kind.
func (s KindSet) All() bool {
	for _, k := range RegionKinds {
		if !s.Has(k) {
			return false
		}
	}
	return true
}

// Normal returns the set as every kind it includes, in RegionKinds order.
func (s KindSet) Normal() KindSet {
	out := KindSet{}
	for _, k := range RegionKinds {
		if s.Has(k) {
			out = append(out, k)
		}
	}
	return out
}

// Value stores the set as "province,regency,city".
func (s KindSet) Value() (driver.Value, error) {
	parts := make([]string, 0, len(s))
	for _, k := range s.Normal() {
		parts = append(parts, string(k))
	}
	return strings.Join(parts, ","), nil
}

// Scan reads a stored set.
func (s *KindSet) Scan(src any) error {
	var text string
	switch v := src.(type) {
	case string:
		text = v
	case []byte:
		text = string(v)
	case nil:
	default:
		return fmt.Errorf("kind set: unexpected %T", src)
	}
	*s = KindSet{}
	for _, part := range strings.Split(text, ",") {
		if part != "" {
			*s = append(*s, RegionKind(part))
		}
	}
	return nil
}
