// The envelope key the page seals to, believed only when the chain vouches for it: the JS
// counterpart of src/client/envelope_key_trust.h, run on GET /v1/envelope-key's answer
// against the genesis file the doctor loaded (the trust anchor; docs/web.md, "Trust").
// Checked here: the transaction id is SHA-256 of the encoding; it sits at its index of the
// block's ids; those ids give the header's Merkle root (and the proof leads to it); the header
// hashes to the block hash; the transaction publishes an envelope key (the encoding parsed
// byte by byte) signed with Ed25519 by the genesis admin key; the answered key is that key
// (same SubjectPublicKeyInfo, key id = its SHA-256); the block is at most 168 h old; and the
// PBFT commit certificate, by the checker commit_certificate.js builds from the genesis (see
// docs/web.md for what is and is not covered). Each refusal throws KeyNotVouched, one line.
import { be, concat } from './bytes.js';
import { fromBase64, sha256 } from './seal.js';
import { fromHex, toHex } from './serial.js';

export const kMaxKeyAgeMs = 168 * 3600 * 1000;
const utf8 = new TextEncoder();

export class KeyNotVouched extends Error {
  constructor(reason) {
    super(`the node's envelope key is not vouched for by the chain: ${reason}`);
  }
}

function equal(a, b) {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

async function taggedHash(tag, ...parts) {
  return sha256(concat(utf8.encode(tag), ...parts));
}

function digestOf(hex, what) {
  if (typeof hex !== 'string' || !/^[0-9a-f]{64}$/.test(hex)) throw new KeyNotVouched(`malformed ${what}`);
  return fromHex(hex);
}

function u64(value, what) {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !/^\d{1,20}$/.test(text)) throw new KeyNotVouched(`malformed ${what}`);
  const v = BigInt(text);
  if (v > 0xffffffffffffffffn) throw new KeyNotVouched(`malformed ${what}`);
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

// A PublishEnvelopeKey transaction: "HCTX" | 1 | kind 2 | u16 length | SPKI DER | Ed25519 sig (64).
export function parsePublishTx(encoding) {
  const head = utf8.encode('HCTX');
  if (encoding.length < 8 + 64 || !equal(encoding.subarray(0, 4), head) || encoding[4] !== 1) {
    throw new KeyNotVouched('the proven transaction does not decode');
  }
  if (encoding[5] !== 2) throw new KeyNotVouched('the proven transaction does not publish an envelope key');
  const length = (encoding[6] << 8) | encoding[7];
  if (encoding.length !== 8 + length + 64) throw new KeyNotVouched('the proven transaction does not decode');
  return { unsigned: encoding.subarray(0, 8 + length), spki: encoding.subarray(8, 8 + length), signature: encoding.subarray(8 + length) };
}

function pemToDer(pem) {
  const m = /^-----BEGIN PUBLIC KEY-----\r?\n([A-Za-z0-9+/=\r\n]+)-----END PUBLIC KEY-----\r?\n?$/.exec(pem);
  if (!m) throw new KeyNotVouched('the answered key is not a PEM public key');
  return fromBase64(m[1].replace(/[\r\n]/g, ''));
}

// `answer`: GET /v1/envelope-key's JSON; `genesis`: the parsed genesis file; `nowMs`: the
// browser's clock; `certificateCheck`: commit_certificate.js's checker for this genesis.
// Returns {spki, keyId, height, publishedMs}.
export async function verifyEnvelopeKeyAnswer(answer, genesis, nowMs, certificateCheck) {
  const item = answer && answer.publication;
  if (!item || typeof item !== 'object') throw new KeyNotVouched('the answer carries no publication proof');
  let encoding;
  try {
    encoding = fromBase64(item.encoding);
  } catch {
    throw new KeyNotVouched('the transaction encoding is not base64');
  }
  const txId = await sha256(encoding);
  if (!equal(txId, digestOf(item.tx_id, 'transaction id'))) throw new KeyNotVouched('node answer does not verify: transaction id does not match its encoding');
  const header = item.block_header || {};
  if (u64(header.height, 'height') !== u64(item.height, 'height')) throw new KeyNotVouched('node answer does not verify: header height differs from the item\'s');
  const blockHash = await sha256(encodeHeader(header));
  if (!equal(blockHash, digestOf(item.block_hash, 'block hash'))) throw new KeyNotVouched('node answer does not verify: block header does not hash to the block hash');
  if (!Array.isArray(item.block_tx_ids) || item.block_tx_ids.length > 100000) throw new KeyNotVouched('malformed block_tx_ids');
  const ids = item.block_tx_ids.map((id) => digestOf(id, 'block transaction id'));
  const index = Number(u64(item.index, 'index'));
  if (!(index < ids.length) || !equal(ids[index], txId)) throw new KeyNotVouched('node answer does not verify: transaction is not at its index in the block');
  const root = digestOf(header.merkle_root, 'Merkle root');
  if (!equal(await merkleRoot(ids), root)) throw new KeyNotVouched('node answer does not verify: transaction ids do not give the Merkle root');
  if (!(await merkleProofLeadsTo(root, txId, item.merkle_proof, index))) throw new KeyNotVouched('node answer does not verify: Merkle proof does not lead to the root');
  try {
    await certificateCheck(header, ids, fromBase64(item.certificate || ''));
  } catch (e) {
    throw new KeyNotVouched(e.message);
  }
  const tx = parsePublishTx(encoding);
  const admin = await crypto.subtle.importKey('raw', digestOf(genesis.manager_admin_key, 'admin key'), { name: 'Ed25519' }, false, ['verify']);
  const signed = concat(utf8.encode('HC-MANAGER-SIGNING-v1'), tx.unsigned);
  if (!(await crypto.subtle.verify({ name: 'Ed25519' }, admin, tx.signature, signed))) {
    throw new KeyNotVouched('the key was not published by the genesis admin key');
  }
  const answered = pemToDer(String(answer.public_key_pem || ''));
  if (!equal(answered, tx.spki)) throw new KeyNotVouched('the answered key is not the one the proof publishes');
  const keyId = await sha256(tx.spki);
  if (answer.key_id !== toHex(keyId)) throw new KeyNotVouched('the answered key id is not the published key\'s');
  const publishedMs = Number(u64(header.timestamp_ms, 'timestamp'));
  if (publishedMs < nowMs && nowMs - publishedMs > kMaxKeyAgeMs) {
    const hours = (ms) => `${Math.floor(ms / 3600000)} h`;
    throw new KeyNotVouched(`the key was published ${hours(nowMs - publishedMs)} ago, more than the ${hours(kMaxKeyAgeMs)} allowed (the manager has not rotated it, or the node hides the newer key)`);
  }
  return { spki: tx.spki, keyId, height: Number(u64(item.height, 'height')), publishedMs };
}
