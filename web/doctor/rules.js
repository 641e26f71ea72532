// The rules of a visit, the same as `hc record submit`'s (docs/record-format.md): the
// normalization and limits of the patient's name and ID number, the visit time (RFC 3339),
// the diagnosis, the FHIR resource (size, nesting, the identity rule), the visit payload's
// canonical JSON (version 2) and its padding to a bucket. Each refusal is {field, message},
// with the message `hc` prints for the same input; tests/vectors/serial_and_visit.json holds
// the cases, checked against this file in a browser (tests/web) and against src/crypto in C++
// (tests/crypto/web_vectors_test.cpp). Pure functions; no I/O.
import { canonicalJson, compareUtf8, isJsonNumber, parseKeepingNumbers } from './json_canonical.js';

export const kMaxNameBytes = 512;
export const kMaxIdBytes = 128;
export const kMaxDiagnosisBytes = 64 * 1024;
export const kMaxFhirBytes = 128 * 1024;
export const kMaxJsonDepth = 64;
export const kPaddingBuckets = [1024, 2048, 4096, 8192, 16384, 32768, 65536, 131072, 245760];
export const kPaddedHeaderBytes = 5;
export const kVisitPayloadVersion = 2;

const utf8 = new TextEncoder();

export class RuleError extends Error {
  constructor(field, message) {
    super(message);
    this.field = field;
  }
}

function isAsciiSpace(c) {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0b || c === 0x0c || c === 0x0d;
}

// A JS string is UTF-16; one with a lone surrogate has no UTF-8 form (hc refuses invalid UTF-8).
function hasLoneSurrogate(s) {
  return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
}

function checkedBytes(field, s) {
  if (hasLoneSurrogate(s)) throw new RuleError(field, `${field} is not valid UTF-8`);
  const bytes = utf8.encode(s);
  for (const c of bytes) {
    if ((c < 0x20 && !isAsciiSpace(c)) || c === 0x7f) throw new RuleError(field, `${field} contains a control character`);
  }
  return bytes;
}

function trimmed(bytes) {
  let start = 0;
  let end = bytes.length;
  while (start < end && isAsciiSpace(bytes[start])) start++;
  while (end > start && isAsciiSpace(bytes[end - 1])) end--;
  return bytes.subarray(start, end);
}

// The normalized name as UTF-8 bytes (src/crypto/serial_number.h).
export function normalizeName(name) {
  const out = [];
  let inSpace = false;
  for (const c of trimmed(checkedBytes('name', name))) {
    if (isAsciiSpace(c)) {
      inSpace = true;
      continue;
    }
    if (inSpace) out.push(0x20);
    inSpace = false;
    out.push(c >= 0x41 && c <= 0x5a ? c + 0x20 : c);
  }
  if (out.length === 0) throw new RuleError('name', 'name is empty');
  if (out.length > kMaxNameBytes) throw new RuleError('name', 'name is longer than 512 bytes');
  return Uint8Array.from(out);
}

// The normalized ID number as UTF-8 bytes.
export function normalizeId(id) {
  const out = Uint8Array.from(trimmed(checkedBytes('id', id)), (c) => (c >= 0x61 && c <= 0x7a ? c - 0x20 : c));
  if (out.length === 0) throw new RuleError('id', 'id is empty');
  if (out.length > kMaxIdBytes) throw new RuleError('id', 'id is longer than 128 bytes');
  return out;
}

function daysInMonth(year, month) {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

// RFC 3339 date-time, as src/crypto/visit.cpp validate_rfc3339 checks it.
export function validateRfc3339(s) {
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})/.exec(s);
  if (!m || s.length < 20) throw new RuleError('time', 'visit time must be RFC 3339, e.g. 2026-11-24T09:30:00Z');
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 60) {
    throw new RuleError('time', `visit time has an out-of-range field: ${s}`);
  }
  let rest = s.slice(19);
  const fraction = /^\.(\d*)/.exec(rest);
  if (fraction) {
    if (fraction[1].length === 0 || fraction[1].length > 9) throw new RuleError('time', 'visit time has a malformed fraction');
    rest = rest.slice(fraction[0].length);
  }
  if (rest === 'Z' || rest === 'z') return;
  const offset = /^[+-](\d{2}):(\d{2})$/.exec(rest);
  if (offset && Number(offset[1]) <= 23 && Number(offset[2]) <= 59) return;
  throw new RuleError('time', 'visit time needs a Z or +hh:mm offset (RFC 3339)');
}

// The current time in RFC 3339 (UTC, seconds), the form's default.
export function nowRfc3339(date = new Date()) {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// Nesting depth as src/crypto/bounded_json.h counts it (brackets outside strings).
function jsonDepthWithin(text, maxDepth) {
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (const ch of text) {
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '[' || ch === '{') {
      if (++depth > maxDepth) return false;
    } else if ((ch === ']' || ch === '}') && depth > 0) depth--;
  }
  return true;
}

