// The PBFT commit certificate of a block, checked in the browser as
// src/consensus/certificates.h checks it: the encoding "HCCC" | 1 | view u64 | seq u64 |
// digest 32 | count u32 | count x (replica u32 | Ed25519 signature 64), seq = the header's
// height, digest = block_digest_of(height, timestamp, view, proposer, transaction ids), and
// 2f+1 distinct genesis replicas' COMMIT signatures over
// "HC-PBFT/4/msg" | 0 | chain id (the genesis hash) | configuration u64 | 3 | replica u32 | view u64 |
// seq u64 | digest (the genesis configuration, number 0: hc-node runs no other yet; docs/consensus.md
// "Reconfiguration"). A quorum is the engine's: the smallest q with 2q - n >= f + 1, which is
// 2f+1 when n = 3f+1 and more when n = 3f+2 or 3f+3 (there two sets of 2f+1 can share only a
// faulty replica).
// The replicas' keys come from the doctor's genesis file (the trust anchor, docs/web.md).
import { be, concat } from './bytes.js';
import { sha256 } from './seal.js';
import { fromHex } from './serial.js';

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

export class CertificateRefused extends Error {
  constructor(reason) {
    super(`node answer does not verify: commit certificate: ${reason}`);
  }
}

export function decodeCommitCertificate(bytes, replicaCount) {
  if (bytes.length < 5 || !equal(bytes.subarray(0, 4), utf8.encode('HCCC')) || bytes[4] !== 1) {
    throw new CertificateRefused('bad magic or version');
  }
  if (bytes.length < 57) throw new CertificateRefused('truncated');
  const count = Number(readBe(bytes, 53, 4));
  if (count > replicaCount || bytes.length !== 57 + 68 * count) throw new CertificateRefused('malformed');
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

// The configuration every certificate of a chain hc-node runs is signed in (docs/consensus.md).
const kGenesisConfiguration = 0;

// COMMIT signatures a certificate needs among n replicas (consensus::Configuration::quorum_of).
export function commitQuorum(n) {
  const f = Math.floor((n - 1) / 3);
  return Math.floor((n + f + 2) / 2);
}

// A function (header, ids, certificate bytes) -> Promise that throws CertificateRefused, for
// the genesis's replicas and chain id (32 bytes).
export async function commitCertificateChecker(genesis, chainId) {
  const replicas = Array.isArray(genesis.replicas) ? genesis.replicas : [];
  const keys = [];
  for (const [i, r] of replicas.entries()) {
    if (r.id !== i) throw new CertificateRefused('genesis replica ids must be 0..n-1');
    keys.push(await crypto.subtle.importKey('raw', fromHex(r.public_key), { name: 'Ed25519' }, false, ['verify']));
  }
  const n = keys.length;
  const quorum = commitQuorum(n);
  return async (header, ids, certificateBytes) => {
    const cert = decodeCommitCertificate(certificateBytes, n);
    if (cert.seq !== BigInt(header.height)) throw new CertificateRefused('height mismatch');
    if (!equal(cert.digest, await blockDigestOf(header, ids))) throw new CertificateRefused('block digest mismatch');
    if (cert.commits.length < quorum) throw new CertificateRefused('too few signatures');
    const statement = concat(be(cert.view, 8), be(cert.seq, 8), cert.digest);
    const seen = new Set();
    for (const { replica, signature } of cert.commits) {
      if (replica >= n) throw new CertificateRefused('signer is not a member');
      if (seen.has(replica)) throw new CertificateRefused('duplicate signer');
      seen.add(replica);
      const message = concat(utf8.encode('HC-PBFT/4/msg'), Uint8Array.of(0), chainId, be(kGenesisConfiguration, 8),
                             Uint8Array.of(kCommitType), be(replica, 4), statement);
      if (!(await crypto.subtle.verify({ name: 'Ed25519' }, keys[replica], signature, message))) {
        throw new CertificateRefused('bad signature');
      }
    }
  };
}
