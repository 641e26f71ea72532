#!/usr/bin/env bash
# Long seeded sweep of reconfiguration in the PBFT simulator (issue 16, docs/consensus.md
# section 2c): every reconfig-* scenario, and every scenario of `hc-sim --list-scenarios`
# composed with a change of the replica set (--reconfig join, leave and swap; Byzantine
# strategies also with loss, duplication and partitions), n = 5, 7 and 10, fault periods of 2
# and 8 virtual seconds, 30 s of healing. The accepting height varies with the seed (4..12).
# Prints one line per cell, every violation with the command line that replays it, and a
# total. Exit 1 if any seed failed.
#
#   scripts/soak_reconfig.sh [--seeds-per-cell N] [--first-seed S] [--sizes "5 7"]
#                            [--durations "2000"] [--kinds "join leave swap"] [--hc-sim PATH]
#                            [--scenarios "reconfig-two-faced byzantine-two-faced"]
#
# Runs on one core (start it with `nice`); seeds are consecutive from --first-seed.
# --scenarios keeps only the cells of the scenarios named (default: every one).
set -euo pipefail

seeds_per_cell=20
first_seed=1
sizes="5 7 10"
durations="2000 8000"
kinds="join leave swap"
heal=30000
hc_sim=""
only_scenarios=""

usage() { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seeds-per-cell) seeds_per_cell="$2"; shift 2 ;;
    --first-seed) first_seed="$2"; shift 2 ;;
    --sizes) sizes="$2"; shift 2 ;;
    --durations) durations="$2"; shift 2 ;;
    --kinds) kinds="$2"; shift 2 ;;
    --hc-sim) hc_sim="$2"; shift 2 ;;
    --scenarios) only_scenarios="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "soak_reconfig.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done
[[ "$seeds_per_cell" =~ ^[1-9][0-9]*$ ]] || { echo "soak_reconfig.sh: --seeds-per-cell must be a positive integer" >&2; exit 2; }
[[ "$first_seed" =~ ^[0-9]+$ ]] || { echo "soak_reconfig.sh: --first-seed must be a non-negative integer" >&2; exit 2; }

root="$(cd "$(dirname "$0")/.." && pwd)"
if [[ -z "$hc_sim" ]]; then hc_sim="$root/build/release/bin/hc-sim"; fi
[[ -x "$hc_sim" ]] || { echo "soak_reconfig.sh: $hc_sim not found; build the hc-sim target first" >&2; exit 2; }

# selected SCENARIO: whether --scenarios (if given) names it.
selected() { [[ -z "$only_scenarios" || " $only_scenarios " == *" $1 "* ]]; }

total_seeds=0
total_violations=0
start=$(date +%s)

# run_cell DESCRIPTION FLAGS...: one hc-sim invocation, its summary line and violations.
run_cell() {
  local description="$1"; shift
  local out summary run bad
  out="$("$hc_sim" "$@" --seed "$first_seed" --seeds "$seeds_per_cell" --heal "$heal" \
           --keep-going --trace-lines 0 || true)"
  summary="$(grep -E ' seeds run, ' <<<"$out" || true)"
  if [[ -z "$summary" ]]; then
    echo "ERROR $description: hc-sim gave no summary" >&2
    echo "$out" >&2
    exit 2
  fi
  run=$(sed -E 's/.*: ([0-9]+) seeds run.*/\1/' <<<"$summary")
  bad=$(sed -E 's/.* ([0-9]+) violations.*/\1/' <<<"$summary")
  total_seeds=$((total_seeds + run))
  total_violations=$((total_violations + bad))
  echo "$description: $summary"
  grep -E '^(VIOLATION|  replay:)' <<<"$out" || true
}

for n in $sizes; do
  for duration in $durations; do
    for scenario in $("$hc_sim" --list-reconfig-scenarios); do
      selected "$scenario" || continue
      run_cell "duration=${duration}ms $scenario" --scenario "$scenario" --replicas "$n" --duration "$duration"
    done
    for scenario in $("$hc_sim" --list-scenarios); do
      selected "$scenario" || continue
      for kind in $kinds; do
        variants=("")
        if [[ "$scenario" == byzantine-* ]]; then
          variants+=("--loss 0.03 --duplicate 0.03 --partition 2")
        fi
        for extra in "${variants[@]}"; do
          # shellcheck disable=SC2086  # extra is a list of flags
          run_cell "duration=${duration}ms --reconfig $kind ${extra:+[$extra] }$scenario" \
            --scenario "$scenario" --replicas "$n" --duration "$duration" --reconfig "$kind" $extra
        done
      done
    done
  done
done
echo "soak_reconfig: $total_seeds seeds run, $total_violations violations, $(( $(date +%s) - start )) s"
[[ "$total_violations" -eq 0 ]]
