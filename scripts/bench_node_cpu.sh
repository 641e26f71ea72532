#!/usr/bin/env bash
# The nodes' CPU per committed record under `hc bench` (issue 18 item 4; docs/node.md, "Where a
# record's CPU goes"). Starts a local consortium with the hc / hc-node of BIN_DIR, reads the
# nodes' user + system time from /proc before and after `hc bench`, and prints one line:
#   bin=... mode=... nodes=N committed=K node_cpu_ms_per_record=X load=...
# followed by hc bench's own summary (throughput, latency, the bound measured in the same run).
# With PERF_OUT set, `perf record -e cpu-clock --call-graph dwarf` samples every node while the
# bench runs (scripts/perf_categories.py sorts the samples into categories).
#
# usage: scripts/bench_node_cpu.sh BIN_DIR MODE NODES RATE DURATION WORK_DIR
#   MODE: single-manager | trustees
set -euo pipefail

if [ $# -ne 6 ]; then
  echo "usage: $0 BIN_DIR MODE NODES RATE DURATION WORK_DIR" >&2
  exit 2
fi
bin=$1 mode=$2 nodes=$3 rate=$4 duration=$5 work=$6
rm -rf "$work"
mkdir -p "$work"
cluster="$work/cluster"
export HC_PASSPHRASE=${HC_PASSPHRASE:-bench-node-cpu}

cleanup() { "$bin/hc" cluster down --dir "$cluster" >/dev/null 2>&1 || true; }
trap cleanup EXIT

"$bin/hc" cluster up --dir "$cluster" --nodes "$nodes" --requests-per-minute 100000 \
  --access-mode "$mode" >"$work/up.log" 2>&1

if [ "$mode" = trustees ]; then
  # The records are sealed to the trustees' access key: wait until every node holds its share.
  for _ in $(seq 1 240); do
    ready=0
    for url in $(python3 -c 'import json,sys; print(" ".join(n["api_url"] for n in json.load(open(sys.argv[1]))["nodes"]))' \
      "$cluster/cluster.json"); do
      answer=$("$bin/hc" trustee status --node "$url" --genesis "$cluster/genesis.json" \
        --token-file "$cluster/manager/reader.token" --json 2>/dev/null || true)
      case "$answer" in *'"share_ready": true'* | *'"share_ready":true'*) ready=$((ready + 1)) ;; esac
    done
    [ "$ready" = "$nodes" ] && break
    sleep 0.5
  done
  [ "$ready" = "$nodes" ] || { echo "the access key did not form in 120 s" >&2; exit 1; }
fi

pids=$(python3 -c 'import json,sys; print(" ".join(str(n["pid"]) for n in json.load(open(sys.argv[1]))["nodes"]))' \
  "$cluster/cluster.json")
ticks=$(getconf CLK_TCK)
node_cpu_ticks() {
  local total=0 p
  for p in $pids; do
    # utime and stime: fields 14 and 15 of /proc/PID/stat (the command name has no spaces here).
    set -- $(cat "/proc/$p/stat")
    total=$((total + ${14} + ${15}))
  done
  echo "$total"
}

perf_pid=""
if [ -n "${PERF_OUT:-}" ]; then
  perf record -e cpu-clock -F 199 --call-graph dwarf,16384 -p "${pids// /,}" -o "$PERF_OUT" \
    >"$work/perf.log" 2>&1 &
  perf_pid=$!
  sleep 1
fi
load_before=$(cut -d' ' -f1 /proc/loadavg)
before=$(node_cpu_ticks)
"$bin/hc" bench --dir "$cluster" --rate "$rate" --duration "$duration" --csv "$work/records.csv" \
  >"$work/bench.out" 2>"$work/bench.err" || echo "hc bench exited $?" >>"$work/bench.out"
after=$(node_cpu_ticks)
load_after=$(cut -d' ' -f1 /proc/loadavg)
if [ -n "$perf_pid" ]; then
  kill -INT "$perf_pid" 2>/dev/null || true
  wait "$perf_pid" 2>/dev/null || true
fi
committed=$(sed -n 's/.*: \([0-9]*\) committed,.*/\1/p' "$work/bench.out")
python3 - "$bin" "$mode" "$nodes" "${committed:-0}" "$before" "$after" "$ticks" "$load_before" "$load_after" <<'EOF'
import sys
b, mode, n, k, t0, t1, hz, l0, l1 = sys.argv[1:]
k = int(k)
ms = (int(t1) - int(t0)) * 1000.0 / int(hz)
per = ms / k if k else float("nan")
print(f"bin={b} mode={mode} nodes={n} committed={k} node_cpu_ms={ms:.0f} "
      f"node_cpu_ms_per_record={per:.2f} load={l0}-{l1}")
EOF
cat "$work/bench.out"
# Each node's counters of interest, from its /metrics with its administrator's token (names a
# build does not have are simply absent).
python3 -c 'import json,sys,os; [print(n["api_url"], os.path.join(os.path.dirname(n["config"]), "admin.token")) for n in json.load(open(sys.argv[1]))["nodes"]]' \
  "$cluster/cluster.json" | while read -r url token; do
  curl -sk -H "Authorization: Bearer $(cat "$token")" "$url/metrics" 2>/dev/null |
    grep -E '^hc_(stem_records_checked|stem_check_batches|signatures_verified|consensus_preverified|consensus_preverify_dropped)_total ' |
    tr '\n' ' ' | sed "s|^|metrics $url: |"
  echo
done
