-- Search (issue 11): one full-text index over what people may open, kept in step with every
-- write by triggers, in the same transaction as the write. A comment removed, hidden or held
-- is gone from the index when that UPDATE commits; nothing held or hidden is ever in it.
--
-- Two parts:
--   * `search_docs`: one row per findable thing, with who may open it (`audience`, the
--     lowest role) and where it lives (kind, ids for the link). It never holds a person's
--     name, so erasure has nothing to rename here and anonymous words stay anonymous.
--   * `search_index`: FTS5 over `search_docs` (external content: the text is stored once,
--     and snippet() reads it from there). Its own triggers keep it exactly in step with
--     `search_docs`; FTS5 needs the old text to forget a row, which only they have.
--
-- What each kind indexes, and for whom, is written once as a view (`search_src_*`); the
-- triggers on the source tables delete a thing's row and insert it again from its view, so
-- "is it findable" has one definition, used by the triggers and by the fill at the end.
--
-- A prototype's stage and themes are not copied here: the search reads them through
-- `prototype_id` when filtering, so moving a stage or recoding themes rewrites nothing.

CREATE TABLE search_docs (
    id            INTEGER PRIMARY KEY,
    kind          TEXT    NOT NULL CHECK (kind IN ('prototype', 'iteration', 'change_note', 'note', 'statement',
                                                   'value', 'decision', 'minutes', 'comment', 'answer')),
    -- The row in its own table (prototype, iteration, note, statement, value, motion,
    -- meeting, comment or answer id).
    ref_id        INTEGER NOT NULL,
    -- For stage and theme filters (and a comment's link).
    prototype_id  INTEGER,
    -- The second part of the link: an iteration's number, a motion's or minutes' meeting,
    -- an answer's round.
    place         INTEGER,
    -- The lowest role that may open it. Visitors search nothing; facilitators see all of it.
    audience      TEXT    NOT NULL CHECK (audience IN ('contributor', 'member', 'design_group')),
    -- Shown as the result's title where `title` is empty (a round's title for an answer).
    heading       TEXT    NOT NULL DEFAULT '',
    title         TEXT    NOT NULL DEFAULT '',
    body          TEXT    NOT NULL DEFAULT '',
    UNIQUE (kind, ref_id)
);
CREATE INDEX search_docs_prototype ON search_docs (prototype_id, kind);
-- Answers by round and decisions or minutes by meeting, for the triggers that follow those.
CREATE INDEX search_docs_place ON search_docs (kind, place);

-- Porter stemming ("waiting" finds "waits") over unicode61 with diacritics folded
-- ("cafe" finds "café").
CREATE VIRTUAL TABLE search_index USING fts5(
    title, body,
    content = 'search_docs', content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2'
);
-- A forgotten row leaves a "deleted" marker beside its old entries (lower-cased words)
-- until segments merge. Erasure, which must leave no trace of a person's words in the
-- file, rebuilds the index from `search_docs` before its VACUUM. (FTS5's 'secure-delete'
-- option would avoid that, but SQLite 3.46's own integrity check rejects the index it
-- leaves, so it is not used.)

CREATE TRIGGER search_docs_insert AFTER INSERT ON search_docs BEGIN
    INSERT INTO search_index (rowid, title, body) VALUES (NEW.id, NEW.title, NEW.body);
END;
CREATE TRIGGER search_docs_delete AFTER DELETE ON search_docs BEGIN
    INSERT INTO search_index (search_index, rowid, title, body) VALUES ('delete', OLD.id, OLD.title, OLD.body);
END;
CREATE TRIGGER search_docs_update AFTER UPDATE OF id, title, body ON search_docs BEGIN
    INSERT INTO search_index (search_index, rowid, title, body) VALUES ('delete', OLD.id, OLD.title, OLD.body);
    INSERT INTO search_index (rowid, title, body) VALUES (NEW.id, NEW.title, NEW.body);
END;

-- What is findable, kind by kind. Each view has the columns of `search_docs` (but `id`
-- and `kind`), plus any key its triggers select by.

