-- Collaborative meetings: agendas, attendance, motions, ballots, decisions and minutes.
-- Every partner has an equal vote; the tally is always computed from the stored ballots,
-- never kept in a counter that could drift.

CREATE TABLE meetings (
    id                   INTEGER PRIMARY KEY,
    title                TEXT    NOT NULL,
    starts_at            INTEGER NOT NULL,
    place                TEXT    NOT NULL DEFAULT '',
    online_link          TEXT    NOT NULL DEFAULT '',
    created_by           INTEGER NOT NULL REFERENCES users (id),
    created_at           INTEGER NOT NULL,
    -- Minutes: a draft the facilitator edits, then approved text that never changes.
    minutes_draft        TEXT,
    minutes_approved     TEXT,
    minutes_approved_at  INTEGER,
    minutes_approved_by  INTEGER REFERENCES users (id)
);
CREATE INDEX meetings_starts ON meetings (starts_at DESC, id DESC);

CREATE TABLE agenda_items (
    id            INTEGER PRIMARY KEY,
    meeting_id    INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    kind          TEXT    NOT NULL CHECK (kind IN ('prototype', 'results', 'free')),
    title         TEXT    NOT NULL,
    prototype_id  INTEGER REFERENCES prototypes (id),
    round_id      INTEGER REFERENCES rounds (id),
    notes         TEXT    NOT NULL DEFAULT '',
    notes_html    TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX agenda_items_meeting ON agenda_items (meeting_id, position);

CREATE TABLE attendance (
    meeting_id  INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    status      TEXT    NOT NULL CHECK (status IN ('in_person', 'online', 'apologies')),
    PRIMARY KEY (meeting_id, user_id)
);

-- A motion's decision (outcome, tallies as JSON) is written once, when it closes.
CREATE TABLE motions (
    id                 INTEGER PRIMARY KEY,
    meeting_id         INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    item_id            INTEGER NOT NULL REFERENCES agenda_items (id) ON DELETE CASCADE,
    question           TEXT    NOT NULL,
    background         TEXT    NOT NULL DEFAULT '',
    background_html    TEXT    NOT NULL DEFAULT '',
    prototype_id       INTEGER REFERENCES prototypes (id),
    action             TEXT    NOT NULL DEFAULT 'none' CHECK (action IN ('none', 'move_stage', 'adopt_iteration')),
    action_stage_id    INTEGER REFERENCES stages (id),
    action_iteration   INTEGER,
    method             TEXT    NOT NULL CHECK (method IN ('majority', 'consent', 'approval')),
    present_only       INTEGER NOT NULL DEFAULT 0 CHECK (present_only IN (0, 1)),
    secret             INTEGER NOT NULL DEFAULT 0 CHECK (secret IN (0, 1)),
    hide_results       INTEGER NOT NULL DEFAULT 0 CHECK (hide_results IN (0, 1)),
    quorum_votes       INTEGER NOT NULL DEFAULT 0 CHECK (quorum_votes >= 0),
    quorum_lived       INTEGER NOT NULL DEFAULT 0 CHECK (quorum_lived >= 0),
    status             TEXT    NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'closed')),
    closes_at          INTEGER,
    outcome            TEXT CHECK (outcome IN ('passed', 'not_passed', 'no_decision')),
    decision           TEXT,
    decided_at         INTEGER,
    created_at         INTEGER NOT NULL
);
CREATE INDEX motions_meeting ON motions (meeting_id, id);

CREATE TABLE motion_options (
    id         INTEGER PRIMARY KEY,
    motion_id  INTEGER NOT NULL REFERENCES motions (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    label      TEXT    NOT NULL
);
CREATE INDEX motion_options_motion ON motion_options (motion_id, position);

-- Who voted: one row per eligible person per motion, enforced here. For an open ballot it
-- also holds the choice (changeable until close: the last one counts).
CREATE TABLE voters (
    motion_id  INTEGER NOT NULL REFERENCES motions (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    cast_at    INTEGER NOT NULL,
    PRIMARY KEY (motion_id, user_id)
);

-- What was chosen. `user_id` is NULL on a secret ballot, so the choice cannot be linked to
-- the person; `lived` and `perspectives` (a snapshot) feed the quorum and the breakdown.
CREATE TABLE ballots (
    id            INTEGER PRIMARY KEY,
    motion_id     INTEGER NOT NULL REFERENCES motions (id) ON DELETE CASCADE,
    user_id       INTEGER REFERENCES users (id),
    choice        TEXT    NOT NULL CHECK (choice IN ('for', 'against', 'abstain', 'agree', 'object', 'block', 'approve')),
    reason        TEXT    NOT NULL DEFAULT '',
    lived         INTEGER NOT NULL DEFAULT 0 CHECK (lived IN (0, 1)),
    perspectives  TEXT    NOT NULL DEFAULT '',
    cast_at       INTEGER NOT NULL
);
CREATE UNIQUE INDEX ballots_open_one_per_person ON ballots (motion_id, user_id) WHERE user_id IS NOT NULL;
CREATE INDEX ballots_motion ON ballots (motion_id);

CREATE TABLE ballot_options (
    ballot_id  INTEGER NOT NULL REFERENCES ballots (id) ON DELETE CASCADE,
    option_id  INTEGER NOT NULL REFERENCES motion_options (id),
    PRIMARY KEY (ballot_id, option_id)
);
