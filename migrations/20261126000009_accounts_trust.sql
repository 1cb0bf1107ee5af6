-- Accounts (issue 9, findings 7 and 11).

-- Sign-in throttling now reserves each attempt in `rate_limits` (one atomic statement
-- before the password is checked, keyed per account and address), so the old
-- check-then-write counters are unused.
DROP TABLE login_throttle;

-- Set by `seed-demo`: this database holds the demo collaborative, whose accounts share a
-- published password. Every page then says so, and the server serves it only when asked
-- with `--demo` on a loopback address.
ALTER TABLE collaborative ADD COLUMN demo INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1));
-- Databases seeded before this marker existed are recognised by the demo people's domain.
UPDATE collaborative SET demo = 1 WHERE EXISTS (SELECT 1 FROM users WHERE email LIKE '%@demo.livingwell.test');
