#!/usr/bin/env bash
# Evaluation report benchmark (issue 12): the release build under wrk (64 connections) on
# one prototype's report with 5 closed rounds × 2,000 responses, 10 measures × 1,000
# readings (and 2 rating measures) and 48 sites in its roll-out plan (15 live, 5 paused),
# beside the dynamic floor (`/login`) measured in the same run, with the prototype's
# measures and roll-out pages and the collaborative-wide report (`/report`, default
# period). Prints Markdown.
#
#   bash scripts/bench-report.sh
#   PROTOTYPES=200 DURATION=5 bash scripts/bench-report.sh   # a smaller run
#
# Loopback only. Installs wrk and sqlite3 (Debian) and binaryen's wasm-opt (npm) if missing.
# The report is about one prototype, so fewer prototypes than the other benchmarks.
PROTOTYPES="${PROTOTYPES:-1000}"
source "$(dirname "$0")/bench-common.sh"

DB="$WORK/report.db"
echo "== Seeding $PROTOTYPES prototypes and one prototype's report data" >&2
SEED_START=$(date +%s)
SEED_OUT=$(DATABASE_URL="sqlite://$DB" RUST_LOG=warn "$BIN" seed-bench --prototypes "$PROTOTYPES" --report)
SEED_SECS=$(( $(date +%s) - SEED_START ))
echo "$SEED_OUT" >&2
PROTO=$(sed -n 's/^Report prototype: \([0-9]*\)$/\1/p' <<<"$SEED_OUT")
[ -n "$PROTO" ] || { echo "seed-bench --report printed no prototype id" >&2; exit 1; }
sync
q() { sqlite3 "$DB" "$1"; }
ROUNDS=$(q "SELECT count(*) FROM rounds WHERE prototype_id = $PROTO")
RESPONSES=$(q "SELECT count(*) FROM responses x JOIN rounds r ON r.id = x.round_id WHERE r.prototype_id = $PROTO")
ANSWERS=$(q "SELECT count(*) FROM answers a JOIN responses x ON x.id = a.response_id JOIN rounds r ON r.id = x.round_id WHERE r.prototype_id = $PROTO")
MEASURES=$(q "SELECT count(*) FROM measures WHERE prototype_id = $PROTO")
READINGS=$(q "SELECT count(*) FROM readings g JOIN measures m ON m.id = g.measure_id WHERE m.prototype_id = $PROTO")
SITES=$(q "SELECT count(*) || ' sites (' || sum(status = 'live') || ' live, ' || sum(status = 'paused') || ' paused, ' || sum(status = 'planned') || ' planned)' FROM rollouts WHERE prototype_id = $PROTO")
DECISIONS=$(q "SELECT count(*) FROM motions WHERE prototype_id = $PROTO AND status = 'closed'")
DB_MB=$(( $(stat -c %s "$DB") / 1024 / 1024 ))
ONE_MEASURE=$(q "SELECT min(id) FROM measures WHERE prototype_id = $PROTO AND kind = 'number'")

