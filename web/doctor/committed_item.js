// A committed transaction as the node proves it (the self-proving item of docs/api.md, checked
// as src/client/item_verification.h checks it) against the genesis the doctor loaded: the
// transaction id is SHA-256 of the encoding; it sits at its index of the block's ids; those ids
// give the header's Merkle root (and the Merkle proof leads to it); the header (its 130-byte
// encoding) hashes to the block hash; and the block's PBFT commit certificate verifies
// (commit_certificate.js). Used by key_trust.js (the envelope key) and access_key_trust.js (the
// trustees' DKG transcript). Each refusal throws ItemRefused with a one-line reason, which the
// caller puts after its own "... is not vouched for by the chain: ".
import { be, concat } from './bytes.js';
import { fromBase64, sha256 } from './seal.js';
import { fromHex } from './serial.js';

const utf8 = new TextEncoder();
const kMaxBlockTxIds = 100000;

export class ItemRefused extends Error {
  constructor(reason) {
    super(reason);
    this.reason = reason;
  }
}

export function equal(a, b) {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

async function taggedHash(tag, ...parts) {
  return sha256(concat(utf8.encode(tag), ...parts));
}

export function digestOf(hex, what) {
  if (typeof hex !== 'string' || !/^[0-9a-f]{64}$/.test(hex)) throw new ItemRefused(`malformed ${what}`);
  return fromHex(hex);
}

// A u64 given as a JSON number or a decimal string, as a BigInt.
export function u64(value, what) {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !/^\d{1,20}$/.test(text)) throw new ItemRefused(`malformed ${what}`);
  const v = BigInt(text);
  if (v > 0xffffffffffffffffn) throw new ItemRefused(`malformed ${what}`);
  return v;
}

// The block header's canonical encoding (src/chain/block.cpp encode_header, 130 bytes).
export function encodeHeader(h) {
  return concat(utf8.encode('HCBH'), be(1, 2), be(u64(h.height, 'header height'), 8),
    digestOf(h.previous_hash, 'previous hash'), digestOf(h.merkle_root, 'Merkle root'),
    be(u64(h.timestamp_ms, 'timestamp'), 8), be(u64(h.view, 'view'), 8), be(u64(h.proposer, 'proposer'), 4),
    digestOf(h.app_hash, 'app hash'));
}

// src/chain/merkle.cpp: tagged leaves and nodes, an odd node carried up, the count in the root.
export async function merkleRoot(ids) {
  let level = await Promise.all(ids.map((id) => taggedHash('HC-MERKLE-LEAF-v1', id)));
  while (level.length > 1) {
    const up = [];
    for (let i = 0; i + 1 < level.length; i += 2) up.push(await taggedHash('HC-MERKLE-NODE-v1', level[i], level[i + 1]));
    if (level.length % 2 === 1) up.push(level[level.length - 1]);
    level = up;
  }
  return level.length === 0 ? taggedHash('HC-MERKLE-ROOT-v1', be(0, 4)) : taggedHash('HC-MERKLE-ROOT-v1', be(ids.length, 4), level[0]);
}

async function merkleProofLeadsTo(root, txId, proof, index) {
  if (!proof || proof.index !== index || !Array.isArray(proof.siblings) || proof.siblings.length > 64) return false;
  let node = await taggedHash('HC-MERKLE-LEAF-v1', txId);
  let pos = proof.index;
  let width = proof.leaf_count;
  let used = 0;
  if (!(width > 0 && pos < width)) return false;
  while (width > 1) {
    if ((pos ^ 1) < width) {
      if (used >= proof.siblings.length) return false;
      const s = digestOf(proof.siblings[used++], 'Merkle sibling');
      node = pos % 2 === 0 ? await taggedHash('HC-MERKLE-NODE-v1', node, s) : await taggedHash('HC-MERKLE-NODE-v1', s, node);
    }
    pos = Math.floor(pos / 2);
    width = Math.floor((width + 1) / 2);
  }
  if (used !== proof.siblings.length) return false;
  return equal(await taggedHash('HC-MERKLE-ROOT-v1', be(proof.leaf_count, 4), node), root);
}

// `item`: one self-proving item of a node answer; `certificateCheck`: commit_certificate.js's
// checker for the genesis. Returns {encoding, txId, height (a Number), header}.
export async function verifyCommittedItem(item, certificateCheck) {
  if (!item || typeof item !== 'object') throw new ItemRefused('the answer carries no proof');
  let encoding;
  try {
    encoding = fromBase64(item.encoding);
  } catch {
    throw new ItemRefused('the transaction encoding is not base64');
  }
  const txId = await sha256(encoding);
  if (!equal(txId, digestOf(item.tx_id, 'transaction id'))) throw new ItemRefused('node answer does not verify: transaction id does not match its encoding');
  const header = item.block_header || {};
  if (u64(header.height, 'height') !== u64(item.height, 'height')) throw new ItemRefused('node answer does not verify: header height differs from the item\'s');
  const blockHash = await sha256(encodeHeader(header));
  if (!equal(blockHash, digestOf(item.block_hash, 'block hash'))) throw new ItemRefused('node answer does not verify: block header does not hash to the block hash');
  if (!Array.isArray(item.block_tx_ids) || item.block_tx_ids.length > kMaxBlockTxIds) throw new ItemRefused('malformed block_tx_ids');
  const ids = item.block_tx_ids.map((id) => digestOf(id, 'block transaction id'));
  const index = Number(u64(item.index, 'index'));
  if (!(index < ids.length) || !equal(ids[index], txId)) throw new ItemRefused('node answer does not verify: transaction is not at its index in the block');
  const root = digestOf(header.merkle_root, 'Merkle root');
  if (!equal(await merkleRoot(ids), root)) throw new ItemRefused('node answer does not verify: transaction ids do not give the Merkle root');
  if (!(await merkleProofLeadsTo(root, txId, item.merkle_proof, index))) throw new ItemRefused('node answer does not verify: Merkle proof does not lead to the root');
  try {
    await certificateCheck(header, ids, fromBase64(item.certificate || ''));
  } catch (e) {
    throw new ItemRefused(e.message);
  }
  return { encoding, txId, height: Number(u64(item.height, 'height')), header };
}
