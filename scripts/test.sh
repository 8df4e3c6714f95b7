#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds twice (normal, and
# ASan + UBSan) and runs every test under ctest in both builds, then builds the
# libFuzzer targets with clang and runs each briefly.
#   scripts/test.sh
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
scripts/setup.sh test

status=0
run_suite() {
    local dir=$1; shift
    echo "== build $dir $*"
    scripts/build.sh "$top/$dir" "$@"
    echo "== ctest in $dir"
    (cd "$top/$dir" && ctest --output-on-failure -j"$(nproc)") || status=1
}
run_suite build
run_suite build-asan -DLUCID_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
# The libFuzzer targets, a few seconds each on their seed corpora (fuzz/README.md),
# in a third build with clang (installed by setup.sh, so its absence is a failure).
if command -v clang >/dev/null 2>&1; then
    echo "== build build-fuzz (clang, libFuzzer, ASan + UBSan)"
    if CC=clang scripts/build.sh "$top/build-fuzz" -DLUCID_FUZZ=ON -DLUCID_SANITIZE=ON; then
        echo "== ctest -L fuzz in build-fuzz"
        (cd "$top/build-fuzz" && ctest -L fuzz --output-on-failure -j"$(nproc)") || status=1
    else
        status=1
    fi
else
    echo "== FAILED: clang is missing, so the fuzz targets cannot run (scripts/setup.sh test installs it)"
    status=1
fi
if [ $status -ne 0 ]; then
    echo "test.sh: FAILED"
else
    echo "test.sh: all suites passed"
fi
exit $status
