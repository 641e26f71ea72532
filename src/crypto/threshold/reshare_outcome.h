// The end of a proactive resharing, computed by anyone from the public transcript (the old
// trustees' deals and the new trustees' complaints): which old dealers qualify, the key as the
// new trustees hold it (the same key, t_new and the new public shares) and, for new trustee j
// only, its share x'_j.
//
// An old dealer is absent when it dealt nothing that decoded, publicly faulty when its
// constant term is not its public share (check_reshare_deal: it reshared another value), and
// disqualified when a valid complaint convicts it; the others form Q. With lambda_i the
// Lagrange coefficients at 0 over Q (|Q| >= t_old points of the old sharing's degree t_old-1
// polynomial, so any such Q interpolates the same key):
//   A_k   = sum_{i in Q} lambda_i * C_ik          the new sharing's commitments
//   A_0   == the key                              checked (it follows from C_i0 == Y_i)
//   Y'_j  = sum_k j^k * A_k                       new trustee j's public share
//   x'_j  = sum_{i in Q} lambda_i * g_i(j)        new trustee j's share (only j can compute it)
// so x'_j * base == Y'_j and the x'_j are a degree t_new-1 sharing of the same secret.
// Pure, deterministic functions, thread-safe.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "crypto/threshold/reshare_complaint.h"
#include "crypto/threshold/reshare_deal.h"
#include "crypto/threshold/reshare_params.h"