# The 64 connections share one account: the per-person report limit would refuse them.
export LWL_REPORT_PER_MINUTE=0
start_app "$DB"
# One request alone (no other load) for each page, which also warms the server's caches.
alone() { { /usr/bin/time -f %e curl -s -o /dev/null -m 600 -H "Cookie: $COOKIE" "http://127.0.0.1:$APP_PORT$1"; } 2>&1; }
# Rows: name|path.
SLOW="${SLOW_DURATION:-60}"
FIVE_YEARS="from=$(date -d '5 years ago' +%Y-%m-%d)&to=$(date +%Y-%m-%d)"
PAGES=(
  "Dynamic floor: \`/login\` (SSR page, one statement)|/login"
  "Evaluation report ($ROUNDS rounds, $RESPONSES responses, $MEASURES measures)|/prototypes/$PROTO/report"
  "Outcome measures ($READINGS readings; monthly means past 60 a measure)|/prototypes/$PROTO/measures"
  "One measure's page (every one of its readings listed)|/prototypes/$PROTO/measures/$ONE_MEASURE"
  "Roll-out plan (48 sites)|/prototypes/$PROTO/rollout"
  "Collaborative report (default period: 12 months)|/report"
  "Collaborative report (5 years, the longest allowed)|/report?$FIVE_YEARS"
)
# One request alone for each page first, on a quiet server (twice: the first warms caches).
declare -A ONE
for entry in "${PAGES[@]}"; do
  path=${entry#*|}
  alone "$path" >/dev/null
  ONE[$path]=$(alone "$path")
done
echo "== Measuring ($DURATION s each, $CONNECTIONS connections)" >&2
ROWS=""; FLOOR_RPS=""; PREVIOUS=""
for entry in "${PAGES[@]}"; do
  name=${entry%%|*}; path=${entry#*|}
  one=${ONE[$path]}
  # A slow row's requests outlive wrk's connections: a request for the same page queues
  # behind them, so the next row starts once the server has finished them.
  [ -n "$PREVIOUS" ] && alone "$PREVIOUS" >/dev/null
  PREVIOUS=$path
  # 64 connections on $(nproc) cores queue: each request waits about one × 64 / cores.
  # The window is at least three such waits (up to SLOW_DURATION), so requests finish in it.
  secs=$(awk -v t="$one" -v c="$CONNECTIONS" -v n="$(nproc)" -v d="$DURATION" -v s="$SLOW" \
    'BEGIN { w = int(3 * t * c / n) + 1; if (w < d) w = d; if (w > s) w = s; print w }')
  read -r rps p50 p99 bad < <(DURATION=$secs measure "http://127.0.0.1:$APP_PORT$path" -H "Cookie: $COOKIE" --timeout 60s)
  [ -z "$FLOOR_RPS" ] && FLOOR_RPS=$rps
  floor=$(awk -v a="$rps" -v b="$FLOOR_RPS" 'BEGIN { printf "%.2f", a / b }')
  p99x=$(awk -v a="$p99" -v b="${FLOOR_P99:-$p99}" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }')
  [ -z "${FLOOR_P99:-}" ] && FLOOR_P99=$p99
  ROWS="$ROWS| $name | \`$path\` | $secs | $one | $rps | $p50 | $p99 | $floor | $p99x | $bad |\n"
done
ONE_REPORT=${ONE[/prototypes/$PROTO/report]}
REPORT_BYTES=$(curl -s -H "Cookie: $COOKIE" "http://127.0.0.1:$APP_PORT/prototypes/$PROTO/report" | wc -c)
PEAK_KB=$(awk '/VmHWM/ { print $2 }' "/proc/$APP_PID/status")
stop_app

cat <<REPORT
### Evaluation report, run of $(date -u +"%Y-%m-%d %H:%M UTC") on $(nproc) cores

Command: \`bash scripts/bench-report.sh\` (wrk, ${CONNECTIONS} connections, 2 threads, a window of ${DURATION} s, or three queue waits (one request alone × ${CONNECTIONS} / $(nproc) cores) up to ${SLOW} s; release build; signed in as a design-group member, who sees every part of the report).
Database: $PROTOTYPES prototypes × 5 iterations; the report's prototype (id $PROTO, at Implementing) has $ROUNDS closed rounds with $RESPONSES responses from distinct accounts ($ANSWERS answers: statement ratings, a scale, free text; declared perspectives), $MEASURES measures ($READINGS readings over about three years, and rating measures read from the rounds), $SITES and $DECISIONS decided motions ($DB_MB MB, seeded in ${SEED_SECS} s).

| what | path | seconds measured | one request alone (s) | requests/s | p50 ms | p99 ms | requests/s as a ratio to the dynamic floor | p99 as a ratio to the floor's | non-2xx |
|---|---|---|---|---|---|---|---|---|---|
$(printf "%b" "$ROWS")
One report request alone (no other load): $ONE_REPORT s; the page is $(( REPORT_BYTES / 1024 )) KB. Server peak resident memory: $(( PEAK_KB / 1024 )) MB.
REPORT
