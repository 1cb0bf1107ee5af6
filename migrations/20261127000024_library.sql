-- The learning library (issue 11): what the lab learned, tied to the evidence it came from.
CREATE TABLE learning_notes (
    id            INTEGER PRIMARY KEY,
    -- The prototype it came from (notes from stopped or paused prototypes are as welcome).
    prototype_id  INTEGER REFERENCES prototypes (id),
    title         TEXT    NOT NULL,
    body          TEXT    NOT NULL,
    -- Rendered and sanitised at save.
    body_html     TEXT    NOT NULL,
    kind          TEXT    NOT NULL CHECK (kind IN ('worked', 'did_not_work', 'surprise', 'method')),
    status        TEXT    NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
    -- A shareable note has a public page with every personal detail removed.
    shareable     INTEGER NOT NULL DEFAULT 0 CHECK (shareable IN (0, 1)),
    created_by    INTEGER REFERENCES users (id),
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    published_at  INTEGER
);
CREATE INDEX learning_notes_list ON learning_notes (status, published_at DESC, id DESC);
CREATE INDEX learning_notes_prototype ON learning_notes (prototype_id, status);

-- Evidence a note points at: an iteration (by id), a consultation round (its results page),
-- a feedback item (a comment or a response's free-text answer: 'comment' / 'answer'),
-- a decision (a closed motion) or a meeting.
CREATE TABLE note_evidence (
    note_id    INTEGER NOT NULL REFERENCES learning_notes (id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL CHECK (kind IN ('iteration', 'round', 'comment', 'answer', 'decision', 'meeting')),
    target_id  INTEGER NOT NULL,
    PRIMARY KEY (note_id, kind, target_id)
);
CREATE INDEX note_evidence_target ON note_evidence (kind, target_id);

CREATE TABLE note_themes (
    note_id  INTEGER NOT NULL REFERENCES learning_notes (id) ON DELETE CASCADE,
    theme    TEXT    NOT NULL,
    PRIMARY KEY (note_id, theme)
);
CREATE INDEX note_themes_theme ON note_themes (theme, note_id);
