#!/usr/bin/env bash
# The long test across separate hosts on this machine (issue 15 item 5; docs/e2e.md "Hosts"):
# 7 hospitals, each in its own network namespace, 20 ms one-way between hosts (user-space relays),
# deployed as docs/deploy.md deploys real hospitals, HTTPS pinned to the genesis:
#   1. the flow, SIGKILL of the primary, a partition of f = 2 hosts that heals;
#   2. `hc bench` on 4 and 7 hosts at several offered rates (the paper's Figures 9 and 10), the
#      WAN delay between the nodes, the doctors next to their hospital's node;
#   3. the control: the same `hc bench` on a local cluster (`hc cluster up`, 127.0.0.1, no delay)
#      on the same machine at the same time, to tell the WAN's cost from the machine's.
# Prints the figures ("[hosts]", "[bench]", "[control]" lines); the full output stays in
# build/release/hosts-long.log. Needs root (network namespaces). Environment:
# HC_HOSTS_BENCH="4:10,25,50,100 7:10,25,50", HC_HOSTS_BENCH_SECONDS=20, HC_HOSTS_DELAY_MS=20,
# HC_HOSTS_CONTROL=0 to skip step 3 (see tests/hosts/hosts_long_test.cpp).
# Bounded: the test run is stopped after 45 minutes, each control bench after 10.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" != 0 ]; then
  echo "scripts/hosts.sh: needs root (ip netns add); nothing run" >&2
  exit 2
fi
export CMAKE_CXX_COMPILER_LAUNCHER="${CMAKE_CXX_COMPILER_LAUNCHER:-ccache}"
cmake --preset release >/dev/null
cmake --build build/release -j "$(nproc)" --target e2e_hosts_long
log=build/release/hosts-long.log
start=$(date +%s)
rc=0
timeout --signal=TERM --kill-after=30 2700 build/release/tests/hosts/e2e_hosts_long "$@" 2>&1 | tee "$log" || rc=$?

if [ "${HC_HOSTS_CONTROL:-1}" = 1 ]; then
  control=$(mktemp -d /tmp/hc-hosts-control.XXXXXX)
  trap 'build/release/bin/hc cluster down --dir "$control/c" >/dev/null 2>&1 || true; rm -rf "$control"' EXIT
  for item in ${HC_HOSTS_BENCH:-4:10,25,50,100 7:10,25,50}; do
    nodes=${item%%:*}
    build/release/bin/hc cluster up --nodes "$nodes" --dir "$control/c" --requests-per-minute 100000 \
      >> "$log" 2>&1 || { echo "control: hc cluster up failed" | tee -a "$log"; rc=1; continue; }
    rates=${item#*:}
    for r in ${rates//,/ }; do
      out=$(timeout 600 build/release/bin/hc bench --dir "$control/c" --rate "$r" \
        --duration "${HC_HOSTS_BENCH_SECONDS:-20}" --verify-ms 1.424 --csv "$control/bench.csv" 2>>"$log") || rc=1
      while IFS= read -r line; do
        case "$line" in "per-record CSV"*) ;; *) echo "[control] $nodes nodes on 127.0.0.1: $line" | tee -a "$log" ;; esac
      done <<< "$out"
    done
    build/release/bin/hc cluster down --dir "$control/c" >> "$log" 2>&1 || true
    rm -rf "$control/c"
  done
fi
echo
echo "== figures ($(( $(date +%s) - start )) s; machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
grep -E '^\[(hosts|bench|control)\]' "$log" || true
exit "$rc"
