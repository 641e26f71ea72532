#!/usr/bin/env bash
# The full anonymity measurement of issue 14 (docs/relay.md): the estimator harness
# (tests/privacy/anonymity_test.cpp) on a 7-hospital consortium of real hc-node processes,
# RECORDS records (default 1000) submitted to uniformly random hospitals, with the stem relay
# on and then off (today's broadcast-at-once, which must fail the 1.5x goal), and the
# submission-to-commit latency of each. Prints every estimator's precision and the JSON report.
#
#   scripts/anonymity.sh [--records N] [--build DIR] [--fluff P] [--max-ratio R] [--seed S]
#   scripts/anonymity.sh --bench [--rounds R] [--rate N] [--duration S] [--build DIR]
#
# --bench: `hc bench` throughput and latency at 4 and 7 nodes, stem on and off in interleaved
# rounds on the same consortium (each switch: hc cluster down, node.json's relay.stem, start).
#
# Exit status: 0 when the stem run meets --max-ratio (default 1.5) and the stem-off run does
# not (the harness sees the leak it is meant to see); 1 otherwise; 2 on bad usage.
set -euo pipefail

records=1000
build=build/release
fluff=""
max_ratio=1.5
seed=14
bench=0
rounds=2
rate=100
duration=10
while [[ $# -gt 0 ]]; do
  case "$1" in
    --records) records="$2"; shift 2 ;;
    --build) build="$2"; shift 2 ;;
    --fluff) fluff="$2"; shift 2 ;;
    --max-ratio) max_ratio="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --bench) bench=1; shift ;;
    --rounds) rounds="$2"; shift 2 ;;
    --rate) rate="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    -h|--help) sed -n 2,16p "$0"; exit 0 ;;
    *) echo "anonymity.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"

# Sets relay.stem in every node.json of cluster $1 and restarts the consortium.
set_stem() {
  "$hc" cluster down --dir "$1" >/dev/null
  for config in "$1"/nodes/*/node.json; do
    python3 - "$config" "$2" <<'PY'
import json, sys
path, stem = sys.argv[1], sys.argv[2] == "on"
doc = json.load(open(path))
doc.setdefault("relay", {})["stem"] = stem
json.dump(doc, open(path, "w"), indent=2)
PY
  done
  "$hc" cluster start --dir "$1" >/dev/null
}

if [[ $bench == 1 ]]; then
  hc="$build/bin/hc"
  export HC_PASSPHRASE="${HC_PASSPHRASE:-anonymity-bench-passphrase-not-secret}"
  for nodes in 4 7; do
    dir="$(mktemp -d --tmpdir --suffix=-hc-relay-bench)"
    trap '"$hc" cluster down --dir "$dir/c" >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
    "$hc" cluster up --nodes "$nodes" --plain-http --dir "$dir/c" >/dev/null
    for round in $(seq 1 "$rounds"); do
      for stem in on off; do
        set_stem "$dir/c" "$stem"
        line=$("$hc" bench --dir "$dir/c" --rate "$rate" --duration "$duration" --csv "$dir/bench.csv" 2>/dev/null |
               grep '^throughput')
        echo "nodes $nodes round $round stem $stem: $line"
      done
    done
    "$hc" cluster down --dir "$dir/c" >/dev/null
    rm -rf "$dir"
    trap - EXIT
  done
  exit 0
fi

binary="$build/tests/privacy/e2e_anonymity_test"
if [[ ! -x "$binary" ]]; then
  echo "anonymity.sh: $binary not built (cmake --build $build --target e2e_anonymity_test hc hc-node)" >&2
  exit 2
fi
report="$(mktemp --tmpdir --suffix=-hc-anonymity.jsonl)"
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
