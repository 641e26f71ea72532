// The trustees' access key the page seals version-2 records to, believed only as the chain's
// DKG transcript forms it: the JS counterpart of src/client/access_key_trust.h, run on
// GET /v1/access-key's answer against the genesis file the doctor loaded (docs/web.md, "Trust
// in trustees mode"). Every deal and complaint comes as a committed item (committed_item.js:
// its block's commit certificate by 2f+1 genesis replicas); each is parsed byte by byte as a
// transaction of this chain and key epoch committed in its round's window and signed by the
// trustee it names (trustee_signature.js, the genesis's trustee key); for an epoch after 0,
// the admin-signed key_epoch_start that began it fixes the windows. Deals are decoded for the
// epoch's parameters (docs/threshold.md: params digest, dealer, t commitments and m share
// boxes, every point checked; in the proven form, kinds 29/30, each box with the proof of its
// ephemeral secret, kept for the judge: the page checks the proof of each box a complaint is
// about, and relies on the certified chain, whose rules refuse a deal with any bad proof, for
// the others, as m^2 proofs in page JavaScript would take minutes at 64 trustees); complaints against access-key deals are decoded and judged
// (dkg_complaint.js), as finalize_dkg judges them; complaints against opener deals (kind 14)
// are proven and left out (they do not change Y). The key is then Y = the sum of the
// qualified dealers' constant commitments C_i0 (p256.js), and the answered key and key id must
// be exactly Y and SHA-256 of Y's SubjectPublicKeyInfo. Each refusal throws
// AccessKeyNotVouched with hc's line.
import { be, concat } from './bytes.js';
import { ItemRefused, equal, u64, verifyCommittedItem } from './committed_item.js';
import { ComplaintRefused, judgeComplaint, parseComplaint } from './dkg_complaint.js';
import { PointRefused, addPoints, decodePoint, encodePoint } from './p256.js';
import { sha256 } from './seal.js';
import { fromHex, lengthPrefixed, toHex } from './serial.js';
import { verifyTrusteeSignature } from './trustee_signature.js';

export const kDkgWindowBlocks = 16;  // src/chain/limits.h kDkgWindowBlocks
const kMaxTrustees = 64;
const kMaxDealBytes = 16384;  // src/chain/limits.h kMaxDkgDealBytes, kMaxOpenerDealBytes
const kShareBoxBytes = 65 + 32 + 16;
const kKindDkgDeal = 6;
const kKindDkgComplaint = 7;
const kKindKeyEpochStart = 8;
const kKindDkgDealWithOpener = 13;
const kKindDkgComplaintOnOpener = 14;
const kKindProvenDkgDeal = 29;
const kKindProvenDkgDealWithOpener = 30;
const kDleqProofBytes = 64;
const kMaxComplaintBytes = 256;
const kSpkiPrefix = fromHex('3059301306072a8648ce3d020106082a8648ce3d030107034200');
const utf8 = new TextEncoder();
const kDealTag = 'HC-DKG-DEAL-v2';  // src/crypto/threshold/deal_forms.h
const kLegacyDealTag = 'HC-DKG-DEAL-v1';

export class AccessKeyNotVouched extends Error {
  constructor(reason) {
    super(`the node's access key is not vouched for by the chain: ${reason}`);
  }
}

// A bounds-checked reader of a transaction's bytes (src/common/byte_reader.h's role).
class Reader {
  constructor(bytes, what) {
    this.bytes = bytes;
    this.at = 0;
    this.what = what;
  }

  take(n) {
    if (n > this.bytes.length - this.at) throw new AccessKeyNotVouched(`${this.what} does not decode (truncated)`);
    const out = this.bytes.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }

  uint(n) {
    let v = 0n;
    for (const b of this.take(n)) v = (v << 8n) | BigInt(b);
    return v;
  }

  end() {
    if (this.at !== this.bytes.length) throw new AccessKeyNotVouched(`${this.what} does not decode (trailing bytes)`);
  }
}

function readHead(reader, kinds) {
  if (!equal(reader.take(4), utf8.encode('HCTX')) || reader.uint(1) !== 1n) throw new AccessKeyNotVouched(`${reader.what} does not decode`);
  const kind = Number(reader.uint(1));
  if (!kinds.includes(kind)) throw new AccessKeyNotVouched(`${reader.what} is a transaction of another kind (${kind})`);
  return kind;
}

