#!/usr/bin/env bash
# The test command (README, and .ci/run): every test of the workspace in a
# release build. The report tests need a headless Chromium (the HTML report
# is checked in a browser) and xmllint (JUnit XML against its schema), the
# V8 adapter's and JS API tests need node; this installs them first when they are missing (apt-get, as root), or stops
# saying the exact command to run. Extra arguments go to `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
if [ -z "${TOUCHSTONE_CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1 \
    && ! command -v chromium-browser >/dev/null 2>&1; then
    need+=(chromium)
fi
command -v xmllint >/dev/null 2>&1 || need+=(libxml2-utils)
command -v node >/dev/null 2>&1 || need+=(nodejs)

if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "scripts/test.sh: installing ${need[*]} (needed by the report, V8 and JS API tests)"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
    else
        {
            echo "scripts/test.sh: the tests need: ${need[*]} (Debian package names)."
            echo "Install them, then run this again:"
            echo
            echo "    sudo apt-get update && sudo apt-get install -y ${need[*]}"
            echo
            echo "(Or point TOUCHSTONE_CHROMIUM at a Chromium binary.)"
        } >&2
        exit 1
    fi
fi

exec cargo test --workspace --release "$@"
