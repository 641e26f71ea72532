// The little P-256 arithmetic the page needs and WebCrypto does not offer: decoding a point
// from its 65-byte uncompressed form with every check src/crypto/p256.h makes (prefix 0x04,
// both coordinates below the field prime, on the curve; P-256's cofactor is 1, so that is the
// group), adding points (the access key is the sum of the qualified dealers' constant
// commitments, docs/threshold.md), multiplying a point by a scalar (to check the trustees'
// Schnorr signatures on their deals) and encoding the result. Affine points over BigInt, the
// point at infinity as null; the multiplication runs in Jacobian coordinates (no inversion per
// step). Only public values pass through here (commitments, keys, signatures), so nothing
// needs to be constant-time. Tested against our C++ code by tests/vectors/envelope_v2_seal.json.
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

export const kGenerator = {
  x: 0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
  y: 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n,
};

// Jacobian (X, Y, Z) stands for (X / Z^2, Y / Z^3); Z = 0 is the point at infinity.
function jacobianDouble({ x, y, z }) {
  if (z === 0n || y === 0n) return { x: 1n, y: 1n, z: 0n };
  const delta = mod(z * z);
  const gamma = mod(y * y);
  const beta = mod(x * gamma);
  const alpha = mod(3n * (x - delta) * (x + delta));  // a = -3
  const x3 = mod(alpha * alpha - 8n * beta);
  const z3 = mod((y + z) * (y + z) - gamma - delta);
  return { x: x3, y: mod(alpha * (4n * beta - x3) - 8n * gamma * gamma), z: z3 };
}

function jacobianAdd(p, q) {
  if (p.z === 0n) return q;
  if (q.z === 0n) return p;
  const z1z1 = mod(p.z * p.z);
  const z2z2 = mod(q.z * q.z);
  const u1 = mod(p.x * z2z2);
  const u2 = mod(q.x * z1z1);
  const s1 = mod(p.y * q.z * z2z2);
  const s2 = mod(q.y * p.z * z1z1);
  if (u1 === u2) return s1 === s2 ? jacobianDouble(p) : { x: 1n, y: 1n, z: 0n };
  const h = mod(u2 - u1);
  const i = mod(4n * h * h);
  const j = mod(h * i);
  const r = mod(2n * (s2 - s1));
  const v = mod(u1 * i);
  const x3 = mod(r * r - j - 2n * v);
  return { x: x3, y: mod(r * (v - x3) - 2n * s1 * j), z: mod(((p.z + q.z) * (p.z + q.z) - z1z1 - z2z2) * h) };
}

// k * P for 0 <= k < n (null for infinity: k = 0 or P = null).
export function multiplyPoint(k, point) {
  if (point === null || k === 0n) return null;
  const base = { x: point.x, y: point.y, z: 1n };
  let acc = { x: 1n, y: 1n, z: 0n };
  for (let bit = BigInt(k.toString(2).length - 1); bit >= 0n; bit--) {
    acc = jacobianDouble(acc);
    if ((k >> bit) & 1n) acc = jacobianAdd(acc, base);
  }
  if (acc.z === 0n) return null;
  const zInverse = inverse(acc.z);
  const zInverse2 = mod(zInverse * zInverse);
  return { x: mod(acc.x * zInverse2), y: mod(acc.y * zInverse2 * zInverse) };
}

export function negatePoint(point) {
  return point === null ? null : { x: point.x, y: mod(-point.y) };
}
