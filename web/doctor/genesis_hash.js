// The chain id (the genesis hash) computed in the page from the genesis file the doctor
// loaded, as src/chain/genesis.cpp encodes it: SHA-256 of "HCGN" | version u16 (3 single-
// manager, 4 trustees) | bytes8(chain name) | genesis_time_ms u64 | u16 n | n x (id u32 |
// Ed25519 key 32 | bytes32(TLS CA PEM, may be empty)) | bytes32(group public key) | admin key
// 32 | pseudonym key check 32 | four limits u32 | trustees mode only: mode u8 = 2 | t u16 |
// u8 m | m trustee keys of 65 bytes | version 6 only (trustees whose DKG deals must be in the
// proven form): admin approves u8 | proposal expiry blocks u32 | version 7 only (single-manager
// with the manager's opener key): mode u8 = 1 | admin approves u8 | proposal expiry blocks
// u32 | opener key h 48 | its proof 64. The commit certificates the page checks are signed over
// this id, so taking it from the file (not from the node) binds every check to the doctor's
// genesis (docs/web.md, "Trust"). Each refusal throws GenesisRefused, one line.
import { be, concat } from './bytes.js';
import { fromBase64, sha256 } from './seal.js';
import { fromHex } from './serial.js';

const utf8 = new TextEncoder();
const kVersionSingleManager = 3;
const kVersionTrustees = 4;
const kVersionProvenDkg = 6;  // src/chain/genesis.h kGenesisVersionProvenDkg
const kVersionManagerOpener = 7;  // src/chain/genesis.h kGenesisVersionManagerOpener
const kAccessModeSingleManager = 1;
const kMaxProposalExpiryBlocks = 1000000;  // src/chain/limits.h
const kAccessModeTrustees = 2;
const kMaxReplicas = 256;
const kMaxTrustees = 64;

export class GenesisRefused extends Error {}

function hexBytes(value, bytes, what) {
  if (typeof value !== 'string' || value.length !== 2 * bytes || !/^[0-9a-fA-F]*$/.test(value)) {
    throw new GenesisRefused(`the genesis file's ${what} must be ${bytes} hex bytes`);
  }
  return fromHex(value.toLowerCase());
}

// An unsigned integer the page can read exactly (JSON numbers are doubles in JavaScript).
function uint(value, max, what) {
  if (!Number.isSafeInteger(value) || value < 0 || value > max) throw new GenesisRefused(`the genesis file's ${what} is not an unsigned number in range`);
  return value;
}

function sized(bytes, lengthBytes, what) {
  if (bytes.length >= 2 ** (8 * lengthBytes)) throw new GenesisRefused(`the genesis file's ${what} is too long`);
  return concat(be(bytes.length, lengthBytes), bytes);
}

function encodeReplicas(replicas) {
  if (!Array.isArray(replicas) || replicas.length < 1 || replicas.length > kMaxReplicas) throw new GenesisRefused('the genesis file needs 1 to 256 replicas');
  return concat(be(replicas.length, 2), ...replicas.map((r) => {
    if (!r || typeof r !== 'object') throw new GenesisRefused('a genesis replica is not an object');
    const pem = r.tls_ca_certificate === undefined ? '' : r.tls_ca_certificate;
    if (typeof pem !== 'string') throw new GenesisRefused('a genesis replica\'s tls_ca_certificate is not text');
    return concat(be(uint(r.id, 0xffffffff, 'replica id'), 4), hexBytes(r.public_key, 32, 'replica key'), sized(utf8.encode(pem), 4, 'TLS CA certificate'));
  }));
}

function encodeTrustees(genesis) {
  const keys = genesis.trustee_keys;
  if (!Array.isArray(keys) || keys.length < 1 || keys.length > kMaxTrustees) throw new GenesisRefused('the genesis file\'s trustee_keys must be 1 to 64 keys');
  const m = keys.length;
  const t = genesis.trustee_threshold === undefined ? 2 * Math.floor((m - 1) / 3) + 1 : uint(genesis.trustee_threshold, m, 'trustee_threshold');
  return concat(Uint8Array.of(kAccessModeTrustees), be(t, 2), be(m, 1), ...keys.map((k) => hexBytes(k, 65, 'trustee key')));
}

