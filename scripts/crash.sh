#!/usr/bin/env bash
# Crash test (issue 4): the release server takes responses and comments from 50 clients
# as fast as they can send them, and is killed with SIGKILL at random moments (KILLS times,
# default 20) and restarted each time. At the end every submission that got a success
# answer must be in the database exactly once, and PRAGMA integrity_check must say ok.
# Then a run without kills measures acknowledged submissions per second.
#
#   bash scripts/crash.sh              # prints a Markdown report for BENCHMARKS.md
#   KILLS=5 DURATION=20 bash scripts/crash.sh
#
# Loopback only. Needs sqlite3 (Debian) for the checks; installs it if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/target/bench-tools/node_modules/.bin:$PATH"
KILLS="${KILLS:-20}"
CLIENTS="${CLIENTS:-50}"
THROUGHPUT_SECS="${THROUGHPUT_SECS:-15}"
PORT=3300
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
echo "== Release build" >&2
cargo leptos build --release >&2
BIN=target/release/server

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

Command: \`bash scripts/crash.sh\` (release build; $CLIENTS clients, half answering a public round as visitors (each from its own address, through \`--trusted-proxy\`), half commenting signed in until their per-person limit, then answering; \`kill -9\` $KILLS times at random moments 0.3–1.8 s apart, restarting each time; failed requests resent with the same form key).

| run | acknowledged | lost | duplicates | integrity_check | connection failures (retried) |
|---|---|---|---|---|---|
| $KILLS × kill -9 | $ACKED | $LOST | $DUPS | $INTEGRITY | $FAILS |
| steady, ${THROUGHPUT_SECS} s | $S_ACKED | $S_LOST | $S_DUPS | $S_INTEGRITY | 0 |

Throughput without kills: **$RATE acknowledged submissions per second** at $CLIENTS concurrent clients (each one a durable, committed transaction with \`synchronous = FULL\`).
REPORT
