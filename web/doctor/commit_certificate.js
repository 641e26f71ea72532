// The PBFT commit certificate of a block, checked in the browser as the ledger checks it
// (PbftCertificateVerifier::verify_in_chain, src/node/ledger_bridge.cpp, with
// src/consensus/certificates.h): the encoding "HCCC" | 1 | view u64 | seq u64 | digest 32 |
// count u32 | count x (replica u32 | Ed25519 signature 64), count at most the chain's replica
// id space; seq = the header's height, digest = block_digest_of(height, timestamp, view,
// proposer, transaction ids), and a quorum of distinct members of the configuration of that
// height (governance_state.js's configurationAt), each signature over
// "HC-PBFT/4/msg" | 0 | chain id (the genesis hash) | configuration number u64 | 3 | replica u32 |
// view u64 | seq u64 | digest, so a certificate is bound to its configuration (docs/consensus.md
// section 2c). A quorum is the engine's: the smallest q with 2q - n >= f + 1, which is 2f+1
// when n = 3f+1 and more when n = 3f+2 or 3f+3. Which configuration a height has comes from
// the genesis and the membership changes the page verified (following_certificates.js).
import { be, concat } from './bytes.js';
import { sha256 } from './seal.js';
import { toHex } from './serial.js';

const utf8 = new TextEncoder();
const kCommitType = 3;

function readBe(bytes, at, n) {
  let v = 0n;
  for (let i = 0; i < n; i++) v = (v << 8n) | BigInt(bytes[at + i]);
  return v;
}

function equal(a, b) {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

// `detail` is the ledger's own wording ("commit certificate: bad signature"); `malformed`
// marks what no configuration could make valid (a bad encoding, a corrupt state), which the
// page does not fetch the membership changes for, as hc does not (kInvalidInput, kCorrupt).
export class CertificateRefused extends Error {
  constructor(detail, { malformed = false } = {}) {
    super(`node answer does not verify: ${detail}`);
    this.detail = detail;
    this.malformed = malformed;
  }
}

export function decodeCommitCertificate(bytes, idSpace) {
  const malformed = (what) => new CertificateRefused(`commit certificate: ${what}`, { malformed: true });
  if (bytes.length < 5 || !equal(bytes.subarray(0, 4), utf8.encode('HCCC')) || bytes[4] !== 1) throw malformed('bad magic or version');
  if (bytes.length < 57) throw malformed('truncated');
  const count = Number(readBe(bytes, 53, 4));
  if (count > idSpace || bytes.length !== 57 + 68 * count) throw malformed('malformed');
  const commits = [];
  for (let i = 0; i < count; i++) {
    const at = 57 + 68 * i;
    commits.push({ replica: Number(readBe(bytes, at, 4)), signature: bytes.subarray(at + 4, at + 68) });
  }
  return { view: readBe(bytes, 5, 8), seq: readBe(bytes, 13, 8), digest: bytes.subarray(21, 53), commits };
}

async function blockDigestOf(header, ids) {
  return sha256(concat(utf8.encode('HC-PBFT/2/block'), be(header.height, 8), be(header.timestamp_ms, 8), be(header.view, 8),
    be(header.proposer, 4), be(ids.length, 4), ...ids));
}

// COMMIT signatures a certificate needs among n replicas (consensus::Configuration::quorum_of).
export function commitQuorum(n) {
  const f = Math.floor((n - 1) / 3);
  return Math.floor((n + f + 2) / 2);
}

// Ed25519 public keys imported once (raw 32 bytes -> CryptoKey).
export class ReplicaKeys {
  constructor() {
    this.imported = new Map();
  }

  async get(raw) {
    const hex = toHex(raw);
    if (!this.imported.has(hex)) {
      this.imported.set(hex, await crypto.subtle.importKey('raw', raw, { name: 'Ed25519' }, false, ['verify']));
    }
    return this.imported.get(hex);
  }
}

// Checks `certificateBytes` for the block (header: height, timestamp_ms, view, proposer as
// numbers, decimal strings or BigInts; ids: its transaction ids) against `config` = {number,
// members, keys} of the block's height; throws CertificateRefused. `idSpace` bounds the count.
export async function verifyCertificateIn(chainId, config, idSpace, header, ids, certificateBytes, replicaKeys) {
  const cert = decodeCommitCertificate(certificateBytes, idSpace);
  if (cert.seq !== BigInt(header.height)) throw new CertificateRefused('certificate: height mismatch');
  if (!equal(cert.digest, await blockDigestOf(header, ids))) throw new CertificateRefused('certificate: block digest mismatch');
  if (cert.commits.length < commitQuorum(config.members.length)) throw new CertificateRefused('commit certificate: too few signatures');
  const statement = concat(be(cert.view, 8), be(cert.seq, 8), cert.digest);
  const seen = new Set();
  for (const { replica, signature } of cert.commits) {
    const position = config.members.indexOf(replica);
    if (position < 0) throw new CertificateRefused('commit certificate: signer is not a member');
    if (seen.has(replica)) throw new CertificateRefused('commit certificate: duplicate signer');
    seen.add(replica);
    const message = concat(utf8.encode('HC-PBFT/4/msg'), Uint8Array.of(0), chainId, be(config.number, 8),
                           Uint8Array.of(kCommitType), be(replica, 4), statement);
    const key = await replicaKeys.get(config.keys[position]);
    if (!(await crypto.subtle.verify({ name: 'Ed25519' }, key, signature, message))) {
      throw new CertificateRefused('commit certificate: bad signature');
    }
  }
}
