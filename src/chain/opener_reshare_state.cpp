#include "chain/opener_reshare_state.h"

#include <algorithm>
#include <string>

#include "chain/opener_key_state.h"

namespace hc::chain {

namespace {
namespace th = crypto::threshold;

th::OpenerReshareParams ors_params_over(const th::OpenerKeyPublic& old_key, const ReshareSetting& setting) {
  th::OpenerReshareParams params;
  params.old_key = old_key;
  params.new_trustees = setting.params.new_trustees;
  params.reshare_epoch = setting.params.reshare_epoch;
  return params;
}

// The opener side of resharing `run`, whose access side formed as `record`, over `old_key`.
Result<std::optional<th::OpenerKeyPublic>> ors_opener_outcome(const TrusteeStateView& state, const ReshareRun& run,
                                                          const ReshareRecord& record, const th::OpenerKeyPublic& old_key) {
  HC_ASSIGN_OR_RETURN(ReshareSetting setting, reshare_setting(state, run, record.finalized_at_height - 1));
  const th::OpenerReshareParams params = ors_params_over(old_key, setting);
  std::vector<std::optional<th::OpenerReshareDeal>> deals(params.old_trustees());
  HC_ASSIGN_OR_RETURN(auto stored, read_opener_reshare_deals(state, run.reshare_epoch));
  for (const auto& [dealer, bytes] : stored) {
    const bool qualified = std::find(record.qualified.begin(), record.qualified.end(), dealer) != record.qualified.end();
    if (!qualified || dealer == 0 || dealer > deals.size()) continue;  // out of the access key: out of this one
    auto deal = th::decode_reshare_deal(params, bytes);
    if (deal.ok() && deal->dealer == dealer) deals[dealer - 1] = std::move(deal).value();
  }
  std::vector<th::ReshareComplaint> complaints;
  HC_ASSIGN_OR_RETURN(auto stored_complaints, read_opener_reshare_complaints(state, run.reshare_epoch));
  for (const StoredOpenerComplaint& c : stored_complaints) {
    auto complaint = th::decode_reshare_complaint(params, c.complaint);
    if (complaint.ok()) complaints.push_back(*complaint);  // one that does not decode accuses nobody
  }
  auto outcome = th::finalize_reshare(params, deals, complaints);
  if (!outcome.ok()) return std::optional<th::OpenerKeyPublic>();
  return std::optional<th::OpenerKeyPublic>(outcome->key);
}
}  // namespace

Result<th::OpenerReshareParams> opener_reshare_params_for(const TrusteeStateView& state, const ReshareRun& run,
                                                          std::uint64_t committed_height) {
  HC_ASSIGN_OR_RETURN(ReshareSetting setting, reshare_setting(state, run, committed_height));
  HC_ASSIGN_OR_RETURN(auto old_key, read_opener_key_in_force(state, run.key_epoch, run.started_at_height + 1));
  if (!old_key) {
    return invalid_input("resharing " + std::to_string(run.reshare_epoch) + ": key epoch " +
                         std::to_string(run.key_epoch) + " has no opener key in force");
  }
  return ors_params_over(*old_key, setting);
}

Result<std::optional<th::OpenerKeyPublic>> read_opener_key_in_force(const TrusteeStateView& state,
                                                                    std::uint64_t key_epoch,
                                                                    std::uint64_t request_height) {
  HC_ASSIGN_OR_RETURN(auto dkg, read_opener_key(state, key_epoch));
  if (!dkg || !dkg->formed) return std::optional<th::OpenerKeyPublic>();
  std::optional<th::OpenerKeyPublic> key = dkg->formed->key;
  HC_ASSIGN_OR_RETURN(auto latest, read_latest_reshare_run(state));
  const std::uint64_t last = latest ? latest->reshare_epoch : 0;
  for (std::uint64_t r = 1; r <= last && key; ++r) {
    HC_ASSIGN_OR_RETURN(auto run, read_reshare_run(state, r));
    HC_ASSIGN_OR_RETURN(auto record, read_reshare_outcome(state, r));
    if (!run || !record || run->key_epoch != key_epoch || !record->formed || !run->with_opener) continue;
    if (record->formed->in_force_from_height > request_height) break;  // later resharings hand over later
    HC_ASSIGN_OR_RETURN(key, ors_opener_outcome(state, *run, *record, *key));
  }
  return key;
}

}  // namespace hc::chain
