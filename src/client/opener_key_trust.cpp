#include "client/opener_key_trust.h"

#include <algorithm>
#include <optional>
#include <string>

#include "chain/opener_key_state.h"
#include "crypto/threshold/opener_dkg_complaint.h"
#include "crypto/threshold/opener_dkg_deal.h"

namespace hc::client {

namespace th = crypto::threshold;

Result<th::OpenerKeyPublic> opener_key_from_transcript(const chain::Genesis& genesis, const chain::Digest& chain_id,
                                                       std::uint64_t key_epoch,
                                                       const std::vector<std::uint16_t>& qualified,
                                                       const ProvenOpenerTranscript& transcript) {
  HC_ASSIGN_OR_RETURN(th::OpenerDkgParams params, chain::opener_dkg_params_for(genesis, chain_id, key_epoch));
  const std::uint16_t m = params.trustees.trustees();
  std::vector<std::optional<th::OpenerDeal>> deals(m);
  for (const auto& [dealer, bytes] : transcript.deals) {
    if (dealer < 1 || dealer > m || !std::binary_search(qualified.begin(), qualified.end(), dealer)) continue;
    auto deal = th::decode_opener_deal(params, bytes);
    if (deal.ok() && deal->dealer == dealer) deals[dealer - 1] = std::move(deal).value();
  }
  std::vector<th::OpenerComplaint> complaints;
  for (const Bytes& bytes : transcript.complaints) {
    auto complaint = th::decode_opener_complaint(params, bytes);
    if (complaint.ok()) complaints.push_back(std::move(complaint).value());
  }
  auto formed = th::finalize_opener_dkg(params, deals, complaints);
  if (!formed.ok()) {
    return Status::error(ErrorCode::kAuthFailed, "the proven transcript of key epoch " + std::to_string(key_epoch) +
                                                     " forms no opener key: " + formed.status().message());
  }
  return std::move(formed)->key;
}

}  // namespace hc::client
