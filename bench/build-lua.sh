#!/usr/bin/env bash
# Builds the large benchmark program: the Lua 5.4 interpreter compiled to
# wasm32, running bench/lua/bench.lua. Lua's C sources are not in this
# repository: cargo fetches the crates.io `lua-src` crate (which vendors
# them) into its registry, and this script compiles them from there.
#
#   bench/build-lua.sh         write bench/programs/lua.wasm (git-ignored)
#   bench/build-lua.sh --check also rebuild natively and compare the checksum
#                              with the one recorded in bench/expected.tsv
#
# Needs: cargo (network to crates.io on the first run), Debian's clang and
# lld, wasi-libc and the wasm32 compiler-rt builtins:
#   apt-get install -y clang lld wasi-libc libclang-rt-14-dev-wasm32
# and gcc for the native build. libc comes statically from wasi-libc; the
# WASI calls its file and stream code names (fd_read, path_open, proc_exit,
# ...) stay imported, and the benchmark supplies stubs (an i32 result is
# EBADF, anything else traps; see bench/README.md): bench.lua never opens a
# file, its output goes to a hash (lua/driver.c), the driver fixes the clock
# to 0.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
lua_src_version="551.1.0" # crates.io lua-src; its lua-5.4.9 folder is used
size=1                    # keep in step with the "lua" line of expected.tsv
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# Fetch the crate through cargo into the ordinary registry cache.
mkdir -p "$tmp/fetch/src"
cat >"$tmp/fetch/Cargo.toml" <<TOML
[package]
name = "lua-fetch"
version = "0.0.0"
edition = "2021"
[dependencies]
lua-src = "=$lua_src_version"
TOML
touch "$tmp/fetch/src/lib.rs"
cargo fetch -q --manifest-path "$tmp/fetch/Cargo.toml"
crate_dir="$(cargo metadata -q --format-version 1 --manifest-path "$tmp/fetch/Cargo.toml" |
  python3 -c 'import json, sys, os
m = json.load(sys.stdin)
print(next(os.path.dirname(p["manifest_path"]) for p in m["packages"] if p["name"] == "lua-src"))')"
lua="$crate_dir/lua-5.4.9"
[[ -f "$lua/lvm.c" ]] || { echo "no Lua 5.4 sources in $crate_dir" >&2; exit 1; }

# The script, embedded as a C array.
(cd "$here/lua" && xxd -i -n bench_lua bench.lua) >"$tmp/bench_script.h"

sources=()
for f in "$lua"/*.c; do
  case "$(basename "$f")" in lua.c | luac.c) continue ;; esac
  sources+=("$f")
done
sources+=("$here/lua/driver.c")

# Errors end the run with a trap instead of longjmp (clang 14 cannot lower
# setjmp for wasm); the script raises none and uses no coroutines (a yield
# from C unwinds the same way). A fixed hash seed keeps runs identical.
defines=(
  '-DLUAI_THROW(L,c)=__builtin_trap()' '-DLUAI_TRY(L,c,a)={ a }' '-Dluai_jmpbuf=int'
  '-Dluai_makeseed(L)=0x5eed' '-Dl_signalT=int' # no <signal.h> in wasi-libc
  '-Dlua_writestring(s,l)=bench_write((s),(l))' '-Dlua_writeline()=bench_write("\n",1)'
  '-Dlua_writestringerror(s,p)=((void)0)'
)
decl='-include' # bench_write's prototype for every Lua file
# ldo.c includes <setjmp.h>, which wasi-libc lacks; with LUAI_THROW/TRY above
# nothing from it is used, so an empty one (wasm build only) will do.
mkdir -p "$tmp/wasm-include" && touch "$tmp/wasm-include/setjmp.h"
printf '#include <stddef.h>\nvoid bench_write(const char *, size_t);\n' >"$tmp/write.h"
flags=(-O2 -ffp-contract=off -std=gnu11 -w -I"$lua" -I"$tmp" "$decl" "$tmp/write.h" "${defines[@]}")

objs=()
for f in "${sources[@]}"; do
  o="$tmp/$(basename "$f" .c).o"
  clang --target=wasm32-wasi -I"$tmp/wasm-include" "${flags[@]}" -c "$f" -o "$o"
  objs+=("$o")
done
clang --target=wasm32-wasi -nostartfiles "${objs[@]}" -o "$here/programs/lua.wasm" \
  -Wl,--no-entry -Wl,--export=run  -Wl,--strip-all -z stack-size=1048576
echo "built lua.wasm ($(stat -c %s "$here/programs/lua.wasm") bytes) from lua-src $lua_src_version"

if [[ "${1:-}" == --check ]]; then
  gcc -DNATIVE "${flags[@]}" -o "$tmp/lua-native" "${sources[@]}" "$here/programs/native_main.c" -lm
  checksum="$("$tmp/lua-native" "$size")"
  recorded="$(awk -F'\t' '$1 == "lua" { print $3 }' "$here/expected.tsv")"
  echo "native run($size) = $checksum, expected.tsv has ${recorded:-nothing}"
  [[ "$checksum" == "$recorded" ]]
fi
