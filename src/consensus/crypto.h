// Signing and verification of protocol messages, injected into the replica.
//
// The replica never touches key material: it asks a Signer for its own signatures and a
// Verifier for everyone else's. Ed25519Signer / Ed25519Verifier are adapters over the
// project's Ed25519 key classes (crypto/ed25519.h, PureEdDSA, RFC 8032); the simulator
// injects its own cheaper authenticator (sim/digest_authenticator.h) or uses these. Not
// required to be thread-safe; one per replica.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "common/secure_bytes.h"
#include "consensus/types.h"
#include "crypto/ed25519.h"

namespace hc::consensus {

class Signer {
 public:
  virtual ~Signer() = default;
  // Signs msg with this replica's key. Never fails for a well-formed key.
  virtual Signature sign(ByteSpan msg) = 0;
};

class Verifier {
 public:
  virtual ~Verifier() = default;
  // True iff sig is a valid signature of msg by replica `signer` (false for non-members).
  virtual bool verify(ReplicaId signer, ByteSpan msg, const Signature& sig) = 0;
};

using PublicKey = std::array<std::uint8_t, 32>;

// Ed25519 key pair from a 32-byte secret seed (wiped when the signer is destroyed).
class Ed25519Signer final : public Signer {
 public:
  // kInvalidInput unless seed is 32 bytes; kInternal if OpenSSL fails.
  static Result<std::unique_ptr<Ed25519Signer>> create(const SecureBytes& seed);

  Signature sign(ByteSpan msg) override { return key_.sign(msg); }
  const PublicKey& public_key() const { return key_.public_key().bytes(); }

 private:
  explicit Ed25519Signer(crypto::Ed25519PrivateKey key) : key_(std::move(key)) {}
  crypto::Ed25519PrivateKey key_;
};

// Verifies Ed25519 signatures by replica id: the replicas 0..n-1 it is created with, and any id
// given a key later with add_key (a replica that joined, docs/consensus.md section 2c).
// Not thread-safe: add_key and verify on one thread (the node's consensus thread).
class Ed25519Verifier final : public Verifier {
 public:
  // Ids above this are refused by add_key (a bound on the directory's size; a driver's ids are
  // below its ConsensusConfig::id_space(), far smaller).
  static constexpr ReplicaId kMaxReplicaId = 4095;

  // kInvalidInput if a key is not a valid Ed25519 public key encoding. Each key is parsed
  // once here, not on every verify(). keys[i] is replica i's.
  static Result<std::unique_ptr<Ed25519Verifier>> create(const std::vector<PublicKey>& keys);

  bool verify(ReplicaId signer, ByteSpan msg, const Signature& sig) override;
  // Gives replica `id` its key. ok if it had none or had this one (adding twice is harmless);
  // kInvalidInput, nothing changed, if the key does not parse, id > kMaxReplicaId, or the id
  // already has another key (a replica id is never reused).
  Status add_key(ReplicaId id, const PublicKey& key);
  // Whether replica `id` has a key.
  bool knows(ReplicaId id) const { return id < keys_.size() && keys_[id].has_value(); }

 private:
  explicit Ed25519Verifier(std::vector<std::optional<crypto::Ed25519PublicKey>> keys) : keys_(std::move(keys)) {}
  std::vector<std::optional<crypto::Ed25519PublicKey>> keys_;  // index: replica id
};

}  // namespace hc::consensus
