-- Delegation in depth: the permit types within a Pemda's authority for a period, each delegated
-- to its DPMPTSP or not, with where the delegating regulation lists it. A delegation whose
-- from_list is set takes its counts from its list.
ALTER TABLE delegations ADD COLUMN from_list BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE delegation_permits (
    id {{ID}},
    delegation_id BIGINT NOT NULL REFERENCES delegations (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    delegated BOOLEAN NOT NULL,
    regulation TEXT NOT NULL DEFAULT '',
    UNIQUE (delegation_id, position)
);
