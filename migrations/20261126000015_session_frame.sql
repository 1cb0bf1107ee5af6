-- The request frame (issue 10): a page reads the session, its viewer and the site settings in
-- one statement, which needs the session's user id as a column to join on. The table is
-- tower-sessions' own (same columns, created here first so this can extend it).
CREATE TABLE IF NOT EXISTS tower_sessions (
    id TEXT PRIMARY KEY NOT NULL,
    data BLOB NOT NULL,
    expiry_date INTEGER NOT NULL
);
ALTER TABLE tower_sessions ADD COLUMN user_id INTEGER;
