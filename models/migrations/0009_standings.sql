-- Standings: each region's figures for each period, kept up to date by every write to that
-- region's data (a roll-up), so that writes no longer queue on the period's row and the summary
-- reads one row per region. revision moves with every change to the region's data in the period;
-- periods.revision now moves only with the period's own changes (catalogue, zones, settings).
-- The figures are filled in by the migration's Go step (models/standing.go).

CREATE TABLE standings (
    period_id BIGINT NOT NULL REFERENCES periods (id) ON DELETE CASCADE,
    region_id BIGINT NOT NULL REFERENCES regions (id),
    revision BIGINT NOT NULL DEFAULT 0,
    verified BIGINT CHECK (verified BETWEEN 0 AND 10000),
    claimed BIGINT CHECK (claimed BETWEEN 0 AND 10000),
    areas TEXT NOT NULL DEFAULT '[]',
    updated_at {{TIME}},
    PRIMARY KEY (period_id, region_id)
);
CREATE INDEX standings_region ON standings (region_id);

INSERT INTO standings (period_id, region_id, revision)
SELECT periods.id, regions.id, 1 FROM periods CROSS JOIN regions;
