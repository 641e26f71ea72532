#include "chain/opener_key_state.h"

#include <algorithm>

#include "chain/opener_dkg_state.h"
#include "crypto/groupsig/encoding.h"

namespace hc::chain {

namespace th = crypto::threshold;

Result<th::OpenerDkgParams> opener_dkg_params_for(const Genesis& genesis, const Digest& chain_id,
                                                  std::uint64_t key_epoch) {
  auto gpk = groupsig::decode_gpk(genesis.group_public_key);
  if (!gpk.ok()) return invalid_input("opener key: the genesis group key does not decode: " + gpk.status().message());
  th::OpenerDkgParams params{dkg_params_for(genesis, chain_id, key_epoch), gpk->u};
  HC_RETURN_IF_ERROR(th::check_opener_dkg_params(params));
  return params;
}

Result<OpenerTranscript> read_opener_transcript(const TrusteeStateView& store, const th::OpenerDkgParams& params) {
  const std::uint16_t m = params.trustees.trustees();
  OpenerTranscript out;
  out.deals.resize(m);
  HC_ASSIGN_OR_RETURN(auto deals, read_opener_deals(store, params.trustees.epoch));
  for (const auto& [dealer, bytes] : deals) {
    if (dealer < 1 || dealer > m) continue;
    auto deal = th::decode_opener_deal(params, bytes);
    if (deal.ok() && deal->dealer == dealer) out.deals[dealer - 1] = std::move(deal).value();
  }
  HC_ASSIGN_OR_RETURN(auto complaints, read_opener_complaints(store, params.trustees.epoch));
  for (const StoredOpenerComplaint& stored : complaints) {
    auto complaint = th::decode_opener_complaint(params, stored.complaint);
    if (complaint.ok()) out.complaints.push_back(std::move(complaint).value());
  }
  return out;
}

Result<std::optional<OpenerKeyOutcome>> read_opener_key(const TrusteeStateView& store, std::uint64_t key_epoch) {
  HC_ASSIGN_OR_RETURN(auto access, read_outcome(store, key_epoch));
  if (!access) return std::optional<OpenerKeyOutcome>();
  OpenerKeyOutcome out;
  out.key_epoch = key_epoch;
  if (!access->formed) {
    out.failure = "the access key of key epoch " + std::to_string(key_epoch) + " did not form: " + access->failure;
    return std::optional<OpenerKeyOutcome>(std::move(out));
  }
  HC_ASSIGN_OR_RETURN(th::OpenerDkgParams params, opener_dkg_params_for(store.genesis(), store.genesis_hash(), key_epoch));
  HC_ASSIGN_OR_RETURN(OpenerTranscript transcript, read_opener_transcript(store, params));
  const std::vector<std::uint16_t>& qualified = access->formed->qualified;
  for (std::uint16_t i = 1; i <= transcript.deals.size(); ++i) {
    if (transcript.deals[i - 1] && !std::binary_search(qualified.begin(), qualified.end(), i)) {
      transcript.deals[i - 1].reset();
      out.left_out_by_access_key.push_back(i);
    }
  }
  auto formed = th::finalize_opener_dkg(params, transcript.deals, transcript.complaints);
  if (formed.ok()) {
    out.formed = std::move(formed).value();
  } else {
    out.failure = "the opener key of key epoch " + std::to_string(key_epoch) + " did not form: " +
                  formed.status().message();
  }
  return std::optional<OpenerKeyOutcome>(std::move(out));
}

}  // namespace hc::chain
