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

-- A receipt is a capability, minted by the server after the answer commits: 128 random
-- bits, stored only as SHA-256. It is never the form's idempotency key, which arrives in a
-- form field and so can be planted by someone else. A resend of the same form mints a
-- second receipt for the same response (the first redirect may have been lost).
CREATE TABLE receipts (
    token_hash   TEXT    PRIMARY KEY,
    response_id  INTEGER NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX receipts_by_response ON receipts (response_id);
-- Links handed out before this change were the form key itself, which a stranger could
-- have planted; they are not carried over (signed-in people still find their answers on
-- their account page).
-- Now the SHA-256 of the form key together with everything the form sent: a resend of the
-- same form is recorded once, while another person's answers sent under a copied key are
-- their own response (they can no longer land on someone else's receipt).
ALTER TABLE responses RENAME COLUMN receipt_hash TO submission_hash;

-- What a refused answer form kept (answers may be health data, so never in a URL), found
-- only by the browser that sent it: `browser_hash` is the SHA-256 of its `lwl_b` cookie,
-- which the server set. Only the round's known fields, within their limits, are kept;
-- rows older than an hour are ignored and swept.
DROP TABLE refused_forms;
CREATE TABLE kept_forms (
    browser_hash  TEXT    NOT NULL,
    round_id      INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    fields        TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    PRIMARY KEY (browser_hash, round_id)
) WITHOUT ROWID;
CREATE INDEX kept_forms_by_age ON kept_forms (created_at);
