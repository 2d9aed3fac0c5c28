-- Commitment ceremonies as they happen: a slot is open until signed, and a paraf leaves it open
-- (the slot's status becomes open | initialled | signed, and a document records both acts of a
-- slot); who acted in what capacity, and the delegation a coordinator records; joint provincial
-- commitments; document numbers; void commitments and their replacements; the certificates the
-- installation's CA issued (for OCSP and the CRL); a template per commitment kind.
-- The Go step of this migration (commitmentsStep in models/commitment_schema.go) then lets
-- commitments be void (status 'void') and lets a void commitment's region and year be used
-- again, which needs a table rebuild on SQLite, numbers the existing commitments, and records
-- the certificates issued so far.

ALTER TABLE commitment_slots ADD COLUMN state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'initialled', 'signed'));
UPDATE commitment_slots SET state = CASE status WHEN 'signed' THEN 'signed' WHEN 'initialled' THEN 'initialled' ELSE 'open' END;
ALTER TABLE commitment_slots DROP COLUMN status;
ALTER TABLE commitment_slots RENAME COLUMN state TO status;
ALTER TABLE commitment_slots ADD COLUMN region_code TEXT NOT NULL DEFAULT '';
ALTER TABLE commitment_slots ADD COLUMN paraf_page INTEGER NOT NULL DEFAULT 0;
ALTER TABLE commitment_slots ADD COLUMN paraf_rect TEXT NOT NULL DEFAULT '';
ALTER TABLE commitment_slots ADD COLUMN delegation_kind TEXT NOT NULL DEFAULT '' CHECK (delegation_kind IN ('', 'an', 'surat_kuasa'));
ALTER TABLE commitment_slots ADD COLUMN delegation_reference TEXT NOT NULL DEFAULT '';
ALTER TABLE commitment_slots ADD COLUMN delegation_filename TEXT NOT NULL DEFAULT '';
ALTER TABLE commitment_slots ADD COLUMN delegation_sha256 TEXT NOT NULL DEFAULT '';

-- A slot may now carry a paraf and a signature: one row per act.
CREATE TABLE document_acts (
    id {{ID}},
    document_id BIGINT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    slot TEXT NOT NULL,
    name TEXT NOT NULL,
    title TEXT NOT NULL,
    mode TEXT NOT NULL CHECK (mode IN ('sign', 'initial')),
    capacity TEXT NOT NULL DEFAULT 'principal' CHECK (capacity IN ('principal', 'deputy', 'delegated')),
    user_id BIGINT REFERENCES users (id),
    sha256_after TEXT NOT NULL,
    signed_at {{TIME}} NOT NULL,
    UNIQUE (document_id, slot, mode)
);
INSERT INTO document_acts (document_id, slot, name, title, mode, capacity, sha256_after, signed_at)
SELECT document_id, slot, name, title, mode, 'principal', sha256_after, signed_at FROM document_signatures ORDER BY id;
DROP TABLE document_signatures;
ALTER TABLE document_acts RENAME TO document_signatures;
CREATE INDEX document_signatures_sha256 ON document_signatures (sha256_after);

ALTER TABLE commitments ADD COLUMN kind TEXT NOT NULL DEFAULT 'regional' CHECK (kind IN ('regional', 'joint'));
ALTER TABLE commitments ADD COLUMN number TEXT NOT NULL DEFAULT '';
ALTER TABLE commitments ADD COLUMN void_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE commitments ADD COLUMN voided_at {{TIME}};
ALTER TABLE commitments ADD COLUMN voided_by BIGINT REFERENCES users (id);
ALTER TABLE commitments ADD COLUMN replacement_id BIGINT REFERENCES commitments (id);

ALTER TABLE commitment_templates ADD COLUMN kind TEXT NOT NULL DEFAULT 'regional' CHECK (kind IN ('regional', 'joint'));

-- Every certificate the installation's CA issued: signers' and its own time-stamping
-- authority's. The OCSP responder answers from here, and the CRL lists the revoked ones.
CREATE TABLE issued_certificates (
    id {{ID}},
    serial TEXT NOT NULL UNIQUE,
    user_id BIGINT REFERENCES users (id),
    purpose TEXT NOT NULL CHECK (purpose IN ('signer', 'tsa')),
    subject TEXT NOT NULL,
    not_before {{TIME}} NOT NULL,
    not_after {{TIME}} NOT NULL,
    certificate_pem TEXT NOT NULL,
    revoked_at {{TIME}},
    revocation_reason INTEGER NOT NULL DEFAULT 0,
    created_at {{TIME}} NOT NULL
);
CREATE INDEX issued_certificates_user ON issued_certificates (user_id);
