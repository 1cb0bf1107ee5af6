-- The collaborative's values (issue 11): short name and description, ordered and retireable
-- like stages and statements. Prototypes say which values they serve.
CREATE TABLE lab_values (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL,
    description  TEXT    NOT NULL DEFAULT '',
    position     INTEGER NOT NULL,
    retired      INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1))
);
CREATE INDEX lab_values_position ON lab_values (retired, position);

CREATE TABLE prototype_values (
    prototype_id  INTEGER NOT NULL REFERENCES prototypes (id) ON DELETE CASCADE,
    value_id      INTEGER NOT NULL REFERENCES lab_values (id),
    PRIMARY KEY (prototype_id, value_id)
);
CREATE INDEX prototype_values_value ON prototype_values (value_id, prototype_id);
