-- Draft text stays with the design group (issue 9, finding 5). `title`, `summary` and the
-- author/theme/statement link tables are what the latest published iteration said: the
-- page, board, list, search, public rounds and receipts read them. The draft's own values
-- live in `draft_*` and are copied over when an iteration is published. (Before the first
-- iteration only the design group can see a prototype, so saves update both.)
ALTER TABLE prototypes ADD COLUMN draft_title TEXT NOT NULL DEFAULT '';
ALTER TABLE prototypes ADD COLUMN draft_summary TEXT NOT NULL DEFAULT '';
-- {"authors": [user ids], "themes": [names], "statements": [statement ids]}
ALTER TABLE prototypes ADD COLUMN draft_links TEXT NOT NULL DEFAULT '{"authors":[],"themes":[],"statements":[]}';
UPDATE prototypes SET
    draft_title = title,
    draft_summary = summary,
    draft_links = json_object(
        'authors', json((SELECT json_group_array(user_id) FROM prototype_authors WHERE prototype_id = prototypes.id)),
        'themes', json((SELECT json_group_array(theme) FROM prototype_themes WHERE prototype_id = prototypes.id)),
        'statements', json((SELECT json_group_array(statement_id) FROM prototype_statements WHERE prototype_id = prototypes.id)));
-- Titles saved after the last publication go back to what that iteration said.
UPDATE prototypes SET title = (SELECT i.title FROM iterations i WHERE i.prototype_id = prototypes.id ORDER BY i.number DESC LIMIT 1)
WHERE iteration_count > 0;

-- An open round asks about the statements its prototype addressed when it opened; a later
-- draft or iteration must not change its questions or its past results (finding 10).
CREATE TABLE round_statements (
    round_id      INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    statement_id  INTEGER NOT NULL REFERENCES experience_statements (id),
    PRIMARY KEY (round_id, statement_id)
) WITHOUT ROWID;
INSERT INTO round_statements (round_id, statement_id)
SELECT r.id, ps.statement_id FROM rounds r JOIN prototype_statements ps ON ps.prototype_id = r.prototype_id;
