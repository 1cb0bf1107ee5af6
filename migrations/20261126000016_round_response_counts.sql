-- How many published responses each round has, kept by triggers in the same transaction as
-- the change that alters it. The prototype page, the round lists and the round page show
-- this number; counting it meant walking every response's index entry (10,000 for a busy
-- round) on every view.
ALTER TABLE rounds ADD COLUMN published_responses INTEGER NOT NULL DEFAULT 0;
UPDATE rounds SET published_responses =
    (SELECT count(*) FROM responses x WHERE x.round_id = rounds.id AND x.status = 'published');

CREATE TRIGGER responses_count_insert AFTER INSERT ON responses WHEN NEW.status = 'published' BEGIN
    UPDATE rounds SET published_responses = published_responses + 1 WHERE id = NEW.round_id;
END;
CREATE TRIGGER responses_count_update AFTER UPDATE OF status, round_id ON responses BEGIN
    UPDATE rounds SET published_responses = published_responses - 1
    WHERE id = OLD.round_id AND OLD.status = 'published';
    UPDATE rounds SET published_responses = published_responses + 1
    WHERE id = NEW.round_id AND NEW.status = 'published';
END;
CREATE TRIGGER responses_count_delete AFTER DELETE ON responses WHEN OLD.status = 'published' BEGIN
    UPDATE rounds SET published_responses = published_responses - 1 WHERE id = OLD.round_id;
END;
