#include "crypto/groupsig/challenge.h"

#include <array>

#include "common/check.h"
#include "crypto/groupsig/byte_reader.h"
#include "crypto/groupsig/params.h"

namespace hc::groupsig {

Fr sign_challenge(const Digest32& gpk_digest, std::uint64_t epoch, const Digest32& msg_digest,
                  const G1& t1, const G1& t2, const G1& t3, const SignCommitments& r) {
  Bytes buf;
  buf.reserve(32 + 8 + 32 + 7 * kG1Bytes + 576);
  append_bytes(buf, gpk_digest);
  append_u64_be(buf, epoch);
  append_bytes(buf, msg_digest);
  // The signer's points derive from its nonces: one constant-time batch normalisation.
  const std::array<G1, 7> points = {t1, t2, t3, r.r1, r.r2, r.r4, r.r5};
  const auto encoded = bls12_381::to_compressed_batch(points);
  for (std::size_t i = 0; i < 5; ++i) append_bytes(buf, encoded[i]);
  auto r3 = r.r3.to_bytes();
  append_bytes(buf, r3);
  append_bytes(buf, encoded[5]);
  append_bytes(buf, encoded[6]);
  Result<Fr> c = bls12_381::hash_to_fr(buf, as_bytes(kDstSignChallenge));
  HC_CHECK(c.ok());  // only fails for an empty or over-long DST, and ours is a constant
  return c.value();
}

}  // namespace hc::groupsig
