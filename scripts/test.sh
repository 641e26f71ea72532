#!/usr/bin/env bash
# The README's test command: installs what is missing, then
#   1. release (-O2): builds the programs and benchmarks (target hc_programs: what a deployment
#      runs and measures; -Werror at -O2) and runs the tests that cannot run under ASan: the API
#      flood's commit-latency bounds (ApiFlood.*, not built under the sanitizers) and the
#      zeroization scan of freed heap blocks (ZeroizationTest.*, which skips itself under ASan,
#      whose allocator quarantines freed memory), and the 4-host namespace test (Hosts.*, not built
#      under the sanitizers: real processes across namespaces with 20 ms delays, a network test
#      that ASan's tenfold slower pairings would only lengthen; docs/e2e.md "Hosts"), the doctors'
#      page, the public explorer and the access console in headless Chromium
#      (tests/web/doctor_page_test.py, explorer_page_test.py, console_page_test.py, docs/web.md), and the
#      MULX/ADX Fp kernel's machine code for conditional branches (uninstrumented code only: the
#      sanitizers add branches of their own); then the README's demo (scripts/demo.sh) end to end;
#   2. asan (AddressSanitizer + UBSan): builds everything and runs every test;
#   3. fuzz (clang): builds the libFuzzer harnesses and runs each briefly: its crash reproducers,
#      its seed corpus and HC_FUZZ_SECONDS (default 5) of fuzzing (docs/fuzzing.md).
# Each test runs once, in the stricter build, so that CI fits in 30 minutes on 2 cores.
# HC_TEST_RELEASE_SUITE=1 also builds and runs the whole suite in the release build.
# Exits non-zero on any failure; prints each stage's time.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
jobs=$(nproc)
start=$(date +%s)
stage_start=$start
stage_done() {
  local now
  now=$(date +%s)
  echo "== $1: $(( now - stage_start )) s"
  stage_start=$now
}

echo "== release: configure and build the programs and benchmarks"
cmake --preset release >/dev/null
if [ "${HC_TEST_RELEASE_SUITE:-0}" = 1 ]; then
  cmake --build --preset release -j "$jobs"
  ctest --preset release -j "$jobs"
else
  cmake --build --preset release -j "$jobs" --target hc_programs e2e_api_flood_test crypto_zeroization_test \
    e2e_hosts_test
  build/release/tests/e2e/e2e_api_flood_test
  build/release/tests/crypto/crypto_zeroization_test
  build/release/tests/hosts/e2e_hosts_test
  # The doctors' page in headless Chromium against a real cluster (docs/web.md; about a minute).
  # Debian's python3 (python3-selenium's). Exit 77 only when chromium, chromium-driver or
  # python3-selenium is absent (it names which).
  /usr/bin/python3 tests/web/doctor_page_test.py --bin build/release/bin --source . --out build/release/web-screenshots ||
    { rc=$?; [ "$rc" = 77 ] && echo "== web page test SKIPPED (see the line above)" || exit "$rc"; }
  # The public explorer in headless Chromium (docs/web.md "The public explorer"; about a
  # minute), with the same skip rule.
  /usr/bin/python3 tests/web/explorer_page_test.py --bin build/release/bin --out build/release/web-screenshots ||
    { rc=$?; [ "$rc" = 77 ] && echo "== explorer page test SKIPPED (see the line above)" || exit "$rc"; }
  # The access console's first page (hc console) in headless Chromium (about 20 s), same rule.
  /usr/bin/python3 tests/web/console_page_test.py --bin build/release/bin --out build/release/web-screenshots ||
    { rc=$?; [ "$rc" = 77 ] && echo "== console page test SKIPPED (see the line above)" || exit "$rc"; }
  # The MULX/ADX Fp kernel's machine code has no conditional branch (uninstrumented build only:
  # the sanitizers add branches of their own; the asan stage checks reachability).
  python3 tests/crypto/bls12_381/check_fp_kernels_ct.py tests/crypto/constant_time \
    build/release/src/crypto/bls12_381/libhc_bls12_381.a build/release/src/crypto/groupsig/libhc_groupsig.a
fi
# The README's first command, end to end (it once broke unnoticed when HTTPS became the default).
echo "== release: the consortium demo (bash scripts/demo.sh, output in build/release/demo.log)"
bash scripts/demo.sh --no-build > build/release/demo.log 2>&1 || { tail -40 build/release/demo.log; echo "demo failed"; exit 1; }
stage_done release

echo "== asan: configure and build everything, run every test"
cmake --preset asan >/dev/null
cmake --build --preset asan -j "$jobs"
ctest --preset asan -j "$jobs"
stage_done asan

echo "== fuzz: build the harnesses, replay regressions and seeds, fuzz each briefly"
bash scripts/fuzz.sh "${HC_FUZZ_SECONDS:-5}"
stage_done fuzz
echo "== all tests passed (release-speed tests in release, every test in asan), fuzzers clean ($(( $(date +%s) - start )) s)"
