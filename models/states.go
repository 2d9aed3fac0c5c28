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

// CommitmentKind says whether a commitment is one region's or the whole province's.
type CommitmentKind string

// Commitment kinds: a regency's or city's own commitment with the governor, or the joint
// provincial commitment of the governor with every regent or mayor and every regency or city
// DPRD chair of the province.
const (
	KindRegional CommitmentKind = "regional"
	KindJoint    CommitmentKind = "joint"
)

// Label names the kind in lang.
func (k CommitmentKind) Label(lang Lang) string { return Label(lang, "commitment_kind", string(k)) }

// CommitmentStatus is where a commitment stands.
type CommitmentStatus string

// Commitment statuses: signed once every signer slot has a signature (a paraf is not a
// signature; witnesses do not block); void once a coordinator cancels it.
const (
	CommitmentDraft           CommitmentStatus = "draft"
	CommitmentPartiallySigned CommitmentStatus = "partially_signed"
	CommitmentSigned          CommitmentStatus = "signed"
	CommitmentVoid            CommitmentStatus = "void"
)

// Label names the status in lang.
func (s CommitmentStatus) Label(lang Lang) string { return Label(lang, "commitment_status", string(s)) }

// SlotStatus is where one signatory slot stands: open until signed; an initialled slot (a
// paraf) stays open for the signature.
type SlotStatus string

// Slot statuses.
const (
	SlotOpen       SlotStatus = "open"
	SlotInitialled SlotStatus = "initialled"
	SlotSigned     SlotStatus = "signed"
)

// Label names the status in lang.
func (s SlotStatus) Label(lang Lang) string { return Label(lang, "slot_status", string(s)) }

// SignMode is what a signer does to a slot: sign it or initial it (paraf).
type SignMode string

// Sign modes.
const (
	ModeSign    SignMode = "sign"
	ModeInitial SignMode = "initial"
)

// Label names the mode in lang.
func (m SignMode) Label(lang Lang) string { return Label(lang, "sign_mode", string(m)) }

// SigningCapacity is in what capacity someone acted on a slot.
type SigningCapacity string

// Signing capacities: the slot's own office holder; someone acting for them (a deputy), who
// may only initial; someone acting for them under a delegation the coordinator recorded (a.n.
// or surat kuasa), who may sign.
const (
	CapacityPrincipal SigningCapacity = "principal"
	CapacityDeputy    SigningCapacity = "deputy"
	CapacityDelegated SigningCapacity = "delegated"
)

// Label names the capacity in lang.
func (c SigningCapacity) Label(lang Lang) string { return Label(lang, "signing_capacity", string(c)) }

// DelegationKind is the instrument by which someone signs for the slot's office holder.
type DelegationKind string

// Delegation kinds: atas nama (a.n., on the office holder's written instruction) and a power
// of attorney (surat kuasa).
const (
	DelegationAN         DelegationKind = "an"
	DelegationSuratKuasa DelegationKind = "surat_kuasa"
)

// Label names the kind in lang.
func (k DelegationKind) Label(lang Lang) string { return Label(lang, "delegation_kind", string(k)) }
