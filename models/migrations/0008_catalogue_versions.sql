-- The catalogue can change during the year (renamed areas, re-weighted indicators): versions
-- for optimistic concurrency on areas and indicators.

ALTER TABLE areas ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE indicators ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
