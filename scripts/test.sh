#!/usr/bin/env bash
# The README's test command: installs what is missing, then builds and runs every test twice,
# in the release build and in the AddressSanitizer + UBSan build. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
jobs=$(nproc)
start=$(date +%s)
for preset in release asan; do
  echo "== ${preset}: configure and build"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j "$jobs"
  echo "== ${preset}: test"
  ctest --preset "$preset" -j "$jobs"
done
echo "== all tests passed in release and asan builds ($(( $(date +%s) - start )) s)"
