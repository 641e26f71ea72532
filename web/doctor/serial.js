// The patient's serial number (pseudonym), computed in the browser with WebCrypto exactly as
// src/crypto/serial_number.h computes it: HMAC-SHA-256(pseudonym key, LP("HC-SERIAL-v1") ||
// LP(normalized name) || LP(normalized id)), LP = u32 big-endian length then the bytes. Also the
// pseudonym key's check value, compared with the genesis's `pseudonym_key_check` so that a
// wrong key file is refused before any record is filed under a serial nobody retrieves.
import { normalizeId, normalizeName } from './rules.js';

const utf8 = new TextEncoder();

export function lengthPrefixed(...parts) {
  const total = parts.reduce((n, p) => n + 4 + p.length, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const p of parts) {
    view.setUint32(at, p.length);
    out.set(p, at + 4);
    at += 4 + p.length;
  }
  return out;
}

export function toHex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function fromHex(hex) {
  if (!/^([0-9a-f]{2})*$/.test(hex)) throw new Error('not lowercase hex');
  return Uint8Array.from(hex.match(/../g) || [], (h) => parseInt(h, 16));
}

// The pseudonym key file's text (64 hex digits, an optional newline) -> a non-extractable
// HMAC key. Throws with the message shown beside the key field.
export async function importPseudonymKey(text) {
  const hex = text.endsWith('\n') ? text.slice(0, -1) : text;
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new Error('the pseudonym key file must hold 64 hex digits');
  const raw = fromHex(hex.toLowerCase());
  const key = await crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  raw.fill(0);
  return key;
}

async function hmac(key, message) {
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, message));
}

// HMAC-SHA-256(key, LP("HC-PSEUDONYM-KEY-CHECK-v1") || LP(chain name)) as hex.
export async function pseudonymKeyCheck(key, chainName) {
  return toHex(await hmac(key, lengthPrefixed(utf8.encode('HC-PSEUDONYM-KEY-CHECK-v1'), utf8.encode(chainName))));
}

// The 32-byte serial; throws RuleError (field name or id) for a refused name or ID.
export async function computeSerial(key, name, id) {
  const normalizedName = normalizeName(name);
  const normalizedId = normalizeId(id);
  const message = lengthPrefixed(utf8.encode('HC-SERIAL-v1'), normalizedName, normalizedId);
  normalizedName.fill(0);
  normalizedId.fill(0);
  const serial = await hmac(key, message);
  message.fill(0);
  return serial;
}
