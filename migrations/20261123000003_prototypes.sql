-- Prototypes, their drafts and immutable iterations, and one timeline of typed events.

CREATE TABLE prototypes (
    id               INTEGER PRIMARY KEY,
    title            TEXT    NOT NULL,
    summary          TEXT    NOT NULL DEFAULT '',
    stage_id         INTEGER NOT NULL REFERENCES stages (id),
    -- The editable working text. `draft_revision` goes up on every save, so an edit form
    -- that started from an older revision cannot overwrite newer work (no lost updates).
    draft_body       TEXT    NOT NULL,
    draft_revision   INTEGER NOT NULL DEFAULT 1,
    -- Kept here rather than counted, so the board's cards need no per-card query.
    iteration_count  INTEGER NOT NULL DEFAULT 0,
    created_by       INTEGER NOT NULL REFERENCES users (id),
    created_at       INTEGER NOT NULL,
    last_activity    INTEGER NOT NULL
);
-- The board shows the newest per stage column; the list sorts by activity or title.
CREATE INDEX prototypes_stage_activity ON prototypes (stage_id, last_activity DESC, id DESC);
CREATE INDEX prototypes_activity ON prototypes (last_activity DESC, id DESC);
CREATE INDEX prototypes_title ON prototypes (title COLLATE NOCASE);

CREATE TABLE prototype_authors (
    prototype_id  INTEGER NOT NULL REFERENCES prototypes (id) ON DELETE CASCADE,
    user_id       INTEGER NOT NULL REFERENCES users (id),
    PRIMARY KEY (prototype_id, user_id)
);
CREATE INDEX prototype_authors_user ON prototype_authors (user_id, prototype_id);

CREATE TABLE prototype_themes (
    prototype_id  INTEGER NOT NULL REFERENCES prototypes (id) ON DELETE CASCADE,
    theme         TEXT    NOT NULL,
    PRIMARY KEY (prototype_id, theme)
);
CREATE INDEX prototype_themes_theme ON prototype_themes (theme, prototype_id);

CREATE TABLE prototype_statements (
    prototype_id  INTEGER NOT NULL REFERENCES prototypes (id) ON DELETE CASCADE,
    statement_id  INTEGER NOT NULL REFERENCES experience_statements (id),
    PRIMARY KEY (prototype_id, statement_id)
);
CREATE INDEX prototype_statements_statement ON prototype_statements (statement_id, prototype_id);

-- An iteration never changes once published. The rendered, sanitised HTML is stored with
-- it, so showing an iteration costs no Markdown work.
CREATE TABLE iterations (
    id            INTEGER PRIMARY KEY,
    prototype_id  INTEGER NOT NULL REFERENCES prototypes (id) ON DELETE CASCADE,
    number        INTEGER NOT NULL,
    title         TEXT    NOT NULL,
    body          TEXT    NOT NULL,
    body_html     TEXT    NOT NULL,
    change_note   TEXT    NOT NULL,
    published_by  INTEGER NOT NULL REFERENCES users (id),
    published_at  INTEGER NOT NULL,
    UNIQUE (prototype_id, number)
);

-- One chronological list per prototype. Later kinds (consultation rounds, decisions) add
-- rows here rather than new lists.
CREATE TABLE timeline_events (
    id                INTEGER PRIMARY KEY,
    prototype_id      INTEGER NOT NULL REFERENCES prototypes (id) ON DELETE CASCADE,
    kind              TEXT    NOT NULL CHECK (kind IN ('created', 'iteration', 'stage_move')),
    at                INTEGER NOT NULL,
    actor_id          INTEGER REFERENCES users (id),
    iteration_number  INTEGER,
    from_stage_id     INTEGER REFERENCES stages (id),
    to_stage_id       INTEGER REFERENCES stages (id),
    note              TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX timeline_events_prototype ON timeline_events (prototype_id, at, id);

-- Stages a prototype may enter only with at least one published iteration. Decision needs
-- something to decide on; implementing or adopting nothing makes no sense either.
ALTER TABLE stages ADD COLUMN requires_iteration INTEGER NOT NULL DEFAULT 0 CHECK (requires_iteration IN (0, 1));
UPDATE stages SET requires_iteration = 1 WHERE name IN ('Decision', 'Implementing', 'Adopted');

-- An edit refused because someone saved a newer revision first: the refused text is kept
-- here (visible only to its author) so nothing typed is lost, and both texts can be shown.
CREATE TABLE draft_conflicts (
    id             INTEGER PRIMARY KEY,
    prototype_id   INTEGER NOT NULL REFERENCES prototypes (id) ON DELETE CASCADE,
    user_id        INTEGER NOT NULL REFERENCES users (id),
    title          TEXT    NOT NULL,
    summary        TEXT    NOT NULL,
    body           TEXT    NOT NULL,
    based_on       INTEGER NOT NULL,
    created_at     INTEGER NOT NULL
);
