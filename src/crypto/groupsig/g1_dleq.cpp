#include "crypto/groupsig/g1_dleq.h"

#include <array>

#include "common/check.h"

namespace hc::groupsig::elgamal {
namespace {

Fr g1_dleq_challenge(std::string_view dst, ByteSpan context, std::span<const G1, 6> points) {
  Bytes buf;
  buf.reserve(4 + context.size() + 6 * kG1Bytes);
  append_length_prefixed(buf, context);
  // R1, R2 derive from the prover's nonce: one constant-time batch normalisation.
  for (const auto& p : bls12_381::to_compressed_batch(points)) append_bytes(buf, p);
  Result<Fr> c = bls12_381::hash_to_fr(buf, as_bytes(dst));
  HC_CHECK(c.ok());  // fails only for an empty or over-long DST, and callers pass constants
  return c.value();
}

}  // namespace

DleqProof prove_g1_dleq(std::string_view dst, ByteSpan context, const G1& g, const G1& h,
                        const Fr& x, const G1& a, const G1& b) {
  Fr k = Fr::random();
  const std::array<G1, 6> points = {g, h, a, b, g.mul_secret(k), h.mul_secret(k)};
  DleqProof proof;
  proof.c = g1_dleq_challenge(dst, context, points);
  Fr c_x = proof.c * x;
  proof.z = k + c_x;
  c_x.wipe();
  k.wipe();
  return proof;
}

bool verify_g1_dleq(std::string_view dst, ByteSpan context, const G1& g, const G1& h, const G1& a,
                    const G1& b, const DleqProof& proof) {
  if (g.is_identity() || h.is_identity()) return false;
  const Fr minus_c = -proof.c;
  const G1 r1 = bls12_381::msm(std::array<G1, 2>{g, a}, std::array<Fr, 2>{proof.z, minus_c});
  const G1 r2 = bls12_381::msm(std::array<G1, 2>{h, b}, std::array<Fr, 2>{proof.z, minus_c});
  const std::array<G1, 6> points = {g, h, a, b, r1, r2};
  return g1_dleq_challenge(dst, context, points) == proof.c;
}

}  // namespace hc::groupsig::elgamal
