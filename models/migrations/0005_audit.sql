-- An append-only, hash-chained audit trail. Writers insert events unsealed (seq NULL) in their
-- own transactions, without waiting for each other; a single sealer then gives each committed
-- event its place in the chain (seq) and a hash covering the previous event's hash and the
-- event's canonical content. audit_head holds the last position and hash, so that a truncated
-- tail is detected too.

CREATE TABLE audit_events (
    id {{ID}},
    seq BIGINT UNIQUE,
    at_micros BIGINT NOT NULL,
    actor_id BIGINT,
    actor TEXT NOT NULL,
    ip TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_key TEXT NOT NULL,
    action TEXT NOT NULL,
    before_json TEXT NOT NULL,
    after_json TEXT NOT NULL,
    prev_hash TEXT NOT NULL DEFAULT '',
    hash TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_events_unsealed ON audit_events (id) WHERE seq IS NULL;
CREATE INDEX audit_events_entity ON audit_events (entity, entity_key, id);
CREATE INDEX audit_events_actor ON audit_events (actor_id, id);
CREATE INDEX audit_events_at ON audit_events (at_micros);

CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');
