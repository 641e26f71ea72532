#!/usr/bin/env bash
# The README's test command: installs what is missing, then
#   1. release (-O2): builds the programs and benchmarks (target hc_programs: what a deployment
#      runs and measures; -Werror at -O2) and runs the tests that cannot run under ASan: the API
#      flood's commit-latency bounds (ApiFlood.*, not built under the sanitizers) and the
#      zeroization scan of freed heap blocks (ZeroizationTest.*, which skips itself under ASan,
#      whose allocator quarantines freed memory), and the 4-host namespace test (Hosts.*, not built
#      under the sanitizers: real processes across namespaces with 20 ms delays, a network test
#      that ASan's tenfold slower pairings would only lengthen; docs/e2e.md "Hosts"), the
#      membership e2e tests of hc cluster add-node / remove-node and of a resharing (not built
#      under the sanitizers: minutes of idle blocks; tests/cli/CMakeLists.txt names the ASan
#      tests that cover their node paths), the doctors'
#      page, the public explorer and the access console in headless Chromium
#      (tests/web/doctor_page_test.py, explorer_page_test.py, console_page_test.py, docs/web.md), and the
#      MULX/ADX Fp kernel's machine code for conditional branches (uninstrumented code only: the
#      sanitizers add branches of their own), and the secret scalar multiplications under
#      Valgrind's memcheck with the scalar marked undefined (tests/crypto/constant_time/
#      check_ct_valgrind.py: memcheck cannot run ASan binaries); then the README's demo
#      (scripts/demo.sh) end to end;
#   2. asan (AddressSanitizer + UBSan; the tests' own code with ASan only, tests/CMakeLists.txt):
#      builds everything and runs every test;
#   3. fuzz (clang): builds the libFuzzer harnesses and runs each briefly: its crash reproducers,
#      its seed corpus and HC_FUZZ_SECONDS (default 5) of fuzzing (docs/fuzzing.md).
# Each test runs once, in the stricter build, so that CI fits in 30 minutes on 2 cores;
# scripts/check_test_stages.py fails the run if a registered test is run by neither stage (or
# by both, except the two that check something else in each build).
# The stages overlap where one leaves the CPU idle, a build running in the background at nice 19
# beside tests that mostly wait (block timers, the DKG's empty blocks, WAN delays, the browser,
# node processes): once the release programs are built and the API flood test has run alone, the
# asan build of hc, hc-node and the multi-process tests (target hc_multiprocess_tests) runs beside
# the other release-stage tests and the demo; the rest of the asan build beside the asan
# multi-process tests (labels e2e, multiprocess: `ctest -L`); the fuzz build beside the other asan
# tests (`ctest -LE`, the same labels: together every test of the asan build). At nice 19 a build
# gets about 1/70 of a CPU that a nice-0 process wants, so it mostly takes time the tests leave
# unused. Each background build's log is build/<name>.log, printed if it fails.
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

# Background builds (see the header): each runs in its own session (setsid), so that a failure
# elsewhere stops its whole process group on exit and no compiler outlives the script.
background_pids=()
stop_background() {
  local pid
  [ "${#background_pids[@]}" -gt 0 ] || return 0
  for pid in "${background_pids[@]}"; do kill -- "-$pid" 2>/dev/null || true; done
  sleep 1  # then again, for any process forked while the first signal was on its way
  for pid in "${background_pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
}
trap stop_background EXIT
# start_background NAME COMMAND...: runs COMMAND at nice 19 in the background, output in
# build/NAME.log. finish_background NAME: waits for it; on failure prints its log's end and exits.
start_background() {
  local name=$1
  shift
  setsid nice -n 19 "$@" >"build/$name.log" 2>&1 &
  background_pids+=("$!")
  eval "background_${name//-/_}=$!"
}
finish_background() {
  local pid_var="background_${1//-/_}" status=0
  wait "${!pid_var}" || status=$?
  local kept=() pid  # forget it, so that the exit trap never signals a reused process group
  for pid in "${background_pids[@]}"; do [ "$pid" = "${!pid_var}" ] || kept+=("$pid"); done
  background_pids=("${kept[@]}")
  if [ "$status" -ne 0 ]; then
    tail -60 "build/$1.log"
    echo "== $1 FAILED (log: build/$1.log)"
    exit 1
  fi
}
# The multi-process tests (labels e2e, multiprocess: real hc-node clusters, mostly waiting on
# commits and timers) run first, while the rest of the asan build goes on beside them.
multiprocess_labels='e2e|multiprocess'
start_asan_build() {
  start_background asan-multiprocess-build bash -c \
    'cmake --preset asan && cmake --build --preset asan -j "$0" --target hc_multiprocess_tests' "$jobs"
}

echo "== release: configure and build the programs and benchmarks"
cmake --preset release >/dev/null
if [ "${HC_TEST_RELEASE_SUITE:-0}" = 1 ]; then
  cmake --build --preset release -j "$jobs"
  start_asan_build
  ctest --preset release -j "$jobs"
