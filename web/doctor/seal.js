// Sealing a padded visit payload with WebCrypto, byte for byte as docs/record-format.md says:
// envelope version 1 (single-manager mode: a fresh AES-256-GCM key wrapped with RSA-OAEP
// SHA-256 under the manager's envelope key of the day). Returns the record's file form, the
// only thing the page posts. The AES key never leaves this module. (Envelope version 2, for
// trustees mode, is not in the page yet: docs/web.md, "Not yet".)
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

function hex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
