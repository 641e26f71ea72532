// A bounded reader of the ledger's canonical big-endian encodings (src/chain/codec.h's Reader),
// for the doctors' page modules that decode bytes a node sent: every read checks the bytes
// left first, every length-prefixed field has a lower and upper bound, and finish() refuses
// trailing bytes. Each failure throws WireError with a one-line reason naming the field, in the
// ledger's words; the caller wraps it into its own refusal. Plain data, no I/O.
export class WireError extends Error {}

export class WireReader {
  constructor(bytes) {
    this.bytes = bytes;
    this.at = 0;
  }

  remaining() {
    return this.bytes.length - this.at;
  }

  done() {
    return this.at === this.bytes.length;
  }

  fixed(n, field) {
    if (n > this.remaining()) throw new WireError(`truncated at ${field}`);
    const out = this.bytes.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }

  u8(field) {
    return this.fixed(1, field)[0];
  }

  u16(field) {
    const b = this.fixed(2, field);
    return (b[0] << 8) | b[1];
  }

  u32(field) {
    const b = this.fixed(4, field);
    return ((b[0] << 24) >>> 0) + (b[1] << 16) + (b[2] << 8) + b[3];
  }

  // A u64 as a BigInt.
  u64(field) {
    const b = this.fixed(8, field);
    let v = 0n;
    for (const x of b) v = (v << 8n) | BigInt(x);
    return v;
  }

  // A length (u8, u16 or u32 of `prefixBytes`) and that many bytes, min <= length <= max.
  prefixed(prefixBytes, min, max, field) {
    const length = prefixBytes === 1 ? this.u8(field) : prefixBytes === 2 ? this.u16(field) : this.u32(field);
    if (length > max) throw new WireError(`${field} is longer than ${max} bytes`);
    if (length < min) throw new WireError(`${field} is shorter than ${min} bytes`);
    return this.fixed(length, field);
  }

  finish(what) {
    if (!this.done()) throw new WireError(`${what}: ${this.remaining()} trailing bytes`);
  }
}