// The genesis's trustees: their keys (65 bytes each, and decoded) and t (docs/ledger.md,
// genesis version 4).
export function trusteesOf(genesis) {
  const keys = genesis.trustee_keys;
  if (genesis.access_mode !== 'trustees' || !Array.isArray(keys) || keys.length < 1 || keys.length > kMaxTrustees) {
    throw new AccessKeyNotVouched('the genesis is not in trustees mode (no trustee_keys)');
  }
  const decoded = keys.map((hex) => {
    if (typeof hex !== 'string' || !/^[0-9a-f]{130}$/.test(hex)) throw new AccessKeyNotVouched('a genesis trustee key is not 65 hex bytes');
    return fromHex(hex);
  });
  const points = decoded.map((key) => decodePoint(key));
  const m = decoded.length;
  const t = genesis.trustee_threshold === undefined ? 2 * Math.floor((m - 1) / 3) + 1 : genesis.trustee_threshold;
  if (!Number.isInteger(t) || t < 1 || t > m) throw new AccessKeyNotVouched('the genesis trustee_threshold is not 1..m');
  return { keys: decoded, points, t, m };
}

// docs/threshold.md: SHA-256(LP("HC-DKG-PARAMS-v1") || chain_id || u64 epoch || u16 t || u16 m || keys).
export async function dkgParamsDigest(chainId, epoch, t, keys) {
  return sha256(concat(lengthPrefixed(utf8.encode('HC-DKG-PARAMS-v1')), chainId, be(epoch, 8), be(t, 2), be(keys.length, 2), ...keys));
}

// A dkg_deal transaction (kind 6, or 13 with an opener deal; 29 / 30 in the proven form):
// {chainId, epoch, dealer, deal, unsigned (the bytes the trustee signed), signature}.
export function parseDealTx(encoding) {
  const r = new Reader(encoding, 'a proven deal transaction');
  const kind = readHead(r, [kKindDkgDeal, kKindDkgDealWithOpener, kKindProvenDkgDeal, kKindProvenDkgDealWithOpener]);
  const tx = { chainId: r.take(32), epoch: r.uint(8), dealer: Number(r.uint(2)) };
  const dealBytes = Number(r.uint(4));
  if (dealBytes < 1 || dealBytes > kMaxDealBytes) throw new AccessKeyNotVouched('a proven deal transaction has a deal of a size out of bounds');
  tx.deal = r.take(dealBytes);
  const provenKind = kind === kKindProvenDkgDeal || kind === kKindProvenDkgDealWithOpener;
  if (hasTag(tx.deal, kDealTag) !== provenKind) throw new AccessKeyNotVouched(`a deal transaction of kind ${kind} carries a deal of the other form`);
  tx.proven = provenKind;
  if (kind === kKindDkgDealWithOpener || kind === kKindProvenDkgDealWithOpener) {
    const openerBytes = Number(r.uint(4));
    if (openerBytes < 1 || openerBytes > kMaxDealBytes) throw new AccessKeyNotVouched('a proven deal transaction has an opener deal of a size out of bounds');
    r.take(openerBytes);
  }
  tx.unsigned = encoding.subarray(0, r.at);
  tx.signature = r.take(64);
  r.end();
  return tx;
}

function hasTag(bytes, tag) {
  const prefix = lengthPrefixed(utf8.encode(tag));
  return bytes.length >= prefix.length && equal(bytes.subarray(0, prefix.length), prefix);
}

// The deal's encoding for the epoch's parameters, in the proven form (HC-DKG-DEAL-v2: each
// box followed by its ephemeral proof) or the legacy one (v1, no proofs): {dealer, commitments
// (decoded points), boxes (the m share boxes, 113 bytes each), proofs (m of 64 bytes, or null
// for the legacy form)}.
export function parseDeal(bytes, paramsDigest, dealer, t, m) {
  const r = new Reader(bytes, `dealer ${dealer}'s deal`);
  const proven = hasTag(bytes, kDealTag);
  const tag = utf8.encode(proven ? kDealTag : kLegacyDealTag);
  if (r.uint(4) !== BigInt(tag.length) || !equal(r.take(tag.length), tag)) throw new AccessKeyNotVouched(`dealer ${dealer}'s deal does not decode (tag)`);
  if (!equal(r.take(32), paramsDigest)) throw new AccessKeyNotVouched(`dealer ${dealer}'s deal is for other DKG parameters`);
  if (Number(r.uint(2)) !== dealer) throw new AccessKeyNotVouched(`dealer ${dealer}'s deal names another dealer`);
  if (Number(r.uint(2)) !== t) throw new AccessKeyNotVouched(`dealer ${dealer}'s deal does not have t commitments`);
  const commitments = [];
  for (let k = 0; k < t; k++) commitments.push(decodePoint(r.take(65)));
  if (Number(r.uint(2)) !== m) throw new AccessKeyNotVouched(`dealer ${dealer}'s deal does not have m share boxes`);
  const boxes = [];
  const proofs = proven ? [] : null;
  for (let j = 0; j < m; j++) {
    boxes.push(r.take(kShareBoxBytes));
    decodePoint(boxes[j].subarray(0, 65));
    if (proven) proofs.push(r.take(kDleqProofBytes));
  }
  r.end();
  return { dealer, commitments, boxes, proofs };
}

