#!/usr/bin/env bash
# Configures and builds Lucid.   scripts/build.sh [BUILD_DIR] [extra cmake options...]
# BUILD_DIR defaults to build/. Executables land in BUILD_DIR/bin.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$top/build}
shift || true
cmake -S "$top" -B "$dir" -G Ninja "$@" >/dev/null
cmake --build "$dir" -- -j"$(nproc)"
