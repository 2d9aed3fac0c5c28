-- The conversation on each item and what Pantau tells people about it (issue 14): comments with
-- their mentions; in-app notifications, each written in the same transaction as its event; each
-- user's language and e-mail choices; and the e-mail outbox that a sender delivers from after
-- the transaction committed (see notify/outbox.go).

CREATE TABLE comments (
    id {{ID}},
    item_id BIGINT NOT NULL REFERENCES items (id),
    author_id BIGINT NOT NULL REFERENCES users (id),
    body TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    created_at {{TIME}} NOT NULL,
    edited_at {{TIME}}
);
CREATE INDEX comments_item ON comments (item_id, id);

CREATE TABLE comment_mentions (
    comment_id BIGINT NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id),
    PRIMARY KEY (comment_id, user_id)
);

-- A notification keeps what its title is made from (params, JSON), not the title itself, so that
-- it reads in the language its reader prefers at the time.
CREATE TABLE notifications (
    id {{ID}},
    user_id BIGINT NOT NULL REFERENCES users (id),
    -- item_rejected, item_approved, comment, mention, slot_assigned, extension_granted, and the
    -- kinds to come (no CHECK, which SQLite could only change by rebuilding the table).
    kind TEXT NOT NULL,
    params TEXT NOT NULL,
    link TEXT NOT NULL,
    created_at {{TIME}} NOT NULL,
    read_at {{TIME}}
);
CREATE INDEX notifications_user ON notifications (user_id, id);
-- The web app's unread count reads this index only.
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;

-- No row: Indonesian, every e-mail category on.
CREATE TABLE user_preferences (
    user_id BIGINT PRIMARY KEY REFERENCES users (id),
    language TEXT NOT NULL DEFAULT 'id' CHECK (language IN ('id', 'en')),
    email_rejections BOOLEAN NOT NULL DEFAULT TRUE,
    email_comments BOOLEAN NOT NULL DEFAULT TRUE,
    email_reminders BOOLEAN NOT NULL DEFAULT TRUE,
    email_digest BOOLEAN NOT NULL DEFAULT TRUE,
    updated_at {{TIME}} NOT NULL
);

-- One e-mail to send: pending until a sender claims it (sending), then sent; a failed attempt
-- goes back to pending with a later next_attempt_at, and after the last attempt to failed.
-- A claim found stale at start (the process stopped between sending and marking) becomes
-- uncertain and is not sent again (see notify/outbox.go).
CREATE TABLE mail_outbox (
    id {{ID}},
    notification_id BIGINT NOT NULL REFERENCES notifications (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    category TEXT NOT NULL CHECK (category IN ('rejections', 'comments', 'reminders', 'digest')),
    message_id TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'uncertain', 'skipped')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at {{TIME}} NOT NULL,
    claimed_at {{TIME}},
    sent_at {{TIME}},
    last_error TEXT NOT NULL DEFAULT '',
    created_at {{TIME}} NOT NULL
);
CREATE INDEX mail_outbox_due ON mail_outbox (status, next_attempt_at);
