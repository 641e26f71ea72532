// The little P-256 arithmetic the page needs and WebCrypto does not offer: decoding a point
// from its 65-byte uncompressed form with every check src/crypto/p256.h makes (prefix 0x04,
// both coordinates below the field prime, on the curve; P-256's cofactor is 1, so that is the
// group), adding points (the access key is the sum of the qualified dealers' constant
// commitments, docs/threshold.md) and encoding the sum. Affine coordinates over BigInt, the
// point at infinity as null. Only public values pass through here (commitments, keys), so
// nothing needs to be constant-time. Tested against our C++ code by tests/vectors/envelope_v2_seal.json.
import { be } from './bytes.js';

export const kP = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
export const kN = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const kB = 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn;
export const kPointBytes = 65;

const mod = (x) => ((x % kP) + kP) % kP;

function power(base, exponent) {
  let result = 1n;
  let b = mod(base);
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % kP;
    b = (b * b) % kP;
  }
  return result;
}

const inverse = (x) => power(x, kP - 2n);  // x != 0; Fermat, kP is prime

function readBig(bytes) {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

export function isOnCurve({ x, y }) {
  return mod(y * y) === mod(x * x * x - 3n * x + kB);
}

export class PointRefused extends Error {}

// 65 bytes 0x04 || X || Y -> {x, y}; throws PointRefused naming the failed check.
export function decodePoint(bytes) {
  if (bytes.length !== kPointBytes) throw new PointRefused('a P-256 point is 65 bytes');
  if (bytes[0] !== 0x04) throw new PointRefused('a P-256 point must be uncompressed (0x04)');
  const point = { x: readBig(bytes.subarray(1, 33)), y: readBig(bytes.subarray(33, 65)) };
  if (point.x >= kP || point.y >= kP) throw new PointRefused('a P-256 coordinate is not below the field prime');
  if (!isOnCurve(point)) throw new PointRefused('not a point of P-256');
  return point;
}

export function encodePoint(point) {
  if (point === null) throw new PointRefused('the point at infinity has no encoding');
  const out = new Uint8Array(kPointBytes);
  out[0] = 0x04;
  out.set(be(point.x, 32), 1);
  out.set(be(point.y, 32), 33);
  return out;
}

// P + Q (null is the point at infinity, the neutral element).
export function addPoints(p, q) {
  if (p === null) return q;
  if (q === null) return p;
  let slope;
  if (p.x === q.x) {
    if (p.y !== q.y || p.y === 0n) return null;  // Q = -P
    slope = mod((3n * p.x * p.x - 3n) * inverse(2n * p.y));  // doubling, a = -3
  } else {
    slope = mod((q.y - p.y) * inverse(q.x - p.x));
  }
  const x = mod(slope * slope - p.x - q.x);
  return { x, y: mod(slope * (p.x - x) - p.y) };
}
