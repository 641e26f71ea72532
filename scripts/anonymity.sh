#!/usr/bin/env bash
# The full anonymity measurement of issue 14 (docs/relay.md): the estimator harness
# (tests/privacy/anonymity_test.cpp) on a 7-hospital consortium of real hc-node processes,
# RECORDS records (default 1000) submitted to uniformly random hospitals, with the stem relay
# on and then off (today's broadcast-at-once, which must fail the 1.5x goal), and the
# submission-to-commit latency of each. Prints every estimator's precision and the JSON report.
#
#   scripts/anonymity.sh [--records N] [--build DIR] [--fluff P] [--max-ratio R] [--seed S]
#
# Exit status: 0 when the stem run meets --max-ratio (default 1.5) and the stem-off run does
# not (the harness sees the leak it is meant to see); 1 otherwise; 2 on bad usage.
set -euo pipefail

records=1000
build=build/release
fluff=""
max_ratio=1.5
seed=14
while [[ $# -gt 0 ]]; do
  case "$1" in
    --records) records="$2"; shift 2 ;;
    --build) build="$2"; shift 2 ;;
    --fluff) fluff="$2"; shift 2 ;;
    --max-ratio) max_ratio="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    -h|--help) sed -n 2,11p "$0"; exit 0 ;;
    *) echo "anonymity.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
binary="$build/tests/privacy/e2e_anonymity_test"
if [[ ! -x "$binary" ]]; then
  echo "anonymity.sh: $binary not built (cmake --build $build --target e2e_anonymity_test hc hc-node)" >&2
  exit 2
fi
report="$(mktemp /tmp/hc-anonymity-XXXXXX.jsonl)"
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
status=0
for stem in on off; do
  echo "== stem $stem, $records records"
  if HC_ANONYMITY_RECORDS="$records" HC_ANONYMITY_STEM="$stem" HC_ANONYMITY_MAX_RATIO="$max_ratio" \
     HC_ANONYMITY_SEED="$seed" HC_ANONYMITY_FLUFF_PROBABILITY="$fluff" HC_ANONYMITY_REPORT="$report" \
     "$binary" --gtest_brief=1 | grep -E '^(anonymity harness|  )'; then
    [[ "$stem" == on ]] || { echo "stem off passed: the harness did not see the leak"; status=1; }
  else
    [[ "$stem" == off ]] || { echo "stem on: over ${max_ratio}x (or a record did not commit)"; status=1; }
  fi
done
echo "report (one JSON object per run): $report"
exit $status
