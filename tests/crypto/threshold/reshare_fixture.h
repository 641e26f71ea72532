// Test support for proactive resharing: a complete resharing run from an old trustee set
// (whose shares came from a DKG) to a new one, over either key (access_reshare.h,
// opener_reshare.h), in which chosen old trustees are offline, reshare another value than
// their share, or box a bad share to one new trustee.
#pragma once

#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "crypto/threshold/reshare_complaint.h"
#include "crypto/threshold/reshare_deal.h"
#include "crypto/threshold/reshare_outcome.h"
#include "dkg_fixture.h"

namespace hc::crypto::threshold::testing {

// A dealer that deals a consistent Feldman sharing of a random value instead of its share:
// every box passes the Feldman check, only the constant-term check can catch it.
template <typename Group>
ReshareDeal<Group> deal_of_another_value(const ReshareParams<Group>& params, std::uint16_t dealer) {
  using Scalar = typename Group::Scalar;
  std::vector<Scalar> coefficients;
  for (std::uint16_t k = 0; k < params.new_trustees.threshold; ++k) coefficients.push_back(Group::random_nonzero());
  ReshareDeal<Group> deal;
  deal.dealer = dealer;
  for (const Scalar& b : coefficients) deal.commitments.push_back(Group::mul_base_secret(params.old_key, b));
  for (std::uint16_t j = 1; j <= params.new_trustees.trustees(); ++j) {
    Scalar share;
    for (auto it = coefficients.rbegin(); it != coefficients.rend(); ++it) {
      share = share * Group::scalar_from_u64(j) + *it;
    }
    SealedReshareShare sealed = must(seal_reshare_share(params, dealer, j, share), "seal_reshare_share");
    deal.share_boxes.push_back(std::move(sealed.box));
    deal.box_proofs.push_back(sealed.ephemeral_proof);
  }
  return deal;
}

struct ReshareFaults {
  std::set<std::uint16_t> offline_dealers;                                 // old indices
  std::optional<std::uint16_t> another_value_dealer;                      // old index
  std::optional<std::pair<std::uint16_t, std::uint16_t>> bad_box;         // (old dealer, new victim)
};

template <typename Group>
struct ReshareRun {
  std::vector<std::optional<ReshareDeal<Group>>> deals;
  std::vector<ReshareComplaint> complaints;
  ReshareOutcome<Group> outcome;
  std::vector<typename Group::Scalar> new_shares;  // new trustee j's x'_j at j-1
};

// Every online old trustee deals (through the canonical encoding, as over the chain); every
// new trustee checks its shares of the publicly sound deals and complains about each bad
// box; everyone finalizes; every new trustee derives its share.
template <typename Group>
ReshareRun<Group> run_reshare(const ReshareParams<Group>& params,
                              const std::vector<std::optional<typename Group::Scalar>>& old_shares,
                              const std::vector<P256Scalar>& new_secrets, const ReshareFaults& faults = {}) {
  ReshareRun<Group> run;
  for (std::uint16_t i = 1; i <= params.old_trustees(); ++i) {
    if (faults.offline_dealers.count(i) != 0 || !old_shares[i - 1]) {
      run.deals.emplace_back(std::nullopt);
      continue;
    }
    ReshareDeal<Group> deal = (faults.another_value_dealer == i)
                                  ? deal_of_another_value(params, i)
                                  : must(make_reshare_deal(params, i, *old_shares[i - 1]), "make_reshare_deal");
    if (faults.bad_box && faults.bad_box->first == i) {
      const std::uint16_t victim = faults.bad_box->second;
      SealedReshareShare bad = must(seal_reshare_share(params, i, victim, Group::random_nonzero()), "seal");
      deal.share_boxes[victim - 1] = std::move(bad.box);
      deal.box_proofs[victim - 1] = bad.ephemeral_proof;
    }
    run.deals.emplace_back(
        must(decode_reshare_deal(params, encode_reshare_deal(params, deal)), "decode_reshare_deal"));
  }
  for (std::uint16_t j = 1; j <= params.new_trustees.trustees(); ++j) {
    for (const auto& deal : run.deals) {
      if (!deal || !check_reshare_deal(params, *deal).ok()) continue;  // public faults need no complaint
      if (receive_reshare_share(params, *deal, j, new_secrets[j - 1]).ok()) continue;
      ReshareComplaint complaint =
          must(make_reshare_complaint(params, *deal, j, new_secrets[j - 1]), "make_reshare_complaint");
      run.complaints.push_back(must(
          decode_reshare_complaint(params, encode_reshare_complaint(params, complaint)), "decode_reshare_complaint"));
    }
  }
  run.outcome = must(finalize_reshare(params, run.deals, run.complaints), "finalize_reshare");
  for (std::uint16_t j = 1; j <= params.new_trustees.trustees(); ++j) {
    run.new_shares.push_back(
        must(reshared_secret_share(params, run.outcome, run.deals, j, new_secrets[j - 1]), "reshared share"));
  }
  return run;
}

}  // namespace hc::crypto::threshold::testing
