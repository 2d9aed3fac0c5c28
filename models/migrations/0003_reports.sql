-- Progress reports: the letterhead printed on them (every change kept; the newest row is in use)
-- and every report Pantau generated, frozen: its document (code, SHA-256, size) lives in
-- documents, its bytes in the blob store under that SHA-256, and this row says from which data
-- state and by whom it was made.

CREATE TABLE report_letterheads (
    id {{ID}},
    government TEXT NOT NULL,
    institution TEXT NOT NULL,
    address TEXT NOT NULL,
    logo TEXT NOT NULL DEFAULT '',
    updated_by BIGINT REFERENCES users (id),
    created_at {{TIME}} NOT NULL
);

CREATE TABLE reports (
    id {{ID}},
    document_id BIGINT NOT NULL UNIQUE REFERENCES documents (id),
    kind TEXT NOT NULL CHECK (kind IN ('progress')),
    year INTEGER NOT NULL,
    region_code TEXT NOT NULL DEFAULT '',
    revision BIGINT NOT NULL,
    state_key TEXT NOT NULL,
    pages INTEGER NOT NULL,
    generated_by BIGINT REFERENCES users (id),
    generated_by_name TEXT NOT NULL,
    created_at {{TIME}} NOT NULL
);
CREATE INDEX reports_state_key ON reports (state_key);
CREATE INDEX reports_period ON reports (year, region_code);
