#!/usr/bin/env bash
# The README's run command: installs what is missing, builds the release preset, then runs a
# local consortium of 4 hospitals and walks through Healthchain as doctors and as the reader of
# records, printing each step. The cluster is always stopped at the end, even on failure.
#
#   bash scripts/demo.sh [--mode trustees|single-manager] [--no-build]
#
# --mode trustees (the default): no single party can read a record; the 4 hospitals' nodes are
#   the trustees of the access key (t = 3 of 4), and a record is read only through an access
#   request committed on the chain and answered by t trustees (issue 13).
# --mode single-manager: the paper's mode; one group manager holds the day's RSA envelope keys
#   and reads records offline, after recording the access on the chain.
# --no-build: skip scripts/setup.sh and the build (use build/release as it is).
set -euo pipefail
cd "$(dirname "$0")/.."

mode=trustees
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --mode) mode=${2:-}; shift 2 || { echo "demo: --mode needs a value" >&2; exit 2; } ;;
    --mode=*) mode=${1#--mode=}; shift ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "demo: unknown argument '$1' (see bash scripts/demo.sh --help)" >&2; exit 2 ;;
  esac
done
case "$mode" in
  trustees|single-manager) ;;
  *) echo "demo: --mode must be trustees or single-manager" >&2; exit 2 ;;
esac

if [ "$build" = 1 ]; then
  bash scripts/setup.sh
  echo "== building (release preset; the first build takes several minutes)"
  cmake --preset release >/dev/null
  cmake --build --preset release -j "$(nproc)" --target hc hc-node >/dev/null
fi
hc="$PWD/build/release/bin/hc"
[ -x "$hc" ] || { echo "demo: $hc is missing (run without --no-build)" >&2; exit 2; }

dir="$PWD/demo-run/consortium"
rm -rf "$dir" && mkdir -p "$(dirname "$dir")"
# A demo passphrase for every key of this local consortium (real deployments use their own,
# from HC_PASSPHRASE or --passphrase-file, never from a command-line value).
export HC_PASSPHRASE="healthchain-demo-passphrase"
cleanup() { "$hc" cluster down --dir "$dir" >/dev/null 2>&1 || true; }
trap cleanup EXIT

step_no=0
step() { step_no=$((step_no + 1)); printf '\n== %d. %s\n' "$step_no" "$*"; }
api() { python3 -c "import json,sys; n=[x for x in json.load(open('$dir/cluster.json'))['nodes'] if x['name']==sys.argv[1]][0]; print(n['api_url'])" "$1"; }
submit() {  # hospital name time diagnosis [fhir]
  local hospital=$1; shift
  local name=$1 id=$2 time=$3 diagnosis=$4 fhir=${5:-}
  "$hc" record submit --node "$(api "$hospital")" --token-file "$dir/nodes/$hospital/doctor.token" \
    --pseudonym-key "$dir/manager/pseudonym.key" --genesis "$dir/genesis.json" --visit-file - --wait <<EOF
name: $name
id: $id
time: $time
diagnosis: $diagnosis
${fhir:+fhir: $fhir}
EOF
}

# GET /v1/trustee of a node through `hc trustee status --json`; prints one field.
trustee_field() {  # hospital field
  "$hc" trustee status --node "$(api "$1")" --genesis "$dir/genesis.json" \
    --token-file "$dir/manager/reader.token" --json 2>/dev/null |
    python3 -c "import json,sys; print(json.load(sys.stdin).get(sys.argv[1]))" "$2" 2>/dev/null || echo "?"
}
hospitals="st-mary city-general riverside northgate"

if [ "$mode" = trustees ]; then
  step "Start a consortium of 4 hospitals in trustees mode on 127.0.0.1"
  echo "   Each hospital runs a PBFT replica, is a group member and is one of the 4 trustees of the"
  echo "   consortium's access key and of the group signature's opener key, with threshold t = 3:"
  echo "   any 3 trustees together can answer a request, no 2 of them can read anything or tell"
  echo "   which hospital signed a record, and nobody, the group manager included, ever holds"
  echo "   either secret (the manager gets the group's issuer key only, no opener key)."
  "$hc" cluster up --nodes 4 --dir "$dir" --access-mode trustees

  step "The trustees generate the access key on the chain (a DKG: deals, then complaints)"
  echo "   Every deal and complaint is a chain transaction, so the key's making is public and"
  echo "   checkable. Its rounds are counted in blocks; on a quiet chain the nodes cut an empty"
  echo "   block every 500 ms to let them pass (about 20 s)."
  for _ in $(seq 1 240); do
    ready=0
    for h in $hospitals; do [ "$(trustee_field "$h" share_ready)" = True ] && ready=$((ready + 1)); done
    [ "$ready" = 4 ] && break
    sleep 0.5
  done
  [ "$ready" = 4 ] || { echo "demo: ERROR: the access key did not form in 120 s" >&2; exit 1; }
  key_id=$(trustee_field st-mary key_id)
  echo "   The access key formed (key id ${key_id:0:16}...): each trustee holds its own secret share"
  echo "   and checked it against the public share on the chain."
else
  step "Start a consortium of 4 hospitals (each a PBFT replica and a group member) on 127.0.0.1"
  echo "   Single-manager mode (the paper's): it creates the group manager (envelope keys, group"
  echo "   issuer and opener keys), the genesis block, each hospital's keys and config, starts 4"
  echo "   hc-node processes and publishes the manager's envelope key of the day on the chain."
  "$hc" cluster up --nodes 4 --dir "$dir"
fi

