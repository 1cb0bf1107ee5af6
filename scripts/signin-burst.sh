#!/usr/bin/env bash
# Sign-in under a burst (issue 9, finding 7): N sign-ins fired at once at the server, each
# from its own address (the server runs with --trusted-proxy and each request carries its
# own X-Forwarded-For, as a botnet would look), each at its own account, so no throttle
# stops them: every one of them asks for an argon2 check (m = 19 MiB). The hashing gate
# lets one check per core run at a time and queues up to 256; the rest are told "busy".
# Prints the answers by status, the time, and the server's peak resident memory (VmHWM)
# before and after, against the ceiling permits × 19 MiB above the warmed-up baseline.
#
#   bash scripts/signin-burst.sh             # N=400, the debug build (argon2 is -O3 there too)
#   N=1000 BIN=target/release/server bash scripts/signin-burst.sh
#
# Loopback only; needs curl. Not part of the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
N="${N:-400}"
BIN="${BIN:-target/debug/server}"
PORT="${PORT:-3400}"
WORK=$(mktemp -d /tmp/lwl-burst.XXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT

if [ "$BIN" = target/debug/server ]; then cargo build -q -p server >&2; fi
export DATABASE_URL="sqlite://$WORK/burst.db" LEPTOS_SITE_ADDR="127.0.0.1:$PORT" LEPTOS_SITE_ROOT=target/site RUST_LOG=error
printf 'burst test password\n' | "$BIN" create-facilitator --email pat@burst.test --name "Pat" >/dev/null
"$BIN" serve --trusted-proxy >"$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 200); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.05; done
hwm() { awk '/VmHWM/ { print int($2 / 1024) }' "/proc/$SERVER/status"; }
login() { # $1 = n, $2 = email, $3 = password → HTTP status
  curl -s -o /dev/null -w '%{http_code}\n' -H "X-Forwarded-For: 10.$(( $1 / 65536 % 256 )).$(( $1 / 256 % 256 )).$(( $1 % 256 ))" \
    --data-urlencode "email=$2" --data-urlencode "password=$3" "http://127.0.0.1:$PORT/api/login"
}
# Warm up: one right and one wrong password, so the baseline includes one hash's memory
# as the allocator keeps it.
login 1 pat@burst.test 'burst test password' >/dev/null
login 2 pat@burst.test 'not the password' >/dev/null
BASE=$(hwm)
PERMITS=$(nproc)
export -f login; export PORT
START=$(date +%s.%N)
seq 3 $(( N + 2 )) | xargs -P "$N" -I{} bash -c 'login {} "guess{}@burst.test" "not the password"' >"$WORK/statuses.txt"
SECS=$(awk -v s="$START" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
PEAK=$(hwm)
OK_AFTER=$(login $(( N + 3 )) pat@burst.test 'burst test password')
kill "$SERVER"; wait "$SERVER" 2>/dev/null || true

count() { grep -c "^$1$" "$WORK/statuses.txt" || true; }
cat <<REPORT
### Sign-in burst of $(date -u '+%Y-%m-%d %H:%M UTC') on $PERMITS cores ($BIN)

\`N=$N bash scripts/signin-burst.sh\`: $N sign-ins at once, each from its own address and at its own account.

| answers | count |
|---|---|
| 400 wrong password (checked) | $(count 400) |
| 503 busy, try again | $(count 503) |
| 429 throttled | $(count 429) |
| other | $(grep -vcE '^(400|503|429)$' "$WORK/statuses.txt" || true) |

Burst took $SECS s. Server peak RSS (VmHWM): $BASE MiB warmed up, $PEAK MiB after the burst
(+$(( PEAK - BASE )) MiB). Ceiling for argon2: $PERMITS permits × 19 MiB = $(( PERMITS * 19 )) MiB
above the baseline, however large N is. The owner's sign-in right after: HTTP $OK_AFTER.
REPORT
