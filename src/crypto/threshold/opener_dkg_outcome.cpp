#include "crypto/threshold/opener_dkg_outcome.h"

#include <algorithm>
#include <string>

#include "crypto/threshold/fr_lagrange.h"

namespace hc::crypto::threshold {

namespace {

bool opener_list_has(const std::vector<std::uint16_t>& list, std::uint16_t v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

void opener_add_once(std::vector<std::uint16_t>& list, std::uint16_t v) {
  if (!opener_list_has(list, v)) list.push_back(v);
}

std::vector<G1> aggregate_opener_commitments(const OpenerDkgParams& params,
                                             const std::vector<std::optional<OpenerDeal>>& deals,
                                             const std::vector<std::uint16_t>& qualified) {
  std::vector<G1> sum = deals[qualified.front() - 1]->commitments;
  for (std::size_t q = 1; q < qualified.size(); ++q) {
    const OpenerDeal& deal = *deals[qualified[q] - 1];
    for (std::size_t k = 0; k < params.trustees.threshold; ++k) sum[k] = sum[k] + deal.commitments[k];
  }
  return sum;
}

// sum_i L_i(x) U_i over trustees 1..t.
Result<G1> interpolate_public_share(const OpenerKeyPublic& key, std::uint16_t x) {
  std::vector<std::uint16_t> first;
  for (std::uint16_t i = 1; i <= key.threshold; ++i) first.push_back(i);
  std::vector<Fr> lambdas;
  for (std::uint16_t i : first) {
    HC_ASSIGN_OR_RETURN(Fr l, fr_lagrange_coefficient(first, i, x));
    lambdas.push_back(l);
  }
  return bls12_381::msm(std::span<const G1>(key.public_shares.data(), key.threshold), lambdas);
}

}  // namespace

Result<OpenerDkgOutcome> finalize_opener_dkg(const OpenerDkgParams& params,
                                             const std::vector<std::optional<OpenerDeal>>& deals,
                                             const std::vector<OpenerComplaint>& complaints) {
  HC_RETURN_IF_ERROR(check_opener_dkg_params(params));
  const std::uint16_t m = params.trustees.trustees();
  if (deals.size() != m) return invalid_input("one deal slot per trustee is needed");
  OpenerDkgOutcome outcome;
  for (std::uint16_t i = 1; i <= m; ++i) {
    const auto& deal = deals[i - 1];
    bool usable = deal.has_value() && deal->dealer == i && deal->commitments.size() == params.trustees.threshold &&
                  deal->share_boxes.size() == m;
    if (!usable) outcome.absent.push_back(i);
  }
  for (const OpenerComplaint& complaint : complaints) {
    if (complaint.dealer == 0 || complaint.dealer > m || opener_list_has(outcome.absent, complaint.dealer)) {
      opener_add_once(outcome.rejected_complainers, complaint.complainer);
      continue;
    }
    auto verdict = judge_opener_complaint(params, *deals[complaint.dealer - 1], complaint);
    if (verdict.ok() && *verdict == ComplaintVerdict::kDealerFaulty) {
      opener_add_once(outcome.disqualified, complaint.dealer);
    } else {
      opener_add_once(outcome.rejected_complainers, complaint.complainer);
    }
  }
  for (std::uint16_t i = 1; i <= m; ++i) {
    if (!opener_list_has(outcome.absent, i) && !opener_list_has(outcome.disqualified, i)) {
      outcome.qualified.push_back(i);
    }
  }
  std::sort(outcome.disqualified.begin(), outcome.disqualified.end());
  std::sort(outcome.rejected_complainers.begin(), outcome.rejected_complainers.end());
  const std::size_t needed = static_cast<std::size_t>(m - params.trustees.threshold + 1);
  if (outcome.qualified.size() < needed) {
    return invalid_input("only " + std::to_string(outcome.qualified.size()) + " of the " + std::to_string(needed) +
                         " needed dealers qualified");
  }
  const std::vector<G1> aggregate = aggregate_opener_commitments(params, deals, outcome.qualified);
  if (aggregate.front().is_identity()) return invalid_input("the opener DKG's key is the identity");
  outcome.key.chain_id = params.trustees.chain_id;
  outcome.key.epoch = params.trustees.epoch;
  outcome.key.threshold = params.trustees.threshold;
  outcome.key.u = params.u;
  outcome.key.h = aggregate.front();
  for (std::uint16_t j = 1; j <= m; ++j) {
    G1 share = evaluate_opener_commitments(aggregate, j);
    if (share.is_identity()) return invalid_input("trustee " + std::to_string(j) + "'s public share is the identity");
    outcome.key.public_shares.push_back(share);
  }
  return outcome;
}

Result<Fr> opener_secret_share(const OpenerDkgParams& params, const OpenerDkgOutcome& outcome,
                               const std::vector<std::optional<OpenerDeal>>& deals, std::uint16_t trustee,
                               const P256Scalar& trustee_secret) {
  HC_RETURN_IF_ERROR(check_trustee_index(params.trustees, trustee, "trustee"));
  if (deals.size() != params.trustees.trustees()) return invalid_input("one deal slot per trustee is needed");
  Fr sum;
  for (std::uint16_t dealer : outcome.qualified) {
    if (!deals[dealer - 1].has_value()) {
      sum.wipe();
      return invalid_input("qualified dealer " + std::to_string(dealer) + " has no deal");
    }
    auto share = receive_opener_share(params, *deals[dealer - 1], trustee, trustee_secret);
    if (!share.ok()) {
      sum.wipe();
      return Status::error(ErrorCode::kAuthFailed, "qualified dealer " + std::to_string(dealer) + " gave trustee " +
                                                       std::to_string(trustee) +
                                                       " a bad opener share: " + share.status().message());
    }
    sum = sum + *share;
    share->wipe();
  }
  return sum;
}

Status check_opener_key_public(const OpenerKeyPublic& key) {
  const std::size_t m = key.public_shares.size();
  if (m == 0 || m > kMaxTrustees) return invalid_input("an opener key needs 1 to 64 public shares");
  if (key.threshold == 0 || key.threshold > m) {
    return invalid_input("opener key threshold " + std::to_string(key.threshold) + " is not between 1 and " +
                         std::to_string(m));
  }
  if (key.u.is_identity() || key.h.is_identity()) return invalid_input("opener key: u or h is the identity");
  for (std::size_t j = 0; j < m; ++j) {
    if (key.public_shares[j].is_identity()) {
      return invalid_input("opener key: public share of trustee " + std::to_string(j + 1) + " is the identity");
    }
  }
  HC_ASSIGN_OR_RETURN(G1 at_zero, interpolate_public_share(key, 0));
  if (!(at_zero == key.h)) return invalid_input("opener key: the public shares do not interpolate to h");
  for (std::uint16_t j = key.threshold + 1; j <= m; ++j) {
    HC_ASSIGN_OR_RETURN(G1 expected, interpolate_public_share(key, j));
    if (!(expected == key.public_shares[j - 1])) {
      return invalid_input("opener key: public share of trustee " + std::to_string(j) +
                           " is off the shares' polynomial");
    }
  }
  return Status::ok_status();
}

}  // namespace hc::crypto::threshold
