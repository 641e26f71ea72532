#!/usr/bin/env bash
# The reconfiguration benchmark of issue 16 (not in CI; docs/deploy.md "Adding and removing a
# hospital", figures in the README): a local consortium grows 4 -> 5 -> 7 and shrinks 7 -> 6
# with `hc cluster add-node` / `remove-node` while `hc bench` submits records at a steady rate:
#   phase 1: load on the 4, add-node (4 -> 5);
#   phase 2: load on the 5, add-node twice (5 -> 6 -> 7);
#   phase 3: load on the 7, remove-node of the last one added (7 -> 6, --keep-group-member);
#            once the load has stopped, `hc manager revoke` of the leaver (written when a
#            revocation under load dropped the records still pending in the old group epoch;
#            their nodes now sign them again, docs/groupsig.md);
#   phase 4: load on the 6.
# Then it checks that every record the benches saw committed is in exactly one block on every
# current member, runs `hc chain verify` on each current member's ledger, and prints, for each
# change, from the chain itself (block timestamps and commit certificates): the blocks between
# the accepting block and the boundary B = c(h) + L, the time from the accepting block (the
# last approval's, or the exit announcement's) to the first block whose certificate carries the
# new member's vote (for an exit: the first block certified without the leaver), and the
# records/s committed before (15 s), during (acceptance to B + 16) and after (15 s) the change.
#
#   scripts/reconfig_sequence.sh [--rate R] [--seconds "P1 P2 P3 P4"] [--hc PATH] [--keep]
#
# --rate: records offered per second by hc bench (default 20); --seconds: each phase's load
# (default "150 200 120 40"; each change needs about a minute under load); --hc: the hc binary (default
# build/release/bin/hc, hc-node beside it); --keep: keep the cluster directory. Needs python3.
# Exit 1 if a check fails. Bounded: every command and bench has a timeout. Takes 15 to 30 minutes (the checks read every block of every member).
set -euo pipefail
cd "$(dirname "$0")/.."

rate=20
seconds="150 200 120 40"
hc=build/release/bin/hc
keep=0
usage() { sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rate) rate="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --hc) hc="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "reconfig_sequence.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done
[ -x "$hc" ] || { echo "reconfig_sequence.sh: no hc at $hc (build it: cmake --build build/release --target hc hc-node)" >&2; exit 2; }
hc=$(realpath "$hc")

work=$(mktemp -d)  # a fresh private directory under $TMPDIR or /tmp
dir="$work/c"
log="$work/sequence.log"
cleanup() {
  "$hc" cluster down --dir "$dir" >/dev/null 2>&1 || true
  if [ "$keep" = 1 ]; then echo "kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
say() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a "$log"; }

say "load average $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
say "cluster up --nodes 4 (plain HTTP) in $dir"
timeout 300 "$hc" cluster up --nodes 4 --plain-http --requests-per-minute 100000 --dir "$dir" >> "$log" 2>&1

# One phase: hc bench for `seconds` in the background; after a lead of 15 s the commands run
# one after the other; then the bench is waited for.
phase() {
  local name=$1 seconds=$2; shift 2
  say "phase $name: hc bench --rate $rate --duration $seconds"
  timeout $((seconds * 4 + 120)) "$hc" bench --dir "$dir" --rate "$rate" --duration "$seconds" \
    --csv "$work/bench-$name.csv" > "$work/bench-$name.out" 2> "$work/bench-$name.err" &
  local bench=$!
  sleep 15
  local cmd
  for cmd in "$@"; do
    say "  hc cluster $cmd"
    # shellcheck disable=SC2086
    if ! timeout 900 "$hc" cluster $cmd --dir "$dir" >> "$log" 2>&1; then
      say "  FAILED: hc cluster $cmd (see $log)"; tail -5 "$log"; wait "$bench" || true; exit 1
    fi
    grep -E "accepted at height|is a member of configuration|in configuration .* from height" "$log" | tail -1 | sed 's/^ */  /'
  done
  wait "$bench" || { say "  hc bench failed: $(tail -2 "$work/bench-$name.err")"; exit 1; }
  say "  bench: $(grep -m1 '^nodes' "$work/bench-$name.out")"
}

read -r s1 s2 s3 s4 <<< "$seconds"
phase 1 "$s1" add-node
phase 2 "$s2" add-node add-node
leaver=$(python3 -c "import json,sys; print(max(n['id'] for n in json.load(open(sys.argv[1]))['nodes']))" "$dir/cluster.json")
phase 3 "$s3" "remove-node --keep-group-member --node $leaver"
leaver_name=$(python3 -c "import json,sys; print([n['name'] for n in json.load(open(sys.argv[1]))['nodes'] if n['id']==int(sys.argv[2])][0])" "$dir/cluster.json" "$leaver")
node0=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['nodes'][0]['api_url'])" "$dir/cluster.json")
say "hc manager revoke --member $leaver_name (no load)"
timeout 120 "$hc" manager revoke --dir "$dir/manager" --node "$node0" --member "$leaver_name" \
  --passphrase-file "$dir/passphrase" >> "$log" 2>&1 \
  || { say "revocation failed (see $log)"; exit 1; }
