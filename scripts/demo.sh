#!/usr/bin/env bash
# The README's run command: installs what is missing, builds the release preset, then walks
# through the sealed medical record as a doctor and as the group manager, printing each step.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
echo "== building (release preset)"
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target hc >/dev/null
hc="$PWD/build/release/bin/hc"

work="$PWD/demo-run/records"
rm -rf "$work" && mkdir -p "$work"
umask 077
printf 'demo-manager-passphrase\n' > "$work/manager.pass"
step() { printf '\n== %s\n' "$*"; }

step "1. The group manager creates a key directory (a consortium pseudonym key for serial numbers)"
"$hc" manager init --dir "$work/manager"

step "2. The manager creates today's RSA-3072 envelope key (private key encrypted at rest with a passphrase)"
"$hc" manager rotate-key --dir "$work/manager" --passphrase-file "$work/manager.pass"
pub="$work/manager/envelope/current.pub.pem"
key="$work/manager/pseudonym.key"

step "3. A doctor computes the pseudonymous serial number of patient 'Ada Lovelace', ID 'ab-1815'"
echo "   (name and ID are normalized: spacing and ASCII case do not matter)"
"$hc" serial --pseudonym-key "$key" --name "Ada Lovelace" --id "ab-1815"
"$hc" serial --pseudonym-key "$key" --name "  ada   LOVELACE " --id " AB-1815 "

step "4. Doctors seal four visits: fresh AES-256-GCM key per record, wrapped to the manager's key"
"$hc" record seal --manager-pubkey "$pub" --pseudonym-key "$key" --name "Ada Lovelace" --id "ab-1815" \
  --time 2026-11-20T08:15:00Z --diagnosis "Fever 38.9 C, suspected influenza" \
  --fhir examples/fhir/observation-body-temperature.json --out "$work/visit-1.json"
"$hc" record seal --manager-pubkey "$pub" --pseudonym-key "$key" --name "Ada Lovelace" --id "ab-1815" \
  --time 2026-11-20T09:40:00+01:00 --diagnosis "Influenza A confirmed by rapid test" \
  --fhir examples/fhir/condition-influenza.json --out "$work/visit-2.json"
"$hc" record seal --manager-pubkey "$pub" --pseudonym-key "$key" --name "Charles Babbage" --id "cb-1791" \
  --time 2026-11-21T14:05:00Z --diagnosis "Acute otitis media; amoxicillin prescribed" \
  --fhir examples/fhir/medication-request-amoxicillin.json --out "$work/visit-3.json"
"$hc" record seal --manager-pubkey "$pub" --pseudonym-key "$key" --name "Mary Somerville" --id "ms-1780" \
  --time 2026-11-22T11:00:00Z --diagnosis "Penicillin allergy recorded" \
  --fhir examples/fhir/allergy-penicillin.json --out "$work/visit-4.json"

step "5. What anyone else sees in a sealed record: serial, key id and ciphertext, nothing readable"
head -c 400 "$work/visit-1.json"; echo " ..."

step "6. The manager opens each record with the private key its key id names"
for i in 1 2 3 4; do
  echo "-- visit-$i.json"
  "$hc" manager open-record --dir "$work/manager" --passphrase-file "$work/manager.pass" "$work/visit-$i.json"
done

step "7. A record moved to another patient's serial is refused (the serial is bound to the ciphertext)"
other=$("$hc" serial --pseudonym-key "$key" --name "Charles Babbage" --id "cb-1791")
python3 - "$work/visit-1.json" "$work/moved.json" "$other" <<'PY'
import json, sys
record = json.load(open(sys.argv[1])); record["serial"] = sys.argv[3]
json.dump(record, open(sys.argv[2], "w"))
PY
if "$hc" manager open-record --dir "$work/manager" --passphrase-file "$work/manager.pass" "$work/moved.json"; then
  echo "demo: ERROR: a moved record was accepted" >&2; exit 1
fi
echo "   refused, as it should be"

step "done: the files are in $work"
