-- Sign-in and signing-passphrase attempts are reserved before the secret is checked, so that
-- attempts arriving at once cannot exceed the limits (see models/attempts.go): a reservation is
-- a row with pending set, counted at once; it becomes a failure (pending cleared), or is removed
-- when the secret was right or never checked.

ALTER TABLE login_failures ADD COLUMN pending BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE signing_failures ADD COLUMN pending BOOLEAN NOT NULL DEFAULT FALSE;