const kIdentifyingTypes = ['Patient', 'Person', 'RelatedPerson', 'Practitioner', 'PractitionerRole', 'Organization', 'Location'];
const kIdentifyingElements = ['identifier', 'name', 'telecom', 'address', 'birthDate', 'photo', 'contact', 'given', 'family'];

function fhirRefusal(path, why) {
  return new RuleError('fhir', `FHIR document: ${path} ${why}, which identifies a person or institution (not allowed in a visit)`);
}

function referencesIdentifyingType(reference) {
  return kIdentifyingTypes.some((type) => reference.startsWith(type + '/') || reference.includes('/' + type + '/'));
}

function isObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !isJsonNumber(v);
}

function has(object, key) {
  return Object.prototype.hasOwnProperty.call(object, key);
}

function checkFhirObject(object, path) {
  const type = object.resourceType;
  if (has(object, 'resourceType') && typeof type === 'string' && kIdentifyingTypes.includes(type)) {
    throw fhirRefusal(path, `is a ${type} resource`);
  }
  for (const element of kIdentifyingElements) {
    if (has(object, element)) throw fhirRefusal(`${path}.${element}`, 'is an identity element');
  }
  if (has(object, 'reference') && typeof object.reference === 'string' && referencesIdentifyingType(object.reference)) {
    throw fhirRefusal(`${path}.reference`, 'points to a person or institution');
  }
  if (has(object, 'display') && (!(has(object, 'system') || has(object, 'code')) || has(object, 'reference'))) {
    throw fhirRefusal(`${path}.display`, 'is a display text outside a Coding');
  }
}

function checkFhirTree(node, path) {
  if (Array.isArray(node)) {
    node.forEach((child, i) => checkFhirTree(child, `${path}[${i}]`));
  } else if (isObject(node)) {
    checkFhirObject(node, path);
    for (const key of Object.keys(node).sort(compareUtf8)) checkFhirTree(node[key], `${path}.${key}`);
  }
}

// The FHIR file's bytes -> its canonical JSON text, or a RuleError.
export function canonicalFhir(bytes) {
  if (bytes.length > kMaxFhirBytes) throw new RuleError('fhir', 'FHIR document is larger than 131072 bytes (128 KiB)');
  let text;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new RuleError('fhir', 'FHIR document is not valid JSON');
  }
  if (!jsonDepthWithin(text, kMaxJsonDepth)) throw new RuleError('fhir', 'FHIR document nests deeper than 64 levels');
  let resource;
  try {
    resource = parseKeepingNumbers(text);
  } catch {
    throw new RuleError('fhir', 'FHIR document is not valid JSON');
  }
  if (!isObject(resource)) throw new RuleError('fhir', 'FHIR document must be a JSON object');
  if (!has(resource, 'resourceType') || typeof resource.resourceType !== 'string') {
    throw new RuleError('fhir', 'FHIR document has no string "resourceType"');
  }
  checkFhirTree(resource, resource.resourceType);
  return canonicalJson(resource);
}

// The visit's canonical JSON (payload version 2), checked in make_visit's order; `fhirBytes`
// is the FHIR file's content or null.
export function visitJson(time, diagnosis, fhirBytes) {
  validateRfc3339(time);
  if (diagnosis.length === 0) throw new RuleError('diagnosis', 'diagnosis is empty');
  if (utf8.encode(diagnosis).length > kMaxDiagnosisBytes) {
    throw new RuleError('diagnosis', 'diagnosis is longer than 65536 bytes (64 KiB)');
  }
  if (hasLoneSurrogate(diagnosis)) throw new RuleError('diagnosis', 'diagnosis is not valid UTF-8');
  const fhir = fhirBytes === null ? null : canonicalFhir(fhirBytes);
  // Sorted keys: diagnosis, fhir, time, version.
  return '{"diagnosis":' + JSON.stringify(diagnosis) + (fhir === null ? '' : ',"fhir":' + fhir) +
    ',"time":' + JSON.stringify(time) + ',"version":' + kVisitPayloadVersion + '}';
}

// The padding bucket for a JSON of `jsonBytes` bytes, or null when it does not fit.
export function paddingBucket(jsonBytes) {
  for (const bucket of kPaddingBuckets) {
    if (kPaddedHeaderBytes + jsonBytes <= bucket) return bucket;
  }
  return null;
}

// The padded payload (docs/record-format.md, "Padding"): 0x02, u32 BE length, JSON, zeros.
export function padVisitJson(json) {
  const body = utf8.encode(json);
  const bucket = paddingBucket(body.length);
  if (bucket === null) {
    throw new RuleError('diagnosis', 'visit payload is larger than 245755 bytes once encoded (the largest padding bucket, 240 KiB, less 5)');
  }
  const out = new Uint8Array(bucket);
  out[0] = 0x02;
  new DataView(out.buffer).setUint32(1, body.length);
  out.set(body, kPaddedHeaderBytes);
  body.fill(0);
  return out;
}
