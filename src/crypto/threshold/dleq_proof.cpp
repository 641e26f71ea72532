#include "crypto/threshold/dleq_proof.h"

#include "crypto/threshold/wire.h"

namespace hc::crypto::threshold {

namespace {

P256Scalar challenge(std::string_view domain, ByteSpan context, const P256Point& h, const P256Point& a,
                     const P256Point& b, const P256Point& r1, const P256Point& r2) {
  Bytes msg;
  append_length_prefixed(msg, as_bytes(domain));
  append_length_prefixed(msg, context);
  append_point(msg, h);
  append_point(msg, a);
  append_point(msg, b);
  append_point(msg, r1);
  append_point(msg, r2);
  return hash_to_p256_scalar("HC-DLEQ-v1", msg);
}

}  // namespace

DleqProof prove_dleq(std::string_view domain, ByteSpan context, const P256Point& h,
                     const P256Scalar& x, const P256Point& a, const P256Point& b) {
  HC_CHECK(!x.is_zero());
  for (;;) {
    P256Scalar r = P256Scalar::random_nonzero();
    const P256Point r1 = P256Point::base_mul(r);
    // With H = G (a box's proof of its ephemeral secret) R2 is R1: one multiplication, not two.
    const P256Point r2 = h == P256Point::generator() ? r1 : h.mul(r);
    P256Scalar c = challenge(domain, context, h, a, b, r1, r2);
    P256Scalar z = r + c * x;
    if (c.is_zero() || z.is_zero()) continue;  // probability 2^-255; keeps verification total
    return DleqProof{c, z};
  }
}

bool verify_dleq(std::string_view domain, ByteSpan context, const P256Point& h, const P256Point& a,
                 const P256Point& b, const DleqProof& proof) {
  if (proof.challenge.is_zero() || proof.response.is_zero()) return false;
  if (a.is_infinity() || b.is_infinity() || h.is_infinity()) return false;
  P256Point r1 = P256Point::base_mul(proof.response) - a.mul(proof.challenge);
  // H = G and A = B (a box's proof of its ephemeral secret): R2 is R1, computed once. Public
  // values only, so the branch leaks nothing.
  P256Point r2 = h == P256Point::generator() && a == b ? r1 : h.mul(proof.response) - b.mul(proof.challenge);
  if (r1.is_infinity() || r2.is_infinity()) return false;
  return challenge(domain, context, h, a, b, r1, r2) == proof.challenge;
}

void append_dleq(Bytes& out, const DleqProof& proof) {
  append_scalar(out, proof.challenge);
  append_scalar(out, proof.response);
}

Result<DleqProof> read_dleq(ByteReader& reader) {
  HC_ASSIGN_OR_RETURN(P256Scalar c, read_scalar(reader, "proof challenge"));
  HC_ASSIGN_OR_RETURN(P256Scalar z, read_scalar(reader, "proof response"));
  return DleqProof{c, z};
}

}  // namespace hc::crypto::threshold
