-- PTSP Prima commitments: one per region and year, each a document (kind 'commitment') whose
-- signatory slots are assigned to signatory users and signed in turn as PDF signatures; the
-- template an admin edits; signers' keys (encrypted under their own passphrase); and failed
-- signing attempts, kept for the audit trail and for rate limiting.

CREATE TABLE commitment_templates (
    id {{ID}},
    title TEXT NOT NULL,
    preamble TEXT NOT NULL,
    commitments TEXT NOT NULL,
    closing TEXT NOT NULL,
    place TEXT NOT NULL,
    updated_by BIGINT REFERENCES users (id),
    created_at {{TIME}} NOT NULL
);

CREATE TABLE commitments (
    id {{ID}},
    region_id BIGINT NOT NULL REFERENCES regions (id),
    year INTEGER NOT NULL,
    document_id BIGINT NOT NULL UNIQUE REFERENCES documents (id),
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'partially_signed', 'signed')),
    title TEXT NOT NULL,
    preamble TEXT NOT NULL,
    commitments TEXT NOT NULL,
    closing TEXT NOT NULL,
    place TEXT NOT NULL,
    dated TEXT NOT NULL,
    pages INTEGER NOT NULL DEFAULT 0,
    frozen_at {{TIME}},
    version BIGINT NOT NULL DEFAULT 1,
    created_by BIGINT REFERENCES users (id),
    created_at {{TIME}} NOT NULL,
    updated_at {{TIME}} NOT NULL,
    UNIQUE (region_id, year)
);

CREATE TABLE commitment_slots (
    id {{ID}},
    commitment_id BIGINT NOT NULL REFERENCES commitments (id) ON DELETE CASCADE,
    slot TEXT NOT NULL,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('signer', 'witness')),
    status TEXT NOT NULL DEFAULT 'unassigned' CHECK (status IN ('unassigned', 'pending', 'signed', 'initialled')),
    user_id BIGINT REFERENCES users (id),
    name TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    default_title TEXT NOT NULL,
    field_page INTEGER NOT NULL DEFAULT 0,
    field_rect TEXT NOT NULL DEFAULT '',
    signature_png_sha256 TEXT NOT NULL DEFAULT '',
    signed_at {{TIME}},
    UNIQUE (commitment_id, slot)
);
CREATE INDEX commitment_slots_user ON commitment_slots (user_id);

CREATE TABLE signing_keys (
    id {{ID}},
    user_id BIGINT NOT NULL UNIQUE REFERENCES users (id) ON DELETE CASCADE,
    source TEXT NOT NULL CHECK (source IN ('installation', 'pkcs12')),
    certificate_pem TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    encrypted_key TEXT NOT NULL,
    kdf TEXT NOT NULL,
    created_at {{TIME}} NOT NULL,
    updated_at {{TIME}} NOT NULL
);

CREATE TABLE signing_failures (
    id {{ID}},
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    commitment_id BIGINT REFERENCES commitments (id) ON DELETE CASCADE,
    slot TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL,
    ip TEXT NOT NULL DEFAULT '',
    cleared BOOLEAN NOT NULL DEFAULT FALSE,
    created_at {{TIME}} NOT NULL
);
CREATE INDEX signing_failures_user ON signing_failures (user_id, created_at);
