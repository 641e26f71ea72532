#include "chain/formed_access_key.h"

#include "chain/limits.h"
#include "chain/trustee_state.h"

namespace hc::chain::testing {

namespace th = crypto::threshold;

Result<FormedAccessKey> form_access_key(TrusteesChain& chain) {
  FormedAccessKey formed;
  const th::DkgParams params = chain.params();
  std::vector<Bytes> txs;
  for (std::uint16_t i = 1; i <= chain.m(); ++i) {
    HC_ASSIGN_OR_RETURN(th::DkgDeal deal, th::make_deal(params, i));
    txs.push_back(chain.deal_tx(deal));
    formed.deals.push_back(std::move(deal));
  }
  HC_RETURN_IF_ERROR(chain.commit(txs).status());
  chain.advance_to(2 * kDkgWindowBlocks + 1);
  HC_ASSIGN_OR_RETURN(std::optional<KeyEpochOutcome> key, read_current_access_key(StoreTrusteeView(*chain.store)));
  if (!key.has_value() || !key->formed.has_value()) {
    return Status::error(ErrorCode::kInternal, "the access key of key epoch 0 did not form");
  }
  formed.outcome = *key->formed;
  for (std::uint16_t j = 1; j <= chain.m(); ++j) {
    HC_ASSIGN_OR_RETURN(crypto::P256Scalar share,
                        th::trustee_secret_share(params, formed.outcome, formed.deals, j, chain.secret(j)));
    formed.shares.push_back(std::move(share));
  }
  return formed;
}

}  // namespace hc::chain::testing
