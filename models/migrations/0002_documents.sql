-- Documents Pantau issues (progress reports, commitments), each with a public verification code,
-- and the signatures recorded on them.

CREATE TABLE documents (
    id {{ID}},
    kind TEXT NOT NULL CHECK (kind IN ('report', 'commitment')),
    verification_code TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    status TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size BIGINT NOT NULL,
    created_by BIGINT REFERENCES users (id),
    created_at {{TIME}} NOT NULL,
    updated_at {{TIME}} NOT NULL
);
CREATE INDEX documents_sha256 ON documents (sha256);

CREATE TABLE document_signatures (
    id {{ID}},
    document_id BIGINT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    slot TEXT NOT NULL,
    name TEXT NOT NULL,
    title TEXT NOT NULL,
    mode TEXT NOT NULL CHECK (mode IN ('sign', 'initial')),
    sha256_after TEXT NOT NULL,
    signed_at {{TIME}} NOT NULL,
    UNIQUE (document_id, slot)
);
