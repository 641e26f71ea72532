#!/usr/bin/env bash
# Long seeded sweep of the PBFT simulator (issue 12): every scenario (each Byzantine strategy
# alone and composed with loss, duplication and partitions), n = 4, 7, 10, 13 and 16, fault
# periods of 8, 15 and 30 virtual seconds, 30 s of healing. Prints one line per cell, every
# violation with the command line that replays it, and a total. Exit 1 if any seed failed.
#
#   scripts/soak.sh [--seeds-per-cell N] [--first-seed S] [--sizes "4 7"] [--durations "8000"]
#                   [--scenarios "normal byzantine-silent"] [--hc-sim PATH]
#
# Runs on one core (start it with `nice`); seeds are consecutive from --first-seed, so two
# sweeps with different first seeds cover different runs.
set -euo pipefail

seeds_per_cell=20
first_seed=1
sizes="4 7 10 13 16"
durations="8000 15000 30000"
heal=30000
hc_sim=""
scenarios=""

usage() { sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seeds-per-cell) seeds_per_cell="$2"; shift 2 ;;
    --first-seed) first_seed="$2"; shift 2 ;;
    --sizes) sizes="$2"; shift 2 ;;
    --durations) durations="$2"; shift 2 ;;
    --scenarios) scenarios="$2"; shift 2 ;;
    --hc-sim) hc_sim="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "soak.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done
[[ "$seeds_per_cell" =~ ^[1-9][0-9]*$ ]] || { echo "soak.sh: --seeds-per-cell must be a positive integer" >&2; exit 2; }
[[ "$first_seed" =~ ^[0-9]+$ ]] || { echo "soak.sh: --first-seed must be a non-negative integer" >&2; exit 2; }

root="$(cd "$(dirname "$0")/.." && pwd)"
if [[ -z "$hc_sim" ]]; then hc_sim="$root/build/release/bin/hc-sim"; fi
[[ -x "$hc_sim" ]] || { echo "soak.sh: $hc_sim not found; build the hc-sim target first" >&2; exit 2; }
if [[ -z "$scenarios" ]]; then scenarios="$("$hc_sim" --list-scenarios | tr '\n' ' ')"; fi

total_seeds=0
total_violations=0
start=$(date +%s)
for n in $sizes; do
  for duration in $durations; do
    for scenario in $scenarios; do
      variants=("")
      # Byzantine strategies also run composed with an unreliable network.
      if [[ "$scenario" == byzantine-* ]]; then
        variants+=("--loss 0.03 --duplicate 0.03 --partition 2")
      fi
      for extra in "${variants[@]}"; do
        # shellcheck disable=SC2086  # extra is a list of flags
        out="$("$hc_sim" --scenario "$scenario" --replicas "$n" --seed "$first_seed" \
                 --seeds "$seeds_per_cell" --duration "$duration" --heal "$heal" $extra \
                 --keep-going --trace-lines 0 || true)"
        summary="$(grep -E ' seeds run, ' <<<"$out" || true)"
        if [[ -z "$summary" ]]; then
          echo "ERROR $scenario n=$n duration=$duration $extra: hc-sim gave no summary" >&2
          echo "$out" >&2
          exit 2
        fi
        run=$(sed -E 's/.*: ([0-9]+) seeds run.*/\1/' <<<"$summary")
        bad=$(sed -E 's/.* ([0-9]+) violations.*/\1/' <<<"$summary")
        total_seeds=$((total_seeds + run))
        total_violations=$((total_violations + bad))
        echo "duration=${duration}ms ${extra:+[$extra] }$summary"
        grep -E '^(VIOLATION|  replay:)' <<<"$out" || true
      done
    done
  done
done
echo "soak: $total_seeds seeds run, $total_violations violations, $(( $(date +%s) - start )) s"
[[ "$total_violations" -eq 0 ]]
