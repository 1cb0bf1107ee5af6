#!/usr/bin/env bash
# Crash test (issue 4): the release server takes responses and comments from 50 clients
# as fast as they can send them, and is killed with SIGKILL at random moments (KILLS times,
# default 20) and restarted each time. At the end every submission that got a success
# answer must be in the database exactly once, and PRAGMA integrity_check must say ok.
# Then a run without kills measures acknowledged submissions per second.
#
# The mail section (outbox durability): invitations with an email are made at MAIL_RATE a
# second (default 50) while the server, sending to an SMTP sink on 127.0.0.1 that outlives
# it, is killed KILLS times; then it runs until the outbox is empty. Every invitation's
# email must arrive, and at most one message per kill may arrive twice (the one between
# "the SMTP server took it" and "marked sent" when the kill came).
#
#   bash scripts/crash.sh              # prints a Markdown report for BENCHMARKS.md
#   KILLS=5 DURATION=20 bash scripts/crash.sh
#   SECTION=mail bash scripts/crash.sh # only the mail section (SECTION=submissions: only the rest)
#   CRASH_BIN=target/debug/server ...  # use a binary already built instead of a release build
#
# Loopback only. Needs sqlite3 (Debian) for the checks; installs it if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/target/bench-tools/node_modules/.bin:$PATH"
KILLS="${KILLS:-20}"
CLIENTS="${CLIENTS:-50}"
THROUGHPUT_SECS="${THROUGHPUT_SECS:-15}"
PORT=3300
SECTION="${SECTION:-}"
case "$SECTION" in
  "" | mail | submissions) ;;
  *) echo "SECTION must be mail or submissions (or unset for both), not $SECTION" >&2; exit 2 ;;
esac
MAIL_RATE="${MAIL_RATE:-50}"
MAIL_PORT=3310
SMTP_PORT=2526
MAIL_DRAIN_SECS="${MAIL_DRAIN_SECS:-600}"
# After each kill the dead server's job leases are deleted, as its clean stop would have
# done, so the next server's sender starts at once and later kills can catch it mid-send.
# MAIL_LEASES=keep leaves them to run out (30 s): the sender then sits out most kills.
MAIL_LEASES="${MAIL_LEASES:-release}"
WORK=$(mktemp -d /tmp/lwl-crash.XXXX)
trap 'kill $(jobs -p) 2>/dev/null || true' EXIT

bash scripts/setup.sh
if ! command -v sqlite3 >/dev/null; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq sqlite3 >/dev/null
fi
if ! command -v wasm-opt >/dev/null; then
  npm install --no-audit --no-fund --prefix target/bench-tools binaryen@132.0.0 >/dev/null
fi
if [ "$SECTION" != submissions ] && { ! [ -d target/bench-tools/node_modules/smtp-server ] || ! [ -d target/bench-tools/node_modules/mailparser ]; }; then
  # The SMTP sink: the versions the end-to-end tests use (end2end/package.json).
  pinned() { node -p "require('./end2end/package.json').devDependencies['$1']"; }
  npm install --no-audit --no-fund --prefix target/bench-tools "smtp-server@$(pinned smtp-server)" "mailparser@$(pinned mailparser)" >/dev/null
fi
if [ -n "${CRASH_BIN:-}" ]; then
  # A binary already built (e.g. target/debug/server after `cargo leptos build`): no build.
  BIN="$CRASH_BIN"
  BUILT="the already-built \`$CRASH_BIN\`"
else
  BUILT="release build"
  echo "== Release build" >&2
  cargo leptos build --release >&2
  BIN=target/release/server
fi

