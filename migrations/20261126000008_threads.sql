-- Threads paged in SQL (issue 9, finding 4). One person posted tens of thousands of chained
-- replies and every view walked all of them. Each comment now records the top-level
-- comment its thread starts with (`thread_id`, its own id for a top-level comment), so a
-- page is one indexed range in thread order: thread by thread, each in posting order
-- (ids grow with time). The display order within a page is a pure rule
-- (`feedback::rules::thread_order`).
ALTER TABLE comments ADD COLUMN thread_id INTEGER REFERENCES comments (id);

-- Replies by parent, for the fill below (without it each step of a chain scans the table).
CREATE INDEX comments_parent ON comments (parent_id);

-- Fill in existing threads. SQLite walks a recursive CTE with a queue, not the stack, so a
-- chain of any length is fine; the temporary table has a key so the update is not quadratic.
CREATE TEMP TABLE thread_fill (id INTEGER PRIMARY KEY, root INTEGER NOT NULL);
WITH RECURSIVE t (id, root) AS (
    SELECT id, id FROM comments WHERE parent_id IS NULL
    UNION ALL
    SELECT c.id, t.root FROM comments c JOIN t ON c.parent_id = t.id
)
INSERT INTO thread_fill (id, root) SELECT id, root FROM t;
UPDATE comments SET thread_id = (SELECT root FROM thread_fill f WHERE f.id = comments.id);
DROP TABLE thread_fill;
-- Anything unreachable (not possible with foreign keys on) stands as its own thread.
UPDATE comments SET thread_id = id WHERE thread_id IS NULL;

-- A page is a range of this index; status and author are in it so that skipping to a far
-- page (and counting the thread) reads the index alone.
CREATE INDEX comments_thread ON comments (prototype_id, thread_id, id, status, author_id);

-- Comments on an iteration's sections (top-level only), shown beside the iteration.
CREATE INDEX comments_sections ON comments (prototype_id, iteration_number, id) WHERE parent_id IS NULL AND section IS NOT NULL;
