#!/usr/bin/env bash
# Issue 13's benchmark "end-to-end retrieval latency of a patient with 1, 10 and 100 visits with
# t = 3 of 4 and 5 of 7" (trustees mode; docs/threshold.md "Retrieval latency"). Not run by CI.
#
#   bash scripts/bench_access.sh [--nodes "4 7"] [--visits "1 10 100"] [--repeat R] [--dir D]
#                                [--jobs J] [--no-build]
#
# For each N in --nodes: starts a local trustees-mode consortium (`hc cluster up --access-mode
# trustees`, N hospitals, t = 2f+1 from the genesis), waits until every trustee holds its share of
# the access key, then, for each V in --visits, doctors of the N hospitals (round robin) submit V
# version-2 visits of one patient with `hc record submit --wait`, J at a time (--jobs, default 8),
# and the manager reads that patient R times (--repeat, default 3) with `hc access request`, the
# patient's name and ID from a file. Each read is timed on the wall clock from the command's start
# to its exit (the decrypted visits printed); the script FAILS if a read does not exit 0 with
# exactly V visits and no unreadable record. The read is split at the moment hc prints that the
# request is committed: "to commit" = client start, loading the manager's key, fetching and
# verifying the patient's records and the access key, posting the request and waiting for its
# commit; "after commit" = waiting for t trustees' decryption shares, checking every share's proof,
# combining, decrypting and opening the signatures (hc does not print finer steps). When the
# nodes sign records with BBS04-ElGamal under the trustees' opener key, `hc access request` also
# asks to open and "after commit" includes t trustees' partial openings, their proofs and the
# combination (threshold opening); each run says which way the hospitals were named
# ("opening: trustees" or "opening: none": no opener key exists outside the trustees' shares),
# and --require-threshold-opening fails a run
# whose hospitals were not named by the trustees.
# Prints a table: nodes, t, visits, runs, median/min/max latency and the median split, in ms.
# --dir D: work directory (default build/release/bench-access; its n<N> subdirectories are
# replaced). Every consortium started here is stopped at the end, on failure too.
# --no-build: use build/release/bin/hc and hc-node as they are.
# --require-threshold-opening: fail unless every read named the hospitals by threshold opening.
set -euo pipefail
cd "$(dirname "$0")/.."

nodes_list="4 7"
visits_list="1 10 100"
repeat=3
jobs=8
work="$PWD/build/release/bench-access"
build=1
require_opening=0
need() { [ $# -ge 2 ] && [ -n "$2" ] || { echo "bench_access: $1 needs a value" >&2; exit 2; }; }
while [ $# -gt 0 ]; do
  case "$1" in
    --nodes) need "$@"; nodes_list=$2; shift 2 ;;
    --visits) need "$@"; visits_list=$2; shift 2 ;;
    --repeat) need "$@"; repeat=$2; shift 2 ;;
    --jobs) need "$@"; jobs=$2; shift 2 ;;
    --dir) need "$@"; work=$2; shift 2 ;;
    --require-threshold-opening) require_opening=1; shift ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,29p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench_access: unknown argument '$1' (see bash scripts/bench_access.sh --help)" >&2; exit 2 ;;
  esac
done
is_count() { [[ "$1" =~ ^[1-9][0-9]*$ ]]; }
for n in $nodes_list; do
  is_count "$n" && [ "$n" -ge 4 ] && [ "$n" -le 64 ] || { echo "bench_access: --nodes: '$n' is not a number of hospitals in 4..64" >&2; exit 2; }
done
for v in $visits_list; do
  is_count "$v" && [ "$v" -le 256 ] || { echo "bench_access: --visits: '$v' is not a number of visits in 1..256" >&2; exit 2; }
done
[ -n "${nodes_list// /}" ] || { echo "bench_access: --nodes is empty" >&2; exit 2; }
[ -n "${visits_list// /}" ] || { echo "bench_access: --visits is empty" >&2; exit 2; }
is_count "$repeat" && [ "$repeat" -le 1000 ] || { echo "bench_access: --repeat must be a number in 1..1000" >&2; exit 2; }
is_count "$jobs" && [ "$jobs" -le 64 ] || { echo "bench_access: --jobs must be a number in 1..64" >&2; exit 2; }

if [ "$build" = 1 ]; then
  export CMAKE_CXX_COMPILER_LAUNCHER="${CMAKE_CXX_COMPILER_LAUNCHER:-ccache}"
  export CMAKE_C_COMPILER_LAUNCHER="${CMAKE_C_COMPILER_LAUNCHER:-ccache}"
  cmake --preset release >/dev/null
  cmake --build build/release -j "$(nproc)" --target hc hc-node >/dev/null
