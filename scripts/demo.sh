#!/usr/bin/env bash
# The README's run command: installs what is missing, builds the release preset, then runs a
# local consortium of 4 hospitals and walks through Healthchain as doctors and as the group
# manager, printing each step. The cluster is always stopped at the end, even on failure.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
echo "== building (release preset; the first build takes several minutes)"
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target hc hc-node >/dev/null
hc="$PWD/build/release/bin/hc"

dir="$PWD/demo-run/consortium"
rm -rf "$dir" && mkdir -p "$(dirname "$dir")"
# A demo passphrase for every key of this local consortium (real deployments use their own,
# from HC_PASSPHRASE or --passphrase-file, never from a command-line value).
export HC_PASSPHRASE="healthchain-demo-passphrase"
cleanup() { "$hc" cluster down --dir "$dir" >/dev/null 2>&1 || true; }
trap cleanup EXIT

step() { printf '\n== %s\n' "$*"; }
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

step "1. Start a consortium of 4 hospitals (each a PBFT replica and a group member) on 127.0.0.1"
echo "   It creates the group manager (envelope keys, group issuer and opener keys), the genesis"
echo "   block, each hospital's keys and config, starts 4 hc-node processes and publishes the"
echo "   manager's envelope key of the day on the chain."
"$hc" cluster up --nodes 4 --dir "$dir"

step "2. Doctors at three hospitals record visits for three patients"
echo "   Each visit is sealed on the doctor's machine (only the manager can read it), then the"
echo "   hospital group-signs it and the consortium orders it into a block."
submit st-mary      "Ada Lovelace"    ab-1815 2026-11-20T08:15:00Z "Fever 38.9 C, suspected influenza" examples/fhir/observation-body-temperature.json
submit city-general "Ada Lovelace"    ab-1815 2026-11-21T09:40:00Z "Influenza A confirmed by rapid test" examples/fhir/condition-influenza.json
submit riverside    "Charles Babbage" cb-1791 2026-11-21T14:05:00Z "Acute otitis media; amoxicillin prescribed" examples/fhir/medication-request-amoxicillin.json
submit riverside    "Ada Lovelace"    ab-1815 2026-11-22T11:30:00Z "Recovering; penicillin allergy noted" examples/fhir/allergy-penicillin.json
submit st-mary      "Mary Somerville" ms-1780 2026-11-22T16:00:00Z "Sprained left ankle"

step "3. What anyone sees on the chain: a pseudonymous serial, ciphertext, a group signature"
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
        print("   ciphertext:     ", t["ciphertext"][:44] + "...")
        print("   group signature:", t["group_signature"][:44] + "...  (only the manager can tell whose)")
        break
PY

step "4. The group manager retrieves Ada Lovelace's history"
echo "   The access is first recorded on the chain; every item is checked against its block's"
echo "   Merkle root and commit certificate, then decrypted, and its signature opened."
printf 'name: Ada Lovelace\nid: ab-1815\n' > "$dir/ada.patient"
"$hc" manager retrieve --dir "$dir/manager" --node "$(api northgate)" --patient-file "$dir/ada.patient" \
  --purpose "treating physician request, ward 3"

step "5. The manager revokes riverside from the group (a new epoch starts)"
"$hc" manager revoke --dir "$dir/manager" --node "$(api st-mary)" --member riverside

step "6. riverside's next submission is refused; the other hospitals' keys moved to the new epoch"
if submit riverside "Ada Lovelace" ab-1815 2026-11-23T10:00:00Z "Follow-up visit"; then
  echo "demo: ERROR: a revoked hospital could still submit" >&2; exit 1
fi
submit city-general "Ada Lovelace" ab-1815 2026-11-23T10:30:00Z "Follow-up visit: recovered"

step "7. The audit trail: who accessed Ada Lovelace's records, when and why"
"$hc" manager retrieve --dir "$dir/manager" --node "$(api city-general)" --patient-file "$dir/ada.patient" \
  --purpose "insurance claim review" >/dev/null
"$hc" manager audit --dir "$dir/manager" --node "$(api city-general)" --patient-file "$dir/ada.patient"

step "8. The consortium's state"
"$hc" cluster status --dir "$dir"

step "9. Stop the consortium (data stays in $dir)"
"$hc" cluster down --dir "$dir"
trap - EXIT
