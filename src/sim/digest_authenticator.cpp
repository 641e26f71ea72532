#include "sim/digest_authenticator.h"

#include <algorithm>
#include <string_view>

namespace hc::sim {

consensus::Signature digest_authenticator(consensus::ReplicaId id, ByteSpan msg) {
  constexpr std::string_view kTag = "HC-SIM/1/digest-auth";
  Bytes input(kTag.begin(), kTag.end());
  append_u32_be(input, id);
  append_bytes(input, msg);
  const consensus::Digest d = consensus::sha256(input);
  consensus::Signature sig{};
  std::copy(d.begin(), d.end(), sig.begin());
  std::copy(d.begin(), d.end(), sig.begin() + d.size());
  return sig;
}

bool DigestVerifier::verify(consensus::ReplicaId signer, ByteSpan msg, const consensus::Signature& sig) {
  return signer < replica_count_ && digest_authenticator(signer, msg) == sig;
}

}  // namespace hc::sim