// Version 6's governance rules: admin approves u8 (0/1) | proposal expiry blocks u32.
function encodeGovernance(governance) {
  if (!governance || typeof governance !== 'object' || typeof governance.admin_approves !== 'boolean') {
    throw new GenesisRefused('the genesis file\'s governance.admin_approves must be true or false');
  }
  const expiry = uint(governance.proposal_expiry_blocks, kMaxProposalExpiryBlocks, 'governance.proposal_expiry_blocks');
  if (expiry < 1) throw new GenesisRefused('the genesis file\'s governance.proposal_expiry_blocks must be at least 1');
  return concat(Uint8Array.of(governance.admin_approves ? 1 : 0), be(expiry, 4));
}

// Version 7's manager opener key: h 48 | proof 64 (opaque here, as in the ledger).
function encodeManagerOpenerKey(key) {
  if (!key || typeof key !== 'object') throw new GenesisRefused('the genesis file\'s manager_opener_key must be an object');
  return concat(hexBytes(key.h, 48, 'manager_opener_key.h'), hexBytes(key.proof, 64, 'manager_opener_key.proof'));
}

function versionOf(genesis, trustees) {
  if (trustees) return genesis.version === kVersionProvenDkg ? kVersionProvenDkg : kVersionTrustees;
  if (genesis.access_mode === 'single-manager' && genesis.version === kVersionManagerOpener) return kVersionManagerOpener;
  return kVersionSingleManager;
}

// The genesis's canonical binary encoding (src/chain/genesis.cpp encode_genesis).
export function encodeGenesis(genesis) {
  const trustees = genesis.access_mode === 'trustees';
  const version = versionOf(genesis, trustees);
  if (genesis.version !== version) {
    throw new GenesisRefused(`the genesis file's version must be ${trustees ? '4 or 6' : '3 or 7'} for its access mode`);
  }
  const managerOpener = version === kVersionManagerOpener;
  if (typeof genesis.chain_name !== 'string' || !/^[A-Za-z0-9._-]{1,64}$/.test(genesis.chain_name)) throw new GenesisRefused('the genesis file\'s chain_name must be 1..64 of [A-Za-z0-9._-]');
  let groupKey;
  try {
    groupKey = fromBase64(String(genesis.group_public_key));
  } catch {
    throw new GenesisRefused('the genesis file\'s group_public_key is not base64');
  }
  const limits = genesis.limits || {};
  const limit = (name) => be(uint(limits[name], 0xffffffff, `limits.${name}`), 4);
  return concat(utf8.encode('HCGN'), be(version, 2), sized(utf8.encode(genesis.chain_name), 1, 'chain name'),
    be(uint(genesis.genesis_time_ms, Number.MAX_SAFE_INTEGER, 'genesis_time_ms'), 8), encodeReplicas(genesis.replicas),
    sized(groupKey, 4, 'group public key'), hexBytes(genesis.manager_admin_key, 32, 'manager_admin_key'),
    hexBytes(genesis.pseudonym_key_check, 32, 'pseudonym_key_check'), limit('max_block_transactions'),
    limit('max_block_bytes'), limit('max_record_ciphertext_bytes'), limit('revocation_grace_blocks'),
    trustees ? encodeTrustees(genesis) : new Uint8Array(0),
    managerOpener ? Uint8Array.of(kAccessModeSingleManager) : new Uint8Array(0),
    version === kVersionProvenDkg || managerOpener ? encodeGovernance(genesis.governance) : new Uint8Array(0),
    managerOpener ? encodeManagerOpenerKey(genesis.manager_opener_key) : new Uint8Array(0));
}

// The chain id: SHA-256 of the encoding (32 bytes).
export async function genesisHash(genesis) {
  return sha256(encodeGenesis(genesis));
}
