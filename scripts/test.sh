#!/usr/bin/env bash
# Runs every test: Rust unit and integration tests (the real server on port 0 with fresh
# temporary databases), then the end-to-end tests in Debian's Chromium with axe-core.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
bash scripts/setup.sh --browser
# A full disk shows up late and strangely (the linker dies with SIGBUS, SQLite stalls), so
# say so first. A debug build and its tests take about 25 GB.
FREE_GB=$(df -Pk . | awk 'NR == 2 { print int($4 / 1048576) }')
if [ "$FREE_GB" -lt 25 ]; then
  echo "Warning: only ${FREE_GB} GB free here; the build and tests need about 25 GB. If they fail oddly, free space (cargo clean) first." >&2
fi
echo "== Format and lints (cargo fmt --check; clippy on the server and the wasm builds, warnings are errors)"
cargo fmt --all --check
cargo clippy --workspace --all-targets --features app/ssr -- -D warnings
cargo clippy -p app --lib --features hydrate --target wasm32-unknown-unknown -- -D warnings
echo "== Building the app (server and wasm)"
cargo leptos build
echo "== Rust unit and integration tests"
cargo test --workspace
echo "== End-to-end tests (Chromium, axe-core)"
cd end2end && npm test
