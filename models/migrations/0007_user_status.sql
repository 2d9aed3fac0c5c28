-- Accounts can be deactivated (staff leave) and edited with optimistic concurrency.

ALTER TABLE users ADD COLUMN active BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE users ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
