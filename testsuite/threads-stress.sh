#!/usr/bin/env bash
# Runs the threads proposal's concurrent scripts (the litmus tests, wait/notify,
# nested threads) REPS times on our engine (default 100); every repetition must
# pass. Litmus outcomes depend on how the threads interleave, so one clean run
# proves little; many runs on a loaded machine catch a rare wrong outcome.
#
#   testsuite/threads-stress.sh [REPS]
#
# Folder: $TOUCHSTONE_THREADS_SUITE, else ../shared/suites/threads beside the clone.
set -euo pipefail
cd "$(dirname "$0")/.."

reps="${1:-100}"
suite="${TOUCHSTONE_THREADS_SUITE:-../shared/suites/threads}"
bin="${CARGO_TARGET_DIR:-target}/release/touchstone"
cargo build --release -q -p touchstone-harness
files=$(find "$suite" -name '*.wast' | wc -l)
started=$SECONDS
for ((i = 1; i <= reps; i++)); do
    if ! out=$("$bin" test "$suite" --engine touchstone --quiet 2>&1); then
        echo "$out"
        echo "threads stress: repetition $i of $reps FAILED" >&2
        exit 1
    fi
done
echo "threads stress: $reps repetitions of $files files, all passed ($((SECONDS - started)) s)"
