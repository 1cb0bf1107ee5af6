-- Trust (issue 9): rate limits, the key that signs form errors, receipts as capabilities,
-- and refused forms bound to the browser that sent them.

-- Fixed-window counters for `limits::take`; one row per key (e.g. "answer:addr:1.2.3.4").
CREATE TABLE rate_limits (
    key           TEXT    PRIMARY KEY,
    window_start  INTEGER NOT NULL,
    hits          INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX rate_limits_by_start ON rate_limits (window_start);

-- Server secrets (random, made at first start, never leave the database): several
-- instances sign and check the same way. `form_errors` signs the error a form post
-- without JavaScript carries back in its redirect URL.
CREATE TABLE site_secrets (
    name   TEXT PRIMARY KEY,
    value  BLOB NOT NULL
) WITHOUT ROWID;
