#!/usr/bin/env bash
# Harness benchmark: the whole official testsuite through the release
# `touchstone` binary, once per engine and round, engines interleaved.
# Prints each run's wall time and peak RSS (from GNU time), the medians per
# engine, and the directive totals from the JSON report.
#
#   bench/suite.sh [ROUNDS]        default 3 rounds
#
# Environment:
#   TOUCHSTONE_SUITE    suite folder (default ../shared/testsuite beside the project)
#   ENGINES             engines to compare (default "touchstone wasmi")
#   CARGO_TARGET_DIR    where cargo builds (default target/ in the project)
# Reports go to reports/out/bench-suite-ENGINE-ROUND.json (git-ignored).
# Targets: the whole suite in <= 0.5 s wall with our engine (issue 6); our
# wall time at most 0.8x wasmi's and peak memory no more than wasmi's (issue 15).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
rounds="${1:-3}"
suite="${TOUCHSTONE_SUITE:-$root/../shared/testsuite}"
read -r -a engines <<<"${ENGINES:-touchstone wasmi}"
out="$root/reports/out"
mkdir -p "$out"

if [[ ! -x /usr/bin/time ]]; then
  echo "bench/suite.sh needs GNU time (apt-get install -y time)" >&2
  exit 2
fi

cargo build --release -p touchstone-harness --bin touchstone --manifest-path "$root/Cargo.toml" >&2
bin="${CARGO_TARGET_DIR:-$root/target}/release/touchstone"

# Prints "passed failed other" from a JSON report, or "? ? ?" if unreadable.
totals() {
  python3 - "$1" <<'PY' 2>/dev/null || echo "? ? ?"
import json, sys
t = json.load(open(sys.argv[1]))["runs"][0]["totals"]
other = sum(t[k] for k in ("errors", "unsupported", "timeouts", "crashes"))
print(t["passed"], t["failed"], other)
PY
}

declare -A walls rss
printf '%-11s %5s %9s %11s %9s %9s %9s %s\n' engine round "wall s" "peak MB" passed failed other exit
for ((round = 1; round <= rounds; round++)); do
  # Alternate which engine goes first, so neither always runs on a cold cache.
  order=("${engines[@]}")
  if ((round % 2 == 0)); then
    order=()
    for ((i = ${#engines[@]} - 1; i >= 0; i--)); do order+=("${engines[i]}"); done
  fi
  for engine in "${order[@]}"; do
    json="$out/bench-suite-$engine-$round.json"
    timing="$(mktemp)"
    # A run with failing directives exits non-zero; that is a result, not an error here.
    status=0
    /usr/bin/time -f '%e %M' -o "$timing" "$bin" test "$suite" --engine "$engine" --json "$json" \
      >/dev/null 2>&1 || status=$?
    # GNU time puts "Command exited with non-zero status N" first when it fails.
    read -r wall kb <<<"$(tail -n 1 "$timing")" || true
    [[ "$kb" =~ ^[0-9]+$ ]] || { wall="?"; kb=0; }
    rm -f "$timing"
    read -r passed failed other <<<"$(totals "$json")"
    mb="$(awk -v kb="$kb" 'BEGIN { printf "%.1f", kb / 1024 }')"
    printf '%-11s %5s %9s %11s %9s %9s %9s %s\n' "$engine" "$round" "$wall" "$mb" "$passed" "$failed" "$other" "$status"
    walls[$engine]+="$wall "
    rss[$engine]+="$mb "
  done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo
printf '%-11s %14s %16s\n' engine "median wall s" "median peak MB"
for engine in "${engines[@]}"; do
  printf '%-11s %14s %16s\n' "$engine" "$(median <<<"${walls[$engine]}")" "$(median <<<"${rss[$engine]}")"
done
