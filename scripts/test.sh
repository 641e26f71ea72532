#!/usr/bin/env bash
# The README's test command: installs what is missing, then builds and runs every test twice,
# in the release build and in the AddressSanitizer + UBSan build, then builds the libFuzzer
# harnesses (clang) and runs each briefly: its crash reproducers, its seed corpus and
# HC_FUZZ_SECONDS (default 5) of fuzzing (docs/fuzzing.md). Exits non-zero on any failure.
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
tested=$(date +%s)
echo "== fuzz: build the harnesses, replay regressions and seeds, fuzz each briefly"
bash scripts/fuzz.sh "${HC_FUZZ_SECONDS:-5}"
echo "== fuzz stage: $(( $(date +%s) - tested )) s"
echo "== all tests passed in release and asan builds, fuzzers clean ($(( $(date +%s) - start )) s)"
