// Proactive resharing of the P-256 access key (docs/threshold.md, "Resharing"): the group
// the resharing templates (reshare_params.h, reshare_deal.h, reshare_complaint.h,
// reshare_outcome.h) run over for the access key, and the names the rest of the code uses.
// Scalars are P256Scalar (wiped by their destructor), points P256Point in their 65-byte
// encoding, the base G; the reshared key keeps Y and its key id, so records sealed before the
// resharing open with the new trustees' decryption shares (combine.h). Thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "common/byte_reader.h"
#include "common/bytes.h"
#include "common/status.h"
#include "crypto/p256.h"
#include "crypto/threshold/combine.h"
#include "crypto/threshold/dkg_deal.h"
#include "crypto/threshold/dkg_outcome.h"
#include "crypto/threshold/reshare_complaint.h"
#include "crypto/threshold/reshare_deal.h"
#include "crypto/threshold/reshare_outcome.h"
#include "crypto/threshold/reshare_params.h"
#include "crypto/threshold/wire.h"

namespace hc::crypto::threshold {

struct AccessKeyGroup {
  using Scalar = P256Scalar;
  using Point = P256Point;
  using PublicKey = AccessKeyPublic;

  static constexpr std::string_view kParamsTag = "HC-RESHARE-PARAMS-v1";
  static constexpr std::string_view kDealTag = "HC-RESHARE-DEAL-v1";
  static constexpr std::string_view kShareTag = "HC-RESHARE-SHARE-v1";
  static constexpr std::string_view kComplaintTag = "HC-RESHARE-COMPLAINT-v1";
  static constexpr std::string_view kBoxProofTag = "HC-RESHARE-BOX-POK-v1";

  static const Point& key_point(const PublicKey& key) { return key.group_key; }
  static Point base(const PublicKey&) { return P256Point::generator(); }
  static bool is_identity(const Point& p) { return p.is_infinity(); }
  static void append_points(Bytes& out, const std::vector<Point>& points) {
    for (const Point& p : points) append_point(out, p);
  }
  static Result<Point> read_point(ByteReader& reader, std::string_view field) {
    return threshold::read_point(reader, field);
  }
  // s * G == expected (a zero s only matches infinity).
  static bool share_matches(const PublicKey&, const Scalar& s, const Point& expected) {
    if (s.is_zero()) return expected.is_infinity();
    return !expected.is_infinity() && P256Point::base_mul(s) == expected;
  }
  static Point mul_base_secret(const PublicKey&, const Scalar& s) { return P256Point::base_mul(s); }
  static Point mul_public(const Point& p, const Scalar& s) { return p.mul(s); }
  static Point evaluate(const std::vector<Point>& commitments, std::uint16_t index) {
    return evaluate_commitments(commitments, index);
  }
  static Scalar random_nonzero() { return P256Scalar::random_nonzero(); }
  static Scalar scalar_from_u64(std::uint64_t v) { return P256Scalar::from_u64(v); }
  static std::array<std::uint8_t, 32> scalar_bytes(const Scalar& s) { return s.bytes(); }
  static Result<Scalar> scalar_from_bytes(ByteSpan bytes) { return P256Scalar::from_bytes(bytes); }
  static void wipe(Scalar& s) { s = P256Scalar(); }
  static Result<Scalar> lagrange_at_zero(const std::vector<std::uint16_t>& indices, std::uint16_t i) {
    return threshold::lagrange_at_zero(indices, i);
  }
  // The same Y, key id, chain and key epoch; the new threshold and public shares.
  static PublicKey reshared_key(const PublicKey& old_key, std::uint16_t threshold, std::vector<Point> shares) {
    PublicKey key = old_key;
    key.threshold = threshold;
    key.public_shares = std::move(shares);
    return key;
  }
};

using AccessReshareParams = ReshareParams<AccessKeyGroup>;
using AccessReshareDeal = ReshareDeal<AccessKeyGroup>;
using AccessReshareOutcome = ReshareOutcome<AccessKeyGroup>;

}  // namespace hc::crypto::threshold
