#!/usr/bin/env bash
# Benchmark: the release build under wrk (64 connections). Every page is reported as a ratio
# to the dynamic floor (`/login`: a whole SSR page whose only read is the request frame) and
# to nginx serving the exact same HTML
# served as a static file by nginx (one worker, access log off), the physical limit for
# that response on this machine. Prints a Markdown report (paste it into BENCHMARKS.md).
#
#   bash scripts/bench.sh            # 10,000 prototypes (and a 100-prototype comparison)
#   DURATION=5 bash scripts/bench.sh # shorter runs
#
# Loopback only. Installs wrk and nginx (Debian) and binaryen's wasm-opt (npm) if missing.
source "$(dirname "$0")/bench-common.sh"

DB="$WORK/bench.db"
echo "== Seeding $PROTOTYPES prototypes x 5 iterations" >&2
SEED_START=$(date +%s); seed "$PROTOTYPES" "$DB" "${RESPONSES:-10000}"; SEED_SECS=$(( $(date +%s) - SEED_START ))
# Let the kernel write the freshly seeded file out first: otherwise the first rows are
# measured while ~700 MB of dirty pages are being flushed.
sync
start_app "$DB"
PROTO=$(( PROTOTYPES / 2 ))
ROUND=$(sqlite3 "$DB" "SELECT id FROM rounds ORDER BY (SELECT count(*) FROM responses x WHERE x.round_id = rounds.id) DESC LIMIT 1" 2>/dev/null || true)
MEETING=$(sqlite3 "$DB" "SELECT id FROM meetings ORDER BY id LIMIT 1" 2>/dev/null || true)
SEEDED=$( [ -n "$ROUND" ] && sqlite3 "$DB" "SELECT count(*) FROM responses WHERE round_id = $ROUND" || echo 0)
PAGES=(
  "Dynamic floor: \`/login\` (SSR page, one statement)|/login"
  "/healthz (one query, no page)|/healthz"
  "Board|/prototypes"
  "Prototype page|/prototypes/$PROTO"
  "Diff page|/prototypes/$PROTO/diff?from=4&to=5"
)
[ -n "$ROUND" ] && PAGES+=("Round page|/consultations/$ROUND" "Results page ($SEEDED responses)|/consultations/$ROUND/results")
[ -n "$MEETING" ] && PAGES+=("Meeting page|/meetings/$MEETING")

# nginx serves the prototype page's exact bytes, and the same brotli files as the app: the
# ceiling for those responses here.
mkdir -p "$WORK/www" "$WORK/nginx"
curl -s -H "Cookie: $COOKIE" "http://127.0.0.1:$APP_PORT/prototypes/$PROTO" > "$WORK/www/prototype.html"
ASSETS=$(ls target/site/pkg | grep -E '\.(wasm|css)$')
for asset in $ASSETS; do
  curl -s -H "Accept-Encoding: br" "http://127.0.0.1:$APP_PORT/pkg/$asset" > "$WORK/www/$asset.br"
done
cat > "$WORK/nginx.conf" <<NGINX
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  default_type text/html;
  client_body_temp_path $WORK/nginx; proxy_temp_path $WORK/nginx; fastcgi_temp_path $WORK/nginx; uwsgi_temp_path $WORK/nginx; scgi_temp_path $WORK/nginx;
  server { listen 127.0.0.1:$NGINX_PORT; root $WORK/www; }
}
NGINX
/usr/sbin/nginx -c "$WORK/nginx.conf" -p "$WORK"
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$NGINX_PORT/prototype.html" >/dev/null && break; sleep 0.1; done

