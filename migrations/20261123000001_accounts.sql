-- Accounts, roles, perspectives, invitations and sign-in throttling.
-- Times are unix seconds (INTEGER): cheap to compare and index, the same in SQLite and PostgreSQL.

-- One row for the collaborative this deployment serves (multi-site comes later, so the id is fixed).
CREATE TABLE collaborative (
    id                 INTEGER PRIMARY KEY CHECK (id = 1),
    name               TEXT    NOT NULL,
    open_registration  INTEGER NOT NULL DEFAULT 1 CHECK (open_registration IN (0, 1))
);
INSERT INTO collaborative (id, name) VALUES (1, 'Living Well Collaborative');

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    -- Stored lower-cased so uniqueness is case-insensitive without a functional index.
    email          TEXT    NOT NULL UNIQUE,
    display_name   TEXT    NOT NULL,
    password_hash  TEXT    NOT NULL,
    role           TEXT    NOT NULL DEFAULT 'contributor'
                   CHECK (role IN ('contributor', 'member', 'design_group', 'facilitator')),
    active         INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    -- Bumped when the password changes: sessions carry the epoch they were made in,
    -- so every older session stops working at once.
    session_epoch  INTEGER NOT NULL DEFAULT 0,
    created_at     INTEGER NOT NULL
);
-- The members page filters and counts by role (and the last-facilitator rule counts facilitators).
CREATE INDEX users_role_active ON users (role, active);

-- Perspectives are declared, optional and changeable; they never grant permissions.
CREATE TABLE user_perspectives (
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    perspective  TEXT    NOT NULL
                 CHECK (perspective IN ('service_user', 'carer', 'practitioner', 'commissioner', 'voluntary_sector', 'other')),
    PRIMARY KEY (user_id, perspective)
);

-- Only a SHA-256 of the token is stored: a leaked database does not leak working links.
CREATE TABLE invitations (
    id           INTEGER PRIMARY KEY,
    token_hash   TEXT    NOT NULL UNIQUE,
    email        TEXT,
    role         TEXT    NOT NULL CHECK (role IN ('contributor', 'member', 'design_group', 'facilitator')),
    invited_by   INTEGER NOT NULL REFERENCES users (id),
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    used_by      INTEGER REFERENCES users (id),
    used_at      INTEGER
);

-- Failed sign-ins, per account ('account:<email>') and per address ('address:<ip>').
CREATE TABLE login_throttle (
    key           TEXT    PRIMARY KEY,
    failures      INTEGER NOT NULL,
    window_start  INTEGER NOT NULL,
    locked_until  INTEGER
);
