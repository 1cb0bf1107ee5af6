-- The collaborative's stages and experience statements. Managing them (rename, reorder,
-- retire) comes with prototypes; they exist now so a new lab starts with its defaults
-- and the demo has an experience model.

-- kind: 'open' stages are the design-group pipeline; 'closed' ones (Adopted, Stopped) end it.
CREATE TABLE stages (
    id        INTEGER PRIMARY KEY,
    name      TEXT    NOT NULL,
    position  INTEGER NOT NULL,
    kind      TEXT    NOT NULL DEFAULT 'open' CHECK (kind IN ('open', 'closed')),
    retired   INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1))
);
CREATE INDEX stages_position ON stages (retired, position);

INSERT INTO stages (name, position, kind) VALUES
    ('Idea', 1, 'open'), ('Co-design', 2, 'open'), ('Prototype', 3, 'open'), ('Testing', 4, 'open'),
    ('Learning', 5, 'open'), ('Decision', 6, 'open'), ('Implementing', 7, 'open'),
    ('Adopted', 8, 'closed'), ('Stopped', 9, 'closed');

-- A line of the collaborative's experience model: how people want services to feel.
CREATE TABLE experience_statements (
    id          INTEGER PRIMARY KEY,
    text        TEXT    NOT NULL,
    short_name  TEXT,
    position    INTEGER NOT NULL,
    retired     INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1))
);
CREATE INDEX experience_statements_position ON experience_statements (retired, position);
