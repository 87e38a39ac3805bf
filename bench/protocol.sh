#!/usr/bin/env bash
# The engine protocol's cost: the official testsuite on our engine
# in-process and through `touchstone serve` worker processes (`--isolate`),
# interleaved, ROUNDS times. Prints each run's wall time, the medians and
# their ratio, and whether every directive's outcome was the same.
#
#   bench/protocol.sh [ROUNDS]     default 5 rounds
#
# TOUCHSTONE_SUITE: suite folder (default ../shared/testsuite beside the project).
# Target (issue 12): identical outcomes in <= 2x the in-process wall time.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
rounds="${1:-5}"
suite="${TOUCHSTONE_SUITE:-$root/../shared/testsuite}"
out="$root/reports/out"
mkdir -p "$out"
cargo build --release -p touchstone-harness --bin touchstone --manifest-path "$root/Cargo.toml" >&2
bin="$root/target/release/touchstone"

for round in $(seq "$rounds"); do
  for mode in in-process serve; do
    flag=()
    [[ $mode == serve ]] && flag=(--isolate)
    start=$(date +%s.%N)
    "$bin" test "$suite" --quiet "${flag[@]}" --json "$out/bench-protocol-$mode.json" >/dev/null || true
    end=$(date +%s.%N)
    echo "$mode $(echo "$end - $start" | bc)"
  done
done | python3 -c '
import json, statistics, sys
times = {}
for line in sys.stdin:
    mode, secs = line.split()
    times.setdefault(mode, []).append(float(secs))
    print(f"{mode:<11} {float(secs):6.2f} s")
a, b = (statistics.median(times[m]) for m in ("in-process", "serve"))
print(f"median: in-process {a:.2f} s, serve {b:.2f} s, ratio {b / a:.2f}x")
out = sys.argv[1]
runs = [json.load(open(f"{out}/bench-protocol-{m}.json"))["runs"][0] for m in ("in-process", "serve")]
same = all(fa["assertions"] == fb["assertions"] for fa, fb in zip(runs[0]["files"], runs[1]["files"]))
print("outcomes identical on every directive:", same and len(runs[0]["files"]) == len(runs[1]["files"]))
' "$out"
