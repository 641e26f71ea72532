// Test support: m trustees with long-term P-256 keys, and a complete DKG run among them in
// which chosen trustees are offline or deal a bad share.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <set>
#include <vector>

#include "crypto/threshold/dkg_complaint.h"
#include "crypto/threshold/dkg_deal.h"
#include "crypto/threshold/dkg_outcome.h"
#include "crypto/threshold/dkg_params.h"

namespace hc::crypto::threshold::testing {

// The value of a step that must succeed; otherwise the test stops with the step's status.
template <typename T>
T must(Result<T> result, const char* step) {
  if (!result.ok()) {
    std::fprintf(stderr, "%s failed: %s\n", step, result.status().to_string().c_str());
    std::abort();
  }
  return std::move(result).value();
}

struct Trustees {
  DkgParams params;
  std::vector<P256Scalar> secrets;  // trustee j's long-term secret at j-1

  Trustees(std::uint16_t m, std::uint16_t t, std::uint64_t epoch = 1) {
    params.chain_id.fill(0xc4);
    params.epoch = epoch;
    params.threshold = t;
    for (std::uint16_t j = 0; j < m; ++j) {
      secrets.push_back(P256Scalar::random_nonzero());
      params.trustee_keys.push_back(P256Point::base_mul(secrets.back()));
    }
  }
};

// A dealer's honest deal whose box for `victim` then holds a random scalar (well formed, but
// off the commitments), as a cheating dealer would send.
inline DkgDeal deal_with_bad_share(const DkgParams& params, std::uint16_t dealer, std::uint16_t victim) {
  DkgDeal deal = make_deal(params, dealer).value();
  {
    const auto sealed = seal_dkg_share(params, dealer, victim, P256Scalar::random_nonzero()).value();
    deal.share_boxes[victim - 1] = sealed.box;
    deal.box_proofs[victim - 1] = sealed.ephemeral_proof;
  }
  return deal;
}

struct DkgRun {
  std::vector<std::optional<DkgDeal>> deals;
  std::vector<DkgComplaint> complaints;
  DkgOutcome outcome;
  std::vector<std::optional<P256Scalar>> secret_shares;  // nullopt for the offline trustees
};

// Every online trustee deals (through the canonical encoding, as over the chain), checks its
// shares and complains about each bad one; then everyone finalizes.
inline DkgRun run_dkg(const Trustees& trustees, const std::set<std::uint16_t>& offline,
                      std::optional<std::pair<std::uint16_t, std::uint16_t>> cheater_and_victim = std::nullopt) {
  const DkgParams& params = trustees.params;
  DkgRun run;
  for (std::uint16_t i = 1; i <= params.trustees(); ++i) {
    if (offline.count(i) != 0) {
      run.deals.emplace_back(std::nullopt);
      continue;
    }
    DkgDeal deal = (cheater_and_victim && cheater_and_victim->first == i)
                       ? deal_with_bad_share(params, i, cheater_and_victim->second)
                       : make_deal(params, i).value();
    run.deals.emplace_back(must(decode_deal(params, encode_deal(params, deal)), "decode_deal"));
  }
  for (std::uint16_t j = 1; j <= params.trustees(); ++j) {
    if (offline.count(j) != 0) continue;
    for (const auto& deal : run.deals) {
      if (!deal || receive_share(params, *deal, j, trustees.secrets[j - 1]).ok()) continue;
      DkgComplaint complaint = must(make_complaint(params, *deal, j, trustees.secrets[j - 1]), "make_complaint");
      run.complaints.push_back(must(decode_complaint(params, encode_complaint(params, complaint)), "decode_complaint"));
    }
  }
  run.outcome = must(finalize_dkg(params, run.deals, run.complaints), "finalize_dkg");
  for (std::uint16_t j = 1; j <= params.trustees(); ++j) {
    if (offline.count(j) != 0) {
      run.secret_shares.emplace_back(std::nullopt);
      continue;
    }
    run.secret_shares.emplace_back(
        must(trustee_secret_share(params, run.outcome, run.deals, j, trustees.secrets[j - 1]), "secret share"));
  }
  return run;
}

}  // namespace hc::crypto::threshold::testing
