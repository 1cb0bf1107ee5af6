-- Issue 9: secret ballots that nothing in the database links to their voter (finding 3),
-- the adoption stage found by a flag rather than its name, and leases so that background
-- jobs (closing timed motions first) run on exactly one instance (finding 10).

-- Ballots, rebuilt. A ballot row used to share `cast_at` with its voter's row in `voters`,
-- and ids (and `ballot_options` rowids) followed the order of voting, so a backup could
-- pair them. Now:
--   * no time on a ballot;
--   * a random id, so neither the id order nor the table's storage order (SQLite stores a
--     table in id order) follows the order of voting;
--   * `ballot_options` WITHOUT ROWID (stored by ballot id, not in insertion order);
--   * no `lived` flag: the lived-experience quorum counts people who voted (`voters.lived`),
--     not what they chose;
--   * `perspective` is the voter's one breakdown cell, no finer: '' (none declared), one
--     perspective, or 'several'. A secret ballot's cell is kept only while voting is open
--     (the breakdown needs it at close); closing writes the suppressed breakdown onto the
--     motion and clears every cell.
CREATE TABLE ballots_new (
    id           INTEGER PRIMARY KEY,
    motion_id    INTEGER NOT NULL REFERENCES motions (id) ON DELETE CASCADE,
    user_id      INTEGER REFERENCES users (id),
    choice       TEXT    NOT NULL CHECK (choice IN ('for', 'against', 'abstain', 'agree', 'object', 'block', 'approve')),
    reason       TEXT    NOT NULL DEFAULT '',
    perspective  TEXT    NOT NULL DEFAULT ''
);

-- random() can be the one value abs() overflows on; masking keeps 63 random bits.
CREATE TEMP TABLE ballot_ids (old INTEGER PRIMARY KEY, new INTEGER NOT NULL UNIQUE);
INSERT INTO ballot_ids (old, new) SELECT id, random() & 9223372036854775807 FROM ballots;

INSERT INTO ballots_new (id, motion_id, user_id, choice, reason, perspective)
SELECT i.new, b.motion_id, b.user_id, b.choice, b.reason,
       CASE WHEN m.secret = 1 AND m.status = 'closed' THEN ''
            WHEN b.perspectives = '' THEN ''
            WHEN instr(b.perspectives, ',') > 0 THEN 'several'
            ELSE b.perspectives END
FROM ballots b JOIN ballot_ids i ON i.old = b.id JOIN motions m ON m.id = b.motion_id
ORDER BY i.new;

CREATE TABLE ballot_options_new (
    ballot_id  INTEGER NOT NULL REFERENCES ballots_new (id) ON DELETE CASCADE,
    option_id  INTEGER NOT NULL REFERENCES motion_options (id),
    PRIMARY KEY (ballot_id, option_id)
) WITHOUT ROWID;
INSERT INTO ballot_options_new (ballot_id, option_id) SELECT i.new, o.option_id FROM ballot_options o JOIN ballot_ids i ON i.old = o.ballot_id;

-- Who voted, and whether they declared a service-user or carer perspective then. An open
-- ballot says so itself; a secret one cannot, so today's declared perspectives stand in.
ALTER TABLE voters ADD COLUMN lived INTEGER NOT NULL DEFAULT 0 CHECK (lived IN (0, 1));
UPDATE voters SET lived = coalesce(
    (SELECT b.lived FROM ballots b WHERE b.motion_id = voters.motion_id AND b.user_id = voters.user_id),
    EXISTS (SELECT 1 FROM user_perspectives p WHERE p.user_id = voters.user_id AND p.perspective IN ('service_user', 'carer')));

-- Children first: dropping a parent deletes its rows, and that would cascade.
DROP TABLE ballot_options;
DROP TABLE ballots;
DROP TABLE ballot_ids;
-- Renaming also rewrites ballot_options_new's reference to the new name.
ALTER TABLE ballots_new RENAME TO ballots;
ALTER TABLE ballot_options_new RENAME TO ballot_options;
CREATE UNIQUE INDEX ballots_open_one_per_person ON ballots (motion_id, user_id) WHERE user_id IS NOT NULL;
CREATE INDEX ballots_motion ON ballots (motion_id);

-- A secret ballot's breakdown by perspective (JSON), under complementary suppression,
-- written once when it closes. Secret ballots closed before this change have none: their
-- breakdown was not suppressed safely, and their cells are cleared above.
ALTER TABLE motions ADD COLUMN breakdown TEXT;
-- Timed motions are closed by a background job, which looks for the ones due.
CREATE INDEX motions_due ON motions (closes_at) WHERE status = 'open' AND closes_at IS NOT NULL;

-- The stage that "adopt this iteration" moves a prototype to. Facilitators may rename
-- stages, so a motion finds it by this flag, never by the name 'Adopted'. At most one.
-- Existing labs: the closed stage called 'Adopted', else the first closed stage.
ALTER TABLE stages ADD COLUMN adoption INTEGER NOT NULL DEFAULT 0 CHECK (adoption IN (0, 1));
UPDATE stages SET adoption = 1 WHERE id = (
    SELECT id FROM stages WHERE kind = 'closed' ORDER BY name = 'Adopted' DESC, retired, position, id LIMIT 1);
CREATE UNIQUE INDEX stages_one_adoption ON stages (adoption) WHERE adoption = 1;

-- Background jobs run on a tokio interval in every instance; a job runs only on the
-- instance holding its lease. A holder renews its lease each run; if it stops (crashed,
-- stopped), the lease runs out and another instance takes the job over.
CREATE TABLE job_leases (
    job         TEXT    PRIMARY KEY,
    holder      TEXT    NOT NULL,
    expires_at  INTEGER NOT NULL
) WITHOUT ROWID;
