#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds twice (normal, and
# ASan + UBSan), and runs every test under ctest in both builds.
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
if [ $status -ne 0 ]; then
    echo "test.sh: FAILED"
else
    echo "test.sh: all suites passed"
fi
exit $status