run_round() { # $1 = database, $2 = seconds, $3 = kills
  local db=$1 secs=$2 kills=$3
  export DATABASE_URL="sqlite://$db" LEPTOS_SITE_ADDR="127.0.0.1:$PORT" LEPTOS_SITE_ROOT=target/site RUST_LOG=error LWL_TRUSTED_PROXY=true
  printf 'crash test password\n' | "$BIN" create-facilitator --email crash@crash.test --name "Crash Test" >/dev/null
  start() {
    "$BIN" serve >>"$WORK/server.log" 2>&1 &
    SERVER=$!
    for _ in $(seq 200); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && return; sleep 0.05; done
    echo "server did not start" >&2; exit 1
  }
  start
  node scripts/crash-clients.mjs "http://127.0.0.1:$PORT" "$CLIENTS" 1 "$WORK/warmup.txt" "$WORK/setup-$(basename "$db").json" >/dev/null
  node scripts/crash-clients.mjs "http://127.0.0.1:$PORT" "$CLIENTS" "$secs" "$WORK/acked-$(basename "$db").txt" "$WORK/setup-$(basename "$db").json" >"$WORK/result-$(basename "$db").json" &
  CLIENT=$!
  for _ in $(seq "$kills"); do
    sleep "$(awk -v r=$RANDOM 'BEGIN { printf "%.2f", 0.3 + (r % 1500) / 1000 }')"
    kill -9 "$SERVER"; wait "$SERVER" 2>/dev/null || true
    start
  done
  wait "$CLIENT"
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true
  cat "$WORK/warmup.txt" >> "$WORK/acked-$(basename "$db").txt"
}

check() { # $1 = database, $2 = acked file → "acknowledged lost duplicates integrity"
  local db=$1 acked=$2
  # Comment keys are stored as SHA-256; a response is found by its answer, which holds its key.
  awk 'NF == 2 { print $1 "," $2 }' "$acked" | while IFS=, read -r kind key; do
    printf '%s,%s,%s\n' "$kind" "$key" "$(printf '%s' "$key" | sha256sum | cut -d' ' -f1)"
  done > "$WORK/acked.csv"
  sqlite3 "$db" <<SQL
CREATE TEMP TABLE acked (kind TEXT, key TEXT, hash TEXT);
.mode csv
.import $WORK/acked.csv acked
.mode list
SELECT (SELECT count(*) FROM acked) || ' ' ||
  (SELECT count(*) FROM acked a WHERE (a.kind = 'response' AND NOT EXISTS (SELECT 1 FROM answers x WHERE x.text = 'answer ' || a.key)) OR (a.kind = 'comment' AND NOT EXISTS (SELECT 1 FROM comments c WHERE c.form_key_hash = a.hash))) || ' ' ||
  ((SELECT count(*) FROM (SELECT text FROM answers GROUP BY text HAVING count(*) > 1)) + (SELECT count(*) FROM (SELECT body FROM comments GROUP BY body HAVING count(*) > 1))) || ' ' ||
  (SELECT integrity_check FROM pragma_integrity_check);
SQL
}

if [ "$SECTION" != mail ]; then
CRASH_SECS=$(( KILLS * 12 / 10 + 5 ))
echo "== $KILLS kills over ~${CRASH_SECS} s with $CLIENTS clients" >&2
run_round "$WORK/crash.db" "$CRASH_SECS" "$KILLS"
read -r ACKED LOST DUPS INTEGRITY < <(check "$WORK/crash.db" "$WORK/acked-crash.db.txt")
FAILS=$(node -e "console.log(JSON.parse(require('fs').readFileSync('$WORK/result-crash.db.json','utf8')).connection_failures)")

echo "== Throughput: $CLIENTS clients, ${THROUGHPUT_SECS} s, no kills" >&2
run_round "$WORK/steady.db" "$THROUGHPUT_SECS" 0
RESULT=$(cat "$WORK/result-steady.db.json")
RATE=$(node -e "console.log(JSON.parse('$RESULT').per_second)")
read -r S_ACKED S_LOST S_DUPS S_INTEGRITY < <(check "$WORK/steady.db" "$WORK/acked-steady.db.txt")

cat <<REPORT
### Crash test of $(date -u +"%Y-%m-%d %H:%M UTC") on $(nproc) cores

