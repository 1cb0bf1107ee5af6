#!/usr/bin/env bash
# Search benchmark (issue 11): the release build under wrk (64 connections) over 10,000
# prototypes × 5 iterations, 100,000 comments and 10,000 learning notes. A common word, a
# rare word and a phrase, each as a ratio to the dynamic floor (`/login`) measured in the
# same run; the index's size; and the write cost of keeping it (acknowledged comments per
# second through the comment store, with and without the search triggers). Prints Markdown.
#
#   bash scripts/bench-search.sh
#   COMMENTS=10000 NOTES=1000 DURATION=5 bash scripts/bench-search.sh   # a smaller run
#
# Loopback only. Installs wrk and sqlite3 (Debian) and binaryen's wasm-opt (npm) if missing.
source "$(dirname "$0")/bench-common.sh"
COMMENTS="${COMMENTS:-100000}"
NOTES="${NOTES:-10000}"
WRITES="${WRITES:-2000}"

DB="$WORK/search.db"
echo "== Seeding $PROTOTYPES prototypes, $COMMENTS comments, $NOTES notes" >&2
SEED_START=$(date +%s)
DATABASE_URL="sqlite://$DB" RUST_LOG=warn "$BIN" seed-bench --prototypes "$PROTOTYPES" --comments "$COMMENTS" --notes "$NOTES" >&2
SEED_SECS=$(( $(date +%s) - SEED_START ))
sync
DOCS=$(sqlite3 "$DB" "SELECT count(*) FROM search_docs")
INDEX_KB=$(sqlite3 "$DB" "SELECT sum(pgsize) / 1024 FROM dbstat WHERE name LIKE 'search_index%'")
DOCS_KB=$(sqlite3 "$DB" "SELECT sum(pgsize) / 1024 FROM dbstat WHERE name = 'search_docs' OR name LIKE 'sqlite_autoindex_search_docs%' OR name LIKE 'search_docs_%'")
DB_MB=$(( $(stat -c %s "$DB") / 1024 / 1024 ))

# The write cost runs on copies, before the server opens the database.
cp "$DB" "$WORK/with.db"; cp "$DB" "$WORK/without.db"
sqlite3 "$WORK/without.db" "DROP TRIGGER search_comments_insert; DROP TRIGGER search_comments_update;"
echo "== Comment writes ($WRITES, one after another)" >&2
WITH=$(DATABASE_URL="sqlite://$WORK/with.db" RUST_LOG=warn "$BIN" bench-comment-writes --count "$WRITES")
WITHOUT=$(DATABASE_URL="sqlite://$WORK/without.db" RUST_LOG=warn "$BIN" bench-comment-writes --count "$WRITES")
rm -f "$WORK/with.db"* "$WORK/without.db"*

# The 64 connections share one account: the per-person search limit would refuse them.
export LWL_SEARCH_PER_MINUTE=0
start_app "$DB"
hits() { # $1 = what to search: the total the server function reports
  curl -s -X POST -H "Cookie: $COOKIE" --data-urlencode "q=$1" "http://127.0.0.1:$APP_PORT/api/search" | sed -n 's/.*"total":\([0-9]*\).*/\1/p'
}
ONE_COMMON=$( { /usr/bin/time -f %e curl -s -o /dev/null -H "Cookie: $COOKIE" "http://127.0.0.1:$APP_PORT/search?q=help"; } 2>&1 )
ONE_RARE=$( { /usr/bin/time -f %e curl -s -o /dev/null -H "Cookie: $COOKIE" "http://127.0.0.1:$APP_PORT/search?q=kingfisherline"; } 2>&1 )
# Rows: name|path|seconds. A row whose single request takes over a second gets a longer
# window, or no request would finish inside it at 64 connections on 2 cores.
SLOW="${SLOW_DURATION:-120}"
PAGES=(
  "Dynamic floor: \`/login\` (SSR page, one statement)|/login|$DURATION"
  "Rare word (“kingfisherline”, $(hits kingfisherline) results)|/search?q=kingfisherline|$DURATION"
  "Phrase (“front door”, $(hits '"front door"') results)|/search?q=%22front+door%22|$SLOW"
  "Common word (“help”, $(hits help) results)|/search?q=help|$SLOW"
  "Common word, page 50|/search?q=help&page=50|$SLOW"
)
echo "== Measuring ($DURATION s each, $CONNECTIONS connections)" >&2
ROWS=""; FLOOR_RPS=""
for entry in "${PAGES[@]}"; do
  name=${entry%%|*}; rest=${entry#*|}; path=${rest%|*}; secs=${rest##*|}
  # A slow row's requests outlive wrk's connections: wait until the server has finished
  # them (a request queues behind them) before the next row, and let a request take up to
  # a minute so slow rows are measured, not counted as timeouts.
  curl -s -o /dev/null -m 600 -H "Cookie: $COOKIE" "http://127.0.0.1:$APP_PORT/search?q=kingfisherline"
  read -r rps p50 p99 bad < <(DURATION=$secs measure "http://127.0.0.1:$APP_PORT$path" -H "Cookie: $COOKIE" --timeout 120s)
  [ -z "$FLOOR_RPS" ] && FLOOR_RPS=$rps
  floor=$(awk -v a="$rps" -v b="$FLOOR_RPS" 'BEGIN { printf "%.2f", a / b }')
  ROWS="$ROWS| $name | \`$path\` | $secs | $rps | $p50 | $p99 | $floor | $bad |\n"
done
stop_app

cat <<REPORT
### Search, run of $(date -u +"%Y-%m-%d %H:%M UTC") on $(nproc) cores

Command: \`bash scripts/bench-search.sh\` (wrk, ${CONNECTIONS} connections, 2 threads, ${DURATION} s per row, ${SLOW} s for slow rows; release build; signed in as a design-group member, who may open everything indexed).
Database: $PROTOTYPES prototypes × 5 iterations of ~8 KB Markdown, $COMMENTS comments, $NOTES learning notes ($DB_MB MB, seeded in ${SEED_SECS} s, the index filled by its triggers as rows went in).

| what | path | seconds measured | requests/s | p50 ms | p99 ms | ratio to the dynamic floor | non-2xx |
|---|---|---|---|---|---|---|---|
$(printf "%b" "$ROWS")
One request alone (no other load): common word $ONE_COMMON s, rare word $ONE_RARE s.

Index: $DOCS findable documents; the FTS5 index takes $(( INDEX_KB / 1024 )) MB and the documents it indexes (\`search_docs\`, text and permissions) $(( DOCS_KB / 1024 )) MB.

Write cost: $WRITES comments posted one after another through the comment store, each its own committed transaction: **$WITH comments/s with the index** kept in step by its triggers, $WITHOUT comments/s with the comment triggers dropped (ratio $(awk -v a="$WITH" -v b="$WITHOUT" 'BEGIN { printf "%.2f", a / b }')).
REPORT
