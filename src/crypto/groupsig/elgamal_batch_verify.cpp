#include "crypto/groupsig/elgamal_batch_verify.h"

#include <openssl/rand.h>

#include <array>

#include "common/check.h"
#include "crypto/groupsig/elgamal_challenge.h"
#include "crypto/groupsig/elgamal_encoding.h"
#include "crypto/groupsig/elgamal_verify.h"

namespace hc::groupsig::elgamal {
namespace {

// A signature that passed the form checks, with its recomputed challenge.
struct BatchCandidate {
  std::size_t index;
  ByteSpan message;
  const Signature* sig;
  Fr c;
};

// The random-exponent check of the module comment over `cands` (fresh exponents per call).
bool batch_equation_holds(const PreparedKey& key, std::span<const BatchCandidate> cands,
                          BatchRandom& rng) {
  using B = PreparedKey;
  const std::size_t n = cands.size();
  std::vector<G1> x_points;
  std::vector<Fr> x_scalars;
  x_points.reserve(4 * n);
  x_scalars.reserve(4 * n);
  std::vector<G1> y_points;
  std::vector<Fr> y_scalars;
  y_points.reserve(n);
  y_scalars.reserve(n);
  std::vector<GT> r3s;
  std::vector<std::uint64_t> ds;
  r3s.reserve(n);
  ds.reserve(n);
  Fr u_scalar, h_scalar_g2, g1_scalar, h_scalar_w;
  for (const BatchCandidate& cand : cands) {
    const Signature& s = *cand.sig;
    const Fr a = Fr::from_u64(rng.next_u64());
    const Fr b = Fr::from_u64(rng.next_u64());
    const std::uint64_t d_u64 = rng.next_u64();
    const Fr d = Fr::from_u64(d_u64);
    // Equations 1 and 2 (in G1) and equation 3's g2 side all land in X.
    x_points.push_back(s.t1);
    x_scalars.push_back(b * s.s_x - a * cand.c);
    x_points.push_back(s.t2);
    x_scalars.push_back(d * s.s_x);
    x_points.push_back(-s.r1);  // negated point, so that its scalar stays 64 bits
    x_scalars.push_back(a);
    x_points.push_back(-s.r2);
    x_scalars.push_back(b);
    u_scalar = u_scalar + a * s.s_alpha - b * s.s_delta;
    h_scalar_g2 = h_scalar_g2 - d * s.s_delta;
    g1_scalar = g1_scalar - d * cand.c;
    // Equation 3's w side.
    y_points.push_back(s.t2);
    y_scalars.push_back(d * cand.c);
    h_scalar_w = h_scalar_w - d * s.s_alpha;
    r3s.push_back(s.r3);
    ds.push_back(d_u64);
  }
  const G1 x = bls12_381::msm(x_points, x_scalars) + key.mul_public(B::kU, u_scalar) +
               key.mul_public(B::kH, h_scalar_g2) + key.mul_public(B::kG1, g1_scalar);
  const G1 y = bls12_381::msm(y_points, y_scalars) + key.mul_public(B::kH, h_scalar_w);
  const std::array<G1, 2> ps = {x, y};
  const std::array<const bls12_381::G2Prepared*, 2> qs = {&key.g2(), &key.w()};
  return bls12_381::multi_pairing_vartime(ps, qs) == bls12_381::gt_multi_pow_u64(r3s, ds);
}

// Sets the status of every item of `cands`, which are known to hold a bad item (a failed
// check) when `known_bad`; bisection as in the module comment.
void batch_find_bad(const PreparedKey& key, std::span<const BatchCandidate> cands, bool known_bad,
                    BatchRandom& rng, std::vector<Status>& out) {
  if (cands.empty()) return;
  if (cands.size() == 1) {
    out[cands[0].index] = verify(key, cands[0].message, *cands[0].sig);
    return;
  }
  if (!known_bad && batch_equation_holds(key, cands, rng)) return;  // statuses stay ok
  const std::size_t half = cands.size() / 2;
  const auto left = cands.first(half);
  const auto right = cands.subspan(half);
  const bool left_passes = batch_equation_holds(key, left, rng);
  if (!left_passes) batch_find_bad(key, left, true, rng, out);
  // A failed set whose left half passes has its bad item on the right.
  batch_find_bad(key, right, left_passes, rng, out);
}

}  // namespace

std::uint64_t SystemBatchRandom::next_u64() {
  std::array<unsigned char, 8> b{};
  HC_CHECK(RAND_bytes(b.data(), static_cast<int>(b.size())) == 1);
  std::uint64_t v = 0;
  for (unsigned char byte : b) v = (v << 8) | byte;
  return v;
}

namespace {

// verify_batch with each item's challenge either given (`challenges` non-empty, one per item)
// or computed here.
std::vector<Status> batch_verify_items(const PreparedKey& key, std::span<const BatchItem> items,
                                       std::span<const Fr> challenges, BatchRandom& rng) {
  std::vector<Status> out(items.size(), Status::ok_status());
  std::vector<BatchCandidate> cands;
  cands.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    HC_CHECK(items[i].signature != nullptr);
    const Signature& sig = *items[i].signature;
    out[i] = check_signature_form(key, sig);
    if (!out[i].ok()) continue;
    cands.push_back({i, items[i].message, &sig,
                     challenges.empty()
                         ? sign_challenge(key.digest(), message_digest(items[i].message), sig)
                         : challenges[i]});
  }
  if (cands.empty() || batch_equation_holds(key, cands, rng)) return out;
  batch_find_bad(key, cands, true, rng, out);
  return out;
}

}  // namespace

