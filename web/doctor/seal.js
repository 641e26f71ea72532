// Sealing a padded visit payload with WebCrypto, byte for byte as docs/record-format.md says:
// envelope version 1 (single-manager mode: a fresh AES-256-GCM key wrapped with RSA-OAEP
// SHA-256 under the manager's envelope key of the day) and envelope version 2 (trustees mode:
// ECDH P-256 with a fresh ephemeral key to the trustees' access key, HKDF-SHA-256 over the
// shared x-coordinate with the record's context, AES-256-GCM). Returns the record's file form,
// the only thing the page posts. The AES key, the ephemeral secret and the shared secret never
// leave this module (the ephemeral private key is a non-extractable CryptoKey; the byte buffers
// of the shared secret and the AES key are zeroed after use).
import { concat } from './bytes.js';
import { lengthPrefixed } from './serial.js';

const utf8 = new TextEncoder();

function u32(v) {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, v);
  return out;
}

export function toBase64(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function fromBase64(text) {
  const s = atob(text);
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

export async function sha256(bytes) {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
}

// Version 1: `spki` is the envelope key's SubjectPublicKeyInfo DER, `keyId` its SHA-256.
export async function sealV1(padded, serial, spki, keyId) {
  const rsa = await crypto.subtle.importKey('spki', spki, { name: 'RSA-OAEP', hash: 'SHA-256' }, false, ['encrypt']);
  const aesKey = crypto.getRandomValues(new Uint8Array(32));
  const nonce = crypto.getRandomValues(new Uint8Array(12));
  const aad = concat(lengthPrefixed(utf8.encode('HC-RECORD-AAD-v1')), u32(1), serial, keyId);
  const aes = await crypto.subtle.importKey('raw', aesKey, 'AES-GCM', false, ['encrypt']);
  const ciphertext = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv: nonce, additionalData: aad, tagLength: 128 }, aes, padded));
  const wrapped = new Uint8Array(await crypto.subtle.encrypt({ name: 'RSA-OAEP' }, rsa, aesKey));
  aesKey.fill(0);
  return { version: 1, serial: hex(serial), key_id: hex(keyId), wrapped_key: toBase64(wrapped), nonce: toBase64(nonce), ciphertext: toBase64(ciphertext) };
}

const kEcdh = { name: 'ECDH', namedCurve: 'P-256' };

function base64Url(bytes) {
  return toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

// The ephemeral key pair of a version-2 record: fresh, or (known-answer tests only) the given
// secret scalar `e` (32 bytes) with its point `E` (65 bytes).
async function ephemeralKeyPair(fixed) {
  if (!fixed) {
    const pair = await crypto.subtle.generateKey(kEcdh, false, ['deriveBits']);
    return { privateKey: pair.privateKey, point: new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey)) };
  }
  const jwk = { kty: 'EC', crv: 'P-256', d: base64Url(fixed.ephemeralSecret), x: base64Url(fixed.ephemeralPoint.subarray(1, 33)),
    y: base64Url(fixed.ephemeralPoint.subarray(33, 65)), ext: false };
  return { privateKey: await crypto.subtle.importKey('jwk', jwk, kEcdh, false, ['deriveBits']), point: fixed.ephemeralPoint };
}

export function recordV2Context(tag, serial, keyId, ephemeralPoint) {
  return concat(lengthPrefixed(utf8.encode(tag)), u32(2), serial, keyId, ephemeralPoint);
}

// Version 2: `accessKey` is the trustees' access key Y (65 bytes 0x04 || X || Y, already
// verified by access_key_trust.js), `keyId` the SHA-256 of its SubjectPublicKeyInfo. `fixed`
// ({ephemeralSecret, ephemeralPoint, nonce}) is for the known-answer vectors only.
export async function sealV2(padded, serial, accessKey, keyId, fixed = null) {
  const recipient = await crypto.subtle.importKey('raw', accessKey, kEcdh, false, []);
  const ephemeral = await ephemeralKeyPair(fixed);
  const shared = new Uint8Array(await crypto.subtle.deriveBits({ name: 'ECDH', public: recipient }, ephemeral.privateKey, 256));
  const ikm = await crypto.subtle.importKey('raw', shared, 'HKDF', false, ['deriveBits']);
  shared.fill(0);
  const info = recordV2Context('HC-RECORD-KEM-v2', serial, keyId, ephemeral.point);
  const aesKey = new Uint8Array(await crypto.subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info }, ikm, 256));
  const aes = await crypto.subtle.importKey('raw', aesKey, 'AES-GCM', false, ['encrypt']);
  aesKey.fill(0);
  const nonce = fixed ? fixed.nonce : crypto.getRandomValues(new Uint8Array(12));
  const aad = recordV2Context('HC-RECORD-AAD-v2', serial, keyId, ephemeral.point);
  const ciphertext = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv: nonce, additionalData: aad, tagLength: 128 }, aes, padded));
  return { version: 2, serial: hex(serial), key_id: hex(keyId), ephemeral_key: toBase64(ephemeral.point), nonce: toBase64(nonce), ciphertext: toBase64(ciphertext) };
}

function hex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
