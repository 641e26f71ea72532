#include "crypto/threshold/opener_encoding.h"

#include <algorithm>
#include <string>

#include "common/check.h"
#include "crypto/threshold/wire.h"

namespace hc::crypto::threshold {

namespace {

constexpr std::string_view kOpenerKeyTag = "HC-OPENER-KEY-v1";
constexpr std::string_view kEvidenceTag = "HC-OPENING-EVIDENCE-v1";

Result<G1> read_opener_g1(ByteReader& reader, std::string_view field) {
  HC_ASSIGN_OR_RETURN(ByteSpan raw, reader.fixed(48, field));
  auto p = G1::from_compressed(raw);
  if (!p.ok()) return p.status().with_context("opener key: " + std::string(field));
  if (p->is_identity()) return invalid_input("opener key: " + std::string(field) + " is the identity");
  return p;
}

}  // namespace

Bytes encode_opener_key(const OpenerKeyPublic& key) {
  Bytes out;
  append_tag(out, kOpenerKeyTag);
  append_bytes(out, key.chain_id);
  append_u64_be(out, key.epoch);
  append_u16_be(out, key.threshold);
  append_u16_be(out, static_cast<std::uint16_t>(key.public_shares.size()));
  std::vector<G1> points = {key.u, key.h};
  points.insert(points.end(), key.public_shares.begin(), key.public_shares.end());
  for (const auto& p : bls12_381::to_compressed_batch(points)) append_bytes(out, p);
  return out;
}

Result<OpenerKeyPublic> decode_opener_key(ByteSpan bytes) {
  ByteReader reader(bytes);
  HC_RETURN_IF_ERROR(read_tag(reader, kOpenerKeyTag));
  OpenerKeyPublic key;
  HC_ASSIGN_OR_RETURN(key.chain_id, reader.array<32>("chain id"));
  HC_ASSIGN_OR_RETURN(key.epoch, reader.u64("epoch"));
  HC_ASSIGN_OR_RETURN(key.threshold, reader.u16("threshold"));
  HC_ASSIGN_OR_RETURN(std::uint16_t m, reader.u16("trustee count"));
  if (m == 0 || m > kMaxTrustees) return invalid_input("opener key: trustee count must be 1 to 64");
  if (key.threshold == 0 || key.threshold > m) return invalid_input("opener key: threshold is not between 1 and m");
  HC_ASSIGN_OR_RETURN(key.u, read_opener_g1(reader, "u"));
  HC_ASSIGN_OR_RETURN(key.h, read_opener_g1(reader, "h"));
  for (std::uint16_t j = 0; j < m; ++j) {
    HC_ASSIGN_OR_RETURN(G1 share, read_opener_g1(reader, "public share"));
    key.public_shares.push_back(share);
  }
  HC_RETURN_IF_ERROR(reader.expect_end("opener key"));
  HC_RETURN_IF_ERROR(check_opener_key_public(key));
  return key;
}

void sort_evidence(std::vector<PartialOpening>& partials) {
  std::sort(partials.begin(), partials.end(),
            [](const PartialOpening& a, const PartialOpening& b) { return a.trustee < b.trustee; });
}

Bytes encode_opening_evidence(const std::vector<PartialOpening>& partials) {
  HC_CHECK(!partials.empty() && partials.size() <= kMaxTrustees);
  Bytes out;
  out.reserve(4 + kEvidenceTag.size() + 2 + partials.size() * kPartialOpeningBytes);
  append_tag(out, kEvidenceTag);
  append_u16_be(out, static_cast<std::uint16_t>(partials.size()));
  for (std::size_t i = 0; i < partials.size(); ++i) {
    HC_CHECK(i == 0 || partials[i - 1].trustee < partials[i].trustee);  // the caller sorts
    append_bytes(out, encode_partial_opening(partials[i]));
  }
  return out;
}

Result<std::vector<PartialOpening>> decode_opening_evidence(ByteSpan bytes) {
  ByteReader reader(bytes);
  HC_RETURN_IF_ERROR(read_tag(reader, kEvidenceTag));
  HC_ASSIGN_OR_RETURN(std::uint16_t count, reader.u16("partial opening count"));
  if (count == 0 || count > kMaxTrustees) return invalid_input("opening evidence must hold 1 to 64 partial openings");
  std::vector<PartialOpening> partials;
  partials.reserve(count);
  for (std::uint16_t i = 0; i < count; ++i) {
    HC_ASSIGN_OR_RETURN(ByteSpan raw, reader.fixed(kPartialOpeningBytes, "partial opening"));
    auto p = decode_partial_opening(raw);
    if (!p.ok()) return p.status().with_context("opening evidence");
    if (!partials.empty() && !(partials.back().trustee < p->trustee)) {
      return invalid_input("opening evidence: trustees are not strictly increasing");
    }
    partials.push_back(*p);
  }
  HC_RETURN_IF_ERROR(reader.expect_end("opening evidence"));
  return partials;
}

}  // namespace hc::crypto::threshold
