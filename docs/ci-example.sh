#!/usr/bin/env bash
# The matrix of docs/ci.md, run locally and sequentially: four parts of the
# official snapshot, each checked against the committed baselines, merged,
# and the merged report compared with a single run's (times aside).
set -euo pipefail
cd "$(dirname "$0")/.."
suite="${1:-../shared/testsuite}"
cargo build --release -q -p touchstone-harness
bin=target/release/touchstone
out=reports/out/ci-example
mkdir -p "$out"
for k in 1 2 3 4; do
    "$bin" test "$suite" --partition "$k/4" --engine touchstone,wasmi \
        --baseline 'reports/baseline-{engine}.json' --json "$out/part-$k.json" --quiet \
        | grep 'baseline'
done
"$bin" merge "$out"/part-*.json --json "$out/all.json" --junit "$out/all.xml" \
    --markdown "$out/all.md" --html "$out/all.html" > /dev/null || true
"$bin" test "$suite" --engine touchstone,wasmi --json "$out/single.json" --quiet > /dev/null || true
python3 - "$out/all.json" "$out/single.json" <<'PY'
import json, sys
def load(p):
    r = json.load(open(p))
    for run in r["runs"]:
        run["wall_time_ms"] = 0
        for f in run["files"]:
            f["duration_ms"] = 0
    return r
merged, single = (load(p) for p in sys.argv[1:3])
assert merged == single, "the merged report differs from the single run's"
print("merged report equals the single run's:",
      ", ".join(f'{r["engine"]} {r["totals"]["passed"]} passed in {r["totals"]["files"]} files' for r in merged["runs"]))
PY
