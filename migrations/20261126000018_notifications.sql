-- Notifications: one row per person per event, written in the same transaction as the
-- event. A row names what happened by kind and ids only (never anyone's words); pages and
-- emails make the sentence. The mailer job turns new rows into email, at once or in the
-- daily digest, as each person's preferences say.

CREATE TABLE notifications (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind          TEXT    NOT NULL,
    prototype_id  INTEGER REFERENCES prototypes (id) ON DELETE CASCADE,
    round_id      INTEGER REFERENCES rounds (id) ON DELETE CASCADE,
    meeting_id    INTEGER REFERENCES meetings (id) ON DELETE CASCADE,
    comment_id    INTEGER REFERENCES comments (id) ON DELETE CASCADE,
    created_at    INTEGER NOT NULL,
    read_at       INTEGER,
    -- new: not yet looked at by the mailer; digest: waits for the daily digest;
    -- emailed: in the outbox (at once or in a digest); none: no email (off or paused).
    mail_state    TEXT    NOT NULL DEFAULT 'new' CHECK (mail_state IN ('new', 'digest', 'emailed', 'none'))
);
CREATE INDEX notifications_user ON notifications (user_id, id DESC);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
CREATE INDEX notifications_mail ON notifications (mail_state, user_id) WHERE mail_state IN ('new', 'digest');
CREATE INDEX notifications_comment ON notifications (comment_id) WHERE comment_id IS NOT NULL;

-- A person's choice per kind (absent: the kind's default).
CREATE TABLE notification_preferences (
    user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind      TEXT    NOT NULL,
    delivery  TEXT    NOT NULL CHECK (delivery IN ('immediate', 'digest', 'off')),
    PRIMARY KEY (user_id, kind)
) WITHOUT ROWID;

-- "Pause everything": no notification email at all (the in-app list still fills).
ALTER TABLE users ADD COLUMN notifications_paused INTEGER NOT NULL DEFAULT 0;

-- Whether the round's opening has been announced. Rounds from before this migration count
-- as announced; new rounds start at 0 (consultations::store::create).
ALTER TABLE rounds ADD COLUMN opening_announced INTEGER NOT NULL DEFAULT 1;
CREATE INDEX rounds_unannounced ON rounds (opens_at) WHERE opening_announced = 0;

-- The digest goes once a day: the day (UK date) is claimed before sending.
CREATE TABLE digest_days (day TEXT PRIMARY KEY) WITHOUT ROWID;

-- An email's one-click unsubscribe link (RFC 8058), for notification email.
ALTER TABLE outbox ADD COLUMN unsubscribe_url TEXT;
-- When a message carrying a one-time link stops being worth sending (the link's own
-- expiry): the sender gives up on it then, and blanks it, even when no mail is being sent.
ALTER TABLE outbox ADD COLUMN expires_at INTEGER;
