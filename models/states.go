package models

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
