// The consortium's governance state as far as the page needs it to know which replicas certify
// a block (src/chain/governance_state.h and consortium_configuration.h; docs/consensus.md
// section 2c): the entries a verified membership change writes, kept by key, and the
// configuration of a height computed from them and the genesis exactly as the ledger does.
//   consortium/head              u16 n | n x u32 member | u32 next id | u32 changes | u64 last
//                                change height | u8 open | open x 32
//   consortium/member/<id u32>   key 32 | u8 len name | u8 len API | u16 len TLS CA | u64 joined
//                                height [| u8 len peer address, not empty]
//   consortium/key/<key 32>      u32 id
//   consortium/change/<h u64>    u16 n | n x u32 member
// A change accepted at height h governs the heights above its boundary ceil(h / K) * K + L
// (K = 16, L = 64: src/chain/consensus_parameters.h); configurations are numbered 0 (the
// genesis) and +1 per boundary, two changes sharing a boundary sharing a number (the later
// list wins). Malformed state throws GovernanceRefused, worded as the ledger words it corrupt.
import { be, concat } from './bytes.js';
import { WireError, WireReader } from './wire_reader.js';

export const kCheckpointIntervalBlocks = 16n;
export const kWindowBlocks = 64n;
const kReplicaIdSpace = 64;
const kMaxReplicas = 256;
const kMaxOpenProposals = 16;
const kMaxMembershipChanges = 1024;
const kMinConsortiumMembers = 4;
const kMaxMemberNameBytes = 64;
const kMaxApiAddressBytes = 255;
const kMaxTlsCaCertificateBytes = 4096;

export const kHeadKey = 'consortium/head';
export const kChangePrefix = 'consortium/change/';
export const kMemberPrefix = 'consortium/member/';
export const kKeyPrefix = 'consortium/key/';

export class GovernanceRefused extends Error {}

// Bytes as a string of one char per byte: a Map key that sorts as the bytes do.
export function keyString(bytes) {
  let out = '';
  for (let i = 0; i < bytes.length; i += 4096) out += String.fromCharCode(...bytes.subarray(i, i + 4096));
  return out;
}
const keyBytes = (text) => Uint8Array.from(text, (c) => c.charCodeAt(0));

// Every id a chain may give out is below this (replica_id_space).
export function replicaIdSpace(genesis) {
  return Math.max(kReplicaIdSpace, genesis.replicas.length);
}

export function membershipChangeBoundary(height) {
  const h = BigInt(height);
  return ((h + kCheckpointIntervalBlocks - 1n) / kCheckpointIntervalBlocks) * kCheckpointIntervalBlocks + kWindowBlocks;
}

// The verified entries: the genesis's state plus what was applied, later writes winning.
export class GovernanceState {
  constructor(entries = new Map()) {
    this.entries = new Map(entries);
  }

  copy() {
    return new GovernanceState(this.entries);
  }

  apply(list) {
    for (const { key, value } of list) this.entries.set(keyString(key), value);
  }

  get(key) {
    return this.entries.get(key);
  }

  // [keyText, value] under `prefix`, in key order (at most `max`, more is refused).
  withPrefix(prefix, max) {
    const found = [...this.entries.keys()].filter((k) => k.length > prefix.length && k.startsWith(prefix)).sort();
    if (found.length > max) throw new GovernanceRefused('trustees state: too many entries under one prefix');
    return found.map((k) => [k, this.entries.get(k)]);
  }
}

function decoded(what, f) {
  try {
    return f();
  } catch (e) {
    if (e instanceof WireError) throw new GovernanceRefused(`store: consortium state: ${what}${e.message}`);
    throw e;
  }
}

function readIds(r, max) {
  const count = r.u16('id count');
  if (count > max) throw new WireError('too many ids');
  const ids = [];
  for (let i = 0; i < count; i++) ids.push(r.u32('id'));
  return ids;
}

export function decodeHead(value) {
  return decoded('bad head: ', () => {
    const r = new WireReader(value);
    const head = { members: readIds(r, kMaxReplicas), nextReplicaId: r.u32('next replica id'), changes: r.u32('changes'),
      lastChangeHeight: r.u64('last change height') };
    const open = r.u8('open count');
    if (open > kMaxOpenProposals) throw new WireError('too many open proposals');
    r.fixed(32 * open, 'open proposal');
    r.finish('consortium head');
    return head;
  });
}

function decodeMemberKey(value) {
  return decoded('bad member: ', () => {
    const r = new WireReader(value);
    const key = r.fixed(32, 'key');
    r.prefixed(1, 0, kMaxMemberNameBytes, 'name');
    r.prefixed(1, 0, kMaxApiAddressBytes, 'API address');
    r.prefixed(2, 0, kMaxTlsCaCertificateBytes, 'TLS CA');
    r.u64('joined height');
    if (r.remaining() > 0 && r.prefixed(1, 0, kMaxApiAddressBytes, 'peer address').length === 0) {
      throw new WireError('member: an empty peer address is written as none');
    }
    r.finish('member');
    return key;
  });
}

// Every recorded change, in height order: [{height (BigInt), members}].
export function membershipChanges(state) {
  return state.withPrefix(kChangePrefix, kMaxMembershipChanges).map(([key, value]) => {
    if (key.length !== kChangePrefix.length + 8) throw new GovernanceRefused('store: consortium state: bad change key');
    const height = new WireReader(keyBytes(key.slice(kChangePrefix.length))).u64('height');
    try {
      const r = new WireReader(value);
      const members = readIds(r, kMaxReplicas);
      r.finish('change');
      return { height, members };
    } catch (e) {
      if (e instanceof WireError) throw new GovernanceRefused('store: consortium state: bad change');
      throw e;
    }
  });
}

// The key of member `id` (32 bytes): the genesis's or the one its join recorded.
function memberKey(genesis, state, id) {
  const replica = genesis.replicas.find((r) => r.id === id);
  if (replica) return replica.publicKey;
  const value = state.get(keyString(concat(keyBytes(kMemberPrefix), be(id, 4))));
  if (value === undefined) throw new GovernanceRefused(`store: consortium configuration: member ${id} has no recorded replica key`);
  return decodeMemberKey(value);
}

function checkRecordedMembers(members, idSpace, height) {
  const where = `store: consortium configuration: the change at height ${height}`;
  if (members.length < kMinConsortiumMembers) throw new GovernanceRefused(`${where} names fewer than 4 replicas`);
  const seen = new Set();
  for (const id of members) {
    if (id >= idSpace) throw new GovernanceRefused(`${where} names replica ${id}, outside the id space`);
    if (seen.has(id)) throw new GovernanceRefused(`${where} names replica ${id} twice`);
    seen.add(id);
  }
}

// The configuration of block `height` (>= 1): {number (BigInt), members, keys (32 bytes each)}.
// `genesis`: {replicas: [{id, publicKey}]}; `state`: the verified governance entries.
export function configurationAt(genesis, state, height) {
  const config = { number: 0n, members: genesis.replicas.map((r) => r.id), keys: [] };
  const idSpace = replicaIdSpace(genesis);
  let lastBoundary = 0n;
  for (const change of membershipChanges(state)) {
    const boundary = membershipChangeBoundary(change.height);
    if (boundary >= BigInt(height)) break;
    checkRecordedMembers(change.members, idSpace, change.height);
    if (config.number === 0n || boundary !== lastBoundary) config.number += 1n;
    lastBoundary = boundary;
    config.members = change.members;
  }
  config.keys = config.members.map((id) => memberKey(genesis, state, id));
  return config;
}
