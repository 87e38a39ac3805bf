#!/usr/bin/env bash
# GC benchmark (issue 16): a WasmGC program that allocates 10 GB in total
# of short-lived objects (engine/examples/gc_churn.rs, which checks its
# survivors) must complete with peak RSS under 256 MB. Builds the example
# in release, runs it under GNU time, prints its line and the peak RSS,
# and exits 1 over the limit or when the program fails.
#
#   bench/gc-rss.sh [GB]           default 10
#
# Environment:
#   LIMIT_MB            peak RSS limit in MB (default 256)
#   CARGO_TARGET_DIR    where cargo builds (default target/ in the project)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
limit_mb="${LIMIT_MB:-256}"
gb="${1:-10}"

if [[ ! -x /usr/bin/time ]]; then
  echo "bench/gc-rss.sh needs GNU time (apt-get install -y time)" >&2
  exit 2
fi

# Run the example's binary itself, not cargo: GNU time reports the peak of
# the process it runs.
cargo build --release -q -p touchstone-engine --example gc_churn \
  --manifest-path "$root/Cargo.toml" >&2
bin="${CARGO_TARGET_DIR:-$root/target}/release/examples/gc_churn"

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
/usr/bin/time -v "$bin" "$gb" >"$log" 2>&1 || status=$?
grep -E '^allocated' "$log" || true
kb="$(sed -n 's/.*Maximum resident set size (kbytes): \([0-9]*\).*/\1/p' "$log")"
wall="$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$log")"
if [[ "$status" -ne 0 || -z "$kb" ]]; then
  cat "$log" >&2
  echo "gc-rss: the program failed" >&2
  exit 1
fi
mb=$((kb / 1024))
echo "gc-rss: peak RSS ${mb} MB (limit ${limit_mb} MB), wall ${wall}"
if ((mb >= limit_mb)); then
  echo "gc-rss: over the limit" >&2
  exit 1
fi
