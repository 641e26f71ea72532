#include "crypto/threshold/dkg_outcome.h"

#include <algorithm>
#include <string>

#include "crypto/sealed_record_v2.h"

namespace hc::crypto::threshold {

namespace {

bool contains(const std::vector<std::uint16_t>& list, std::uint16_t v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

void add_once(std::vector<std::uint16_t>& list, std::uint16_t v) {
  if (!contains(list, v)) list.push_back(v);
}

// Commitments of the aggregate polynomial: A_k = sum over qualified dealers of C_ik.
std::vector<P256Point> aggregate_commitments(const DkgParams& params,
                                             const std::vector<std::optional<DkgDeal>>& deals,
                                             const std::vector<std::uint16_t>& qualified) {
  std::vector<P256Point> sum = deals[qualified.front() - 1]->commitments;
  for (std::size_t q = 1; q < qualified.size(); ++q) {
    const DkgDeal& deal = *deals[qualified[q] - 1];
    for (std::size_t k = 0; k < params.threshold; ++k) sum[k] = sum[k] + deal.commitments[k];
  }
  return sum;
}

}  // namespace

std::size_t min_qualified_dealers(const DkgParams& params) {
  return static_cast<std::size_t>(params.trustees() - params.threshold + 1);
}

Result<DkgOutcome> finalize_dkg(const DkgParams& params, const std::vector<std::optional<DkgDeal>>& deals,
                                const std::vector<DkgComplaint>& complaints) {
  HC_RETURN_IF_ERROR(check_dkg_params(params));
  if (deals.size() != params.trustees()) return invalid_input("one deal slot per trustee is needed");
  DkgOutcome outcome;
  for (std::uint16_t i = 1; i <= params.trustees(); ++i) {
    const auto& deal = deals[i - 1];
    bool usable = deal.has_value() && deal->dealer == i && deal->commitments.size() == params.threshold &&
                  deal->share_boxes.size() == params.trustees();
    if (!usable) outcome.absent.push_back(i);
  }
  for (const DkgComplaint& complaint : complaints) {
    if (complaint.dealer == 0 || complaint.dealer > params.trustees() || contains(outcome.absent, complaint.dealer)) {
      add_once(outcome.rejected_complainers, complaint.complainer);
      continue;
    }
    auto verdict = judge_complaint(params, *deals[complaint.dealer - 1], complaint);
    if (verdict.ok() && *verdict == ComplaintVerdict::kDealerFaulty) {
      add_once(outcome.disqualified, complaint.dealer);
    } else {
      add_once(outcome.rejected_complainers, complaint.complainer);
    }
  }
  for (std::uint16_t i = 1; i <= params.trustees(); ++i) {
    if (!contains(outcome.absent, i) && !contains(outcome.disqualified, i)) outcome.qualified.push_back(i);
  }
  std::sort(outcome.disqualified.begin(), outcome.disqualified.end());
  std::sort(outcome.rejected_complainers.begin(), outcome.rejected_complainers.end());
  const std::size_t needed = min_qualified_dealers(params);
  if (outcome.qualified.size() < needed) {
    return invalid_input("only " + std::to_string(outcome.qualified.size()) + " of the " + std::to_string(needed) +
                         " needed dealers qualified");
  }
  std::vector<P256Point> aggregate = aggregate_commitments(params, deals, outcome.qualified);
  if (aggregate.front().is_infinity()) return invalid_input("the DKG's key is the point at infinity");
  outcome.key.chain_id = params.chain_id;
  outcome.key.epoch = params.epoch;
  outcome.key.threshold = params.threshold;
  outcome.key.group_key = aggregate.front();
  outcome.key.key_id = access_key_id(outcome.key.group_key);
  for (std::uint16_t j = 1; j <= params.trustees(); ++j) {
    P256Point share = evaluate_commitments(aggregate, j);
    if (share.is_infinity()) return invalid_input("trustee " + std::to_string(j) + "'s public share is infinity");
    outcome.key.public_shares.push_back(std::move(share));
  }
  return outcome;
}

Result<P256Scalar> trustee_secret_share(const DkgParams& params, const DkgOutcome& outcome,
                                        const std::vector<std::optional<DkgDeal>>& deals, std::uint16_t trustee,
                                        const P256Scalar& trustee_secret) {
  HC_RETURN_IF_ERROR(check_trustee_index(params, trustee, "trustee"));
  if (deals.size() != params.trustees()) return invalid_input("one deal slot per trustee is needed");
  P256Scalar sum;
  for (std::uint16_t dealer : outcome.qualified) {
    if (!deals[dealer - 1].has_value()) return invalid_input("qualified dealer " + std::to_string(dealer) + " has no deal");
    auto share = receive_share(params, *deals[dealer - 1], trustee, trustee_secret);
    if (!share.ok()) {
      return Status::error(ErrorCode::kAuthFailed, "qualified dealer " + std::to_string(dealer) +
                                                       " gave trustee " + std::to_string(trustee) +
                                                       " a bad share: " + share.status().message());
    }
    sum = sum + *share;
  }
  return sum;
}

}  // namespace hc::crypto::threshold