step "Doctors at three hospitals record visits for three patients"
if [ "$mode" = trustees ]; then
  echo "   Each visit is sealed on the doctor's machine to the trustees' access key (envelope"
  echo "   version 2: P-256 ECDH, then AES-256-GCM), then the hospital group-signs it and the"
  echo "   consortium orders it into a block."
else
  echo "   Each visit is sealed on the doctor's machine (only the manager can read it), then the"
  echo "   hospital group-signs it and the consortium orders it into a block."
fi
submit st-mary      "Ada Lovelace"    ab-1815 2026-11-20T08:15:00Z "Fever 38.9 C, suspected influenza" examples/fhir/observation-body-temperature.json
submit city-general "Ada Lovelace"    ab-1815 2026-11-21T09:40:00Z "Influenza A confirmed by rapid test" examples/fhir/condition-influenza.json
submit riverside    "Charles Babbage" cb-1791 2026-11-21T14:05:00Z "Acute otitis media; amoxicillin prescribed" examples/fhir/medication-request-amoxicillin.json
submit riverside    "Ada Lovelace"    ab-1815 2026-11-22T11:30:00Z "Recovering; penicillin allergy noted" examples/fhir/allergy-penicillin.json
submit st-mary      "Mary Somerville" ms-1780 2026-11-22T16:00:00Z "Sprained left ankle"

step "What anyone sees on the chain: a pseudonymous serial, ciphertext, a group signature"
python3 - "$(api northgate)" "$dir/nodes/northgate/tls-ca.pem" <<'PY'
import json, ssl, sys, urllib.request
base, ca = sys.argv[1], sys.argv[2]
# The node's HTTPS certificate is checked against its hospital's CA (the genesis holds it too).
tls = ssl.create_default_context(cafile=ca) if base.startswith("https://") else None
height = json.load(urllib.request.urlopen(base + "/v1/status", context=tls))["height"]
for h in range(1, height + 1):
    block = json.load(urllib.request.urlopen(f"{base}/v1/blocks/{h}", context=tls))
    records = [t for t in block["transactions"] if t["kind"] == "record"]
    if records:
        t = records[0]
        print(f"   block {h} (hash {block['hash'][:16]}...) holds {len(records)} record(s); the first:")
        print("   serial:         ", t["serial"])
        if "ephemeral_key" in t:
            print("   sealed to key:  ", t["key_id"], "(the trustees' access key)")
        print("   ciphertext:     ", t["ciphertext"][:44] + "...")
        print("   group signature:", t["group_signature"][:44] + "...  (only the opener can tell whose)")
        break
PY
printf 'name: Ada Lovelace\nid: ab-1815\n' > "$dir/ada.patient"

if [ "$mode" = trustees ]; then
  step "Nobody has read anything yet"
  echo "   The records above are unreadable to everyone, the manager included: reading one needs"
  echo "   decryption shares from 3 trustees, and a trustee answers only an access request that"
  echo "   is committed on the chain. Requests answered so far, per trustee:"
  for h in $hospitals; do printf '     %-13s %s\n' "$h" "$(trustee_field "$h" requests_answered)"; done

  step "The manager asks for Ada Lovelace's records: hc access request"
  echo "   In order: the request (patient serial, purpose, a one-time public key) is committed on"
  echo "   the chain; only then does each trustee's node post its decryption shares, boxed to that"
  echo "   one-time key; the client checks every share's proof, combines 3 and decrypts. The lines"
  echo "   below come from hc as each of these happens."
  "$hc" access request --dir "$dir/manager" --node "$(api northgate)" --patient-file "$dir/ada.patient" \
    --purpose "treating physician request, ward 3"
  echo "   Requests answered now, per trustee:"
  for h in $hospitals; do printf '     %-13s %s\n' "$h" "$(trustee_field "$h" requests_answered)"; done

  step "One trustee offline: northgate's node stops; the other 3 (exactly t) still answer"
  "$hc" cluster stop-node --dir "$dir" northgate
  "$hc" access request --dir "$dir/manager" --node "$(api st-mary)" --patient-file "$dir/ada.patient" \
    --purpose "second opinion, cardiology"
  "$hc" cluster start-node --dir "$dir" northgate
else
  step "The group manager retrieves Ada Lovelace's history"
  echo "   The access is first recorded on the chain; every item is checked against its block's"
  echo "   Merkle root and commit certificate, then decrypted, and its signature opened."
  "$hc" manager retrieve --dir "$dir/manager" --node "$(api northgate)" --patient-file "$dir/ada.patient" \
    --purpose "treating physician request, ward 3"

  step "The manager revokes riverside from the group (a new epoch starts)"
  "$hc" manager revoke --dir "$dir/manager" --node "$(api st-mary)" --member riverside

  step "riverside's next submission is refused; the other hospitals' keys moved to the new epoch"
  if submit riverside "Ada Lovelace" ab-1815 2026-11-23T10:00:00Z "Follow-up visit"; then
    echo "demo: ERROR: a revoked hospital could still submit" >&2; exit 1
  fi
  submit city-general "Ada Lovelace" ab-1815 2026-11-23T10:30:00Z "Follow-up visit: recovered"
  "$hc" manager retrieve --dir "$dir/manager" --node "$(api city-general)" --patient-file "$dir/ada.patient" \
    --purpose "insurance claim review" >/dev/null
fi

step "The audit trail: who accessed Ada Lovelace's records, when and why"
if [ "$mode" = trustees ]; then
  echo "   Every access request is on the chain with every trustee that answered it."
fi
"$hc" manager audit --dir "$dir/manager" --node "$(api city-general)" --patient-file "$dir/ada.patient"

step "The consortium's state"
"$hc" cluster status --dir "$dir"

step "Stop the consortium (data stays in $dir)"
"$hc" cluster down --dir "$dir"
trap - EXIT
