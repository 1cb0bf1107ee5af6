-- Search, faster (issue 11): who may open a thing, and what kind it is, become words of the
-- index itself, in a third column (`tags`) that no typed search can reach. Before this the
-- index found every match and SQLite then read each one's `search_docs` row to learn its
-- audience and kind: a common word (100,000 matches) cost about 1.5 s a search. Now the
-- index answers "matches, and this reader may open it" alone (doclist intersection), and
-- `search_docs` is read only for the page of results shown.
--
-- The tags are written from `audience` and `kind` (a generated column, so they can never
-- disagree with them), one word each with no underscore (the tokenizer splits on it):
-- 'audcontributor', 'audmember', 'auddesigngroup'; 'kindcomment', 'kindchangenote', ...
-- The search wraps what was typed as `{title body} : (...)`, so typing "audmember" finds
-- the word in titles and bodies, never the tag.

ALTER TABLE search_docs ADD COLUMN tags TEXT
    GENERATED ALWAYS AS ('aud' || replace(audience, '_', '') || ' kind' || replace(kind, '_', '')) VIRTUAL;

DROP TRIGGER search_docs_insert;
DROP TRIGGER search_docs_delete;
DROP TRIGGER search_docs_update;
DROP TABLE search_index;

CREATE VIRTUAL TABLE search_index USING fts5(
    title, body, tags,
    content = 'search_docs', content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TRIGGER search_docs_insert AFTER INSERT ON search_docs BEGIN
    INSERT INTO search_index (rowid, title, body, tags) VALUES (NEW.id, NEW.title, NEW.body, NEW.tags);
END;
CREATE TRIGGER search_docs_delete AFTER DELETE ON search_docs BEGIN
    INSERT INTO search_index (search_index, rowid, title, body, tags) VALUES ('delete', OLD.id, OLD.title, OLD.body, OLD.tags);
END;
-- Any column: the tags follow the audience and kind, so an UPDATE of those must reach the
-- index too (the triggers of migration 25 delete and insert, but nothing relies on that).
CREATE TRIGGER search_docs_update AFTER UPDATE ON search_docs BEGIN
    INSERT INTO search_index (search_index, rowid, title, body, tags) VALUES ('delete', OLD.id, OLD.title, OLD.body, OLD.tags);
    INSERT INTO search_index (rowid, title, body, tags) VALUES (NEW.id, NEW.title, NEW.body, NEW.tags);
END;

INSERT INTO search_index (search_index) VALUES ('rebuild');
