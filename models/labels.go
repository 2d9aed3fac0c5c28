package models

import "strings"

// Lang is a language Pantau writes in.
type Lang string

// The languages of the labels: Indonesian first, English second.
const (
	Indonesian Lang = "id"
	English    Lang = "en"
)

// Langs lists the languages, Indonesian first.
var Langs = []Lang{Indonesian, English}

// label is one state's or kind's name in each language.
type label struct{ id, en string }

// labels is the one table of names for Pantau's states and kinds, by group and key. The
// narrative, the PDF documents and the API (GET /api/v1/labels, which the web app shows) take
// their words from here, so one thing is never called two names.
var labels = map[string]map[string]label{
	"zone": {
		string(ZoneComplete):   {"Tuntas (100%)", "Complete (100%)"},
		string(ZoneGreen):      {"Hijau", "Green"},
		string(ZoneLightGreen): {"Hijau muda", "Light green"},
		string(ZoneBlue):       {"Biru", "Blue"},
		string(ZoneYellow):     {"Kuning", "Yellow"},
		string(ZoneRed):        {"Merah", "Red"},
		string(ZoneNoData):     {"Belum ada data", "No data yet"},
	},
	"item_status": {
		string(StatusDraft):                {"Belum diajukan", "Not submitted"},
		string(StatusSubmitted):            {"Menunggu verifikasi", "Waiting for verification"},
		string(StatusApproved):             {"Disetujui", "Approved"},
		string(StatusRejected):             {"Ditolak — perlu perbaikan", "Rejected — needs repair"},
		string(StatusNotApplicablePending): {"Tidak berlaku (menunggu verifikasi)", "Not applicable (waiting for verification)"},
		string(StatusNotApplicable):        {"Tidak berlaku", "Not applicable"},
	},
	"evidence_status": {
		string(EvidenceWaiting):  {"Menunggu verifikasi", "Waiting for verification"},
		string(EvidenceAccepted): {"Diterima", "Accepted"},
		string(EvidenceRejected): {"Ditolak", "Rejected"},
	},
	"decision": {
		string(DecisionApprove): {"Disetujui", "Approved"},
		string(DecisionReject):  {"Ditolak", "Rejected"},
	},
	"remediation_status": {
		string(RemediationPlanned):    {"Direncanakan", "Planned"},
		string(RemediationInProgress): {"Sedang dikerjakan", "In progress"},
		string(RemediationDone):       {"Selesai", "Done"},
	},
	"role": {
		string(RoleAdmin):       {"Administrator", "Administrator"},
		string(RoleCoordinator): {"Koordinator provinsi", "Provincial coordinator"},
		string(RoleOperator):    {"Operator Pemda", "Regional operator"},
		string(RoleReviewer):    {"Verifikator", "Reviewer"},
		string(RoleSignatory):   {"Penanda tangan", "Signatory"},
	},
	"region_kind": {
		string(KindProvince): {"Provinsi", "Province"},
		string(KindRegency):  {"Kabupaten", "Regency"},
		string(KindCity):     {"Kota", "City"},
	},
	"commitment_kind": {
		string(KindRegional): {"Komitmen kabupaten/kota", "Regency or city commitment"},
		string(KindJoint):    {"Komitmen bersama provinsi", "Joint provincial commitment"},
	},
	"commitment_status": {
		string(CommitmentDraft):           {"Draf", "Draft"},
		string(CommitmentPartiallySigned): {"Sebagian ditandatangani", "Partly signed"},
		string(CommitmentSigned):          {"Ditandatangani lengkap", "Fully signed"},
		"issued":                          {"Diterbitkan", "Issued"},
		string(CommitmentVoid):            {"Dibatalkan", "Void"},
	},
	"slot_status": {
		string(SlotOpen):       {"Belum ditandatangani", "Not signed yet"},
		string(SlotInitialled): {"Diparaf", "Initialled"},
		string(SlotSigned):     {"Ditandatangani", "Signed"},
	},
	"sign_mode": {
		string(ModeSign):    {"Tanda tangan", "Signature"},
		string(ModeInitial): {"Paraf", "Initials"},
	},
	"signing_capacity": {
		string(CapacityPrincipal): {"Pejabat yang bersangkutan", "The office holder"},
		string(CapacityDeputy):    {"Mewakili (hanya paraf)", "Acting for the office holder (initials only)"},
		string(CapacityDelegated): {"Atas nama, dengan pelimpahan", "On behalf, under a recorded delegation"},
	},
	"import_action": {
		string(ImportCreate):    {"Baru", "New"},
		string(ImportUpdate):    {"Diubah", "Changed"},
		string(ImportUnchanged): {"Tetap", "Unchanged"},
		string(ImportError):     {"Ditolak", "Refused"},
	},
	"document_kind": {
		string(DocumentRegulation): {"Peraturan", "Regulation"},
		string(DocumentAnnex):      {"Lampiran", "Annex"},
	},
	"delegation_kind": {
		string(DelegationAN):         {"Atas nama (a.n.)", "On behalf (a.n.)"},
		string(DelegationSuratKuasa): {"Surat kuasa", "Power of attorney"},
	},
}

// Label returns a key's name in a group ("zone", "green" → "Hijau"), in lang; an unknown key
// is returned as it is.
func Label(lang Lang, group, key string) string {
	l, ok := labels[group][key]
	switch {
	case !ok:
		return key
	case lang == English:
		return l.en
	}
	return l.id
}

// AllLabels returns the whole table in every language: by language, group and key.
func AllLabels() map[Lang]map[string]map[string]string {
	out := make(map[Lang]map[string]map[string]string, len(Langs))
	for _, l := range Langs {
		out[l] = Labels(l)
	}
	return out
}

// Labels returns the whole table in one language, by group and key, for the API.
func Labels(lang Lang) map[string]map[string]string {
	out := make(map[string]map[string]string, len(labels))
	for group, keys := range labels {
		out[group] = make(map[string]string, len(keys))
		for key := range keys {
			out[group][key] = Label(lang, group, key)
		}
	}
	return out
}

// ZonePhrase names a zone as running Indonesian text does: "zona hijau", "zona hijau muda";
// the complete zone is "100%" and a missing value "belum ada data".
func ZonePhrase(zone Zone) string {
	switch zone {
	case ZoneComplete:
		return "100%"
	case ZoneNoData:
		return strings.ToLower(zone.Label(Indonesian))
	}
	return "zona " + strings.ToLower(zone.Label(Indonesian))
}
