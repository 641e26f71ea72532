// Signatures checked before a message reaches the engine (issue 18 item 3).
//
// A driver may verify an incoming message's envelope signature on another thread (a small
// pool), then hand the engine the message together with the PreverifiedSignature it produced.
// The engine's Verifier is a PreverifiedVerifier: armed with that one entry just before the
// message is handled, it answers a verify() call whose (signer, signing input, signature) are
// byte for byte the entry's without checking again, and sends every other call to the real
// verifier. The engine and its checks are unchanged: it still asks for the same signature of
// the same bytes, and the answer is the one the real verifier gives (the pool's verifier holds
// the same keys); only where the work was done moves. The signing input carries the chain id,
// the configuration number, the type and the sender (messages.h), so an entry made for one
// chain or configuration never answers a question about another. Pure, no threads here.
#pragma once

#include <optional>

#include "consensus/crypto.h"
#include "consensus/messages.h"

namespace hc::consensus {

struct PreverifiedSignature {
  ReplicaId signer = 0;
  Bytes signing_input;  // signing_input(chain, config, type, signer, statement)
  Signature sig{};
};

// Decodes wire and checks its envelope signature with verifier. The entry if the signature
// is valid; nullopt if the message does not decode, is a kind whose envelope the engine does
// not check alone (VIEW-CHANGE: verify_view_change checks it together with its proofs; the
// entry would still be right, but nothing is gained), or the signature is bad (the engine
// then checks it itself and refuses it). Thread-safe if verifier.verify is.
std::optional<PreverifiedSignature> preverify_envelope(ByteSpan wire, const DecodeLimits& limits,
                                                       const ChainId& chain, Verifier& verifier);

// The engine's Verifier in front of the real one. Not thread-safe (the consensus thread's).
class PreverifiedVerifier final : public Verifier {
 public:
  explicit PreverifiedVerifier(Verifier& inner) : inner_(inner) {}

  // The entry for the next message handed to the engine (nullopt: none); replaces any entry
  // left unused by the previous one, so at most one is held.
  void arm(std::optional<PreverifiedSignature> entry) { armed_ = std::move(entry); }

  // True without a new check iff the armed entry is exactly (signer, msg, sig), which it
  // consumes; otherwise the inner verifier's answer.
  bool verify(ReplicaId signer, ByteSpan msg, const Signature& sig) override;

  std::uint64_t answered_from_entry() const { return answered_from_entry_; }
  std::uint64_t passed_to_inner() const { return passed_to_inner_; }

 private:
  Verifier& inner_;
  std::optional<PreverifiedSignature> armed_;
  std::uint64_t answered_from_entry_ = 0;
  std::uint64_t passed_to_inner_ = 0;
};

}  // namespace hc::consensus
