-- A round's results version: bumped, in the same transaction, by every change to what its
-- results count (a response added, removed or moved between published, held and hidden;
-- an answer's numbers; a response's declared perspectives). The results' tallies over many
-- responses are cached in each server process keyed by (round, version), so a cached tally
-- is never stale on any instance: a change makes a new key, read from here on every page.
ALTER TABLE rounds ADD COLUMN results_version INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER responses_results_insert AFTER INSERT ON responses BEGIN
    UPDATE rounds SET results_version = results_version + 1 WHERE id = NEW.round_id;
END;
CREATE TRIGGER responses_results_update AFTER UPDATE OF status, round_id ON responses BEGIN
    UPDATE rounds SET results_version = results_version + 1 WHERE id IN (OLD.round_id, NEW.round_id);
END;
CREATE TRIGGER responses_results_delete AFTER DELETE ON responses BEGIN
    UPDATE rounds SET results_version = results_version + 1 WHERE id = OLD.round_id;
END;

CREATE TRIGGER answers_results_insert AFTER INSERT ON answers BEGIN
    UPDATE rounds SET results_version = results_version + 1
    WHERE id = (SELECT round_id FROM responses WHERE id = NEW.response_id);
END;
CREATE TRIGGER answers_results_update AFTER UPDATE OF response_id, question_id, statement_id, number ON answers BEGIN
    UPDATE rounds SET results_version = results_version + 1
    WHERE id IN (SELECT round_id FROM responses WHERE id IN (OLD.response_id, NEW.response_id));
END;
CREATE TRIGGER answers_results_delete AFTER DELETE ON answers BEGIN
    UPDATE rounds SET results_version = results_version + 1
    WHERE id = (SELECT round_id FROM responses WHERE id = OLD.response_id);
END;

CREATE TRIGGER response_perspectives_results_insert AFTER INSERT ON response_perspectives BEGIN
    UPDATE rounds SET results_version = results_version + 1
    WHERE id = (SELECT round_id FROM responses WHERE id = NEW.response_id);
END;
CREATE TRIGGER response_perspectives_results_delete AFTER DELETE ON response_perspectives BEGIN
    UPDATE rounds SET results_version = results_version + 1
    WHERE id = (SELECT round_id FROM responses WHERE id = OLD.response_id);
END;

-- One page of a question's free-text answers, oldest first, without sorting them all.
CREATE INDEX answers_question_order ON answers (question_id, id);
