-- Evaluation and roll-out (issue 12): outcome measures with their readings, the sites where
-- services are delivered, and each prototype's roll-out across them.
--
-- Dates a person types (a baseline's, a reading's, a site going live) are calendar days,
-- stored as 'YYYY-MM-DD' text so they sort and compare as dates and never shift with a
-- timezone; `*_at` columns are instants (Unix seconds), as elsewhere.

-- A place services are delivered: a GP practice, a hub, a team. Kept by facilitators.
-- Retired sites stay on the roll-outs and readings that name them but are not offered again.
CREATE TABLE sites (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    area        TEXT    NOT NULL DEFAULT '',
    retired     INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1)),
    created_at  INTEGER NOT NULL
);
-- One site per name (an import adding "Lakeside Surgery" twice would split its roll-out).
CREATE UNIQUE INDEX sites_name ON sites (name COLLATE NOCASE);
CREATE INDEX sites_area_kind ON sites (area, kind);

-- What a prototype is judged by. `kind`: a number (days waited), a percentage, or a
-- lived-experience rating: the mean rating (1–5) of one experience statement across the
-- prototype's consultation rounds, which has no typed readings (it is read from answers).
CREATE TABLE measures (
    id               INTEGER PRIMARY KEY,
    prototype_id     INTEGER NOT NULL REFERENCES prototypes (id) ON DELETE CASCADE,
    name             TEXT    NOT NULL,
    -- What is counted and how (Markdown, sanitised to `method_html` at save).
    method           TEXT    NOT NULL DEFAULT '',
    method_html      TEXT    NOT NULL DEFAULT '',
    kind             TEXT    NOT NULL CHECK (kind IN ('number', 'percentage', 'rating')),
    unit             TEXT    NOT NULL DEFAULT '',
    direction        TEXT    NOT NULL CHECK (direction IN ('higher', 'lower')),
    statement_id     INTEGER REFERENCES experience_statements (id),
    baseline         REAL,
    baseline_on      TEXT,
    baseline_source  TEXT    NOT NULL DEFAULT '',
    target           REAL,
    target_on        TEXT,
    position         INTEGER NOT NULL,
    created_by       INTEGER REFERENCES users (id),
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    CHECK ((kind = 'rating') = (statement_id IS NOT NULL)),
    CHECK ((baseline IS NULL) = (baseline_on IS NULL))
);
CREATE INDEX measures_prototype ON measures (prototype_id, position, id);
CREATE INDEX measures_statement ON measures (statement_id) WHERE statement_id IS NOT NULL;

-- A measure's dated value, typed or imported by the design group (not for ratings).
CREATE TABLE readings (
    id          INTEGER PRIMARY KEY,
    measure_id  INTEGER NOT NULL REFERENCES measures (id) ON DELETE CASCADE,
    value       REAL    NOT NULL,
    taken_on    TEXT    NOT NULL,
    site_id     INTEGER REFERENCES sites (id),
    source      TEXT    NOT NULL DEFAULT '',
    entered_by  INTEGER REFERENCES users (id),
    entered_at  INTEGER NOT NULL
);
CREATE INDEX readings_measure ON readings (measure_id, taken_on, id);
CREATE INDEX readings_site ON readings (site_id) WHERE site_id IS NOT NULL;
CREATE INDEX readings_entered_by ON readings (entered_by);

-- A prototype's status at a site: planned → live → paused → stopped (see
-- `rollout::rules::may_move`). One row per prototype and site; its history is on the
-- prototype's timeline.
CREATE TABLE rollouts (
    prototype_id  INTEGER NOT NULL REFERENCES prototypes (id) ON DELETE CASCADE,
    site_id       INTEGER NOT NULL REFERENCES sites (id),
    status        TEXT    NOT NULL CHECK (status IN ('planned', 'live', 'paused', 'stopped')),
    -- The day the current status began (as the person said, not when they typed it).
    since         TEXT    NOT NULL,
    -- The first day it went live, kept through pauses.
    live_on       TEXT,
    note          TEXT    NOT NULL DEFAULT '',
    updated_by    INTEGER REFERENCES users (id),
    updated_at    INTEGER NOT NULL,
    PRIMARY KEY (prototype_id, site_id)
) WITHOUT ROWID;
CREATE INDEX rollouts_site ON rollouts (site_id, status);
CREATE INDEX rollouts_status ON rollouts (status, prototype_id);
CREATE INDEX rollouts_updated_by ON rollouts (updated_by);

-- The timeline learns roll-out changes: `ref_id` is the site and `detail` its new status.
-- SQLite cannot widen a CHECK in place, so the table is rebuilt (as migration 4 did).
CREATE TABLE timeline_events_new (
    id                INTEGER PRIMARY KEY,
    prototype_id      INTEGER NOT NULL REFERENCES prototypes (id) ON DELETE CASCADE,
    kind              TEXT    NOT NULL CHECK (kind IN ('created', 'iteration', 'stage_move', 'consultation', 'decision', 'rollout')),
    at                INTEGER NOT NULL,
    actor_id          INTEGER REFERENCES users (id),
    iteration_number  INTEGER,
    from_stage_id     INTEGER REFERENCES stages (id),
    to_stage_id       INTEGER REFERENCES stages (id),
    note              TEXT    NOT NULL DEFAULT '',
    ref_id            INTEGER,
    detail            TEXT
);
INSERT INTO timeline_events_new (id, prototype_id, kind, at, actor_id, iteration_number, from_stage_id, to_stage_id, note, ref_id)
    SELECT id, prototype_id, kind, at, actor_id, iteration_number, from_stage_id, to_stage_id, note, ref_id FROM timeline_events;
DROP TABLE timeline_events;
ALTER TABLE timeline_events_new RENAME TO timeline_events;
CREATE INDEX timeline_events_prototype ON timeline_events (prototype_id, at, id);
CREATE INDEX timeline_events_decisions ON timeline_events (at DESC, id DESC) WHERE kind = 'decision';
CREATE INDEX timeline_events_actor ON timeline_events (actor_id);
CREATE INDEX motions_open ON motions (status, closes_at) WHERE status = 'open';

-- The stage a roll-out plan starts from (Implementing): marked, so that a stage added after
-- it later ("Scaling up") does not lock the plans of prototypes at Implementing.
ALTER TABLE stages ADD COLUMN rollout_from INTEGER NOT NULL DEFAULT 0 CHECK (rollout_from IN (0, 1));
UPDATE stages SET rollout_from = 1 WHERE name = 'Implementing' AND kind = 'open';