echo "== Measuring ($DURATION s each, $CONNECTIONS connections)" >&2
read -r NGINX_RPS NGINX_P50 NGINX_P99 _ < <(measure "http://127.0.0.1:$NGINX_PORT/prototype.html")
ROWS=""
FLOOR_RPS=""
for entry in "${PAGES[@]}"; do
  name=${entry%%|*}; path=${entry#*|}
  read -r rps p50 p99 bad < <(measure "http://127.0.0.1:$APP_PORT$path" -H "Cookie: $COOKIE")
  [ -z "$FLOOR_RPS" ] && FLOOR_RPS=$rps
  floor=$(awk -v a="$rps" -v b="$FLOOR_RPS" 'BEGIN { printf "%.2f", a / b }')
  ratio=$(awk -v a="$rps" -v b="$NGINX_RPS" 'BEGIN { printf "%.3f", a / b }')
  ROWS="$ROWS| $name | \`$path\` | $rps | $p50 | $p99 | $floor | $ratio | $bad |\n"
  [ "$name" = "Prototype page" ] && PROTO_P50_BIG=$p50 && PROTO_RPS_BIG=$rps
done
STATIC=""
for asset in $ASSETS; do
  read -r rps p50 p99 bad < <(measure "http://127.0.0.1:$APP_PORT/pkg/$asset" -H "Accept-Encoding: br, gzip")
  read -r nrps np50 np99 _ < <(measure "http://127.0.0.1:$NGINX_PORT/$asset.br")
  ratio=$(awk -v a="$rps" -v b="$nrps" 'BEGIN { printf "%.2f", a / b }')
  size=$(stat -c %s "$WORK/www/$asset.br")
  STATIC="$STATIC| ${asset##*.} | $(( size / 1024 )) KB | $rps | $p99 | $nrps | $np99 | $ratio |\n"
done
PEAK_KB=$(awk '/VmHWM/ { print $2 }' "/proc/$APP_PID/status")
stop_app

echo "== Reader pool sizes (prototype page)" >&2
POOL=""
for readers in 2 4 8 16; do
  LWL_READERS=$readers start_app "$DB"
  read -r rps p50 p99 _ < <(measure "http://127.0.0.1:$APP_PORT/prototypes/$PROTO" -H "Cookie: $COOKIE")
  POOL="$POOL| $readers | $rps | $p50 | $p99 |\n"
  stop_app
done

echo "== The same prototype page with 100 prototypes in the database" >&2
SMALL="$WORK/small.db"; seed 100 "$SMALL"; start_app "$SMALL"
read -r SMALL_RPS SMALL_P50 SMALL_P99 _ < <(measure "http://127.0.0.1:$APP_PORT/prototypes/50" -H "Cookie: $COOKIE")
stop_app

DB_MB=$(( $(stat -c %s "$DB") / 1024 / 1024 ))
HTML_KB=$(( $(stat -c %s "$WORK/www/prototype.html") / 1024 ))
cat <<REPORT
### Run of $(date -u +"%Y-%m-%d %H:%M UTC") on $(nproc) cores

Command: \`bash scripts/bench.sh\` (wrk, ${CONNECTIONS} connections, 2 threads, ${DURATION} s per row; release build; signed in as a design-group member).
Database: $PROTOTYPES prototypes × 5 iterations of ~8 KB Markdown ($DB_MB MB, seeded in ${SEED_SECS} s). Prototype page: $HTML_KB KB of HTML.

| what | path | requests/s | p50 ms | p99 ms | ratio to the dynamic floor | ratio to nginx | non-2xx |
|---|---|---|---|---|---|---|---|
| nginx, static copy of the prototype page | \`/prototype.html\` | $NGINX_RPS | $NGINX_P50 | $NGINX_P99 | | 1.000 | 0 |
$(printf "%b" "$ROWS")
Static files, brotli, from memory (app) and from disk (nginx, the same bytes):

| file | brotli size | app requests/s | app p99 ms | nginx requests/s | nginx p99 ms | app / nginx |
|---|---|---|---|---|---|---|
$(printf "%b" "$STATIC")
Reader pool (\`LWL_READERS\`), prototype page:

| readers | requests/s | p50 ms | p99 ms |
|---|---|---|---|
$(printf "%b" "$POOL")
Server peak memory (VmHWM) under the main run: $(( PEAK_KB / 1024 )) MB.

Prototype page with 100 prototypes: $SMALL_RPS requests/s, p50 $SMALL_P50 ms, p99 $SMALL_P99 ms
(with $PROTOTYPES: $PROTO_RPS_BIG requests/s, p50 $PROTO_P50_BIG ms; ratio $(awk -v a="$PROTO_RPS_BIG" -v b="$SMALL_RPS" 'BEGIN { printf "%.2f", a / b }')).
REPORT
