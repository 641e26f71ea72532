// A trustee's signature on its chain transactions, checked in the page as
// src/crypto/threshold/trustee_signature.h checks it (docs/threshold.md, "On the chain"): a
// Schnorr signature written as a Chaum-Pedersen proof (c, z) with H = G and A = B = the
// trustee's key, domain "HC-TRUSTEE-SIGNING-v1", over the transaction before its signature.
// The verifier recomputes R = z*G - c*A and requires
// c = hash_to_scalar("HC-DLEQ-v1", LP(domain) || LP(message) || G || A || A || R || R), with
// hash_to_scalar(d, m) = (SHA-256(LP(d) || 0x00 || m) || SHA-256(LP(d) || 0x01 || m)) mod n,
// and c, z canonical (below n) and non-zero. Public values only.
import { concat } from './bytes.js';
import { addPoints, encodePoint, kGenerator, kN, multiplyPoint, negatePoint } from './p256.js';
import { sha256 } from './seal.js';
import { lengthPrefixed } from './serial.js';

const utf8 = new TextEncoder();
export const kTrusteeSignatureBytes = 64;

function readBig(bytes) {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

export async function hashToScalar(domain, message) {
  const tag = lengthPrefixed(utf8.encode(domain));
  const low = await sha256(concat(tag, Uint8Array.of(0), message));
  const high = await sha256(concat(tag, Uint8Array.of(1), message));
  return readBig(concat(low, high)) % kN;
}

// `message`: the transaction's bytes before the signature; `key`: the trustee's decoded key
// (p256.js); `signature`: 64 bytes c || z. True when it verifies.
export async function verifyTrusteeSignature(message, key, signature) {
  if (signature.length !== kTrusteeSignatureBytes) return false;
  const c = readBig(signature.subarray(0, 32));
  const z = readBig(signature.subarray(32, 64));
  if (c === 0n || z === 0n || c >= kN || z >= kN) return false;
  const r = addPoints(multiplyPoint(z, kGenerator), negatePoint(multiplyPoint(c, key)));
  if (r === null) return false;
  const a = encodePoint(key);
  const rBytes = encodePoint(r);
  const transcript = concat(lengthPrefixed(utf8.encode('HC-TRUSTEE-SIGNING-v1')), lengthPrefixed(message),
    encodePoint(kGenerator), a, a, rBytes, rBytes);
  return (await hashToScalar('HC-DLEQ-v1', transcript)) === c;
}
