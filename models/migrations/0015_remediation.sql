-- Remediation plans: for a Pemda in the red or yellow, the actions its coordinator and operator
-- agree on (what, who, by when, where it stands). An action past its date and not done notifies
-- once (overdue_notified).
CREATE TABLE remediation_actions (
    id {{ID}},
    period_id BIGINT NOT NULL REFERENCES periods (id) ON DELETE CASCADE,
    region_id BIGINT NOT NULL REFERENCES regions (id),
    what TEXT NOT NULL,
    owner TEXT NOT NULL,
    due TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'in_progress', 'done')),
    created_by BIGINT REFERENCES users (id),
    version BIGINT NOT NULL DEFAULT 1,
    created_at {{TIME}} NOT NULL,
    updated_at {{TIME}} NOT NULL,
    overdue_notified BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX remediation_actions_region ON remediation_actions (period_id, region_id);
CREATE INDEX remediation_actions_due ON remediation_actions (due) WHERE status <> 'done' AND NOT overdue_notified;
