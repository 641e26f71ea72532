#include "consensus/crypto.h"

#include <string>

namespace hc::consensus {

Result<std::unique_ptr<Ed25519Signer>> Ed25519Signer::create(const SecureBytes& seed) {
  HC_ASSIGN_OR_RETURN(crypto::Ed25519PrivateKey key, crypto::Ed25519PrivateKey::from_seed(seed));
  return std::unique_ptr<Ed25519Signer>(new Ed25519Signer(std::move(key)));
}

Result<std::unique_ptr<Ed25519Verifier>> Ed25519Verifier::create(
    const std::vector<PublicKey>& keys) {
  std::vector<std::optional<crypto::Ed25519PublicKey>> parsed;
  parsed.reserve(keys.size());
  for (const PublicKey& key : keys) {
    HC_ASSIGN_OR_RETURN(crypto::Ed25519PublicKey k, crypto::Ed25519PublicKey::from_bytes(key));
    parsed.emplace_back(std::move(k));
  }
  return std::unique_ptr<Ed25519Verifier>(new Ed25519Verifier(std::move(parsed)));
}

bool Ed25519Verifier::verify(ReplicaId signer, ByteSpan msg, const Signature& sig) {
  if (!knows(signer)) return false;
  return keys_[signer]->verify(msg, sig);
}

Status Ed25519Verifier::add_key(ReplicaId id, const PublicKey& key) {
  if (id > kMaxReplicaId) return invalid_input("replica id " + std::to_string(id) + " is too large for a key");
  HC_ASSIGN_OR_RETURN(crypto::Ed25519PublicKey parsed, crypto::Ed25519PublicKey::from_bytes(key));
  if (knows(id)) {
    if (keys_[id]->bytes() == key) return Status();
    return invalid_input("replica " + std::to_string(id) + " already has another key");
  }
  if (keys_.size() <= id) keys_.resize(std::size_t{id} + 1);
  keys_[id] = std::move(parsed);
  return Status();
}

}  // namespace hc::consensus
