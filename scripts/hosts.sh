#!/usr/bin/env bash
# The long test across separate hosts on this machine (issue 15 item 5; docs/e2e.md "Hosts"):
# 7 hospitals, each in its own network namespace, 20 ms one-way between hosts (user-space relays),
# deployed as docs/deploy.md deploys real hospitals, HTTPS pinned to the genesis:
#   1. the flow, SIGKILL of the primary, a partition of f = 2 hosts that heals;
#   2. `hc bench` on 4 and 7 hosts at several offered rates (the paper's Figures 9 and 10).
# Prints the figures ("[bench] ..." lines) and leaves the full output in build/release/hosts-long.log.
# Needs root (network namespaces). Environment: HC_HOSTS_BENCH="4:50,100,200 7:25,50,100",
# HC_HOSTS_BENCH_SECONDS=20, HC_HOSTS_DELAY_MS=20 (see tests/hosts/hosts_long_test.cpp).
# Bounded: each test has its own timeouts, and the whole run is stopped after 45 minutes.
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
echo
echo "== figures ($(( $(date +%s) - start )) s; machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))"
grep -E '^\[(hosts|bench)\]' "$log" || true
exit "$rc"
