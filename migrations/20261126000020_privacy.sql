-- A person's own data (UK GDPR articles 15, 17 and 20): exports, erasure, and the
-- collaborative's retention settings.

-- Every request about a person's data, by them or by a facilitator on their behalf (a phone
-- call, a letter). It is the audit of what was done, and the queue the jobs work from. It
-- never holds the data itself: only who, what, when and how many.
CREATE TABLE data_requests (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users (id),
    kind          TEXT    NOT NULL CHECK (kind IN ('export', 'erasure')),
    -- The facilitator who acted for the person; NULL when they asked themselves.
    requested_by  INTEGER REFERENCES users (id),
    channel       TEXT    NOT NULL DEFAULT 'self' CHECK (channel IN ('self', 'phone', 'letter', 'email', 'in_person')),
    -- For an erasure: keep the words the person agreed could be quoted, anonymously (1),
    -- or remove them too (0).
    keep_quotes   INTEGER NOT NULL DEFAULT 1 CHECK (keep_quotes IN (0, 1)),
    status        TEXT    NOT NULL DEFAULT 'pending'
                  CHECK (status IN ('pending', 'ready', 'done', 'cancelled', 'expired')),
    requested_at  INTEGER NOT NULL,
    -- An erasure happens at due_at (the end of its grace period); an export as soon as it can.
    due_at        INTEGER NOT NULL,
    done_at       INTEGER,
    -- What an erasure removed, as counts ({"comments": 3, …}); never the content.
    summary       TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX data_requests_user ON data_requests (user_id, id DESC);
CREATE INDEX data_requests_due ON data_requests (kind, due_at) WHERE status = 'pending';
-- At most one erasure waits per person.
CREATE UNIQUE INDEX data_requests_one_erasure ON data_requests (user_id) WHERE kind = 'erasure' AND status = 'pending';

-- A finished export's ZIP, until it is downloaded for a week or the person is erased. Kept
-- apart from the audit row so the audit outlives the file.
CREATE TABLE data_exports (
    request_id  INTEGER PRIMARY KEY REFERENCES data_requests (id) ON DELETE CASCADE,
    zip         BLOB    NOT NULL,
    expires_at  INTEGER NOT NULL
);
CREATE INDEX data_exports_expiry ON data_exports (expires_at);

-- An erased account stays as a row (so no id is ever reused, and decisions, attendance
-- and vote counts stay whole) with nothing of the person left in it.
ALTER TABLE users ADD COLUMN erased_at INTEGER;

-- How long the collaborative keeps things, in days (refused forms in hours); NULL keeps
-- them. One row.
CREATE TABLE retention (
    id                  INTEGER PRIMARY KEY CHECK (id = 1),
    held_days           INTEGER CHECK (held_days >= 1),
    response_days       INTEGER CHECK (response_days >= 1),
    throttle_days       INTEGER NOT NULL DEFAULT 1 CHECK (throttle_days >= 1),
    refused_form_hours  INTEGER NOT NULL DEFAULT 1 CHECK (refused_form_hours >= 1),
    audit_days          INTEGER CHECK (audit_days >= 1),
    mail_days           INTEGER CHECK (mail_days >= 1)
);
INSERT INTO retention (id, held_days, response_days, throttle_days, refused_form_hours, audit_days, mail_days)
VALUES (1, 365, NULL, 1, 1, 730, 90);

-- What each daily retention run removed, as counts.
CREATE TABLE retention_runs (
    id       INTEGER PRIMARY KEY,
    at       INTEGER NOT NULL,
    removed  TEXT    NOT NULL
);
