// The canonical JSON of a FHIR resource, byte for byte as `hc` writes it (nlohmann::json's
// dump() of the parsed document, src/crypto/visit.cpp): object keys sorted by their UTF-8
// bytes, no whitespace, strings escaped as JSON.stringify does (the same escapes), integers as
// written (no precision lost above 2^53), other numbers in nlohmann's shortest form ("1.0",
// "1e+16"). Pure functions; no I/O.

const utf8 = new TextEncoder();

// Compares two strings by their UTF-8 bytes (std::map<std::string> order).
export function compareUtf8(a, b) {
  const x = utf8.encode(a);
  const y = utf8.encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    if (x[i] !== y[i]) return x[i] - y[i];
  }
  return x.length - y.length;
}

// A parsed number that remembers its source token.
class JsonNumber {
  constructor(source) {
    this.source = source;
  }
}

// Parses JSON text, keeping each number's source token (JSON.parse's reviver source text).
// Throws SyntaxError on malformed text, as JSON.parse does.
export function parseKeepingNumbers(text) {
  return JSON.parse(text, (key, value, context) => {
    if (typeof value === 'number') {
      if (!context || typeof context.source !== 'string') throw new Error('this browser lacks JSON.parse source text access');
      return new JsonNumber(context.source);
    }
    return value;
  });
}

const kUint64Max = 18446744073709551615n;
const kInt64Min = -9223372036854775808n;

// nlohmann's shortest round-trip form of a double (its dtoa, format_buffer with min_exp -4,
// max_exp 15).
export function formatDouble(value) {
  if (!Number.isFinite(value)) return 'null';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const negative = value < 0;
  // JS gives the same shortest digits; take them from the exponential form.
  const [mantissa, exponentText] = Math.abs(value).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const k = digits.length;
  const n = Number(exponentText) + 1;  // value = 0.d1..dk * 10^n
  let out;
  if (k <= n && n <= 15) {
    out = digits + '0'.repeat(n - k) + '.0';
  } else if (0 < n && n <= 15) {
    out = digits.slice(0, n) + '.' + digits.slice(n);
  } else if (-4 < n && n <= 0) {
    out = '0.' + '0'.repeat(-n) + digits;
  } else {
    const e = n - 1;
    const sign = e < 0 ? '-' : '+';
    const magnitude = String(Math.abs(e)).padStart(2, '0');
    out = (k === 1 ? digits : digits[0] + '.' + digits.slice(1)) + 'e' + sign + magnitude;
  }
  return negative ? '-' + out : out;
}

function formatNumber(token) {
  if (/^-?\d+$/.test(token)) {
    const v = BigInt(token);
    if (v >= kInt64Min && v <= kUint64Max) return v.toString();
  }
  return formatDouble(Number(token));
}

// The canonical text of a value from parseKeepingNumbers.
export function canonicalJson(value) {
  if (value instanceof JsonNumber) return formatNumber(value.source);
  if (value === null || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return '[' + value.map(canonicalJson).join(',') + ']';
  const keys = Object.keys(value).sort(compareUtf8);
  return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonicalJson(value[k])).join(',') + '}';
}

export function isJsonNumber(value) {
  return value instanceof JsonNumber;
}
