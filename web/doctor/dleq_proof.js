// The Chaum-Pedersen proof of equal discrete logarithms of docs/threshold.md, checked in the
// page as src/crypto/threshold/dleq_proof.h checks it: for A = x*G and B = x*H, the proof
// (c, z) is valid when c and z are canonical and non-zero, R1 = z*G - c*A and R2 = z*H - c*B
// are not the point at infinity, and
// c = hash_to_scalar("HC-DLEQ-v1", LP(domain) || LP(context) || H || A || B || R1 || R2),
// hash_to_scalar(d, m) = (SHA-256(LP(d) || 0x00 || m) || SHA-256(LP(d) || 0x01 || m)) mod n.
// Used for the trustees' signatures (trustee_signature.js) and the DKG's complaints
// (dkg_complaint.js). Public values only.
import { concat } from './bytes.js';
import { addPoints, encodePoint, kGenerator, kN, multiplyPoint, negatePoint } from './p256.js';
import { sha256 } from './seal.js';
import { lengthPrefixed } from './serial.js';

const utf8 = new TextEncoder();

export function readScalar(bytes) {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

export async function hashToScalar(domain, message) {
  const tag = lengthPrefixed(utf8.encode(domain));
  const low = await sha256(concat(tag, Uint8Array.of(0), message));
  const high = await sha256(concat(tag, Uint8Array.of(1), message));
  return readScalar(concat(low, high)) % kN;
}

// h, a, b: decoded points (p256.js); proof: 64 bytes c || z. True when the proof verifies.
export async function verifyDleq(domain, context, h, a, b, proof) {
  if (proof.length !== 64 || h === null || a === null || b === null) return false;
  const c = readScalar(proof.subarray(0, 32));
  const z = readScalar(proof.subarray(32, 64));
  if (c === 0n || z === 0n || c >= kN || z >= kN) return false;
  const r1 = addPoints(multiplyPoint(z, kGenerator), negatePoint(multiplyPoint(c, a)));
  const r2 = addPoints(multiplyPoint(z, h), negatePoint(multiplyPoint(c, b)));
  if (r1 === null || r2 === null) return false;
  const transcript = concat(lengthPrefixed(utf8.encode(domain)), lengthPrefixed(context), encodePoint(h), encodePoint(a),
    encodePoint(b), encodePoint(r1), encodePoint(r2));
  return (await hashToScalar('HC-DLEQ-v1', transcript)) === c;
}