else
  cmake --build --preset release -j "$jobs" --target hc_programs e2e_api_flood_test crypto_zeroization_test \
    e2e_hosts_test ct_valgrind_probe cli_cluster_reconfigure_e2e_test
  # First, alone: the API flood's commit-latency bounds are the tightest timing of the stage
  # (and the flood itself leaves little CPU idle).
  build/release/tests/e2e/e2e_api_flood_test
  # The asan build, in the background at nice 19, from here on (see the header).
  start_asan_build
  build/release/tests/crypto/crypto_zeroization_test
  build/release/tests/hosts/e2e_hosts_test
  # hc cluster add-node / remove-node while records flow, and a resharing on a trustees cluster
  # (about 2.5 minutes, mostly idle blocks: beside the asan build, which takes the idle CPU).
  build/release/tests/cli/cli_cluster_reconfigure_e2e_test
  # The doctors' page in headless Chromium against a real cluster (docs/web.md; about a minute).
  # Debian's python3 (python3-selenium's). Exit 77 only when chromium, chromium-driver or
  # python3-selenium is absent (it names which).
  /usr/bin/python3 tests/web/doctor_page_test.py --bin build/release/bin --source . --out build/release/web-screenshots ||
    { rc=$?; [ "$rc" = 77 ] && echo "== web page test SKIPPED (see the line above)" || exit "$rc"; }
  # The public explorer in headless Chromium (docs/web.md "The public explorer"; about a
  # minute), with the same skip rule.
  /usr/bin/python3 tests/web/explorer_page_test.py --bin build/release/bin --out build/release/web-screenshots ||
    { rc=$?; [ "$rc" = 77 ] && echo "== explorer page test SKIPPED (see the line above)" || exit "$rc"; }
  # The access console (hc console: find, read in single-manager and trustees mode, audit trail,
  # health, revocation and key rotation) in headless Chromium (about 50 s), same rule.
  /usr/bin/python3 tests/web/console_page_test.py --bin build/release/bin --out build/release/web-screenshots ||
    { rc=$?; [ "$rc" = 77 ] && echo "== console page test SKIPPED (see the line above)" || exit "$rc"; }
  # The MULX/ADX Fp kernel's machine code has no conditional branch (uninstrumented build only:
  # the sanitizers add branches of their own; the asan stage checks reachability).
  python3 tests/crypto/bls12_381/check_fp_kernels_ct.py tests/crypto/constant_time \
    build/release/src/crypto/bls12_381/libhc_bls12_381.a build/release/src/crypto/groupsig/libhc_groupsig.a
  # The secret scalar multiplications under Valgrind's memcheck with the scalar marked
  # undefined (ctgrind: no branch, conditional move or address may depend on it; about 10 s).
  python3 tests/crypto/constant_time/check_ct_valgrind.py \
    build/release/tests/crypto/constant_time/ct_valgrind_probe
fi
# The README's first command, end to end (it once broke unnoticed when HTTPS became the default).
echo "== release: the consortium demo (bash scripts/demo.sh, output in build/release/demo.log)"
bash scripts/demo.sh --no-build > build/release/demo.log 2>&1 || { tail -40 build/release/demo.log; echo "demo failed"; exit 1; }
stage_done "release (the asan build running beside its tests since the API flood test)"

echo "== asan: finish building the multi-process tests (build/asan-multiprocess-build.log), run them while the rest builds"
finish_background asan-multiprocess-build
stage_done "asan build of hc, hc-node and the multi-process tests, the part left after the release stage"
start_background asan-build cmake --build --preset asan -j "$jobs"
ctest --preset asan -j "$jobs" -L "$multiprocess_labels"
stage_done "asan multi-process tests (the rest of the asan build running beside them)"

echo "== asan: finish building everything (build/asan-build.log), run every other test"
finish_background asan-build
if [ "${HC_TEST_RELEASE_SUITE:-0}" != 1 ]; then
  # Every registered test runs in exactly one stage: the release stage the programs and scripts
  # this file runs above, the asan stage everything its build registers (the two named
  # --in-both check something else there: the zeroization scan skips itself under ASan, the Fp
  # kernels' check is reachability only). A test left out of the sanitizer build must be run above.
  python3 scripts/check_test_stages.py scripts/test.sh build/release build/asan \
    --in-both crypto_zeroization_test --in-both bls12_381_fp_kernels_constant_time
fi
stage_done "asan build, the part left after the multi-process tests"
# The fuzz harnesses build in the background at nice 19 while the other asan tests run.
start_background fuzz-build bash -c 'cmake --preset fuzz && cmake --build --preset fuzz -j "$0"' "$jobs"
# Every test the asan build registers runs: the multi-process ones above, all others here.
ctest --preset asan -j "$jobs" -LE "$multiprocess_labels"
stage_done "asan tests other than the multi-process ones (the fuzz build running beside them)"

echo "== fuzz: finish building the harnesses (build/fuzz-build.log), replay regressions and seeds, fuzz each briefly"
finish_background fuzz-build
bash scripts/fuzz.sh "${HC_FUZZ_SECONDS:-5}"
stage_done fuzz
echo "== all tests passed (release-speed tests in release, every test in asan), fuzzers clean ($(( $(date +%s) - start )) s)"
