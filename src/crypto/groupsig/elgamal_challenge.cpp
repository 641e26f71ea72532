#include "crypto/groupsig/elgamal_challenge.h"

#include <array>

#include "common/check.h"

namespace hc::groupsig::elgamal {

Fr sign_challenge(const Digest32& gpk_digest, const Digest32& msg_digest, const Signature& sig) {
  Bytes buf;
  buf.reserve(32 + 8 + 32 + 4 * kG1Bytes + kGtBytes);
  append_bytes(buf, gpk_digest);
  append_u64_be(buf, sig.epoch);
  append_bytes(buf, msg_digest);
  // The signer's points derive from its nonces: one constant-time batch normalisation.
  const std::array<G1, 4> points = {sig.t1, sig.t2, sig.r1, sig.r2};
  for (const auto& p : bls12_381::to_compressed_batch(points)) append_bytes(buf, p);
  const auto r3 = sig.r3.to_bytes();
  append_bytes(buf, r3);
  Result<Fr> c = bls12_381::hash_to_fr(buf, as_bytes(kDstSignChallenge));
  HC_CHECK(c.ok());  // only fails for an empty or over-long DST, and ours is a constant
  return c.value();
}

Fr sign_challenge_from_encoding(const Digest32& gpk_digest, const Digest32& msg_digest,
                                ByteSpan encoded_signature) {
  constexpr std::size_t kEpochAt = kHeaderBytes;
  constexpr std::size_t kPointsAt = kHeaderBytes + kEpochBytes;
  constexpr std::size_t kTranscriptBytes = 4 * kG1Bytes + kGtBytes;  // T1 T2 R1 R2 R3
  HC_CHECK(encoded_signature.size() == kSignatureBytes);
  Bytes buf;
  buf.reserve(32 + 8 + 32 + kTranscriptBytes);
  append_bytes(buf, gpk_digest);
  append_bytes(buf, encoded_signature.subspan(kEpochAt, kEpochBytes));
  append_bytes(buf, msg_digest);
  append_bytes(buf, encoded_signature.subspan(kPointsAt, kTranscriptBytes));
  Result<Fr> c = bls12_381::hash_to_fr(buf, as_bytes(kDstSignChallenge));
  HC_CHECK(c.ok());
  return c.value();
}

}  // namespace hc::groupsig::elgamal
