// Test support for the engine's signature paths (tests only; hc_consensus_testing): four
// replicas' Ed25519 keys from fixed seeds, and a verifier that gives the real Ed25519 answer
// while counting how often it was asked, so a test can tell a check made from one skipped.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "consensus/crypto.h"

namespace hc::consensus {

// The real Ed25519 answer, counting the questions.
class CountingEd25519Verifier final : public Verifier {
 public:
  explicit CountingEd25519Verifier(const std::vector<PublicKey>& keys) : inner_(std::move(Ed25519Verifier::create(keys)).value()) {}
  bool verify(ReplicaId signer, ByteSpan msg, const Signature& sig) override {
    ++calls;
    return inner_->verify(signer, msg, sig);
  }
  int calls = 0;

 private:
  std::unique_ptr<Ed25519Verifier> inner_;
};

// Replicas 0..count-1, replica r's seed 32 bytes of (first_seed_byte + r): tests that use
// different first bytes get different keys.
struct Ed25519TestKeys {
  explicit Ed25519TestKeys(char first_seed_byte, ReplicaId count = 4) {
    for (ReplicaId r = 0; r < count; ++r) {
      signers.push_back(
          std::move(Ed25519Signer::create(SecureBytes(std::string(32, static_cast<char>(first_seed_byte + r))))).value());
      public_keys.push_back(signers.back()->public_key());
    }
  }
  std::vector<std::unique_ptr<Ed25519Signer>> signers;
  std::vector<PublicKey> public_keys;
};

}  // namespace hc::consensus
