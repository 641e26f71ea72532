// The envelope key the page seals to, believed only when the chain vouches for it: the JS
// counterpart of src/client/envelope_key_trust.h, run on GET /v1/envelope-key's answer
// against the genesis file the doctor loaded (the trust anchor; docs/web.md, "Trust").
// Checked here: the publication is a committed item (committed_item.js: transaction id, its
// place in the block, Merkle root, header hash, commit certificate); the transaction publishes
// an envelope key (the encoding parsed byte by byte) signed with Ed25519 by the genesis admin
// key; the answered key is that key (same SubjectPublicKeyInfo, key id = its SHA-256); the
// block is at most 168 h old (see docs/web.md for what is and is not covered). Each refusal throws KeyNotVouched, one line.
import { concat } from './bytes.js';
import { ItemRefused, digestOf, equal, u64, verifyCommittedItem } from './committed_item.js';
import { fromBase64, sha256 } from './seal.js';
import { toHex } from './serial.js';

export const kMaxKeyAgeMs = 168 * 3600 * 1000;
const utf8 = new TextEncoder();

export class KeyNotVouched extends Error {
  constructor(reason) {
    super(`the node's envelope key is not vouched for by the chain: ${reason}`);
  }
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
  try {
    return await verifyEnvelopeKeyAnswerOrRefuse(answer, genesis, nowMs, certificateCheck);
  } catch (e) {
    if (e instanceof ItemRefused) throw new KeyNotVouched(e.reason);
    throw e;
  }
}

async function verifyEnvelopeKeyAnswerOrRefuse(answer, genesis, nowMs, certificateCheck) {
  const item = answer && answer.publication;
  if (!item || typeof item !== 'object') throw new KeyNotVouched('the answer carries no publication proof');
  const { encoding, height, header } = await verifyCommittedItem(item, certificateCheck);
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
  return { spki: tx.spki, keyId, height, publishedMs };
}
