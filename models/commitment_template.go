package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// ---- Names ----

// shortName strips "Kabupaten ", "Kota " or "Provinsi " from a region's name.
func shortName(name string) string {
	for _, p := range []string{"Kabupaten ", "Kota ", "Provinsi "} {
		if strings.HasPrefix(name, p) {
			return strings.TrimPrefix(name, p)
		}
	}
	return name
}

// headTitle is a regency's or city's head's title: "Bupati Seruyan", "Wali Kota Palangka Raya".
func headTitle(name string, kind RegionKind) string {
	if kind == KindCity {
		return "Wali Kota " + shortName(name)
	}
	return "Bupati " + shortName(name)
}

// provinceShort is " Kalimantan Tengah" for "Provinsi Kalimantan Tengah", or "" without one.
func provinceShort(province string) string {
	if province == "" {
		return ""
	}
	return " " + shortName(province)
}

// HeadTitle is the title of the region's head: "Bupati Seruyan", "Wali Kota Palangka Raya",
// or for a joint commitment "Gubernur Kalimantan Tengah".
func (c *Commitment) HeadTitle() string {
	if c.Kind == KindJoint {
		return "Gubernur" + provinceShort(c.RegionName)
	}
	return headTitle(c.RegionName, c.RegionKind)
}

func (c *Commitment) templateVars() *strings.Replacer {
	regulation := "Peraturan Bupati"
	switch {
	case c.Kind == KindJoint:
		regulation = "peraturan kepala daerah"
	case c.RegionKind == KindCity:
		regulation = "Peraturan Wali Kota"
	}
	province := c.ProvinceName
	if province == "" {
		province = "Provinsi"
	}
	return strings.NewReplacer("{region}", c.RegionName, "{province}", province, "{year}", fmt.Sprint(c.Year),
		"{head}", c.HeadTitle(), "{regulation}", regulation)
}

// ---- The templates ----

// CommitmentTemplate is the text every new commitment of its kind starts from. Its parts may
// use {region}, {province}, {year}, {head} (e.g. "Bupati Seruyan"; the governor for a joint
// commitment) and {regulation} (e.g. "Peraturan Bupati"); Commitments has one numbered
// commitment per line.
type CommitmentTemplate struct {
	ID          int64          `json:"-"`
	Kind        CommitmentKind `json:"kind"`
	Title       string         `json:"title"`
	Preamble    string         `json:"preamble"`
	Commitments string         `json:"commitments"`
	Closing     string         `json:"closing"`
	Place       string         `json:"place"`
	UpdatedBy   *int64         `json:"-"`
	CreatedAt   time.Time      `json:"updated_at"`
}

// commitmentItems are the numbered commitments both default templates share.
var commitmentItems = []string{
	"Menyelenggarakan pelayanan perizinan dan nonperizinan yang prima: cepat, mudah, transparan, pasti dan terjangkau, sesuai standar pelayanan yang diumumkan kepada masyarakat.",
	"Mendelegasikan seluruh kewenangan perizinan dan nonperizinan yang menjadi kewenangan daerah kepada Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu dengan {regulation}.",
	"Menerapkan perizinan berusaha terintegrasi secara elektronik (OSS) beserta sistem penelusuran permohonan yang dapat diakses pemohon.",
	"Menyediakan sarana pengaduan dan menindaklanjuti setiap pengaduan masyarakat secara terbuka dan tepat waktu.",
	"Menolak segala bentuk gratifikasi, suap dan pungutan liar dalam pelayanan perizinan.",
	"Menyediakan anggaran, sarana prasarana dan sumber daya manusia yang memadai bagi penyelenggaraan PTSP.",
	"Melaporkan kemajuan pelaksanaan komitmen ini secara berkala kepada Pemerintah {province}.",
}

const commitmentClosing = "Demikian komitmen bersama ini dibuat dengan penuh kesadaran dan tanggung jawab untuk dilaksanakan dengan sebaik-baiknya."