namespace hc::crypto::threshold {

template <typename Group>
struct ReshareOutcome {
  typename Group::PublicKey key;                    // the same key; t_new and Y'_1..Y'_m_new
  std::vector<std::uint16_t> qualified;             // Q, old indices, ascending
  std::vector<std::uint16_t> wrong_constant;        // reshared a value other than their share
  std::vector<std::uint16_t> disqualified;          // convicted by a complaint, ascending
  std::vector<std::uint16_t> absent;                // dealt nothing usable, ascending
  std::vector<std::uint16_t> rejected_complainers;  // new trustees with invalid/unfounded complaints
};

namespace reshare_detail {

inline bool has(const std::vector<std::uint16_t>& list, std::uint16_t v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

inline void add_once(std::vector<std::uint16_t>& list, std::uint16_t v) {
  if (!has(list, v)) list.push_back(v);
}

// A_k = sum over Q of lambda_i * C_ik.
template <typename Group>
Result<std::vector<typename Group::Point>> weighted_commitments(
    const ReshareParams<Group>& params, const std::vector<std::optional<ReshareDeal<Group>>>& deals,
    const std::vector<std::uint16_t>& qualified) {
  std::vector<typename Group::Point> sum;
  for (std::uint16_t i : qualified) {
    HC_ASSIGN_OR_RETURN(auto lambda, Group::lagrange_at_zero(qualified, i));
    const auto& commitments = deals[i - 1]->commitments;
    for (std::size_t k = 0; k < params.new_trustees.threshold; ++k) {
      auto term = Group::mul_public(commitments[k], lambda);
      if (sum.size() <= k) {
        sum.push_back(std::move(term));
      } else {
        sum[k] = sum[k] + term;
      }
    }
  }
  return sum;
}

}  // namespace reshare_detail

// `deals[i]` is old dealer i+1's decoded deal or nullopt (absent); deals.size() == m_old.
// kInvalidInput when fewer than t_old dealers qualify ("only N of the t_old = K needed old
// dealers qualified"), when the interpolated key is not the key (inconsistent old public
// shares) or a new public share is the identity.
template <typename Group>
Result<ReshareOutcome<Group>> finalize_reshare(const ReshareParams<Group>& params,
                                               const std::vector<std::optional<ReshareDeal<Group>>>& deals,
                                               const std::vector<ReshareComplaint>& complaints) {
  using reshare_detail::add_once;
  using reshare_detail::has;
  HC_RETURN_IF_ERROR(check_reshare_params(params));
  const std::uint16_t m_old = params.old_trustees();
  if (deals.size() != m_old) return invalid_input("one deal slot per old trustee is needed");
  ReshareOutcome<Group> outcome;
  for (std::uint16_t i = 1; i <= m_old; ++i) {
    const auto& deal = deals[i - 1];
    const bool usable = deal.has_value() && deal->dealer == i &&
                        deal->commitments.size() == params.new_trustees.threshold &&
                        deal->share_boxes.size() == params.new_trustees.trustees() &&
                        deal->box_proofs.size() == params.new_trustees.trustees();
    if (!usable) {
      outcome.absent.push_back(i);
    } else if (!check_reshare_deal(params, *deal).ok()) {
      outcome.wrong_constant.push_back(i);  // the counts fit, so only C_0 == Y_i failed
    }
  }
  for (const ReshareComplaint& complaint : complaints) {
    const std::uint16_t dealer = complaint.dealer;
    if (dealer == 0 || dealer > m_old || has(outcome.absent, dealer)) {
      add_once(outcome.rejected_complainers, complaint.complainer);
      continue;
    }
    if (has(outcome.wrong_constant, dealer)) continue;  // already out; nobody is blamed
    auto verdict = judge_reshare_complaint(params, *deals[dealer - 1], complaint);
    if (verdict.ok() && *verdict == ComplaintVerdict::kDealerFaulty) {
      add_once(outcome.disqualified, dealer);
    } else {
      add_once(outcome.rejected_complainers, complaint.complainer);
    }
  }
  for (std::uint16_t i = 1; i <= m_old; ++i) {
    if (!has(outcome.absent, i) && !has(outcome.wrong_constant, i) && !has(outcome.disqualified, i)) {
      outcome.qualified.push_back(i);
    }
  }
  std::sort(outcome.disqualified.begin(), outcome.disqualified.end());
  std::sort(outcome.rejected_complainers.begin(), outcome.rejected_complainers.end());
  const std::size_t needed = params.old_key.threshold;
  if (outcome.qualified.size() < needed) {
    return invalid_input("only " + std::to_string(outcome.qualified.size()) + " of the t_old = " +
                         std::to_string(needed) + " needed old dealers qualified");
  }
  HC_ASSIGN_OR_RETURN(auto aggregate, reshare_detail::weighted_commitments(params, deals, outcome.qualified));
  if (!(aggregate.front() == Group::key_point(params.old_key))) {
    return invalid_input("the reshared key is not the old key (the old public shares are inconsistent)");
  }
  std::vector<typename Group::Point> public_shares;
  for (std::uint16_t j = 1; j <= params.new_trustees.trustees(); ++j) {
    auto share = Group::evaluate(aggregate, j);
    if (Group::is_identity(share)) {
      return invalid_input("new trustee " + std::to_string(j) + "'s public share is the identity");
    }
    public_shares.push_back(std::move(share));
  }
  outcome.key = Group::reshared_key(params.old_key, params.new_trustees.threshold, std::move(public_shares));
  return outcome;
}

// New trustee j's share x'_j = sum over Q of lambda_i * g_i(j) (the caller wipes it).
// kAuthFailed naming the dealer if a qualified one gave j a bad share (j should have
// complained in time).
template <typename Group>
Result<typename Group::Scalar> reshared_secret_share(const ReshareParams<Group>& params,
                                                     const ReshareOutcome<Group>& outcome,
                                                     const std::vector<std::optional<ReshareDeal<Group>>>& deals,
                                                     std::uint16_t trustee, const P256Scalar& trustee_secret) {
  HC_RETURN_IF_ERROR(check_trustee_index(params.new_trustees, trustee, "new trustee"));
  if (deals.size() != params.old_trustees()) return invalid_input("one deal slot per old trustee is needed");
  typename Group::Scalar sum;
  for (std::uint16_t dealer : outcome.qualified) {
    if (dealer == 0 || dealer > deals.size() || !deals[dealer - 1].has_value()) {
      Group::wipe(sum);
      return invalid_input("qualified old dealer " + std::to_string(dealer) + " has no deal");
    }
    auto lambda = Group::lagrange_at_zero(outcome.qualified, dealer);
    auto share = receive_reshare_share(params, *deals[dealer - 1], trustee, trustee_secret);
    if (!lambda.ok() || !share.ok()) {
      Group::wipe(sum);
      const Status& why = lambda.ok() ? share.status() : lambda.status();
      return Status::error(ErrorCode::kAuthFailed, "qualified old dealer " + std::to_string(dealer) + " gave new trustee " +
                                                       std::to_string(trustee) + " a bad share: " + why.message());
    }
    sum = sum + *lambda * *share;
    Group::wipe(*share);
  }
  return sum;
}

}  // namespace hc::crypto::threshold
