#include "crypto/groupsig/challenge.h"

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
  append_g1(buf, t1);
  append_g1(buf, t2);
  append_g1(buf, t3);
  append_g1(buf, r.r1);
  append_g1(buf, r.r2);
  auto r3 = r.r3.to_bytes();
  append_bytes(buf, r3);
  append_g1(buf, r.r4);
  append_g1(buf, r.r5);
  Result<Fr> c = bls12_381::hash_to_fr(buf, as_bytes(kDstSignChallenge));
  HC_CHECK(c.ok());  // only fails for an empty or over-long DST, and ours is a constant
  return c.value();
}

}  // namespace hc::groupsig
