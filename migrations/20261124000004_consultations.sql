-- Consultation rounds, responses, comments, safeguarding, moderation and "you said, we did".
-- Lived-experience feedback is health data: it is never published without a moderator when
-- triage holds it, and every view and decision on a held item is written to `audit_log`.

-- Safeguarding settings. NULL means the built-in UK default, so a collaborative that never
-- customised them gets a better default when we ship one.
ALTER TABLE collaborative ADD COLUMN crisis_text TEXT;
ALTER TABLE collaborative ADD COLUMN triage_phrases TEXT;

-- The timeline learns two kinds: consultation rounds (here) and decisions (meetings). SQLite
-- cannot widen a CHECK in place, so the table is rebuilt; nothing references it.
CREATE TABLE timeline_events_new (
    id                INTEGER PRIMARY KEY,
    prototype_id      INTEGER NOT NULL REFERENCES prototypes (id) ON DELETE CASCADE,
    kind              TEXT    NOT NULL CHECK (kind IN ('created', 'iteration', 'stage_move', 'consultation', 'decision')),
    at                INTEGER NOT NULL,
    actor_id          INTEGER REFERENCES users (id),
    iteration_number  INTEGER,
    from_stage_id     INTEGER REFERENCES stages (id),
    to_stage_id       INTEGER REFERENCES stages (id),
    note              TEXT    NOT NULL DEFAULT '',
    -- The round (or, later, the motion) the event is about.
    ref_id            INTEGER
);
INSERT INTO timeline_events_new (id, prototype_id, kind, at, actor_id, iteration_number, from_stage_id, to_stage_id, note)
    SELECT id, prototype_id, kind, at, actor_id, iteration_number, from_stage_id, to_stage_id, note FROM timeline_events;
DROP TABLE timeline_events;
ALTER TABLE timeline_events_new RENAME TO timeline_events;
CREATE INDEX timeline_events_prototype ON timeline_events (prototype_id, at, id);

-- A round consults on one published iteration. It is open between `opens_at` and
-- `closes_at` (or `closed_early_at`): status is computed from the clock, so a round opens
-- and closes by itself with no job to run.
CREATE TABLE rounds (
    id                INTEGER PRIMARY KEY,
    prototype_id      INTEGER NOT NULL REFERENCES prototypes (id) ON DELETE CASCADE,
    iteration_number  INTEGER NOT NULL,
    title             TEXT    NOT NULL,
    purpose           TEXT    NOT NULL,
    purpose_html      TEXT    NOT NULL,
    audience          TEXT    NOT NULL CHECK (audience IN ('public', 'signed_in', 'members')),
    opens_at          INTEGER NOT NULL,
    closes_at         INTEGER NOT NULL CHECK (closes_at > opens_at),
    closed_early_at   INTEGER,
    created_by        INTEGER NOT NULL REFERENCES users (id),
    created_at        INTEGER NOT NULL,
    FOREIGN KEY (prototype_id, iteration_number) REFERENCES iterations (prototype_id, number)
);
CREATE INDEX rounds_closes ON rounds (closes_at DESC, id DESC);
CREATE INDEX rounds_prototype ON rounds (prototype_id, opens_at);

CREATE TABLE questions (
    id          INTEGER PRIMARY KEY,
    round_id    INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('text', 'scale', 'single', 'multiple', 'statements')),
    prompt      TEXT    NOT NULL,
    required    INTEGER NOT NULL DEFAULT 0 CHECK (required IN (0, 1)),
    low_label   TEXT    NOT NULL DEFAULT '',
    high_label  TEXT    NOT NULL DEFAULT '',
    -- Choices for single and multiple choice, one per line; answers store the choice's index.
    options     TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX questions_round ON questions (round_id, position);

-- One person's answers to a round. `user_id` is NULL for visitors and for people whose
-- paper or spoken answers a design-group member typed in (`entered_by`, `gathered_at`).
-- `receipt_hash` is the SHA-256 of the form's one-time key, which is also the secret of the
-- receipt link: a form sent twice hits the UNIQUE constraint and is recorded once.
CREATE TABLE responses (
    id                INTEGER PRIMARY KEY,
    round_id          INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    user_id           INTEGER REFERENCES users (id),
    anonymous         INTEGER NOT NULL DEFAULT 0 CHECK (anonymous IN (0, 1)),
    entered_by        INTEGER REFERENCES users (id),
    gathered_at       TEXT    NOT NULL DEFAULT '',
    consent           TEXT    NOT NULL DEFAULT 'design_group_only'
                      CHECK (consent IN ('design_group_only', 'quote_anonymously', 'quote_with_name')),
    content_note      TEXT    NOT NULL DEFAULT '',
    receipt_hash      TEXT    NOT NULL UNIQUE,
    status            TEXT    NOT NULL DEFAULT 'published' CHECK (status IN ('published', 'held', 'hidden')),
    held_phrase       TEXT,
    hidden_reason     TEXT,
    -- You said, we did: the iteration that acted on it, or why it was not taken forward.
    acted_iteration   INTEGER,
    not_taken_reason  TEXT,
    outcome_at        INTEGER,
    created_at        INTEGER NOT NULL
);
CREATE INDEX responses_round ON responses (round_id, status);
CREATE INDEX responses_user ON responses (user_id, created_at);
CREATE INDEX responses_status ON responses (status, created_at);

