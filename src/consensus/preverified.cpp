#include "consensus/preverified.h"

#include <algorithm>

namespace hc::consensus {

std::optional<PreverifiedSignature> preverify_envelope(ByteSpan wire, const DecodeLimits& limits,
                                                       const ChainId& chain, Verifier& verifier) {
  Result<Message> decoded = decode_message(wire, limits);
  if (!decoded.ok()) return std::nullopt;
  const Message& msg = decoded.value();
  if (msg.type() == MsgType::kViewChange) return std::nullopt;
  PreverifiedSignature entry{msg.sender, signing_input(chain, msg.config, msg.type(), msg.sender, statement_of(msg.body)),
                             msg.sig};
  if (!verifier.verify(entry.signer, entry.signing_input, entry.sig)) return std::nullopt;
  return entry;
}

bool PreverifiedVerifier::verify(ReplicaId signer, ByteSpan msg, const Signature& sig) {
  if (armed_ && armed_->signer == signer && armed_->sig == sig &&
      std::equal(msg.begin(), msg.end(), armed_->signing_input.begin(), armed_->signing_input.end())) {
    armed_.reset();
    ++answered_from_entry_;
    return true;
  }
  ++passed_to_inner_;
  return inner_.verify(signer, msg, sig);
}

}  // namespace hc::consensus
