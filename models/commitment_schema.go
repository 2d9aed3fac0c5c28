package models

import (
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// commitmentsStep is migration 11's Go step. A void commitment keeps its row, and its region
// and year may be used again by its replacement: the status may be 'void', and the unique key
// on (region_id, year) becomes a unique index over the commitments that are not void.
// PostgreSQL changes the constraints in place. SQLite cannot drop a table constraint, so the
// table is rebuilt from its own definition with those two changes; since dropping the old
// table deletes the rows that refer to it (ON DELETE CASCADE), those are kept aside and put
// back. Then the existing commitments get their numbers, and the certificates the
// installation's CA issued so far are recorded.
func commitmentsStep(db *DB, tx *gorm.DB) error {
	var err error
	if db.Dialect == Postgres {
		err = execAll(tx,
			"ALTER TABLE commitments DROP CONSTRAINT commitments_region_id_year_key",
			"ALTER TABLE commitments DROP CONSTRAINT commitments_status_check",
			"ALTER TABLE commitments ADD CONSTRAINT commitments_status_check CHECK (status IN ('draft', 'partially_signed', 'signed', 'void'))")
	} else {
		err = rebuildCommitmentsSQLite(tx)
	}
	if err != nil {
		return err
	}
	if err := numberCommitments(tx); err != nil {
		return err
	}
	if err := execAll(tx,
		"CREATE UNIQUE INDEX commitments_current ON commitments (region_id, year) WHERE status <> 'void'",
		"CREATE UNIQUE INDEX commitments_number ON commitments (number)",
		"CREATE INDEX commitments_replacement ON commitments (replacement_id)"); err != nil {
		return err
	}
	return recordIssuedSoFar(db, tx)
}

func execAll(tx *gorm.DB, stmts ...string) error {
	for _, s := range stmts {
		if err := tx.Exec(s).Error; err != nil {
			return fmt.Errorf("%w\n%s", err, s)
		}
	}
	return nil
}

// rebuildCommitmentsSQLite rebuilds the commitments table without its (region_id, year)
// unique key and with 'void' among the statuses.
func rebuildCommitmentsSQLite(tx *gorm.DB) error {
	var def string
	if err := tx.Raw("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'commitments'").Scan(&def).Error; err != nil {
		return err
	}
	for _, r := range [][2]string{
		{"CREATE TABLE commitments (", "CREATE TABLE commitments_new ("},
		{",\n    UNIQUE (region_id, year)", ""},
		{"CHECK (status IN ('draft', 'partially_signed', 'signed'))", "CHECK (status IN ('draft', 'partially_signed', 'signed', 'void'))"},
	} {
		if strings.Count(def, r[0]) != 1 {
			return fmt.Errorf("the commitments table's definition is not the expected one (%q):\n%s", r[0], def)
		}
		def = strings.Replace(def, r[0], r[1], 1)
	}
	return execAll(tx,
		def,
		"INSERT INTO commitments_new SELECT * FROM commitments",
		"CREATE TEMP TABLE kept_slots AS SELECT * FROM commitment_slots",
		"CREATE TEMP TABLE kept_failures AS SELECT * FROM signing_failures",
		"DROP TABLE commitments",
		"ALTER TABLE commitments_new RENAME TO commitments",
		"INSERT INTO commitment_slots SELECT * FROM kept_slots",
		"INSERT INTO signing_failures SELECT * FROM kept_failures",
		"DROP TABLE kept_slots",
		"DROP TABLE kept_failures")
}

// numberCommitments gives every commitment without a number one, in the order they were made.
func numberCommitments(tx *gorm.DB) error {
	var rows []struct {
		ID   int64
		Year int
		Code string
	}
	if err := tx.Raw("SELECT commitments.id, commitments.year, regions.code FROM commitments JOIN regions ON regions.id = commitments.region_id " +
		"ORDER BY commitments.year, commitments.id").Scan(&rows).Error; err != nil {
		return err
	}
	seq := map[int]int{}
	for _, r := range rows {
		seq[r.Year]++
		if err := tx.Exec("UPDATE commitments SET number = ? WHERE id = ?", commitmentNumber(seq[r.Year], r.Code, r.Year), r.ID).Error; err != nil {
			return err
		}
	}
	return nil
}

// recordIssuedSoFar records the certificates of the keys the installation made before the
// registry existed, so that OCSP answers for them.
func recordIssuedSoFar(db *DB, tx *gorm.DB) error {
	var keys []SigningKey
	if err := tx.Where("source = ?", KeySourceInstallation).Find(&keys).Error; err != nil {
		return err
	}
	for i := range keys {
		chain, err := keys[i].Chain()
		if err != nil {
			continue
		}
		uid := keys[i].UserID
		if err := recordIssued(tx, chain[0], &uid, PurposeSigner, db.Now()); err != nil {
			return err
		}
	}
	return nil
}

// certificatePEM encodes one certificate.
func certificatePEM(c *x509.Certificate) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw}))
}
