// The state changes of one block as the ledger encodes them (src/chain/state_changes.h,
// encode_state_changes) and the application hash that binds them to the next block's header,
// for the page checking a membership change's proof (configuration_history.js):
//   "HCSC" | u32 n | n x (key id 32 | u32 len | SPKI) | u32 m | m x (u32 len | name | u32 len | entry)
//   | u8 new-epoch flag [| u64 epoch | u64 start | u32 len | revocation record]
//   [| u32 k | k x (u32 len | key | u32 len | value)]   (only when k > 0)
//   app_hash(h) = SHA-256("HC-APP-HASH-v1" | app_hash(h-1) | u64 h | block_hash(h) | SHA-256(encoding))
// decodeStateChanges is decode_state_changes: bounded (no count beyond the bytes left, at most
// kMaxStateChangesBytes in all) and canonical (the result re-encodes to exactly the input), so
// one set of changes has one accepted encoding. Pure functions.
import { be, concat } from './bytes.js';
import { sha256 } from './seal.js';
import { WireError, WireReader } from './wire_reader.js';

export const kMaxStateChangesBytes = 64 * 1024 * 1024;
// The ledger's field bounds (src/chain/limits.h).
const kKeyIdBytes = 32;
const kMaxEnvelopeSpkiBytes = 1024;
const kMaxMemberNameBytes = 64;
const kMaxRegistryEntryBytes = 4096;
const kMaxRevocationRecordBytes = 64 * 1024;
const utf8 = new TextEncoder();

export class StateChangesRefused extends Error {}

// A count of elements of at least `minBytes` each, refused above what the bytes left can hold.
function elementCount(r, minBytes, field) {
  const count = r.u32(field);
  if (count > Math.floor(r.remaining() / minBytes)) throw new WireError(`${field} exceeds the encoding`);
  return count;
}

function readBody(r) {
  const out = { envelopeKeys: [], registry: [], newEpoch: null, entries: [] };
  if (!r.fixed(4, 'state changes').every((b, i) => b === 'HCSC'.charCodeAt(i))) throw new WireError('state changes: wrong domain tag');
  for (let i = elementCount(r, kKeyIdBytes + 4, 'envelope key count'); i > 0; i--) {
    out.envelopeKeys.push({ keyId: r.fixed(kKeyIdBytes, 'envelope key id'), spki: r.prefixed(4, 0, kMaxEnvelopeSpkiBytes, 'envelope key') });
  }
  for (let i = elementCount(r, 8, 'registry count'); i > 0; i--) {
    out.registry.push({ name: r.prefixed(4, 0, kMaxMemberNameBytes, 'registry member name'),
      entry: r.prefixed(4, 0, kMaxRegistryEntryBytes, 'registry entry') });
  }
  const hasEpoch = r.u8('new epoch flag');
  if (hasEpoch > 1) throw new WireError('new epoch flag is neither 0 nor 1');
  if (hasEpoch === 1) {
    out.newEpoch = { epoch: r.u64('new epoch'), start: r.u64('new epoch start'),
      record: r.prefixed(4, 0, kMaxRevocationRecordBytes, 'revocation record') };
  }
  if (r.done()) return out;
  for (let i = elementCount(r, 8, 'state entry count'); i > 0; i--) {
    const key = r.prefixed(4, 1, r.remaining(), 'state entry key');
    out.entries.push({ key, value: r.prefixed(4, 0, r.remaining(), 'state entry value') });
  }
  r.finish('state changes');
  return out;
}

const lengthPrefixed = (bytes) => concat(be(bytes.length, 4), bytes);

export function encodeStateChanges(c) {
  const parts = [utf8.encode('HCSC'), be(c.envelopeKeys.length, 4)];
  for (const k of c.envelopeKeys) parts.push(k.keyId, lengthPrefixed(k.spki));
  parts.push(be(c.registry.length, 4));
  for (const e of c.registry) parts.push(lengthPrefixed(e.name), lengthPrefixed(e.entry));
  parts.push(Uint8Array.of(c.newEpoch ? 1 : 0));
  if (c.newEpoch) parts.push(be(c.newEpoch.epoch, 8), be(c.newEpoch.start, 8), lengthPrefixed(c.newEpoch.record));
  if (c.entries.length > 0) {
    parts.push(be(c.entries.length, 4));
    for (const e of c.entries) parts.push(lengthPrefixed(e.key), lengthPrefixed(e.value));
  }
  return concat(...parts);
}

// {envelopeKeys, registry, newEpoch, entries: [{key, value}]} (the entries are the
// trustees-mode and governance state a block changes, in block order); throws
// StateChangesRefused with the field that is wrong.
export function decodeStateChanges(bytes) {
  if (bytes.length > kMaxStateChangesBytes) throw new StateChangesRefused(`state changes are longer than ${kMaxStateChangesBytes} bytes`);
  let changes;
  try {
    changes = readBody(new WireReader(bytes));
  } catch (e) {
    if (e instanceof WireError) throw new StateChangesRefused(e.message);
    throw e;
  }
  const again = encodeStateChanges(changes);
  if (again.length !== bytes.length || again.some((b, i) => b !== bytes[i])) {
    throw new StateChangesRefused('state changes are not in their canonical encoding');
  }
  return changes;
}

// app_hash(h) from app_hash(h-1) (header(h).app_hash), h, block_hash(h) and the encoded changes.
export async function nextAppHash(previousAppHash, height, blockHash, encodedChanges) {
  return sha256(concat(utf8.encode('HC-APP-HASH-v1'), previousAppHash, be(height, 8), blockHash, await sha256(encodedChanges)));
}
