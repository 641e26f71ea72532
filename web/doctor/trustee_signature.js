// A trustee's signature on its chain transactions, checked in the page as
// src/crypto/threshold/trustee_signature.h checks it (docs/threshold.md, "On the chain"): a
// Schnorr signature written as a Chaum-Pedersen proof (c, z) (dleq_proof.js) with H = G and
// A = B = the trustee's key, domain "HC-TRUSTEE-SIGNING-v1", its context the transaction
// before its signature. Public values only.
import { verifyDleq } from './dleq_proof.js';
import { kGenerator } from './p256.js';

export const kTrusteeSignatureBytes = 64;

// `message`: the transaction's bytes before the signature; `key`: the trustee's decoded key
// (p256.js); `signature`: 64 bytes c || z. True when it verifies.
export async function verifyTrusteeSignature(message, key, signature) {
  if (signature.length !== kTrusteeSignatureBytes) return false;
  return verifyDleq('HC-TRUSTEE-SIGNING-v1', message, kGenerator, key, key, signature);
}
