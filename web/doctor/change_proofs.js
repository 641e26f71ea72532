// The node's proofs of the consortium's membership changes (GET /v1/consortium/changes,
// docs/api.md; src/chain/change_proof.h), read from its JSON as change_proofs_from_json reads
// them, nothing verified yet (configuration_history.js does):
//   {"changes": [{"height": h, "header": hex(header h), "tx_ids": [hex...], "certificate": hex,
//                 "state_changes": hex, "next_header": hex(header h+1), "next_tx_ids": [hex...],
//                 "next_certificate": hex}, ...]}
// Bounded: at most kMaxChangeProofs proofs, each field at most its ledger limit, headers the
// 130-byte canonical encoding (src/chain/block.cpp). Each refusal throws ChangeProofsRefused,
// one line naming the proof's position and the field, as hc words it.
import { WireError, WireReader } from './wire_reader.js';
import { kMaxStateChangesBytes } from './state_changes.js';

export const kMaxChangeProofs = 1024;
// What the node may answer in all (kMaxChangeProofsJsonBytes): read no more than this.
export const kMaxChangeProofsJsonBytes = 48 * 1024 * 1024;
const kMaxBlockTransactions = 20000;
const kMaxCommitCertificateBytes = 64 * 1024;
const kMaxHeaderBytes = 1024;

export class ChangeProofsRefused extends Error {}

// Lowercase or uppercase hex, as the ledger's from_hex reads it; null if it is not hex.
export function hexBytes(text) {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) return null;
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.substr(2 * i, 2), 16);
  return out;
}

// The block header's canonical encoding read back: {height, previous_hash, merkle_root,
// timestamp_ms, view, proposer, app_hash, encoding}; throws WireError.
export function decodeHeader(encoding) {
  const r = new WireReader(encoding);
  if (!r.fixed(4, 'block header').every((b, i) => b === 'HCBH'.charCodeAt(i))) throw new WireError('block header: wrong domain tag');
  if (r.u16('block header version') !== 1) throw new WireError('block header: unsupported version');
  const header = { height: r.u64('block height'), previous_hash: r.fixed(32, 'block previous hash'),
    merkle_root: r.fixed(32, 'block merkle root'), timestamp_ms: r.u64('block timestamp'), view: r.u64('block view'),
    proposer: r.u32('block proposer'), app_hash: r.fixed(32, 'block app hash'), encoding };
  r.finish('block header');
  return header;
}

function refuse(position, what) {
  return new ChangeProofsRefused(`membership change proof ${position}: ${what}`);
}

function hexField(j, key, maxBytes, position) {
  if (typeof j[key] !== 'string') throw refuse(position, `missing ${key}`);
  if (j[key].length > 2 * maxBytes) throw refuse(position, `${key} is longer than ${maxBytes} bytes`);
  const bytes = hexBytes(j[key]);
  if (bytes === null) throw refuse(position, `${key} is not hex`);
  return bytes;
}

function idsField(j, key, position) {
  if (!Array.isArray(j[key])) throw refuse(position, `missing ${key}`);
  if (j[key].length > kMaxBlockTransactions) throw refuse(position, `${key} lists too many ids`);
  return j[key].map((id) => {
    if (typeof id !== 'string') throw refuse(position, `${key} holds a non-string`);
    const d = id.length === 64 ? hexBytes(id) : null;
    if (d === null) throw refuse(position, `${key} holds a malformed digest`);
    return d;
  });
}

function certifiedHeader(j, headerKey, idsKey, certKey, position) {
  const encoding = hexField(j, headerKey, kMaxHeaderBytes, position);
  let header;
  try {
    header = decodeHeader(encoding);
  } catch (e) {
    if (e instanceof WireError) throw refuse(position, `${headerKey}: ${e.message}`);
    throw e;
  }
  return { header, ids: idsField(j, idsKey, position), certificate: hexField(j, certKey, kMaxCommitCertificateBytes, position) };
}

// The proofs in the answer's order: [{height (BigInt), accepting, stateChanges, successor,
// fingerprint}], accepting and successor being {header, ids, certificate}; `fingerprint`
// identifies the proof's content (a later answer must repeat the proofs already verified).
export function changeProofsFromJson(answer) {
  if (!answer || typeof answer !== 'object' || Array.isArray(answer) || !Array.isArray(answer.changes)) {
    throw new ChangeProofsRefused('membership change proofs: missing changes');
  }
  if (answer.changes.length > kMaxChangeProofs) {
    throw new ChangeProofsRefused(`membership change proofs: more than ${kMaxChangeProofs} changes`);
  }
  return answer.changes.map((j, i) => {
    if (!j || typeof j !== 'object' || Array.isArray(j)) throw refuse(i, 'not an object');
    if (!Number.isSafeInteger(j.height) || j.height < 0) throw refuse(i, 'missing height');
    const accepting = certifiedHeader(j, 'header', 'tx_ids', 'certificate', i);
    const stateChanges = hexField(j, 'state_changes', kMaxStateChangesBytes, i);
    const successor = certifiedHeader(j, 'next_header', 'next_tx_ids', 'next_certificate', i);
    const fingerprint = JSON.stringify([j.height, ...['header', 'certificate', 'state_changes', 'next_header', 'next_certificate']
      .map((k) => j[k].toLowerCase()), j.tx_ids.map((x) => x.toLowerCase()), j.next_tx_ids.map((x) => x.toLowerCase())]);
    return { height: BigInt(j.height), accepting, stateChanges, successor, fingerprint };
  });
}
