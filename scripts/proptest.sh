#!/usr/bin/env bash
# The property tests (issue 9, finding 13) at 100,000 cases each: the Markdown pipeline's
# output holds nothing a browser would run, and no form parser panics on any field map.
# `cargo test` runs the same properties at 2,000 cases each; this is the long run, kept out
# of scripts/test.sh. Release build (the properties are the same; the run is ~10x quicker).
#   CASES=N             cases per property (default 100000)
#   PROFILE=debug       use the debug build instead (no release build needed)
#   PROPTEST_RNG_SEED=N repeat a run (proptest prints the smallest failing input on failure)
# Extra arguments go to the test binary, e.g. `bash scripts/proptest.sh --test-threads=1`.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
cases="${CASES:-100000}"
profile=(--release)
[ "${PROFILE:-release}" = debug ] && profile=()
echo "== Building: cargo test ${profile[*]} -p app --features ssr --lib --no-run"
cargo test "${profile[@]}" -p app --features ssr --lib --no-run
echo "== Property tests, $cases cases each: PROPTEST_CASES=$cases cargo test ${profile[*]} -p app --features ssr --lib props"
start=$(date +%s)
PROPTEST_CASES="$cases" cargo test "${profile[@]}" -p app --features ssr --lib props -- "$@"
echo "== Done: $cases cases per property in $(( $(date +%s) - start )) s on $(nproc) cores"
