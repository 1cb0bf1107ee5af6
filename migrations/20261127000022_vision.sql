-- The collaborative's vision (issue 11): every edit is a new version, kept with who and when
-- and what changed, so /vision/history can show how it grew. The newest row is the vision.
CREATE TABLE vision_versions (
    id         INTEGER PRIMARY KEY,
    body       TEXT    NOT NULL,
    -- Rendered and sanitised once, at save: a version never changes.
    body_html  TEXT    NOT NULL,
    note       TEXT    NOT NULL DEFAULT '',
    edited_by  INTEGER REFERENCES users (id),
    edited_at  INTEGER NOT NULL
);
