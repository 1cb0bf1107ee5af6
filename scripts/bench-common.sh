# Shared by scripts/bench.sh and scripts/bench-search.sh (sourced, not run): tools, the
# release build, and the seed / start / measure helpers. Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/target/bench-tools/node_modules/.bin:$PATH"
DURATION="${DURATION:-10}"
PROTOTYPES="${PROTOTYPES:-10000}"
CONNECTIONS=64
APP_PORT=3100
NGINX_PORT=3200
WORK=$(mktemp -d /tmp/lwl-bench.XXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true' EXIT

bash scripts/setup.sh
missing=""
command -v wrk >/dev/null || missing="$missing wrk"
command -v sqlite3 >/dev/null || missing="$missing sqlite3"
[ -x /usr/sbin/nginx ] || missing="$missing nginx-light"
if [ -n "$missing" ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
fi
if ! command -v wasm-opt >/dev/null; then
  npm install --no-audit --no-fund --prefix target/bench-tools binaryen@132.0.0 >/dev/null
fi

echo "== Release build (precompressed assets)" >&2
cargo leptos build --release --precompress >&2
BIN=target/release/server

seed() { # $1 = count, $2 = database file, $3 = responses to a round on the middle prototype
  DATABASE_URL="sqlite://$2" RUST_LOG=warn "$BIN" seed-bench --prototypes "$1" --responses "${3:-0}" >&2
}

start_app() { # $1 = database file (LWL_READERS, if set, sizes the reader pool)
  DATABASE_URL="sqlite://$1" LEPTOS_SITE_ADDR="127.0.0.1:$APP_PORT" LEPTOS_SITE_ROOT=target/site RUST_LOG=warn "$BIN" serve >/dev/null 2>&1 &
  APP_PID=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$APP_PORT/healthz" >/dev/null && break; sleep 0.1; done
  COOKIE=$(curl -s -D - -o /dev/null -X POST "http://127.0.0.1:$APP_PORT/api/login" \
    --data-urlencode "email=bench@bench.test" --data-urlencode "password=benchmark password" | tr -d '\r' | awk -F'[: ;]+' 'tolower($1)=="set-cookie"{print $2; exit}')
}

stop_app() { kill "$APP_PID"; wait "$APP_PID" 2>/dev/null || true; }

# wrk → "requests/s p50 p99" (latencies in ms)
measure() { # $1 = URL, then extra wrk args
  local url=$1; shift
  wrk -t2 -c"$CONNECTIONS" -d2s "$@" "$url" >/dev/null # warm-up, not counted
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$@" "$url" | awk '
    function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) } /^Requests\/sec/ { rps = $2 }
    /Non-2xx/ { bad = $NF }
    END { printf "%.0f %.2f %.2f %s\n", rps, p50, p99, (bad == "" ? 0 : bad) }'
}

