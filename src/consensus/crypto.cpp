#include "consensus/crypto.h"

namespace hc::consensus {

Result<std::unique_ptr<Ed25519Signer>> Ed25519Signer::create(const SecureBytes& seed) {
  HC_ASSIGN_OR_RETURN(crypto::Ed25519PrivateKey key, crypto::Ed25519PrivateKey::from_seed(seed));
  return std::unique_ptr<Ed25519Signer>(new Ed25519Signer(std::move(key)));
}

Result<std::unique_ptr<Ed25519Verifier>> Ed25519Verifier::create(
    const std::vector<PublicKey>& keys) {
  std::vector<crypto::Ed25519PublicKey> parsed;
  parsed.reserve(keys.size());
  for (const PublicKey& key : keys) {
    HC_ASSIGN_OR_RETURN(crypto::Ed25519PublicKey k, crypto::Ed25519PublicKey::from_bytes(key));
    parsed.push_back(std::move(k));
  }
  return std::unique_ptr<Ed25519Verifier>(new Ed25519Verifier(std::move(parsed)));
}

bool Ed25519Verifier::verify(ReplicaId signer, ByteSpan msg, const Signature& sig) {
  if (signer >= keys_.size()) return false;
  return keys_[signer].verify(msg, sig);
}

}  // namespace hc::consensus