// DefaultCommitmentTemplate is a regency's or city's commitment text until an admin changes it.
var DefaultCommitmentTemplate = CommitmentTemplate{
	Kind:  KindRegional,
	Title: "Komitmen Bersama Penyelenggaraan Pelayanan Terpadu Satu Pintu Prima (PTSP Prima) {region} Tahun {year}",
	Preamble: "Kami yang bertanda tangan di bawah ini, {head}, Ketua Dewan Perwakilan Rakyat Daerah {region} dan " +
		"Gubernur, disaksikan oleh Wakil Gubernur dan Ketua Dewan Perwakilan Rakyat Daerah {province}, dengan ini " +
		"menyatakan komitmen bersama untuk:",
	Commitments: strings.Join(commitmentItems, "\n"),
	Closing:     commitmentClosing,
	Place:       "Palangka Raya",
}

// DefaultJointTemplate is the joint provincial commitment's text until an admin changes it.
var DefaultJointTemplate = CommitmentTemplate{
	Kind:  KindJoint,
	Title: "Komitmen Bersama Penyelenggaraan Pelayanan Terpadu Satu Pintu Prima (PTSP Prima) se-{region} Tahun {year}",
	Preamble: "Kami yang bertanda tangan di bawah ini, {head}, para Bupati dan Wali Kota serta para Ketua Dewan " +
		"Perwakilan Rakyat Daerah kabupaten dan kota se-{region}, disaksikan oleh Wakil Gubernur dan Ketua Dewan " +
		"Perwakilan Rakyat Daerah {province}, dengan ini menyatakan komitmen bersama untuk:",
	Commitments: strings.Join(commitmentItems, "\n"),
	Closing:     commitmentClosing,
	Place:       "Palangka Raya",
}

// CommitmentTemplate returns the template in use for a kind of commitment: the newest an
// admin saved, or the default.
func (db *DB) CommitmentTemplate(ctx context.Context, kind CommitmentKind) (*CommitmentTemplate, error) {
	if kind == "" {
		kind = KindRegional
	}
	if kind != KindRegional && kind != KindJoint {
		return nil, Invalid("kind", "commitment_kind")
	}
	return latestCommitmentTemplate(db.read(ctx), kind)
}

// latestCommitmentTemplate reads the template in use for a kind (ID 0: the default).
func latestCommitmentTemplate(q *gorm.DB, kind CommitmentKind) (*CommitmentTemplate, error) {
	var rows []CommitmentTemplate
	if err := q.Where("kind = ?", kind).Order("id DESC").Limit(1).Find(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) > 0 {
		return &rows[0], nil
	}
	t := DefaultCommitmentTemplate
	if kind == KindJoint {
		t = DefaultJointTemplate
	}
	return &t, nil
}

// SetCommitmentTemplate saves a new template for its kind (every version is kept);
// commitments already prepared keep their text.
func (db *DB) SetCommitmentTemplate(ctx context.Context, in CommitmentTemplate, by *User) (*CommitmentTemplate, error) {
	errs := fieldErrors{}
	if in.Kind == "" {
		in.Kind = KindRegional
	} else if in.Kind != KindRegional && in.Kind != KindJoint {
		errs.add("kind", "commitment_kind")
	}
	for _, f := range []struct {
		name string
		v    *string
		max  int
	}{{"title", &in.Title, MaxTitleLen}, {"preamble", &in.Preamble, MaxDocumentTextLen}, {"commitments", &in.Commitments, MaxDocumentTextLen},
		{"closing", &in.Closing, MaxDocumentTextLen}, {"place", &in.Place, MaxNameLen}} {
		if *f.v = strings.TrimSpace(*f.v); f.name == "closing" {
			errs.text(f.name, *f.v, f.max)
		} else {
			errs.requiredText(f.name, *f.v, f.max)
		}
	}
	if err := errs.err(); err != nil {
		return nil, err
	}
	t := &CommitmentTemplate{Kind: in.Kind, Title: in.Title, Preamble: in.Preamble, Commitments: in.Commitments, Closing: in.Closing, Place: in.Place,
		UpdatedBy: &by.ID, CreatedAt: db.Now()}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		before, err := latestCommitmentTemplate(tx, in.Kind)
		if err != nil {
			return err
		}
		audit(tx, "commitment_template", "ptsp_prima/"+string(in.Kind), "set", before, t)
		return tx.Create(t).Error
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}
