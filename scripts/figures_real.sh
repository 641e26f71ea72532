#!/usr/bin/env bash
# The paper's Figures 9 and 10 from real processes (issue 18 item 5; docs/consensus.md,
# "Projection of the paper's Figures 9 and 10"): for each n, `hc cluster up --nodes n` starts n
# real hc-node processes on 127.0.0.1 (HTTPS, single-manager, PBFT over TLS peer links), and
# `hc bench` drives them twice: once above what n replicas can commit (throughput) and once at
# half of that (latency). All processes share this machine's cores, so the absolute figures are
# not the paper's; the comparable quantity is the CPU per committed record: the nodes' user +
# system time during the saturated bench (from /proc/PID/stat) plus the bench client's, divided
# by the records it committed. Also recorded per n: the nodes' resident memory and open file
# descriptors after the run (what limits n here), and the load average at the start of each
# point (a point started above HC_FIGURES_MAX_LOAD waits up to a minute for it to fall, and
# says so in the CSV).
#
# Loopback, not network namespaces: scripts/hosts.sh's namespaces need a user-space relay per
# link for the delay, whose CPU would be charged to the same 2 cores and grows as n^2.
#
# Not run by CI. Usage: scripts/figures_real.sh [OUT.csv] (default
# docs/figures/consensus_real.csv). Environment: HC_FIGURES_SIZES="4 7 10 16 24 32 48 64",
# HC_FIGURES_SECONDS=15 (offered load period of each bench), HC_FIGURES_MAX_LOAD=3,
# HC_FIGURES_KEEP=1 (keep the last point's directory: node logs, bench output),
# HC_BIN=build/release/bin. Needs the release hc and hc-node built.
set -euo pipefail
cd "$(dirname "$0")/.."

out=${1:-docs/figures/consensus_real.csv}
bin=${HC_BIN:-build/release/bin}
sizes=${HC_FIGURES_SIZES:-4 7 10 16 24 32 48 64}
seconds=${HC_FIGURES_SECONDS:-15}
max_load=${HC_FIGURES_MAX_LOAD:-3}
for program in hc hc-node; do
  [ -x "$bin/$program" ] || { echo "scripts/figures_real.sh: $bin/$program is not built" >&2; exit 2; }
done

# The throwaway cluster's key files are sealed with this (hc reads it from the environment only).
export HC_PASSPHRASE="${HC_PASSPHRASE:-figures-real-throwaway-cluster}"

work=$(mktemp -d)  # a fresh private directory under $TMPDIR or /tmp
cleanup() {
  if [ -f "$work/c/cluster.json" ]; then "$bin/hc" cluster down --dir "$work/c" >/dev/null 2>&1 || true; fi
  if [ "${HC_FIGURES_KEEP:-0}" = 1 ]; then echo "kept $work (the last point's cluster, logs and bench output)"; else rm -rf "$work"; fi
}
trap cleanup EXIT

clock_ticks=$(getconf CLK_TCK)
load1() { cut -d' ' -f1 /proc/loadavg; }

# The node pids of the cluster in $1 (from hc cluster up's state file), one a line.
node_pids() {
  python3 -c 'import json,sys; print("\n".join(str(n["pid"]) for n in json.load(open(sys.argv[1]))["nodes"]))' \
    "$1/cluster.json"
}

# Sum of utime + stime of the given pids, in clock ticks.
cpu_ticks() {
  local total=0 pid fields
  for pid in "$@"; do
    # Fields after the command name's closing parenthesis: utime is the 12th, stime the 13th.
    fields=$(sed 's/^.*) //' "/proc/$pid/stat")
    total=$(( total + $(echo "$fields" | awk '{print $12 + $13}') ))
  done
  echo "$total"
}

# Waits (up to a minute) for the 1-minute load average to fall to $max_load; prints "waited"
# or "loaded" (still above) or "quiet".
wait_for_quiet() {
  local waited=0
  while awk -v l="$(load1)" -v m="$max_load" 'BEGIN{exit !(l > m)}'; do
    if [ "$waited" -ge 60 ]; then echo loaded; return; fi
    sleep 10
    waited=$(( waited + 10 ))
  done
  if [ "$waited" -gt 0 ]; then echo waited; else echo quiet; fi
}

