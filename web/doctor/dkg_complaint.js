// A DKG complaint, decoded and judged in the page as src/crypto/threshold/dkg_complaint.h
// does (docs/threshold.md, "Distributed key generation"), from the public transcript alone:
// the complaint carries S = sk_j * E_ij (the ECDH point of the complainer's share box) with a
// Chaum-Pedersen proof that log_G(pk_j) = log_E_ij(S). A complaint whose proof fails is
// invalid; otherwise the judge derives the box key from S (HKDF-SHA-256 over x(S), WebCrypto),
// opens the box (AES-256-GCM, zero nonce) and runs the Feldman check s*G == sum_k j^k * C_k:
// a box that does not open, holds anything but a canonical scalar or fails the check convicts
// the dealer; a share that passes makes the complaint unfounded. Public values only (the
// share a convicted dealer sent is public evidence). A complaint about a box of a deal in the
// proven form whose proof of its ephemeral secret fails is invalid (S would open other boxes:
// docs/threshold.md); a legacy deal's (no proofs) is judged as before. Each malformed
// complaint throws ComplaintRefused.
import { be, concat } from './bytes.js';
import { readScalar, verifyDleq } from './dleq_proof.js';
import { addPoints, decodePoint, encodePoint, kGenerator, kN, multiplyPoint } from './p256.js';
import { lengthPrefixed } from './serial.js';

const utf8 = new TextEncoder();
const kComplaintTag = 'HC-DKG-COMPLAINT-v1';
const kBoxProofTag = 'HC-DKG-BOX-POK-v1';  // src/crypto/threshold/dkg_deal.h kDkgBoxProofTag
export const kComplaintBytes = 4 + kComplaintTag.length + 32 + 2 + 2 + 65 + 64;  // 188

export class ComplaintRefused extends Error {}

function equalBytes(a, b) {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

// The complaint's encoding for the epoch's parameters: {complainer, dealer, shared, proof}.
export function parseComplaint(bytes, paramsDigest, m) {
  const tag = lengthPrefixed(utf8.encode(kComplaintTag));
  if (bytes.length !== kComplaintBytes || !equalBytes(bytes.subarray(0, tag.length), tag)) throw new ComplaintRefused('a committed complaint does not decode');
  let at = tag.length;
  if (!equalBytes(bytes.subarray(at, at + 32), paramsDigest)) throw new ComplaintRefused('a committed complaint is for other DKG parameters');
  at += 32;
  const complainer = (bytes[at] << 8) | bytes[at + 1];
  const dealer = (bytes[at + 2] << 8) | bytes[at + 3];
  if (complainer < 1 || complainer > m || dealer < 1 || dealer > m) throw new ComplaintRefused('a committed complaint names no trustee');
  at += 4;
  const shared = decodePoint(bytes.subarray(at, at + 65));
  const proof = bytes.subarray(at + 65, at + 129);
  if (readScalar(proof.subarray(0, 32)) >= kN || readScalar(proof.subarray(32)) >= kN) throw new ComplaintRefused('a committed complaint does not decode');
  return { complainer, dealer, shared, proof };
}

// sum_k index^k * C_k (Horner, as evaluate_commitments).
function evaluateCommitments(commitments, index) {
  let acc = commitments[commitments.length - 1];
  for (let k = commitments.length - 2; k >= 0; k--) acc = addPoints(multiplyPoint(BigInt(index), acc), commitments[k]);
  return acc;
}

async function openShareBox(shared, context, box) {
  const ephemeral = box.subarray(0, 65);
  const ikm = await crypto.subtle.importKey('raw', encodePoint(shared).subarray(1, 33), 'HKDF', false, ['deriveBits']);
  const info = concat(context, ephemeral);
  const key = await crypto.subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info }, ikm, 256);
  const aes = await crypto.subtle.importKey('raw', key, 'AES-GCM', false, ['decrypt']);
  try {
    return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: new Uint8Array(12), additionalData: info, tagLength: 128 }, aes, box.subarray(65)));
  } catch {
    return null;  // the box does not open under the complainer's point
  }
}

// `deal`: {dealer, commitments, boxes, proofs} (decoded points; boxes of 113 bytes; proofs of
// 64 bytes, or null for a legacy deal); `complaint` from
// parseComplaint; `complainerKey`: the complainer's decoded trustee key. Returns 'faulty'
// (the dealer is convicted), 'unfounded' or 'invalid'.
export async function judgeComplaint(paramsDigest, deal, complaint, complainerKey) {
  const { complainer, dealer } = complaint;
  const box = deal.boxes[complainer - 1];
  const ephemeral = decodePoint(box.subarray(0, 65));
  const shareContext = concat(lengthPrefixed(utf8.encode('HC-DKG-SHARE-v1')), paramsDigest, be(dealer, 2), be(complainer, 2));
  if (deal.proofs && !(await verifyDleq(kBoxProofTag, shareContext, kGenerator, ephemeral, ephemeral, deal.proofs[complainer - 1]))) {
    return 'invalid';
  }
  const proofContext = concat(lengthPrefixed(utf8.encode(kComplaintTag)), paramsDigest, be(complainer, 2), be(dealer, 2), encodePoint(ephemeral));
  if (!(await verifyDleq(kComplaintTag, proofContext, ephemeral, complainerKey, complaint.shared, complaint.proof))) return 'invalid';
  const content = await openShareBox(complaint.shared, shareContext, box);
  if (content === null || content.length !== 32) return 'faulty';
  const share = readScalar(content);
  if (share >= kN) return 'faulty';
  const expected = evaluateCommitments(deal.commitments, complainer);
  const actual = multiplyPoint(share, kGenerator);  // null for a zero share, as infinity
  const same = expected === null || actual === null ? expected === actual : actual.x === expected.x && actual.y === expected.y;
  return same ? 'unfounded' : 'faulty';
}
