// Who signed a block's PBFT commit certificate, read from its encoding (src/consensus/
// certificates.h): "HCCC" | version 1 | view u64 | seq u64 | digest 32 | count u32 |
// count x (replica u32 | Ed25519 signature 64). The explorer shows the signers; it does not
// check the signatures (it holds no genesis: that is what hc and the doctors' page do).
const kHeaderBytes = 57;
const kCommitBytes = 68;
const kMaxSigners = 1024;

function readU32(bytes, at) {
  return ((bytes[at] << 24) >>> 0) + (bytes[at + 1] << 16) + (bytes[at + 2] << 8) + bytes[at + 3];
}

function readU64(bytes, at) {
  let v = 0n;
  for (let i = 0; i < 8; i++) v = (v << 8n) | BigInt(bytes[at + i]);
  return v;
}

// {view, seq, signers: [replica ids]} or throws Error with the reason.
export function certificateSigners(base64) {
  let bytes;
  try {
    bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  } catch {
    throw new Error('the certificate is not base64');
  }
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  if (bytes.length < kHeaderBytes || magic !== 'HCCC' || bytes[4] !== 1) throw new Error('not a version 1 commit certificate');
  const count = readU32(bytes, 53);
  if (count > kMaxSigners || bytes.length !== kHeaderBytes + kCommitBytes * count) throw new Error('malformed certificate');
  const signers = [];
  for (let i = 0; i < count; i++) signers.push(readU32(bytes, kHeaderBytes + kCommitBytes * i));
  return { view: readU64(bytes, 5), seq: readU64(bytes, 13), signers };
}
