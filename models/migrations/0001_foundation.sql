-- The service foundation: regions, users and sessions, the yearly catalogue, action items with
-- their claims, reviews and evidence, delegation, and zone bands.

CREATE TABLE regions (
    id {{ID}},
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('province', 'regency', 'city')),
    demo BOOLEAN NOT NULL DEFAULT FALSE,
    created_at {{TIME}} NOT NULL
);

CREATE TABLE users (
    id {{ID}},
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'coordinator', 'operator', 'reviewer', 'signatory')),
    region_id BIGINT REFERENCES regions (id),
    password_hash TEXT NOT NULL,
    demo BOOLEAN NOT NULL DEFAULT FALSE,
    created_at {{TIME}} NOT NULL,
    updated_at {{TIME}} NOT NULL,
    CHECK (role <> 'operator' OR region_id IS NOT NULL)
);

CREATE TABLE sessions (
    id {{ID}},
    token_hash TEXT NOT NULL UNIQUE,
    csrf_token TEXT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    ip TEXT NOT NULL DEFAULT '',
    user_agent TEXT NOT NULL DEFAULT '',
    created_at {{TIME}} NOT NULL,
    expires_at {{TIME}} NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE login_failures (
    id {{ID}},
    email TEXT NOT NULL,
    ip TEXT NOT NULL,
    created_at {{TIME}} NOT NULL
);
CREATE INDEX login_failures_email ON login_failures (email, created_at);
CREATE INDEX login_failures_ip ON login_failures (ip, created_at);

CREATE TABLE periods (
    id {{ID}},
    year INTEGER NOT NULL UNIQUE,
    name TEXT NOT NULL,
    revision BIGINT NOT NULL DEFAULT 0,
    demo BOOLEAN NOT NULL DEFAULT FALSE,
    created_at {{TIME}} NOT NULL
);

CREATE TABLE zone_bands (
    id {{ID}},
    period_id BIGINT NOT NULL REFERENCES periods (id) ON DELETE CASCADE,
    metric TEXT NOT NULL CHECK (metric IN ('action_plan', 'delegation')),
    zone TEXT NOT NULL,
    position INTEGER NOT NULL,
    min_value BIGINT NOT NULL,
    min_inclusive BOOLEAN NOT NULL,
    max_value BIGINT NOT NULL,
    max_inclusive BOOLEAN NOT NULL,
    UNIQUE (period_id, metric, zone)
);

CREATE TABLE areas (
    id {{ID}},
    period_id BIGINT NOT NULL REFERENCES periods (id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    weight BIGINT NOT NULL CHECK (weight > 0),
    position INTEGER NOT NULL,
    UNIQUE (period_id, code)
);

CREATE TABLE indicators (
    id {{ID}},
    period_id BIGINT NOT NULL REFERENCES periods (id) ON DELETE CASCADE,
    area_id BIGINT NOT NULL REFERENCES areas (id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    title TEXT NOT NULL,
    weight BIGINT NOT NULL CHECK (weight > 0),
    position INTEGER NOT NULL,
    UNIQUE (period_id, code)
);
CREATE INDEX indicators_area ON indicators (area_id);

CREATE TABLE items (
    id {{ID}},
    period_id BIGINT NOT NULL REFERENCES periods (id) ON DELETE CASCADE,
    region_id BIGINT NOT NULL REFERENCES regions (id),
    indicator_id BIGINT NOT NULL REFERENCES indicators (id) ON DELETE CASCADE,
    progress BIGINT NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 10000),
    verified_progress BIGINT NOT NULL DEFAULT 0 CHECK (verified_progress BETWEEN 0 AND 10000),
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted', 'approved', 'rejected')),
    note TEXT NOT NULL DEFAULT '',
    claimed_by BIGINT REFERENCES users (id),
    version BIGINT NOT NULL DEFAULT 0,
    updated_at {{TIME}} NOT NULL,
    UNIQUE (indicator_id, region_id)
);
CREATE INDEX items_period_region ON items (period_id, region_id);

CREATE TABLE claims (
    id {{ID}},
    item_id BIGINT NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id),
    progress BIGINT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_at {{TIME}} NOT NULL
);
CREATE INDEX claims_item ON claims (item_id);

CREATE TABLE reviews (
    id {{ID}},
    item_id BIGINT NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id),
    decision TEXT NOT NULL CHECK (decision IN ('approve', 'reject')),
    claimed_progress BIGINT NOT NULL,
    verified_progress BIGINT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    created_at {{TIME}} NOT NULL
);
CREATE INDEX reviews_item ON reviews (item_id);

CREATE TABLE evidence (
    id {{ID}},
    item_id BIGINT NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    sha256 TEXT NOT NULL,
    filename TEXT NOT NULL,
    size BIGINT NOT NULL,
    content_type TEXT NOT NULL,
    uploaded_by BIGINT NOT NULL REFERENCES users (id),
    created_at {{TIME}} NOT NULL
);
CREATE INDEX evidence_item ON evidence (item_id);

CREATE TABLE delegations (
    id {{ID}},
    period_id BIGINT NOT NULL REFERENCES periods (id) ON DELETE CASCADE,
    region_id BIGINT NOT NULL REFERENCES regions (id),
    total INTEGER NOT NULL CHECK (total > 0),
    delegated INTEGER NOT NULL CHECK (delegated >= 0 AND delegated <= total),
    legal_basis TEXT NOT NULL,
    updated_by BIGINT REFERENCES users (id),
    version BIGINT NOT NULL DEFAULT 1,
    updated_at {{TIME}} NOT NULL,
    UNIQUE (period_id, region_id)
);
