#!/usr/bin/env bash
# Runs every libFuzzer harness of fuzz/ (docs/fuzzing.md), HC_FUZZ_JOBS (default: the number
# of cores) at a time.
#
#   scripts/fuzz.sh [SECONDS_PER_HARNESS]   default 600; CI (scripts/test.sh) runs it with 5
#   scripts/fuzz.sh --make-seeds            rewrites fuzz/corpus/ from the real encoders
#
# For each harness: replays every reproducer in fuzz/regressions/<harness>/ (each must pass),
# then fuzzes for SECONDS starting from the committed seeds in fuzz/corpus/<harness>/. New
# inputs go to build/fuzz/work/<harness>/ (the committed corpus is never written), a crash to
# build/fuzz/crashes/<harness>/ (emptied when the harness runs again: copy it out first). Prints executions per second and crashes per harness; exits 1
# if any harness failed a replay or crashed, 2 on bad usage. HC_FUZZ_ONLY=REGEX limits the run
# to the harnesses whose names match; HC_FUZZ_JOBS=N runs N harnesses at once. HC_FUZZ_TIMEOUT=SECONDS (default 10) is libFuzzer's per-input
# limit, in wall-clock time: raise it when the run is niced on a busy machine, where a starved
# process otherwise reports inputs that take milliseconds as timeouts.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { echo "usage: scripts/fuzz.sh [SECONDS_PER_HARNESS] | --make-seeds" >&2; exit 2; }
[ $# -le 1 ] || usage

build() {
  cmake --preset fuzz >/dev/null
  cmake --build --preset fuzz -j "$(nproc)" "$@"
}

if [ "${1:-}" = "--make-seeds" ]; then
  build --target fuzz_make_seeds
  rm -rf fuzz/corpus
  build/fuzz/bin/fuzz_make_seeds fuzz/corpus
  echo "fuzz: seeds written: $(find fuzz/corpus -type f | wc -l) files, $(du -sk fuzz/corpus | cut -f1) KiB"
  exit 0
fi

seconds=${1:-600}
[[ "$seconds" =~ ^[1-9][0-9]*$ ]] || usage

build
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

harnesses=$(sed -n 's/^hc_add_fuzzer(\([a-z0-9_]*\) .*/\1/p' fuzz/CMakeLists.txt)
if [ -n "${HC_FUZZ_ONLY:-}" ]; then harnesses=$(grep -E "$HC_FUZZ_ONLY" <<<"$harnesses" || true); fi
[ -n "$harnesses" ] || { echo "fuzz: error: no harness matches HC_FUZZ_ONLY=${HC_FUZZ_ONLY:-}" >&2; exit 2; }

jobs=${HC_FUZZ_JOBS:-$(nproc)}
[[ "$jobs" =~ ^[1-9][0-9]*$ ]] || { echo "fuzz: error: HC_FUZZ_JOBS must be a positive integer" >&2; exit 2; }
results=build/fuzz/results
rm -rf "$results"
mkdir -p "$results"

# Runs one harness; writes its table row to $results/<harness>.row and, if it failed, an empty
# $results/<harness>.failed.
run_harness() {
  local h=$1 seconds=$2 results=$3
  local bin=build/fuzz/bin/fuzz_$h
  local work=build/fuzz/work/$h
  local crashes=build/fuzz/crashes/$h
  local log=build/fuzz/logs/$h.log
  local failed=0
  rm -rf "$crashes"  # a crash of an earlier run is in its log; this run counts its own
  mkdir -p "$work" "$crashes" "$(dirname "$log")"
  local note=""
  # Reproducers of crashes found before: each is run once and must no longer fail.
  shopt -s nullglob
  local reproducers=(fuzz/regressions/"$h"/*)
  shopt -u nullglob
  if [ ${#reproducers[@]} -gt 0 ]; then
    if ! "$bin" -timeout="${HC_FUZZ_TIMEOUT:-10}" "${reproducers[@]}" >"$log.replay" 2>&1; then
      note="regression replay FAILED (see $log.replay)"
      failed=1
    fi
  fi
  local status=0
  local seeds=()  # a harness without committed seeds yet starts from its work directory alone
  if [ -d "fuzz/corpus/$h" ]; then seeds=("fuzz/corpus/$h"); else note="${note:+$note; }no seed corpus"; fi
  "$bin" -max_total_time="$seconds" -timeout="${HC_FUZZ_TIMEOUT:-10}" \
    -report_slow_units="${HC_FUZZ_TIMEOUT:-10}" -print_final_stats=1 \
    -artifact_prefix="$crashes/" "$work" "${seeds[@]}" >"$log" 2>&1 || status=$?
  local execs rate slow found
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  # A slow-unit file is libFuzzer's report of an input that took long (wall-clock), not a
  # failure: it is listed, and a real timeout still fails the harness through its exit status.
  slow=$(find "$crashes" -type f -name 'slow-unit-*' | wc -l)
  [ "$slow" -eq 0 ] || note="${note:+$note; }$slow slow unit(s) reported in $crashes"
  found=$(find "$crashes" -type f ! -name 'slow-unit-*' | wc -l)
  if [ "$status" -ne 0 ] || [ "$found" -ne 0 ]; then
    note="${note:+$note; }CRASH: $(find "$crashes" -type f ! -name 'slow-unit-*' | head -1) (log: $log)"
    [ "$found" -ne 0 ] || found=1
    failed=1
  fi
  printf '%-26s %10s %12s %8s %s\n' "$h" "${rate:-?}" "${execs:-?}" "$found" "$note" >"$results/$h.row"
  [ "$failed" -eq 0 ] || : >"$results/$h.failed"
}
export -f run_harness

# xargs exits non-zero if a harness's shell did; the rows and .failed marks decide the outcome.
xargs -P "$jobs" -I{} bash -c 'run_harness "$@"' _ {} "$seconds" "$results" <<<"$harnesses" || true
printf '%-26s %10s %12s %8s %s\n' harness "exec/s" executions crashes note
failed=0
for h in $harnesses; do
  if [ -f "$results/$h.row" ]; then cat "$results/$h.row"; else printf '%-26s did not finish\n' "$h"; failed=1; fi
  [ ! -f "$results/$h.failed" ] || failed=1
done
if [ "$failed" -ne 0 ]; then
  echo "fuzz: FAILED (docs/fuzzing.md: how to reproduce and minimize a crash)" >&2
  exit 1
fi
echo "fuzz: every harness ran ${seconds} s without a crash ($jobs at a time)"