fi
hc="$PWD/build/release/bin/hc"
[ -x "$hc" ] || { echo "bench_access: $hc is missing (run without --no-build)" >&2; exit 2; }
mkdir -p "$work"
work=$(cd "$work" && pwd)

# A passphrase for every key of these throw-away local consortiums (through the environment,
# never on a command line).
export HC_PASSPHRASE="bench-access-throwaway-passphrase"
started=()
cleanup() {
  for d in "${started[@]}"; do "$hc" cluster down --dir "$d" >/dev/null 2>&1 || true; done
}
trap cleanup EXIT
fail() { echo "bench_access: ERROR: $*" >&2; exit 1; }

log="$work/bench-access.log"
: > "$log"
results="$work/results.tsv"   # nodes t visits total_ms commit_ms after_ms
: > "$results"

node_field() {  # cluster-dir index field: a node's field from cluster.json (0-based index)
  python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['nodes'][int(sys.argv[2])][sys.argv[3]])" \
    "$1/cluster.json" "$2" "$3"
}
trustee_ready() {  # cluster-dir index: prints True when the node holds its key share
  "$hc" trustee status --node "$(node_field "$1" "$2" api_url)" --genesis "$1/genesis.json" \
    --token-file "$1/manager/reader.token" --json 2>/dev/null |
    python3 -c "import json,sys; print(json.load(sys.stdin).get('share_ready'))" 2>/dev/null || echo "?"
}
heights() {  # cluster-dir: every node's committed height, one a line (unreachable: -1)
  python3 - "$1" <<'PY'
import json, ssl, sys, urllib.request
d = sys.argv[1]
for n in json.load(open(d + "/cluster.json"))["nodes"]:
    base = n["api_url"]
    tls = ssl.create_default_context(cafile=f"{d}/nodes/{n['name']}/tls-ca.pem") if base.startswith("https://") else None
    try:
        print(json.load(urllib.request.urlopen(base + "/v1/status", context=tls, timeout=5))["height"])
    except Exception:
        print(-1)
PY
}

# One visit of the patient, submitted by a doctor of hospital (i mod N): called by xargs.
submit_one() {  # i
  local i=$1 k=$(( ($1 - 1) % bench_n ))
  local name; name=$(node_field "$bench_dir" "$k" name)
  local f="$bench_visits/$i.visit"
  ( umask 077; printf 'name: %s\nid: %s\ntime: %s\ndiagnosis: %s\n' "$bench_patient_name" "$bench_patient_id" \
      "$(date -u -d "@$((1767225600 + i * 60))" +%Y-%m-%dT%H:%M:%SZ)" "bench visit $i of $bench_v" > "$f" )
  if ! "$hc" record submit --wait --node "$(node_field "$bench_dir" "$k" api_url)" \
      --token-file "$bench_dir/nodes/$name/doctor.token" --pseudonym-key "$bench_dir/manager/pseudonym.key" \
      --genesis "$bench_dir/genesis.json" --visit-file "$f" >/dev/null 2>"$f.err"; then
    echo "visit $i via $name: $(tail -n 1 "$f.err")" >&2
    return 1
  fi
}
export -f submit_one node_field
export hc

# One timed `hc access request`: prints "total_ms commit_ms after_ms visits unreadable exit
# opened" (opened: 1 when every request's hospitals were named by the trustees' threshold opening).
# hc runs on a pseudo-terminal so that its progress lines come out (and are timed) as printed.
timed_read() {  # cluster-dir reader-index patient-file
  python3 - "$hc" "$1/manager" "$(node_field "$1" "$2" api_url)" "$3" "$log" <<'PY'
import os, pty, re, subprocess, sys, time
hc, manager, node, patient, log = sys.argv[1:6]
cmd = [hc, "access", "request", "--dir", manager, "--node", node, "--patient-file", patient,
       "--purpose", "retrieval latency benchmark", "--timeout", "300"]
master, slave = pty.openpty()
start = time.monotonic()
with open(log, "a") as err:
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=slave, stderr=err)
os.close(slave)
buf, commit = b"", None
while True:
    try:
        chunk = os.read(master, 65536)
    except OSError:
        chunk = b""
    if not chunk:
        break
    buf += chunk
    if commit is None and b"committed at height" in buf:
        commit = time.monotonic()
rc = p.wait()
end = time.monotonic()
os.close(master)
text = buf.decode("utf-8", "replace")
m = re.search(r"(\d+) verified item\(s\) on the chain, (\d+) visit\(s\), (\d+) unreadable record\(s\)", text)
visits, unreadable = (int(m.group(2)), int(m.group(3))) if m else (-1, -1)
if rc != 0:
    with open(log, "a") as f:
        f.write("hc access request exited %d; its last lines:\n%s\n" % (rc, "\n".join(text.splitlines()[-5:])))