-- Perspectives as declared when answering (a snapshot: the breakdown must not shift when
-- someone later edits their profile).
CREATE TABLE response_perspectives (
    response_id  INTEGER NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    perspective  TEXT    NOT NULL
                 CHECK (perspective IN ('service_user', 'carer', 'practitioner', 'commissioner', 'voluntary_sector', 'other')),
    PRIMARY KEY (response_id, perspective)
);

-- `number`: a scale or rating (1–5) or a choice's index; `text`: free text.
CREATE TABLE answers (
    id            INTEGER PRIMARY KEY,
    response_id   INTEGER NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    question_id   INTEGER NOT NULL REFERENCES questions (id),
    statement_id  INTEGER REFERENCES experience_statements (id),
    number        INTEGER,
    text          TEXT
);
CREATE INDEX answers_question ON answers (question_id, response_id);
CREATE INDEX answers_response ON answers (response_id);

-- Threaded comments on a prototype, optionally anchored to a section (heading id) of one
-- iteration. Removed comments keep their row so replies keep their place.
CREATE TABLE comments (
    id                INTEGER PRIMARY KEY,
    prototype_id      INTEGER NOT NULL REFERENCES prototypes (id) ON DELETE CASCADE,
    parent_id         INTEGER REFERENCES comments (id),
    iteration_number  INTEGER,
    section           TEXT,
    author_id         INTEGER NOT NULL REFERENCES users (id),
    anonymous         INTEGER NOT NULL DEFAULT 0 CHECK (anonymous IN (0, 1)),
    consent           TEXT    NOT NULL DEFAULT 'design_group_only'
                      CHECK (consent IN ('design_group_only', 'quote_anonymously', 'quote_with_name')),
    body              TEXT    NOT NULL,
    status            TEXT    NOT NULL DEFAULT 'published' CHECK (status IN ('published', 'held', 'hidden', 'removed')),
    held_phrase       TEXT,
    hidden_reason     TEXT,
    form_key_hash     TEXT    NOT NULL UNIQUE,
    acted_iteration   INTEGER,
    not_taken_reason  TEXT,
    outcome_at        INTEGER,
    created_at        INTEGER NOT NULL,
    edited_at         INTEGER
);
CREATE INDEX comments_prototype ON comments (prototype_id, created_at, id);
CREATE INDEX comments_status ON comments (status, created_at);
CREATE INDEX comments_author ON comments (author_id, created_at);

CREATE TABLE reports (
    id           INTEGER PRIMARY KEY,
    comment_id   INTEGER NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    reporter_id  INTEGER NOT NULL REFERENCES users (id),
    reason       TEXT    NOT NULL CHECK (reason IN ('unsafe', 'personal_information', 'offensive', 'off_topic')),
    created_at   INTEGER NOT NULL,
    resolved_at  INTEGER,
    UNIQUE (comment_id, reporter_id)
);
CREATE INDEX reports_open ON reports (resolved_at, created_at);

-- The design group's coding of free text (answers) and comments into themes.
CREATE TABLE feedback_themes (
    item_kind  TEXT    NOT NULL CHECK (item_kind IN ('answer', 'comment')),
    item_id    INTEGER NOT NULL,
    theme      TEXT    NOT NULL,
    round_id   INTEGER REFERENCES rounds (id) ON DELETE CASCADE,
    PRIMARY KEY (item_kind, item_id, theme)
);
CREATE INDEX feedback_themes_round ON feedback_themes (round_id, theme);

-- Every hold, view and moderation decision on a contribution. `detail` keeps a reason, or
-- the original text when personal details were edited out (facilitators only).
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    at         INTEGER NOT NULL,
    actor_id   INTEGER REFERENCES users (id),
    action     TEXT    NOT NULL CHECK (action IN ('held', 'viewed', 'released', 'hidden', 'edited', 'reported')),
    item_kind  TEXT    NOT NULL CHECK (item_kind IN ('response', 'comment')),
    item_id    INTEGER NOT NULL,
    detail     TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_item ON audit_log (item_kind, item_id, at);

-- A refused no-JavaScript submission, kept for an hour under its form key so the form can
-- show everything typed again without putting health data in a URL. Not a response.
CREATE TABLE refused_forms (
    key_hash    TEXT    PRIMARY KEY,
    round_id    INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    fields      TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
);