phase 4 "$s4"
"$hc" cluster status --dir "$dir" | tee -a "$log"

say "hc chain verify on every current member's ledger"
rc=0
for data in $(python3 -c "import json,sys; print(' '.join(n['data_dir'] for n in json.load(open(sys.argv[1]))['nodes'] if not n.get('left')))" "$dir/cluster.json"); do
  if out=$(timeout 300 "$hc" chain verify --data "$data" 2>&1); then
    say "  $(basename "$(dirname "$data")"): $(echo "$out" | tail -1)"
  else
    say "  $(basename "$(dirname "$data")"): FAILED: $(echo "$out" | tail -1)"; rc=1
  fi
done

say "every record once on every current member; the measurements (from the chain)"
python3 - "$dir/cluster.json" "$work" <<'PY' | tee -a "$log" || rc=1
import base64, concurrent.futures, csv, glob, json, struct, sys, urllib.request

state = json.load(open(sys.argv[1]))
work = sys.argv[2]
current = [n for n in state["nodes"] if not n.get("left")]

def get(url, path):
    with urllib.request.urlopen(url + path, timeout=30) as r:
        return json.load(r)

def signers(cert_b64):
    b = base64.b64decode(cert_b64)
    assert b[:4] == b"HCCC" and b[4] == 1, "commit certificate: bad magic or version"
    (count,) = struct.unpack(">I", b[5 + 8 + 8 + 32:5 + 8 + 8 + 32 + 4])
    out, at = [], 5 + 8 + 8 + 32 + 4
    for _ in range(count):
        out.append(struct.unpack(">I", b[at:at + 4])[0])
        at += 4 + 64
    return out

records = set()
for f in glob.glob(work + "/bench-*.csv"):
    with open(f) as fh:
        for row in csv.DictReader(fh):
            records.add(row["tx_id"])
not_committed = 0
for f in glob.glob(work + "/bench-*.out"):
    for line in open(f):
        if line.startswith("nodes "):
            not_committed += int(line.split(" rejected, ")[1].split(" not committed")[0])

failed = False
chains = {}

def read_chain(n):
    tip = get(n["api_url"], "/v1/status")["height"]
    return [get(n["api_url"], "/v1/blocks/%d" % h) for h in range(1, tip + 1)]

with concurrent.futures.ThreadPoolExecutor(max_workers=len(current)) as pool:
    read = dict(zip([n["id"] for n in current], pool.map(read_chain, current)))
for n in current:
    blocks = read[n["id"]]
    tip = len(blocks)
    seen = {}
    for b in blocks:
        for t in b["tx_ids"]:
            seen[t] = seen.get(t, 0) + 1
    bad = [t for t in records if seen.get(t, 0) != 1]
    print("%-14s tip %4d: %d of %d bench records exactly once%s" % (n["name"], tip, len(records) - len(bad), len(records),
          "" if not bad else "  MISSING OR REPEATED: %d" % len(bad)))
    failed |= bool(bad)
    chains[n["id"]] = blocks
print("records the benches saw accepted but not committed: %d" % not_committed)
failed |= not_committed != 0

blocks = chains[current[0]["id"]]
ts = {int(b["height"]): int(b["header"]["timestamp_ms"]) for b in blocks}
recs = {int(b["height"]): sum(1 for t in b["tx_ids"] if t in records) for b in blocks}
tip = max(ts)

def rate(t0, t1):
    n = sum(c for h, c in recs.items() if t0 <= ts[h] < t1)
    return n / ((t1 - t0) / 1000.0) if t1 > t0 else 0.0

changes = get(current[0]["api_url"], "/v1/consortium")["changes"]
members = list(range(4))
print("change   accepted  boundary  blocks  to first block   records/s before / during / after")
for c in changes:
    acc = c["accepted_at_height"]
    boundary = (acc + 15) // 16 * 16 + 64
    new = c["members"]
    joined = sorted(set(new) - set(members))
    left = sorted(set(members) - set(new))
    first = None
    for h in range(boundary + 1, tip + 1):
        s = signers(blocks[h - 1]["certificate"])
        if joined and joined[0] in s:
            first = h
            break
        if left:
            if left[0] in s:
                print("  block %d above the exit's boundary carries the leaver's vote" % h)
                failed = True
            first = h
            break
    what = ("%d -> %d +%d" % (len(members), len(new), joined[0])) if joined else ("%d -> %d -%d" % (len(members), len(new), left[0]))
    end = min(boundary + 16, tip)
    before = rate(ts[acc] - 15000, ts[acc])
    during = rate(ts[acc], ts[end])
    after = rate(ts[end], min(ts[end] + 15000, ts[tip]))
    took = "%6.1f s (h %d)" % ((ts[first] - ts[acc]) / 1000.0, first) if first else "  none yet"
    print("%-9s %8d  %8d  %6d  %s   %6.1f / %6.1f / %6.1f   (during: %.0f s)" % (
        what, acc, boundary, boundary - acc, took, before, during, after, (ts[end] - ts[acc]) / 1000.0))
    members = new
sys.exit(1 if failed else 0)
PY
say "load average $(cut -d' ' -f1-3 /proc/loadavg); log: $log"
exit "$rc"
