#include "crypto/threshold/trustee_signature.h"

#include <algorithm>

#include "common/byte_reader.h"
#include "crypto/threshold/dleq_proof.h"

namespace hc::crypto::threshold {

namespace {
constexpr std::string_view kTrusteeSigningDomain = "HC-TRUSTEE-SIGNING-v1";
}  // namespace

TrusteeSignature sign_as_trustee(ByteSpan message, const P256Scalar& secret) {
  HC_CHECK(!secret.is_zero());
  const P256Point g = P256Point::generator();
  const P256Point public_key = P256Point::base_mul(secret);
  DleqProof proof = prove_dleq(kTrusteeSigningDomain, message, g, secret, public_key, public_key);
  Bytes encoded;
  append_dleq(encoded, proof);
  HC_CHECK(encoded.size() == kTrusteeSignatureBytes);
  TrusteeSignature out{};
  std::copy(encoded.begin(), encoded.end(), out.begin());
  return out;
}

bool verify_trustee_signature(ByteSpan message, const P256Point& public_key, const TrusteeSignature& signature) {
  ByteReader reader(signature);
  auto proof = read_dleq(reader);
  if (!proof.ok() || !reader.expect_end("trustee signature").ok()) return false;
  return verify_dleq(kTrusteeSigningDomain, message, P256Point::generator(), public_key, public_key, *proof);
}

}  // namespace hc::crypto::threshold