-- A prototype: published ones (at least one iteration) by everyone signed in, with the
-- title and summary the latest iteration gave them; a prototype never published is a
-- draft, for the design group, with its working text too.
CREATE VIEW search_src_prototype AS
SELECT p.id AS ref_id, p.id AS prototype_id, NULL AS place,
       CASE WHEN p.iteration_count > 0 THEN 'contributor' ELSE 'design_group' END AS audience,
       p.title AS heading, p.title AS title,
       CASE WHEN p.iteration_count > 0 THEN p.summary ELSE p.summary || char(10) || p.draft_body END AS body
FROM prototypes p;

-- A published iteration: immutable, read by everyone signed in.
CREATE VIEW search_src_iteration AS
SELECT i.id AS ref_id, i.prototype_id, i.number AS place, 'contributor' AS audience,
       i.title AS heading, i.title AS title, i.body AS body
FROM iterations i;

-- An iteration's "what changed and why", on its own so it is found as a change note.
CREATE VIEW search_src_change_note AS
SELECT i.id AS ref_id, i.prototype_id, i.number AS place, 'contributor' AS audience,
       i.title AS heading, '' AS title, i.change_note AS body
FROM iterations i
WHERE trim(i.change_note) <> '';

-- Learning notes: drafts for the design group, published ones for members and up.
CREATE VIEW search_src_note AS
SELECT n.id AS ref_id, n.prototype_id, NULL AS place,
       CASE WHEN n.status = 'published' THEN 'member' ELSE 'design_group' END AS audience,
       n.title AS heading, n.title AS title, n.body AS body
FROM learning_notes n;

-- Experience statements and values in use (retired ones are not offered anywhere).
CREATE VIEW search_src_statement AS
SELECT s.id AS ref_id, NULL AS prototype_id, NULL AS place, 'contributor' AS audience,
       s.text AS heading, s.text AS title, coalesce(s.short_name, '') AS body
FROM experience_statements s
WHERE s.retired = 0;

CREATE VIEW search_src_value AS
SELECT v.id AS ref_id, NULL AS prototype_id, NULL AS place, 'contributor' AS audience,
       v.name AS heading, v.name AS title, v.description AS body
FROM lab_values v
WHERE v.retired = 0;

-- A closed motion's decision, as the meeting page shows it to members: the question and
-- the decision's summary line. Never the stored tally's reasons, breakdown or anything
-- else of a ballot (the decision column is JSON; only `$.summary` is read, and text that
-- is not JSON is skipped rather than failing the write that closed the motion).
CREATE VIEW search_src_decision AS
SELECT m.id AS ref_id, m.prototype_id, m.meeting_id AS place, 'member' AS audience,
       m.question AS heading, m.question AS title,
       coalesce(CASE WHEN json_valid(m.decision) THEN json_extract(m.decision, '$.summary') END, '') AS body
FROM motions m
WHERE m.status = 'closed' AND m.decision IS NOT NULL;

