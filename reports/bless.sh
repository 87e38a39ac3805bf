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
