#!/usr/bin/env bash
# Builds the benchmark programs and records their expected checksums.
# (The large program, Lua, is built by build-lua.sh.)
#
#   bench/build.sh            rebuild every programs/*.wasm and expected.tsv
#
# Needs Debian's clang and lld (apt-get install -y clang lld) and gcc.
# Each programs/NAME.c is compiled twice:
#   - to wasm32 (freestanding, no libc), exporting `run(i32) -> i64`;
#   - natively with gcc and native_main.c; its output for the size below is
#     the independent checksum both engines must reproduce.
# The .wasm files and expected.tsv are committed, so running the benchmark
# needs none of these tools.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
src="$here/programs"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# name  size: the size passed to run(), chosen so one run takes roughly
# 50-300 ms on wasmi in a release build.
sizes=(
  "fib 34"
  "sieve 2000000"
  "matmul 256"
  "nbody 200000"
  "mandelbrot 640"
  "sha256 600"
  "bigint 10000"
  "vm 5000"
  "sort 300000"
  "tak 20"
  "expr 900"
  "dispatch 3000"
  "spectral 500"
  "raytrace 400"
  "f32dsp 360"
  "forth 8000"
  "lz77 10"
  "siphash 15000"
)

# Same floating-point rules on both targets: no fused multiply-add.
common_flags=(-O2 -ffp-contract=off -std=c11 -Wall -Wextra -Werror)

out="$tmp/expected.tsv"
printf '# name\tsize\tchecksum (i64, from the native gcc build; written by build.sh)\n' >"$out"
for entry in "${sizes[@]}"; do
  read -r name size <<<"$entry"
  clang --target=wasm32 -ffreestanding -nostdlib -fno-builtin "${common_flags[@]}" \
    -Wl,--no-entry -Wl,--strip-all -z stack-size=1048576 \
    -o "$src/$name.wasm" "$src/$name.c"
  gcc -DNATIVE "${common_flags[@]}" -o "$tmp/$name" "$src/$name.c" "$src/native_main.c" -lm
  checksum="$("$tmp/$name" "$size")"
  printf '%s\t%s\t%s\n' "$name" "$size" "$checksum" >>"$out"
  echo "built $name.wasm ($(stat -c %s "$src/$name.wasm") bytes), run($size) = $checksum"
done
# The large program's line (lua: built and checked by build-lua.sh --check) stays.
grep -P '^lua\t' "$here/expected.tsv" >>"$out" || true
mv "$out" "$here/expected.tsv"
