-- Reminders, digests and retention on the durable job queue (issue 14; River's own tables are
-- applied by jobs.Migrate). A notification that must exist at most once per user carries a key
-- — "reminder:<period>:<days>", "digest:<ISO week>" — so that two instances, or a job run again
-- after a crash, never write it (nor its e-mail) twice. Notifications of events have none.
ALTER TABLE notifications ADD COLUMN dedupe_key TEXT;
CREATE UNIQUE INDEX notifications_dedupe ON notifications (user_id, dedupe_key) WHERE dedupe_key IS NOT NULL;
-- Retention prunes read notifications by age.
CREATE INDEX notifications_read ON notifications (read_at) WHERE read_at IS NOT NULL;
