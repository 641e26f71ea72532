// The end of the opener DKG, computed by anyone from the public transcript (deals and
// complaints): the qualified dealers, the opener key h = prod over qualified i of C_i0
// (= u^xi with xi = sum of f_i(0)) and each trustee's public share U_j = u^xi_j =
// prod over qualified i of evaluate_opener_commitments(C_i, j), against which its partial
// openings are checked. Trustee j's secret share xi_j = sum of the qualified dealers' shares
// to it. Qualification and the m-t+1 rule are the access key's (dkg_outcome.h).
// Pure, deterministic functions, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "common/status.h"
#include "crypto/threshold/dkg_params.h"
#include "crypto/threshold/opener_dkg_complaint.h"
#include "crypto/threshold/opener_dkg_deal.h"

namespace hc::crypto::threshold {

// What anyone needs to check partial openings and the evidence of an opening (no secret).
struct OpenerKeyPublic {
  ChainId chain_id{};
  std::uint64_t epoch = 0;  // the opener key's epoch (DkgParams::epoch)
  std::uint16_t threshold = 0;
  G1 u;                          // the group's base
  G1 h;                          // u^xi, the group key's opener key
  std::vector<G1> public_shares;  // U_j for trustee j at position j-1
};

struct OpenerDkgOutcome {
  OpenerKeyPublic key;
  std::vector<std::uint16_t> qualified;             // ascending
  std::vector<std::uint16_t> disqualified;          // convicted by a complaint, ascending
  std::vector<std::uint16_t> absent;                // dealt nothing usable, ascending
  std::vector<std::uint16_t> rejected_complainers;  // sent an invalid or unfounded complaint
};

// `deals[i]` is dealer i+1's decoded deal or nullopt; deals.size() == m. kInvalidInput when
// fewer than m-t+1 dealers qualify ("only N of the K needed dealers qualified") or h or a
// public share is the identity.
Result<OpenerDkgOutcome> finalize_opener_dkg(const OpenerDkgParams& params,
                                             const std::vector<std::optional<OpenerDeal>>& deals,
                                             const std::vector<OpenerComplaint>& complaints);

// Trustee j's share xi_j from the qualified deals (the caller wipes it). kAuthFailed naming
// the dealer if one of them gave j a bad share (j should have complained in time).
Result<Fr> opener_secret_share(const OpenerDkgParams& params, const OpenerDkgOutcome& outcome,
                               const std::vector<std::optional<OpenerDeal>>& deals, std::uint16_t trustee,
                               const P256Scalar& trustee_secret);

// Checks a public opener key as a judge receives it: 1 <= t <= m <= 64, no identity element,
// and the public shares lie on one polynomial of degree < t whose value at 0 is h (every U_j
// with j > t and h are interpolated from U_1..U_t). kInvalidInput naming what fails.
Status check_opener_key_public(const OpenerKeyPublic& key);

}  // namespace hc::crypto::threshold