// A dkg_complaint transaction (kind 7, or 14 against an opener deal): {kind, chainId, epoch,
// complainer, complaint, unsigned, signature}.
export function parseComplaintTx(encoding) {
  const r = new Reader(encoding, 'a proven complaint transaction');
  const kind = readHead(r, [kKindDkgComplaint, kKindDkgComplaintOnOpener]);
  const tx = { kind, chainId: r.take(32), epoch: r.uint(8), complainer: Number(r.uint(2)) };
  const bytes = Number(r.uint(2));
  if (bytes < 1 || bytes > kMaxComplaintBytes) throw new AccessKeyNotVouched('a proven complaint transaction has a complaint of a size out of bounds');
  tx.complaint = r.take(bytes);
  tx.unsigned = encoding.subarray(0, r.at);
  tx.signature = r.take(64);
  r.end();
  return tx;
}

// h0 of the epoch: 0 for epoch 0, else the height of its admin-signed key_epoch_start.
async function epochStartHeight(answer, genesis, chainId, epoch, certificateCheck) {
  if (epoch === 0n) return 0;
  if (!answer.epoch_start || typeof answer.epoch_start !== 'object') throw new AccessKeyNotVouched(`key epoch ${epoch} comes without its key_epoch_start`);
  const proven = await verifyCommittedItem(answer.epoch_start, certificateCheck);
  const r = new Reader(proven.encoding, 'the proven key_epoch_start');
  readHead(r, [kKindKeyEpochStart]);
  const ok = equal(r.take(32), chainId) && r.uint(8) === epoch;
  const unsigned = proven.encoding.subarray(0, r.at);
  const signature = r.take(64);
  r.end();
  const admin = await crypto.subtle.importKey('raw', fromHex(String(genesis.manager_admin_key)), { name: 'Ed25519' }, false, ['verify']);
  const signed = concat(utf8.encode('HC-MANAGER-SIGNING-v1'), unsigned);
  if (!ok || !(await crypto.subtle.verify({ name: 'Ed25519' }, admin, signature, signed))) {
    throw new AccessKeyNotVouched(`the proven transaction is not this chain's admin-signed start of key epoch ${epoch}`);
  }
  return proven.height;
}

// key_id = SHA-256 of the access key's 91-byte SubjectPublicKeyInfo (docs/record-format.md).
export async function accessKeyId(accessKey) {
  return sha256(concat(kSpkiPrefix, accessKey));
}

// The epoch's committed complaints against access-key deals, each proven, in the complaint
// window, signed by its complainer, of this chain and epoch, decoded for the parameters, once
// per (complainer, dealer). Complaints against opener deals (kind 14) are proven and then
// left out: they do not change Y (hc's access_key_trust judges them for the opener key).
async function provenComplaints(answer, ctx) {
  const entries = Array.isArray(answer.complaints) ? answer.complaints : [];
  if (entries.length > ctx.m * ctx.m) throw new AccessKeyNotVouched('more complaints than trustee pairs');
  const first = ctx.h0 + kDkgWindowBlocks + 1;
  const last = ctx.h0 + 2 * kDkgWindowBlocks;
  const complaints = [];
  const seen = new Set();
  for (const entry of entries) {
    const proven = await verifyCommittedItem(entry && entry.item, ctx.certificateCheck);
    if (proven.height < first || proven.height > last) {
      throw new AccessKeyNotVouched(`a complaint at height ${proven.height} is outside its round (${first}..${last})`);
    }
    const tx = parseComplaintTx(proven.encoding);
    if (tx.complainer < 1 || tx.complainer > ctx.m || !(await verifyTrusteeSignature(tx.unsigned, ctx.points[tx.complainer - 1], tx.signature))) {
      throw new AccessKeyNotVouched('a complaint is not signed by the trustee it names');
    }
    if (!equal(tx.chainId, ctx.chainId) || tx.epoch !== ctx.epoch) {
      throw new AccessKeyNotVouched(`a proven transaction is not a complaint of this chain's key epoch ${ctx.epoch}`);
    }
    if (tx.kind === kKindDkgComplaintOnOpener) continue;
    const complaint = parseComplaint(tx.complaint, ctx.digest, ctx.m);
    if (complaint.complainer !== tx.complainer) throw new AccessKeyNotVouched('a committed complaint does not decode');
    const pair = `${complaint.complainer}/${complaint.dealer}`;
    if (seen.has(pair)) throw new AccessKeyNotVouched(`two complaints of trustee ${complaint.complainer} about dealer ${complaint.dealer}`);
    seen.add(pair);
    complaints.push(complaint);
  }
  return complaints;
}