-- Approved minutes, for members and up (drafts are the facilitator's).
CREATE VIEW search_src_minutes AS
SELECT m.id AS ref_id, NULL AS prototype_id, m.id AS place, 'member' AS audience,
       m.title AS heading, m.title AS title, m.minutes_approved AS body
FROM meetings m
WHERE m.minutes_approved IS NOT NULL AND trim(m.minutes_approved) <> '';

-- Published comments (never held, hidden or removed ones), read by everyone who may read
-- the prototype: everyone signed in once it is published, the design group before. Comments
-- are on the prototype's page for every reader whatever their consent, so consent does not
-- narrow them here; the author's name is never stored.
CREATE VIEW search_src_comment AS
SELECT c.id AS ref_id, c.prototype_id, NULL AS place,
       CASE WHEN p.iteration_count > 0 THEN 'contributor' ELSE 'design_group' END AS audience,
       '' AS heading, '' AS title, c.body AS body
FROM comments c JOIN prototypes p ON p.id = c.prototype_id
WHERE c.status = 'published' AND trim(c.body) <> '';

-- Free-text answers of published responses. Only the design group reads free text on a
-- round's results (members get a summary without it), so every answer is for the design
-- group, whatever its consent; no name is stored, so anonymous ones stay anonymous.
CREATE VIEW search_src_answer AS
SELECT a.id AS ref_id, r.prototype_id, r.id AS place, 'design_group' AS audience,
       r.title AS heading, '' AS title, a.text AS body,
       a.response_id AS response_id
FROM answers a JOIN responses x ON x.id = a.response_id JOIN rounds r ON r.id = x.round_id
WHERE x.status = 'published' AND a.text IS NOT NULL AND trim(a.text) <> '';

-- The triggers. Each rewrites only the rows of the thing written.

-- Prototypes. A published prototype's draft is saved often and is not indexed, so a save
-- that changes only the draft rewrites nothing.
CREATE TRIGGER search_prototypes_insert AFTER INSERT ON prototypes BEGIN
    INSERT INTO search_docs (kind, ref_id, prototype_id, place, audience, heading, title, body)
    SELECT 'prototype', ref_id, prototype_id, place, audience, heading, title, body FROM search_src_prototype WHERE ref_id = NEW.id;
END;
CREATE TRIGGER search_prototypes_update AFTER UPDATE OF title, summary, draft_body, iteration_count ON prototypes
WHEN NEW.iteration_count = 0 OR OLD.iteration_count = 0
  OR OLD.title IS NOT NEW.title OR OLD.summary IS NOT NEW.summary
BEGIN
    DELETE FROM search_docs WHERE kind = 'prototype' AND ref_id = NEW.id;
    INSERT INTO search_docs (kind, ref_id, prototype_id, place, audience, heading, title, body)
    SELECT 'prototype', ref_id, prototype_id, place, audience, heading, title, body FROM search_src_prototype WHERE ref_id = NEW.id;
END;
-- First published (or, should it happen, no longer published): its comments change audience.
CREATE TRIGGER search_prototypes_published AFTER UPDATE OF iteration_count ON prototypes
WHEN (OLD.iteration_count > 0) IS NOT (NEW.iteration_count > 0)
BEGIN
    DELETE FROM search_docs WHERE prototype_id = NEW.id AND kind = 'comment';
    INSERT INTO search_docs (kind, ref_id, prototype_id, place, audience, heading, title, body)
    SELECT 'comment', ref_id, prototype_id, place, audience, heading, title, body FROM search_src_comment WHERE prototype_id = NEW.id;
END;
-- Its iterations and comments go with it (cascade); this catches the prototype's own row
-- and anything a cascade would not reach.
CREATE TRIGGER search_prototypes_delete AFTER DELETE ON prototypes BEGIN
    DELETE FROM search_docs WHERE prototype_id = OLD.id AND kind IN ('prototype', 'iteration', 'change_note', 'comment');
END;

-- Iterations (immutable, but kept right if one is ever corrected).
CREATE TRIGGER search_iterations_insert AFTER INSERT ON iterations BEGIN
    INSERT INTO search_docs (kind, ref_id, prototype_id, place, audience, heading, title, body)
    SELECT 'iteration', ref_id, prototype_id, place, audience, heading, title, body FROM search_src_iteration WHERE ref_id = NEW.id;
    INSERT INTO search_docs (kind, ref_id, prototype_id, place, audience, heading, title, body)
    SELECT 'change_note', ref_id, prototype_id, place, audience, heading, title, body FROM search_src_change_note WHERE ref_id = NEW.id;
END;
CREATE TRIGGER search_iterations_update AFTER UPDATE ON iterations BEGIN
    DELETE FROM search_docs WHERE kind IN ('iteration', 'change_note') AND ref_id IN (OLD.id, NEW.id);
    INSERT INTO search_docs (kind, ref_id, prototype_id, place, audience, heading, title, body)
    SELECT 'iteration', ref_id, prototype_id, place, audience, heading, title, body FROM search_src_iteration WHERE ref_id = NEW.id;
    INSERT INTO search_docs (kind, ref_id, prototype_id, place, audience, heading, title, body)
    SELECT 'change_note', ref_id, prototype_id, place, audience, heading, title, body FROM search_src_change_note WHERE ref_id = NEW.id;
END;
CREATE TRIGGER search_iterations_delete AFTER DELETE ON iterations BEGIN
    DELETE FROM search_docs WHERE kind IN ('iteration', 'change_note') AND ref_id = OLD.id;
END;

-- Learning notes.
CREATE TRIGGER search_notes_insert AFTER INSERT ON learning_notes BEGIN
    INSERT INTO search_docs (kind, ref_id, prototype_id, place, audience, heading, title, body)
    SELECT 'note', ref_id, prototype_id, place, audience, heading, title, body FROM search_src_note WHERE ref_id = NEW.id;
END;
CREATE TRIGGER search_notes_update AFTER UPDATE OF id, prototype_id, title, body, status ON learning_notes BEGIN
    DELETE FROM search_docs WHERE kind = 'note' AND ref_id IN (OLD.id, NEW.id);
    INSERT INTO search_docs (kind, ref_id, prototype_id, place, audience, heading, title, body)
    SELECT 'note', ref_id, prototype_id, place, audience, heading, title, body FROM search_src_note WHERE ref_id = NEW.id;
END;
CREATE TRIGGER search_notes_delete AFTER DELETE ON learning_notes BEGIN
    DELETE FROM search_docs WHERE kind = 'note' AND ref_id = OLD.id;
END;

-- Experience statements.
CREATE TRIGGER search_statements_insert AFTER INSERT ON experience_statements BEGIN
    INSERT INTO search_docs (kind, ref_id, prototype_id, place, audience, heading, title, body)
    SELECT 'statement', ref_id, prototype_id, place, audience, heading, title, body FROM search_src_statement WHERE ref_id = NEW.id;
END;
CREATE TRIGGER search_statements_update AFTER UPDATE OF id, text, short_name, retired ON experience_statements BEGIN
    DELETE FROM search_docs WHERE kind = 'statement' AND ref_id IN (OLD.id, NEW.id);
    INSERT INTO search_docs (kind, ref_id, prototype_id, place, audience, heading, title, body)
    SELECT 'statement', ref_id, prototype_id, place, audience, heading, title, body FROM search_src_statement WHERE ref_id = NEW.id;
END;
CREATE TRIGGER search_statements_delete AFTER DELETE ON experience_statements BEGIN
    DELETE FROM search_docs WHERE kind = 'statement' AND ref_id = OLD.id;
END;

-- Values.
CREATE TRIGGER search_values_insert AFTER INSERT ON lab_values BEGIN
    INSERT INTO search_docs (kind, ref_id, prototype_id, place, audience, heading, title, body)
    SELECT 'value', ref_id, prototype_id, place, audience, heading, title, body FROM search_src_value WHERE ref_id = NEW.id;
END;
CREATE TRIGGER search_values_update AFTER UPDATE OF id, name, description, retired ON lab_values BEGIN
    DELETE FROM search_docs WHERE kind = 'value' AND ref_id IN (OLD.id, NEW.id);
    INSERT INTO search_docs (kind, ref_id, prototype_id, place, audience, heading, title, body)
    SELECT 'value', ref_id, prototype_id, place, audience, heading, title, body FROM search_src_value WHERE ref_id = NEW.id;
END;
CREATE TRIGGER search_values_delete AFTER DELETE ON lab_values BEGIN
    DELETE FROM search_docs WHERE kind = 'value' AND ref_id = OLD.id;
END;

-- Decisions: a motion is findable from the moment it closes. (Erasure rewrites a closed
-- motion's stored tally to take a person's reasons out; that rewrites this row too.)
CREATE TRIGGER search_motions_insert AFTER INSERT ON motions BEGIN
    INSERT INTO search_docs (kind, ref_id, prototype_id, place, audience, heading, title, body)
    SELECT 'decision', ref_id, prototype_id, place, audience, heading, title, body FROM search_src_decision WHERE ref_id = NEW.id;
END;
CREATE TRIGGER search_motions_update AFTER UPDATE OF id, meeting_id, question, prototype_id, status, decision ON motions BEGIN
    DELETE FROM search_docs WHERE kind = 'decision' AND ref_id IN (OLD.id, NEW.id);
    INSERT INTO search_docs (kind, ref_id, prototype_id, place, audience, heading, title, body)
    SELECT 'decision', ref_id, prototype_id, place, audience, heading, title, body FROM search_src_decision WHERE ref_id = NEW.id;
END;
CREATE TRIGGER search_motions_delete AFTER DELETE ON motions BEGIN
    DELETE FROM search_docs WHERE kind = 'decision' AND ref_id = OLD.id;
END;

-- Minutes (erasure renames a person in approved minutes: this follows it).
CREATE TRIGGER search_meetings_insert AFTER INSERT ON meetings BEGIN
    INSERT INTO search_docs (kind, ref_id, prototype_id, place, audience, heading, title, body)
    SELECT 'minutes', ref_id, prototype_id, place, audience, heading, title, body FROM search_src_minutes WHERE ref_id = NEW.id;
END;
CREATE TRIGGER search_meetings_update AFTER UPDATE OF id, title, minutes_approved ON meetings BEGIN
    DELETE FROM search_docs WHERE kind = 'minutes' AND ref_id IN (OLD.id, NEW.id);
    INSERT INTO search_docs (kind, ref_id, prototype_id, place, audience, heading, title, body)
    SELECT 'minutes', ref_id, prototype_id, place, audience, heading, title, body FROM search_src_minutes WHERE ref_id = NEW.id;
END;
CREATE TRIGGER search_meetings_delete AFTER DELETE ON meetings BEGIN
    DELETE FROM search_docs WHERE kind IN ('minutes', 'decision') AND place = OLD.id;
END;

-- Comments: posting, editing, holding, hiding, releasing, removing and erasing are all
-- writes of `status` or `body`, so each is reflected in the same transaction.
CREATE TRIGGER search_comments_insert AFTER INSERT ON comments BEGIN
    INSERT INTO search_docs (kind, ref_id, prototype_id, place, audience, heading, title, body)
    SELECT 'comment', ref_id, prototype_id, place, audience, heading, title, body FROM search_src_comment WHERE ref_id = NEW.id;
END;
CREATE TRIGGER search_comments_update AFTER UPDATE OF id, prototype_id, body, status ON comments BEGIN
    DELETE FROM search_docs WHERE kind = 'comment' AND ref_id IN (OLD.id, NEW.id);
    INSERT INTO search_docs (kind, ref_id, prototype_id, place, audience, heading, title, body)
    SELECT 'comment', ref_id, prototype_id, place, audience, heading, title, body FROM search_src_comment WHERE ref_id = NEW.id;
END;
CREATE TRIGGER search_comments_delete AFTER DELETE ON comments BEGIN
    DELETE FROM search_docs WHERE kind = 'comment' AND ref_id = OLD.id;
END;

-- Answers, and the responses they belong to: a response held, hidden, released or
-- deleted (erasure, retention) takes its answers with it.
CREATE TRIGGER search_answers_insert AFTER INSERT ON answers BEGIN
    INSERT INTO search_docs (kind, ref_id, prototype_id, place, audience, heading, title, body)
    SELECT 'answer', ref_id, prototype_id, place, audience, heading, title, body FROM search_src_answer WHERE ref_id = NEW.id;
END;
CREATE TRIGGER search_answers_update AFTER UPDATE OF id, response_id, text ON answers BEGIN
    DELETE FROM search_docs WHERE kind = 'answer' AND ref_id IN (OLD.id, NEW.id);
    INSERT INTO search_docs (kind, ref_id, prototype_id, place, audience, heading, title, body)
    SELECT 'answer', ref_id, prototype_id, place, audience, heading, title, body FROM search_src_answer WHERE ref_id = NEW.id;
END;
CREATE TRIGGER search_answers_delete AFTER DELETE ON answers BEGIN
    DELETE FROM search_docs WHERE kind = 'answer' AND ref_id = OLD.id;
END;
CREATE TRIGGER search_responses_update AFTER UPDATE OF id, round_id, status ON responses BEGIN
    DELETE FROM search_docs WHERE kind = 'answer'
        AND ref_id IN (SELECT id FROM answers WHERE response_id IN (OLD.id, NEW.id));
    INSERT INTO search_docs (kind, ref_id, prototype_id, place, audience, heading, title, body)
    SELECT 'answer', ref_id, prototype_id, place, audience, heading, title, body FROM search_src_answer WHERE response_id = NEW.id;
END;
-- BEFORE, so the answers are still there to find whether or not the cascade runs first.
CREATE TRIGGER search_responses_delete BEFORE DELETE ON responses BEGIN
    DELETE FROM search_docs WHERE kind = 'answer'
        AND ref_id IN (SELECT id FROM answers WHERE response_id = OLD.id);
END;
-- A round's title heads its answers.
CREATE TRIGGER search_rounds_update AFTER UPDATE OF title, prototype_id ON rounds BEGIN
    DELETE FROM search_docs WHERE kind = 'answer' AND place = NEW.id;
    INSERT INTO search_docs (kind, ref_id, prototype_id, place, audience, heading, title, body)
    SELECT 'answer', ref_id, prototype_id, place, audience, heading, title, body FROM search_src_answer WHERE place = NEW.id;
END;
CREATE TRIGGER search_rounds_delete AFTER DELETE ON rounds BEGIN
    DELETE FROM search_docs WHERE kind = 'answer' AND place = OLD.id;
END;

-- Everything already there.
INSERT INTO search_docs (kind, ref_id, prototype_id, place, audience, heading, title, body)
SELECT 'prototype', ref_id, prototype_id, place, audience, heading, title, body FROM search_src_prototype;
INSERT INTO search_docs (kind, ref_id, prototype_id, place, audience, heading, title, body)
SELECT 'iteration', ref_id, prototype_id, place, audience, heading, title, body FROM search_src_iteration;
INSERT INTO search_docs (kind, ref_id, prototype_id, place, audience, heading, title, body)
SELECT 'change_note', ref_id, prototype_id, place, audience, heading, title, body FROM search_src_change_note;
INSERT INTO search_docs (kind, ref_id, prototype_id, place, audience, heading, title, body)
SELECT 'note', ref_id, prototype_id, place, audience, heading, title, body FROM search_src_note;
INSERT INTO search_docs (kind, ref_id, prototype_id, place, audience, heading, title, body)
SELECT 'statement', ref_id, prototype_id, place, audience, heading, title, body FROM search_src_statement;
INSERT INTO search_docs (kind, ref_id, prototype_id, place, audience, heading, title, body)
SELECT 'value', ref_id, prototype_id, place, audience, heading, title, body FROM search_src_value;
INSERT INTO search_docs (kind, ref_id, prototype_id, place, audience, heading, title, body)
SELECT 'decision', ref_id, prototype_id, place, audience, heading, title, body FROM search_src_decision;
INSERT INTO search_docs (kind, ref_id, prototype_id, place, audience, heading, title, body)
SELECT 'minutes', ref_id, prototype_id, place, audience, heading, title, body FROM search_src_minutes;
INSERT INTO search_docs (kind, ref_id, prototype_id, place, audience, heading, title, body)
SELECT 'comment', ref_id, prototype_id, place, audience, heading, title, body FROM search_src_comment;
INSERT INTO search_docs (kind, ref_id, prototype_id, place, audience, heading, title, body)
SELECT 'answer', ref_id, prototype_id, place, audience, heading, title, body FROM search_src_answer;
