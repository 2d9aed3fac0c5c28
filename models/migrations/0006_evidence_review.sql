-- Per-document verification, evidence revisions and effective dates; what each approval
-- approved; period deadlines; versions on periods.

ALTER TABLE evidence ADD COLUMN status TEXT NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'accepted', 'rejected'));
ALTER TABLE evidence ADD COLUMN reason TEXT NOT NULL DEFAULT '';
ALTER TABLE evidence ADD COLUMN reviewed_by BIGINT REFERENCES users (id);
ALTER TABLE evidence ADD COLUMN reviewed_at {{TIME}};
ALTER TABLE evidence ADD COLUMN replaces_id BIGINT REFERENCES evidence (id);
ALTER TABLE evidence ADD COLUMN superseded BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE evidence ADD COLUMN effective_date TEXT;
ALTER TABLE evidence ADD COLUMN version BIGINT NOT NULL DEFAULT 1;

ALTER TABLE reviews ADD COLUMN evidence_sha256 TEXT NOT NULL DEFAULT '';

ALTER TABLE periods ADD COLUMN deadline TEXT;
ALTER TABLE periods ADD COLUMN version BIGINT NOT NULL DEFAULT 1;

CREATE INDEX items_period_status ON items (period_id, status, updated_at);