# Runs hc bench at rate $1; sets bench_line1/bench_line2 (empty if it failed, which it reports)
# and bench_cpu_s (the client's user + system seconds).
run_bench() {
  local rate=$1 timing
  TIMEFORMAT='%U %S'
  bench_rc=0
  { time "$bin/hc" bench --dir "$work/c" --rate "$rate" --duration "$seconds" --verify-ms 1.424 \
      --csv "$work/records.csv" > "$work/bench.out" 2> "$work/bench.err"; } 2> "$work/time.out" || bench_rc=$?
  if [ "$bench_rc" != 0 ]; then
    echo "n=$n: hc bench at $rate/s exited $bench_rc: $(tr '\r' '\n' < "$work/bench.err" | grep -v '^\[' | tail -1)" >&2
  fi
  timing=$(tail -1 "$work/time.out")
  bench_cpu_s=$(echo "$timing" | awk '{print $1 + $2}')
  bench_line1=$(grep '^nodes ' "$work/bench.out" || true)
  bench_line2=$(grep '^throughput ' "$work/bench.out" || true)
}

echo "replicas,offered_per_s,committed,throughput_per_s,latency_load_per_s,latency_median_ms,latency_p99_ms,node_cpu_ms_per_record,client_cpu_ms_per_record,cpu_ms_per_record,node_rss_mib_mean,node_fds_mean,load_at_start,load_note" > "$out"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(date -u '+%Y-%m-%d %H:%M UTC')"
for n in $sizes; do
  note=$(wait_for_quiet)
  load_start=$(load1)
  rm -rf "$work/c"
  if ! "$bin/hc" cluster up --nodes "$n" --dir "$work/c" --requests-per-minute 1000000 > "$work/up.log" 2>&1; then
    echo "n=$n: hc cluster up failed (last lines below); stopping here" >&2
    tail -3 "$work/up.log" >&2
    break
  fi
  mapfile -t pids < <(node_pids "$work/c")
  # About 2.4 ms of CPU per record and replica (README, "A running consortium"): offer 1.3x
  # what the cores allow so that the first bench saturates.
  rate=$(awk -v n="$n" -v c="$(nproc)" 'BEGIN{r = 1.3 * c * 1000 / (2.4 * n); if (r < 2) r = 2; printf "%.0f", r}')
  before=$(cpu_ticks "${pids[@]}")
  run_bench "$rate"
  after=$(cpu_ticks "${pids[@]}")
  if [ -z "$bench_line2" ]; then
    echo "n=$n: hc bench committed nothing: $(tail -1 "$work/bench.err")" >&2
    "$bin/hc" cluster down --dir "$work/c" > /dev/null 2>&1 || true
    break
  fi
  committed=$(echo "$bench_line1" | sed -E 's/.*: ([0-9]+) committed.*/\1/')
  tput=$(echo "$bench_line2" | sed -E 's/^throughput ([0-9.]+) .*/\1/')
  node_ms=$(awk -v a="$after" -v b="$before" -v t="$clock_ticks" -v c="$committed" 'BEGIN{printf "%.2f", (a - b) / t * 1000 / c}')
  client_ms=$(awk -v s="$bench_cpu_s" -v c="$committed" 'BEGIN{printf "%.2f", s * 1000 / c}')
  total_ms=$(awk -v x="$node_ms" -v y="$client_ms" 'BEGIN{printf "%.2f", x + y}')
  rss=0
  fds=0
  for pid in "${pids[@]}"; do
    rss=$(( rss + $(awk '/^VmRSS:/{print $2}' "/proc/$pid/status") ))
    fds=$(( fds + $(ls "/proc/$pid/fd" | wc -l) ))
  done
  rss_mib=$(awk -v r="$rss" -v n="$n" 'BEGIN{printf "%.0f", r / n / 1024}')
  fds_mean=$(awk -v f="$fds" -v n="$n" 'BEGIN{printf "%.0f", f / n}')
  # Latency at half the measured throughput (as the simulator's projection does).
  half=$(awk -v t="$tput" 'BEGIN{h = t / 2; if (h < 1) h = 1; printf "%.1f", h}')
  run_bench "$half"
  median=$(echo "$bench_line2" | sed -E 's/.*median ([0-9.]+) ms.*/\1/')
  p99=$(echo "$bench_line2" | sed -E 's/.*p99 ([0-9.]+) ms.*/\1/')
  echo "$n,$rate,$committed,$tput,$half,$median,$p99,$node_ms,$client_ms,$total_ms,$rss_mib,$fds_mean,$load_start,$note" >> "$out"
  echo "n=$n: offered $rate/s: $tput committed/s, $total_ms ms CPU per record ($node_ms nodes + $client_ms client); at $half/s latency median $median ms, p99 $p99 ms; node RSS $rss_mib MiB, $fds_mean fds; load at start $load_start ($note), now $(load1)"
  "$bin/hc" cluster down --dir "$work/c" > /dev/null 2>&1 || true
done
echo "wrote $out"
