// Test support for the trustees' opener key: a BBS04-ElGamal group whose opener key h comes
// from a DKG among m trustees (chosen ones offline or dealing a bad share), members enrolled
// after it, and the trustees' shares xi_j.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "crypto/groupsig/elgamal_keys.h"
#include "crypto/threshold/opener_dkg_complaint.h"
#include "crypto/threshold/opener_dkg_deal.h"
#include "crypto/threshold/opener_dkg_outcome.h"
#include "dkg_fixture.h"

namespace hc::crypto::threshold::testing {

namespace eg = groupsig::elgamal;

// A dealer's honest deal whose box for `victim` then holds a random scalar off the commitments.
inline OpenerDeal opener_deal_with_bad_share(const OpenerDkgParams& params, std::uint16_t dealer,
                                             std::uint16_t victim) {
  OpenerDeal deal = make_opener_deal(params, dealer).value();
  {
    const auto sealed = seal_opener_share(params, dealer, victim, Fr::random_nonzero()).value();
    deal.share_boxes[victim - 1] = sealed.box;
    deal.box_proofs[victim - 1] = sealed.ephemeral_proof;
  }
  return deal;
}

struct OpenerDkgRun {
  OpenerDkgParams params;
  std::vector<std::optional<OpenerDeal>> deals;
  std::vector<OpenerComplaint> complaints;
  OpenerDkgOutcome outcome;
  std::vector<std::optional<Fr>> secret_shares;  // nullopt for the offline trustees
};

// Every online trustee deals (through the canonical encoding), checks its shares and
// complains about each bad one; then everyone finalizes and derives its share.
inline OpenerDkgRun run_opener_dkg(const Trustees& trustees, const G1& u, const std::set<std::uint16_t>& offline,
                                   std::optional<std::pair<std::uint16_t, std::uint16_t>> cheater_and_victim =
                                       std::nullopt) {
  OpenerDkgRun run;
  run.params = OpenerDkgParams{trustees.params, u};
  const OpenerDkgParams& params = run.params;
  const std::uint16_t m = params.trustees.trustees();
  for (std::uint16_t i = 1; i <= m; ++i) {
    if (offline.count(i) != 0) {
      run.deals.emplace_back(std::nullopt);
      continue;
    }
    OpenerDeal deal = (cheater_and_victim && cheater_and_victim->first == i)
                          ? opener_deal_with_bad_share(params, i, cheater_and_victim->second)
                          : make_opener_deal(params, i).value();
    run.deals.emplace_back(must(decode_opener_deal(params, encode_opener_deal(params, deal)), "decode_opener_deal"));
  }
  for (std::uint16_t j = 1; j <= m; ++j) {
    if (offline.count(j) != 0) continue;
    for (const auto& deal : run.deals) {
      if (!deal || receive_opener_share(params, *deal, j, trustees.secrets[j - 1]).ok()) continue;
      OpenerComplaint complaint =
          must(make_opener_complaint(params, *deal, j, trustees.secrets[j - 1]), "make_opener_complaint");
      run.complaints.push_back(must(decode_opener_complaint(params, encode_opener_complaint(params, complaint)),
                                    "decode_opener_complaint"));
    }
  }
  run.outcome = must(finalize_opener_dkg(params, run.deals, run.complaints), "finalize_opener_dkg");
  for (std::uint16_t j = 1; j <= m; ++j) {
    if (offline.count(j) != 0) {
      run.secret_shares.emplace_back(std::nullopt);
      continue;
    }
    run.secret_shares.emplace_back(
        must(opener_secret_share(params, run.outcome, run.deals, j, trustees.secrets[j - 1]), "opener share"));
  }
  return run;
}

// A group whose issuer ran setup(), dropped the setup's own opener key, took the trustees'
// h, and then enrolled `members` hospitals.
struct TrusteeOpenedGroup {
  eg::Setup setup;
  eg::GroupKey gpk;
  std::vector<eg::MemberKey> members;
};

inline TrusteeOpenedGroup make_trustee_opened_group(const Trustees& trustees, const std::set<std::uint16_t>& offline,
                                                    std::optional<std::pair<std::uint16_t, std::uint16_t>> cheater,
                                                    std::size_t members, OpenerDkgRun& run) {
  TrusteeOpenedGroup g{eg::setup(), {}, {}};
  g.setup.opener.xi.wipe();
  run = run_opener_dkg(trustees, g.setup.gpk.u, offline, cheater);
  g.gpk = must(eg::with_opener_key(g.setup.gpk, run.outcome.key.h), "with_opener_key");
  for (std::size_t i = 0; i < members; ++i) {
    g.members.push_back(must(eg::enroll(g.setup.issuer, g.gpk, g.setup.registry, "hospital-" + std::to_string(i)),
                             "enroll"));
  }
  return g;
}

}  // namespace hc::crypto::threshold::testing