// finalize_dkg's qualification (dkg_outcome.h): a dealer with a decoded deal qualifies unless
// a complaint convicts it; a complaint about an absent dealer, an invalid or an unfounded one
// only counts against its complainer.
export async function qualifiedDealers(deals, complaints, digest, points) {
  const disqualified = new Set();
  const rejectedComplainers = new Set();
  for (const complaint of complaints) {
    const deal = deals.get(complaint.dealer);
    const verdict = deal ? await judgeComplaint(digest, deal, complaint, points[complaint.complainer - 1]) : 'absent dealer';
    if (verdict === 'faulty') disqualified.add(complaint.dealer);
    else rejectedComplainers.add(complaint.complainer);
  }
  const qualified = [...deals.keys()].filter((d) => !disqualified.has(d)).sort((a, b) => a - b);
  return { qualified, disqualified: [...disqualified].sort((a, b) => a - b), rejectedComplainers: [...rejectedComplainers].sort((a, b) => a - b) };
}

async function verifyOrRefuse(answer, genesis, chainId, certificateCheck) {
  if (!answer || typeof answer !== 'object') throw new AccessKeyNotVouched('malformed node answer');
  const { keys, points, t, m } = trusteesOf(genesis);
  const epoch = u64(answer.key_epoch, 'key_epoch');
  const h0 = await epochStartHeight(answer, genesis, chainId, epoch, certificateCheck);
  const entries = Array.isArray(answer.deals) ? answer.deals : [];
  if (entries.length > m) throw new AccessKeyNotVouched('more deals than trustees');
  const digest = await dkgParamsDigest(chainId, epoch, t, keys);
  const deals = new Map();  // dealer -> its decoded deal
  for (const entry of entries) {
    const proven = await verifyCommittedItem(entry && entry.item, certificateCheck);
    if (proven.height < h0 + 1 || proven.height > h0 + kDkgWindowBlocks) {
      throw new AccessKeyNotVouched(`a deal at height ${proven.height} is outside its round (${h0 + 1}..${h0 + kDkgWindowBlocks})`);
    }
    const tx = parseDealTx(proven.encoding);
    if (!equal(tx.chainId, chainId) || tx.epoch !== epoch) throw new AccessKeyNotVouched(`a proven transaction is not a deal of this chain's key epoch ${epoch}`);
    if (tx.dealer < 1 || tx.dealer > m) throw new AccessKeyNotVouched(`a deal names dealer ${tx.dealer}, not a trustee`);
    if (deals.has(tx.dealer)) throw new AccessKeyNotVouched(`two deals of dealer ${tx.dealer}`);
    if (genesis.version === 6 && !tx.proven) throw new AccessKeyNotVouched(`dealer ${tx.dealer}'s deal is not in the proven form this chain requires`);
    if (!(await verifyTrusteeSignature(tx.unsigned, points[tx.dealer - 1], tx.signature))) {
      throw new AccessKeyNotVouched('a deal is not signed by the trustee it names');
    }
    deals.set(tx.dealer, parseDeal(tx.deal, digest, tx.dealer, t, m));
  }
  const complaints = await provenComplaints(answer, { m, h0, certificateCheck, points, chainId, epoch, digest });
  const { qualified } = await qualifiedDealers(deals, complaints, digest, points);
  const needed = m - t + 1;
  if (qualified.length < needed) throw new AccessKeyNotVouched(`the proven transcript forms no key: only ${qualified.length} of the ${needed} needed dealers qualified`);
  const y = qualified.map((d) => deals.get(d).commitments[0]).reduce(addPoints, null);
  if (y === null) throw new AccessKeyNotVouched('the proven transcript forms no key: the DKG\'s key is the point at infinity');
  const accessKey = encodePoint(y);
  const keyId = await accessKeyId(accessKey);
  if (answer.key_id !== toHex(keyId)) throw new AccessKeyNotVouched('the answered key id is not the one the proven transcript forms');
  if (answer.access_key !== toHex(accessKey)) throw new AccessKeyNotVouched('the answered access key is not the one the proven transcript forms');
  return { epoch, accessKey, keyId, dealers: qualified };
}

// `answer`: GET /v1/access-key's JSON; `genesis`: the parsed genesis file; `chainId`: the
// genesis hash (32 bytes); `certificateCheck`: commit_certificate.js's checker for this
// genesis. Returns {epoch (BigInt), accessKey (65 bytes), keyId (32 bytes), dealers}.
export async function verifyAccessKeyAnswer(answer, genesis, chainId, certificateCheck) {
  try {
    return await verifyOrRefuse(answer, genesis, chainId, certificateCheck);
  } catch (e) {
    if (e instanceof ItemRefused || e instanceof PointRefused || e instanceof ComplaintRefused) throw new AccessKeyNotVouched(e.message);
    throw e;
  }
}