total = (end - start) * 1000
to_commit = (commit - start) * 1000 if commit else -1
after = (end - commit) * 1000 if commit else -1
by_trustees = text.count("named by the trustees' threshold opening")
by_manager = text.count("found with the manager's opener key")
opened = 1 if by_trustees > 0 and by_manager == 0 else 0
print("%.0f %.0f %.0f %d %d %d %d" % (total, to_commit, after, visits, unreadable, rc, opened))
PY
}

echo "== bench_access: nodes '$nodes_list', visits '$visits_list', $repeat run(s) each; work dir $work"
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(uptime)"
for n in $nodes_list; do
  dir="$work/n$n"
  rm -rf "$dir"
  started+=("$dir")
  echo "== $n hospitals: hc cluster up --access-mode trustees ($(date -u +%H:%M:%S))"
  "$hc" cluster up --nodes "$n" --dir "$dir" --access-mode trustees --requests-per-minute 100000 >>"$log" 2>&1 ||
    fail "hc cluster up --nodes $n failed (see $log)"
  t=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['trustee_threshold'])" "$dir/genesis.json")
  key_start=$(date +%s)
  for _ in $(seq 1 600); do
    ready=0
    for ((k = 0; k < n; k++)); do [ "$(trustee_ready "$dir" "$k")" = True ] && ready=$((ready + 1)); done
    [ "$ready" = "$n" ] && break
    sleep 0.5
  done
  [ "$ready" = "$n" ] || fail "the access key did not form on $n nodes ($ready of $n trustees hold a share)"
  echo "   access key formed, t = $t of $n ($(( $(date +%s) - key_start )) s after cluster up)"

  for v in $visits_list; do
    export bench_dir="$dir" bench_n="$n" bench_v="$v" bench_visits="$dir/visits-$v"
    export bench_patient_name="Bench Patient $v" bench_patient_id="BENCH-$v"
    mkdir -p -m 700 "$bench_visits"
    s=$(date +%s)
    seq 1 "$v" | xargs -P "$jobs" -I{} bash -c 'submit_one {}' 2>>"$log" ||
      fail "a submission of the $v-visit patient on $n nodes failed (see $log)"
    # Every node has the visits before they are read (--wait saw them on the submitting node).
    target=$(heights "$dir" | sort -n | tail -n 1)
    for _ in $(seq 1 120); do
      [ "$(heights "$dir" | sort -n | head -n 1)" -ge "$target" ] && break
      sleep 0.5
    done
    echo "   $v visit(s) submitted and committed in $(( $(date +%s) - s )) s ($jobs at a time)"
    patient="$bench_visits/patient"
    ( umask 077; printf 'name: %s\nid: %s\n' "$bench_patient_name" "$bench_patient_id" > "$patient" )
    for ((r = 1; r <= repeat; r++)); do
      reader=$(( (r - 1) % n ))
      read -r total to_commit after got unreadable rc opened < <(timed_read "$dir" "$reader" "$patient") ||
        fail "the timing of hc access request failed ($n nodes, $v visits, run $r)"
      [ "$rc" = 0 ] || fail "hc access request ($n nodes, $v visits, run $r) exited $rc (see $log)"
      [ "$got" = "$v" ] && [ "$unreadable" = 0 ] ||
        fail "hc access request ($n nodes, $v visits, run $r) read $got visit(s) and $unreadable unreadable, expected $v and 0"
      [ "$require_opening" = 0 ] || [ "$opened" = 1 ] ||
        fail "hc access request ($n nodes, $v visits, run $r) did not name the hospitals by threshold opening"
      echo "   run $r: $total ms ($to_commit ms to commit, $after ms after), $got visits," \
        "opening: $([ "$opened" = 1 ] && echo trustees || echo "none (hospitals not named)")"
      printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$t" "$v" "$total" "$to_commit" "$after" >> "$results"
    done
  done
  echo "   load: $(uptime)"
  "$hc" cluster down --dir "$dir" >>"$log" 2>&1 || true
done

echo
echo "== retrieval latency, trustees mode ($(date -u +%Y-%m-%dT%H:%MZ); $(nproc) cores; load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
python3 - "$results" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    n, t, v, total, commit, after = line.split()
    rows.setdefault((int(n), int(t), int(v)), []).append((float(total), float(commit), float(after)))
print("| nodes | t | visits | runs | median ms | min ms | max ms | median to commit ms | median after commit ms |")
print("|---|---|---|---|---|---|---|---|---|")
for (n, t, v), runs in sorted(rows.items()):
    tot = [r[0] for r in runs]
    print("| %d | %d | %d | %d | %.0f | %.0f | %.0f | %.0f | %.0f |" % (
        n, t, v, len(runs), statistics.median(tot), min(tot), max(tot),
        statistics.median(r[1] for r in runs), statistics.median(r[2] for r in runs)))
PY
