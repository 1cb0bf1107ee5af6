#!/usr/bin/env bash
# Builds Living Well Lab and serves it at http://127.0.0.1:3000 on an embedded SQLite
# database (data/livingwell.db, created and migrated on first start). A new database gets
# the demo collaborative, so you can sign in at once; set LWL_NO_DEMO=1 to start empty.
# Demo accounts share a published password, so the demo is served with --demo, which the
# server accepts only on a loopback address (this computer), and every page says "Demo site".
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
bash scripts/setup.sh
cargo leptos build
export DATABASE_URL="${DATABASE_URL:-sqlite://data/livingwell.db}"
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-target/site}"
if [ -z "${LWL_NO_DEMO:-}" ]; then
  target/debug/server seed-demo --if-empty
  exec target/debug/server serve --demo
fi
exec target/debug/server serve
