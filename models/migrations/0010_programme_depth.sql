-- The programme in its real depth: sub-indicators (an indicator's children) with the evidence
-- they require and the region kinds they apply to; items a Pemda marks outside its authority
-- (applicability pending, then confirmed by a reviewer); the year's lifecycle (a period is
-- closed, regions get extensions past the deadline); users scoped to a province.

ALTER TABLE indicators ADD COLUMN parent_id BIGINT REFERENCES indicators (id);
ALTER TABLE indicators ADD COLUMN requirement TEXT NOT NULL DEFAULT '';
ALTER TABLE indicators ADD COLUMN applies_to TEXT NOT NULL DEFAULT 'province,regency,city';
CREATE INDEX indicators_parent ON indicators (parent_id);

ALTER TABLE items ADD COLUMN applicability TEXT NOT NULL DEFAULT 'applicable' CHECK (applicability IN ('applicable', 'pending', 'confirmed'));
ALTER TABLE items ADD COLUMN applicability_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN applicability_by BIGINT REFERENCES users (id);

ALTER TABLE reviews ADD COLUMN subject TEXT NOT NULL DEFAULT 'claim' CHECK (subject IN ('claim', 'applicability'));

ALTER TABLE standings ADD COLUMN applicable BOOLEAN NOT NULL DEFAULT TRUE;

ALTER TABLE periods ADD COLUMN status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed'));
ALTER TABLE periods ADD COLUMN closed_at {{TIME}};

CREATE TABLE extensions (
    id {{ID}},
    period_id BIGINT NOT NULL REFERENCES periods (id) ON DELETE CASCADE,
    region_id BIGINT NOT NULL REFERENCES regions (id),
    until TEXT NOT NULL,
    reason TEXT NOT NULL,
    granted_by BIGINT REFERENCES users (id),
    version BIGINT NOT NULL DEFAULT 1,
    created_at {{TIME}} NOT NULL,
    UNIQUE (period_id, region_id)
);

ALTER TABLE users ADD COLUMN province TEXT;
