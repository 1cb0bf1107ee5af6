-- Email: the outbox (written in the same transaction as the event that causes a message,
-- sent by a background job) and password-reset links (stored only as hashes).

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    to_address TEXT NOT NULL,
    -- What kind of message: 'password_reset', 'invitation', and later each notification kind.
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    text_body TEXT NOT NULL,
    html_body TEXT NOT NULL,
    -- A body carrying a one-time link (a reset): never shown on the outbox page, and blanked
    -- once sent or given up, so the table does not keep a usable link.
    secret INTEGER NOT NULL DEFAULT 0 CHECK (secret IN (0, 1)),
    created_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    sent_at INTEGER,
    -- When the sender stopped trying (see mail::sender::GIVE_UP_AFTER); the last error says why.
    failed_at INTEGER,
    last_error TEXT
);
-- What the sender picks up: unsent, not given up, due.
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;

CREATE TABLE password_resets (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER,
    -- The facilitator who made the link for someone without email access; NULL when the
    -- person asked for it themselves.
    issued_by INTEGER REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX password_resets_user ON password_resets (user_id);
