// Proactive resharing of the BLS12-381 opener key (docs/threshold.md, "Resharing";
// docs/groupsig.md, "Issuer and opener"): the group the resharing templates (reshare_*.h) run
// over for the opener key, and the names the rest of the code uses. Scalars are Fr (wiped
// explicitly), points G1 in their 48-byte compressed encoding (the identity refused), the base
// the group's u; the reshared key keeps u and h = u^xi, so the group key, every signature made
// before the resharing and every opening evidence stay valid, and the new trustees' partial
// openings (partial_opening.h) combine to the same T1^xi. Thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/byte_reader.h"
#include "common/bytes.h"
#include "common/status.h"
#include "crypto/bls12_381/bls12_381.h"
#include "crypto/threshold/fr_lagrange.h"
#include "crypto/threshold/opener_dkg_deal.h"
#include "crypto/threshold/opener_dkg_outcome.h"
#include "crypto/threshold/reshare_complaint.h"
#include "crypto/threshold/reshare_deal.h"
#include "crypto/threshold/reshare_outcome.h"
#include "crypto/threshold/reshare_params.h"

namespace hc::crypto::threshold {

struct OpenerKeyGroup {
  using Scalar = Fr;
  using Point = G1;
  using PublicKey = OpenerKeyPublic;

  static constexpr std::string_view kParamsTag = "HC-OPENER-RESHARE-PARAMS-v1";
  static constexpr std::string_view kDealTag = "HC-OPENER-RESHARE-DEAL-v1";
  static constexpr std::string_view kShareTag = "HC-OPENER-RESHARE-SHARE-v1";
  static constexpr std::string_view kComplaintTag = "HC-OPENER-RESHARE-COMPLAINT-v1";
  static constexpr std::string_view kBoxProofTag = "HC-OPENER-RESHARE-BOX-POK-v1";

  static const Point& key_point(const PublicKey& key) { return key.h; }
  static Point base(const PublicKey& key) { return key.u; }
  static bool is_identity(const Point& p) { return p.is_identity(); }
  static void append_points(Bytes& out, const std::vector<Point>& points) {
    for (const auto& b : bls12_381::to_compressed_batch(points)) append_bytes(out, b);
  }
  static Result<Point> read_point(ByteReader& reader, std::string_view field) {
    HC_ASSIGN_OR_RETURN(ByteSpan raw, reader.fixed(kOpenerCommitmentBytes, field));
    auto p = G1::from_compressed(raw);
    if (!p.ok()) return p.status().with_context(std::string(field));
    if (p->is_identity()) return invalid_input(std::string(field) + " is the identity");
    return p;
  }
  // u^s == expected, constant time in s.
  static bool share_matches(const PublicKey& key, const Scalar& s, const Point& expected) {
    return key.u.mul_secret(s) == expected;
  }
  static Point mul_base_secret(const PublicKey& key, const Scalar& s) { return key.u.mul_secret(s); }
  static Point mul_public(const Point& p, const Scalar& s) { return p.mul_public(s); }
  static Point evaluate(const std::vector<Point>& commitments, std::uint16_t index) {
    return evaluate_opener_commitments(commitments, index);
  }
  static Scalar random_nonzero() { return Fr::random_nonzero(); }
  static Scalar scalar_from_u64(std::uint64_t v) { return Fr::from_u64(v); }
  static std::array<std::uint8_t, 32> scalar_bytes(const Scalar& s) { return s.to_bytes(); }
  static Result<Scalar> scalar_from_bytes(ByteSpan bytes) { return Fr::from_bytes(bytes); }
  static void wipe(Scalar& s) { s.wipe(); }
  static Result<Scalar> lagrange_at_zero(const std::vector<std::uint16_t>& indices, std::uint16_t i) {
    return fr_lagrange_coefficient(indices, i, 0);
  }
  // The same u, h, chain and key epoch; the new threshold and public shares.
  static PublicKey reshared_key(const PublicKey& old_key, std::uint16_t threshold, std::vector<Point> shares) {
    PublicKey key = old_key;
    key.threshold = threshold;
    key.public_shares = std::move(shares);
    return key;
  }
};

using OpenerReshareParams = ReshareParams<OpenerKeyGroup>;
using OpenerReshareDeal = ReshareDeal<OpenerKeyGroup>;
using OpenerReshareOutcome = ReshareOutcome<OpenerKeyGroup>;

}  // namespace hc::crypto::threshold
