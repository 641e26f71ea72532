// Byte helpers shared by the doctors' page modules: concatenation and fixed-width big-endian
// integers (the canonical encodings of docs/ledger.md and docs/record-format.md).

export function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

// `v` (a number or BigInt, at most 2^(8 bytes) - 1) as `bytes` big-endian bytes.
export function be(v, bytes) {
  const out = new Uint8Array(bytes);
  let x = BigInt(v);
  for (let i = bytes - 1; i >= 0; i--) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
}