std::vector<Status> verify_batch(const PreparedKey& key, std::span<const BatchItem> items,
                                 BatchRandom& rng) {
  return batch_verify_items(key, items, {}, rng);
}

namespace {

// From this many points on, decoding tests their subgroup membership together
// (g1_from_compressed_batch_vartime: 64 subset sums and 64 subgroup tests, about 2.75 + 16
// point additions per point, against one test per point); below it, one by one.
constexpr std::size_t kBatchSubgroupMinPoints = 128;
constexpr std::size_t kNoPoints = static_cast<std::size_t>(-1);

// The G1 points of every signature of the right length, decoded together; `first[i]` is
// where item i's four results start in the returned vector (kNoPoints: decode it alone).
std::vector<Result<G1>> decode_points_together(std::span<const EncodedBatchItem> items,
                                               BatchRandom& rng, std::vector<std::size_t>& first) {
  first.assign(items.size(), kNoPoints);
  std::vector<ByteSpan> encodings;
  std::vector<std::uint64_t> masks;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto points = signature_point_encodings(items[i].signature);
    if (!points) continue;
    first[i] = encodings.size();
    for (const ByteSpan& p : *points) {
      encodings.push_back(p);
      masks.push_back(rng.next_u64());
    }
  }
  if (encodings.size() < kBatchSubgroupMinPoints) {
    first.assign(items.size(), kNoPoints);
    return {};
  }
  return bls12_381::g1_from_compressed_batch_vartime(encodings, masks);
}

}  // namespace

std::vector<Status> verify_batch_encoded(const PreparedKey& key,
                                         std::span<const EncodedBatchItem> items, BatchRandom& rng) {
  std::vector<Status> out(items.size(), Status::ok_status());
  std::vector<std::size_t> first;
  const std::vector<Result<G1>> points = decode_points_together(items, rng, first);
  std::vector<Signature> sigs;
  std::vector<std::size_t> where;
  sigs.reserve(items.size());
  where.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    Result<Signature> sig =
        first[i] == kNoPoints
            ? decode_signature(items[i].signature)
            : decode_signature_with_points(items[i].signature,
                                           std::span<const Result<G1>, 4>(&points[first[i]], 4));
    if (!sig.ok()) {
      out[i] = sig.status();
      continue;
    }
    sigs.push_back(std::move(*sig));
    where.push_back(i);
  }
  std::vector<BatchItem> decoded(sigs.size());
  std::vector<Fr> challenges(sigs.size());
  for (std::size_t j = 0; j < sigs.size(); ++j) {
    const EncodedBatchItem& item = items[where[j]];
    decoded[j] = {item.message, &sigs[j]};
    challenges[j] = sign_challenge_from_encoding(key.digest(), message_digest(item.message),
                                                 item.signature);
  }
  const std::vector<Status> verdicts = batch_verify_items(key, decoded, challenges, rng);
  for (std::size_t j = 0; j < verdicts.size(); ++j) out[where[j]] = verdicts[j];
  return out;
}

std::vector<std::vector<Status>> verify_batch_grouped(std::span<const KeyedBatch> groups,
                                                      BatchRandom& rng) {
  std::vector<std::vector<Status>> out;
  out.reserve(groups.size());
  for (const KeyedBatch& group : groups) {
    HC_CHECK(group.key != nullptr);
    out.push_back(verify_batch_encoded(*group.key, group.items, rng));
  }
  return out;
}

}  // namespace hc::groupsig::elgamal
