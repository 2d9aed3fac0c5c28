-- The regulation that delegates licensing authority (the Perbup or Pergub) and its annex, as
-- files, per period and region. A newer document of a kind replaces the current one, which is
-- kept (superseded, replaced_by) so that the history stays listed. The bytes live in the
-- evidence store under sha256, so the orphan sweep and the backup count them as referenced.
CREATE TABLE delegation_documents (
    id {{ID}},
    period_id BIGINT NOT NULL REFERENCES periods (id) ON DELETE CASCADE,
    region_id BIGINT NOT NULL REFERENCES regions (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('regulation', 'annex')),
    sha256 TEXT NOT NULL,
    filename TEXT NOT NULL,
    size BIGINT NOT NULL,
    content_type TEXT NOT NULL,
    uploaded_by BIGINT REFERENCES users (id),
    created_at {{TIME}} NOT NULL,
    superseded BOOLEAN NOT NULL DEFAULT FALSE,
    replaced_by BIGINT REFERENCES delegation_documents (id)
);

CREATE INDEX delegation_documents_region ON delegation_documents (period_id, region_id);
CREATE UNIQUE INDEX delegation_documents_current ON delegation_documents (period_id, region_id, kind) WHERE NOT superseded;