Command: \`bash scripts/crash.sh\` ($BUILT; $CLIENTS clients, half answering a public round as visitors (each from its own address, through \`--trusted-proxy\`), half commenting signed in until their per-person limit, then answering; \`kill -9\` $KILLS times at random moments 0.3–1.8 s apart, restarting each time; failed requests resent with the same form key).

| run | acknowledged | lost | duplicates | integrity_check | connection failures (retried) |
|---|---|---|---|---|---|
| $KILLS × kill -9 | $ACKED | $LOST | $DUPS | $INTEGRITY | $FAILS |
| steady, ${THROUGHPUT_SECS} s | $S_ACKED | $S_LOST | $S_DUPS | $S_INTEGRITY | 0 |

Throughput without kills: **$RATE acknowledged submissions per second** at $CLIENTS concurrent clients (each one a durable, committed transaction with \`synchronous = FULL\`).
REPORT
fi

# ---- Mail: outbox durability ----------------------------------------------------------------
if [ "$SECTION" != submissions ]; then
MAIL_DB="$WORK/mail.db"
# As env after `env`, so they override what run_round exported, and $! is the server itself.
MAIL_ENV=(DATABASE_URL="sqlite://$MAIL_DB" LEPTOS_SITE_ADDR="127.0.0.1:$MAIL_PORT" LEPTOS_SITE_ROOT=target/site
  RUST_LOG=warn LWL_SMTP_URL="smtp://127.0.0.1:$SMTP_PORT" LWL_MAIL_FROM="Living Well Lab crash test <lab@crash.test>")
RECEIVED="$WORK/mail-received.txt" ACKED_MAIL="$WORK/mail-acked.txt" UNKNOWN="$WORK/mail-unknown.csv" INFLIGHT="$WORK/mail-inflight.txt"
: >"$INFLIGHT"
sq() { sqlite3 -cmd ".timeout 10000" "$MAIL_DB" "$@"; }
mail_start() {
  env "${MAIL_ENV[@]}" "$BIN" serve >>"$WORK/mail-server.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 200); do curl -sf "http://127.0.0.1:$MAIL_PORT/healthz" >/dev/null && return; sleep 0.05; done
  echo "server did not start (see $WORK/mail-server.log)" >&2; exit 1
}

# The sink is its own process: it stays up while the server is killed. It creates the
# received file once it listens.
node scripts/crash-mail.mjs sink "$SMTP_PORT" "$RECEIVED" 2>>"$WORK/mail-sink.log" &
SINK=$!
for _ in $(seq 200); do [ -e "$RECEIVED" ] && break; kill -0 "$SINK" 2>/dev/null || break; sleep 0.05; done
[ -e "$RECEIVED" ] || { echo "the SMTP sink did not start: $(cat "$WORK/mail-sink.log")" >&2; exit 1; }
printf 'crash test password\n' | env "${MAIL_ENV[@]}" "$BIN" create-facilitator --email crash@crash.test --name "Crash Test" >/dev/null
mail_start

MAIL_SECS=$(( KILLS * 12 / 10 + 5 ))
echo "== Mail: $MAIL_RATE invitations a second for ${MAIL_SECS} s, $KILLS kills" >&2
node scripts/crash-mail.mjs produce "http://127.0.0.1:$MAIL_PORT" "$MAIL_SECS" "$MAIL_RATE" "$ACKED_MAIL" "$UNKNOWN" >"$WORK/mail-result.json" &
PRODUCER=$!
for _ in $(seq "$KILLS"); do
  sleep "$(awk -v r=$RANDOM 'BEGIN { printf "%.2f", 0.3 + (r % 1500) / 1000 }')"
  kill -9 "$SERVER"; wait "$SERVER" 2>/dev/null || true
  # Claimed and not marked sent, with the server dead: the message this kill caught
  # mid-send, if any (and those earlier kills caught, until their claim runs out).
  sq "SELECT id FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL AND attempts = 0 AND next_attempt_at > created_at" >>"$INFLIGHT"
  if [ "$MAIL_LEASES" = release ]; then sq "DELETE FROM job_leases"; fi
  mail_start
done
wait "$PRODUCER" || { echo "the producer failed (see above)" >&2; exit 1; }
PRODUCED_AT=$(date +%s)
echo "== Mail: waiting for the outbox to empty (at most ${MAIL_DRAIN_SECS} s)" >&2
while :; do
  LEFT=$(sq "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL")
  if [ "$LEFT" -eq 0 ] || [ $(( $(date +%s) - PRODUCED_AT )) -ge "$MAIL_DRAIN_SECS" ]; then break; fi
  sleep 1
done
DRAIN_SECS=$(( $(date +%s) - PRODUCED_AT ))
kill "$SERVER"; wait "$SERVER" 2>/dev/null || true
kill "$SINK"; wait "$SINK" 2>/dev/null || true

# One address a line (a message to several would count once for each).
tr ' ' '\n' <"$RECEIVED" | sed '/^$/d' >"$WORK/mail-received-each.txt"
sort -u "$INFLIGHT" | sed '/^$/d' >"$WORK/mail-inflight-ids.txt"
read -r M_ACKED M_INVITED M_RECEIVED M_LOST M_RESENT M_TWICE M_INVITED_TWICE M_UNEXPLAINED M_STRAY M_NO_OUTBOX M_FAILED M_UNSENT M_INFLIGHT M_INTEGRITY < <(sqlite3 "$MAIL_DB" <<SQL
CREATE TEMP TABLE acked (address TEXT);
CREATE TEMP TABLE received (address TEXT);
CREATE TEMP TABLE unknown (address TEXT, attempts INTEGER);
CREATE TEMP TABLE inflight (id INTEGER);
.mode csv
.import $ACKED_MAIL acked
.import $WORK/mail-received-each.txt received
.import $UNKNOWN unknown
.import $WORK/mail-inflight-ids.txt inflight
.mode list
CREATE TEMP VIEW inv AS SELECT email AS address, count(*) AS n FROM invitations WHERE email LIKE 'm-%@crash.test' GROUP BY email;
CREATE TEMP VIEW got AS SELECT address, count(*) AS n FROM received WHERE address LIKE 'm-%@crash.test' GROUP BY address;
CREATE TEMP VIEW box AS SELECT to_address AS address, count(*) AS n FROM outbox WHERE to_address LIKE 'm-%@crash.test' GROUP BY to_address;
SELECT
  (SELECT count(*) FROM acked) || ' ' ||
  (SELECT coalesce(sum(n), 0) FROM inv) || ' ' ||
  (SELECT coalesce(sum(n), 0) FROM got) || ' ' ||
  -- lost: acknowledged, or invited (committed but never acknowledged), and no email
  (SELECT count(*) FROM (SELECT address FROM acked UNION SELECT address FROM inv) a WHERE a.address NOT IN (SELECT address FROM got)) || ' ' ||
  -- resent: emails beyond one for each invitation made for the address
  (SELECT coalesce(sum(max(g.n - coalesce(i.n, 0), 0)), 0) FROM got g LEFT JOIN inv i USING (address)) || ' ' ||
  (SELECT count(*) FROM got WHERE n > 1) || ' ' ||
  (SELECT count(*) FROM inv WHERE n > 1) || ' ' ||
  -- more invitations than one plus the attempts that may have committed unanswered
  (SELECT count(*) FROM inv i LEFT JOIN unknown u USING (address) WHERE i.n > 1 + coalesce(u.attempts, 0)) || ' ' ||
  (SELECT count(*) FROM got WHERE address NOT IN (SELECT address FROM inv)) || ' ' ||
  (SELECT count(*) FROM inv i LEFT JOIN box b USING (address) WHERE coalesce(b.n, 0) <> i.n) || ' ' ||
  (SELECT count(*) FROM outbox WHERE failed_at IS NOT NULL) || ' ' ||
  (SELECT count(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL) || ' ' ||
  (SELECT count(*) FROM inflight) || ' ' ||
  (SELECT integrity_check FROM pragma_integrity_check);
SQL
)
read -r M_RATE M_FAILS M_UNKNOWN M_SLOWEST M_UNACKED M_REFUSED < <(node -e "
  const r = JSON.parse(require('fs').readFileSync('$WORK/mail-result.json', 'utf8'));
  console.log(r.per_second, r.connection_failures, r.unknown_attempts, r.slowest_ack_ms, r.unacknowledged, r.refused)")

PROBLEMS=()
[ "$M_LOST" -eq 0 ] || PROBLEMS+=("$M_LOST events without an email")
[ "$M_RESENT" -le "$KILLS" ] || PROBLEMS+=("$M_RESENT resent, more than the $KILLS kills")
[ "$M_RESENT" -le "$M_INFLIGHT" ] || PROBLEMS+=("$M_RESENT resent, more than the $M_INFLIGHT messages caught mid-send")
[ "$M_UNSENT" -eq 0 ] || PROBLEMS+=("$M_UNSENT still unsent after ${DRAIN_SECS} s")
[ "$M_FAILED" -eq 0 ] || PROBLEMS+=("$M_FAILED given up")
[ "$M_UNEXPLAINED" -eq 0 ] || PROBLEMS+=("$M_UNEXPLAINED addresses invited more often than their resends explain")
[ "$M_STRAY" -eq 0 ] || PROBLEMS+=("$M_STRAY addresses emailed but never invited")
[ "$M_NO_OUTBOX" -eq 0 ] || PROBLEMS+=("$M_NO_OUTBOX addresses whose invitations and outbox messages differ in number")
[ "$M_UNACKED" -eq 0 ] && [ "$M_REFUSED" -eq 0 ] || PROBLEMS+=("$M_UNACKED invitations never acknowledged, $M_REFUSED refused")
[ "$M_INTEGRITY" = ok ] || PROBLEMS+=("integrity_check: $M_INTEGRITY")
if [ "${#PROBLEMS[@]}" -eq 0 ]; then VERDICT="**Pass.**"; else VERDICT="**Fail:** $(IFS=';'; echo "${PROBLEMS[*]}" | sed 's/;/; /g')."; fi
if [ "$MAIL_LEASES" = release ]; then
  LEASES="after each kill the dead server's job leases are released, as a clean stop does, so the next server's sender starts at once"
else
  LEASES="the dead server's job leases left to run out (30 s), so the sender sits out the kills that follow within that time"
fi
COMMAND="bash scripts/crash.sh"
[ -n "$SECTION" ] && COMMAND="SECTION=$SECTION $COMMAND"
[ -n "${CRASH_BIN:-}" ] && COMMAND="CRASH_BIN=$CRASH_BIN $COMMAND"

cat <<REPORT

### Outbox crash test of $(date -u +"%Y-%m-%d %H:%M UTC") on $(nproc) cores

Command: \`$COMMAND\` ($BUILT; a facilitator invites a new address by email $MAIL_RATE times a second for $MAIL_SECS s, each invitation resent with the same address until acknowledged; \`kill -9\` $KILLS times at random moments 0.3–1.8 s apart, restarting each time; $LEASES; the server sends to an SMTP sink on 127.0.0.1 that outlives it, and after the last invitation runs until the outbox is empty).

| events acknowledged | invitations made | emails received | lost | resent (kills; caught mid-send) | failed | left unsent | integrity_check |
|---|---|---|---|---|---|---|---|
| $M_ACKED | $M_INVITED | $M_RECEIVED | $M_LOST | $M_RESENT ($KILLS; $M_INFLIGHT) | $M_FAILED | $M_UNSENT | $M_INTEGRITY |

Addresses that got more than one email: $M_TWICE. Addresses invited twice (a request that committed but was not answered before a kill, then sent again: two invitations, two emails, not a resend): $M_INVITED_TWICE; connection failures (retried): $M_FAILS, of which the request may have reached the server: $M_UNKNOWN. Invitations acknowledged a second: $M_RATE (slowest acknowledgement $M_SLOWEST ms). The outbox was empty $DRAIN_SECS s after the last invitation: the sender hands over at most 20 messages every 2 s (10 a second), and a message caught mid-send waits out its 120 s claim.

$VERDICT
REPORT
fi
