#include "chain/formed_access_key.h"

#include "chain/limits.h"
#include "chain/opener_key_state.h"
#include "chain/trustee_state.h"
#include "crypto/threshold/opener_dkg_deal.h"

namespace hc::chain::testing {

namespace th = crypto::threshold;

namespace {

// Commits the deals in one block, then empty blocks until the DKG's windows have passed, and
// returns the access key of key epoch 0 as it formed.
Result<th::DkgOutcome> commit_deals_and_form(TrusteesChain& chain, std::vector<Bytes> deal_txs) {
  HC_RETURN_IF_ERROR(chain.commit(std::move(deal_txs)).status());
  chain.advance_to(2 * kDkgWindowBlocks + 1);
  HC_ASSIGN_OR_RETURN(std::optional<KeyEpochOutcome> key, read_current_access_key(StoreTrusteeView(*chain.store)));
  if (!key.has_value() || !key->formed.has_value()) {
    return Status::error(ErrorCode::kInternal, "the access key of key epoch 0 did not form");
  }
  return *key->formed;
}

}  // namespace

Result<FormedAccessKey> form_access_key(TrusteesChain& chain) {
  FormedAccessKey formed;
  const th::DkgParams params = chain.params();
  std::vector<Bytes> txs;
  for (std::uint16_t i = 1; i <= chain.m(); ++i) {
    HC_ASSIGN_OR_RETURN(th::DkgDeal deal, th::make_deal(params, i));
    txs.push_back(chain.deal_tx(deal));
    formed.deals.push_back(std::move(deal));
  }
  HC_ASSIGN_OR_RETURN(formed.outcome, commit_deals_and_form(chain, std::move(txs)));
  for (std::uint16_t j = 1; j <= chain.m(); ++j) {
    HC_ASSIGN_OR_RETURN(crypto::P256Scalar share,
                        th::trustee_secret_share(params, formed.outcome, formed.deals, j, chain.secret(j)));
    formed.shares.push_back(std::move(share));
  }
  return formed;
}

Result<FormedTrusteeKeys> form_trustee_keys(TrusteesChain& chain, std::uint16_t dealers, bool with_opener_deals) {
  std::vector<Bytes> txs;
  for (std::uint16_t i = 1; i <= dealers; ++i) {
    HC_ASSIGN_OR_RETURN(th::DkgDeal deal, th::make_deal(chain.params(), i));
    if (with_opener_deals) {
      HC_ASSIGN_OR_RETURN(th::OpenerDeal opener_deal, th::make_opener_deal(chain.opener_params(), i));
      txs.push_back(chain.deal_tx(deal, opener_deal));
    } else {
      txs.push_back(chain.deal_tx(deal));
    }
  }
  FormedTrusteeKeys keys;
  HC_ASSIGN_OR_RETURN(th::DkgOutcome access, commit_deals_and_form(chain, std::move(txs)));
  keys.access_key = access.key;
  if (with_opener_deals) {
    HC_ASSIGN_OR_RETURN(std::optional<OpenerKeyOutcome> opener, read_opener_key(StoreTrusteeView(*chain.store), 0));
    if (!opener.has_value() || !opener->formed.has_value()) {
      return Status::error(ErrorCode::kInternal, "the opener key of key epoch 0 did not form");
    }
    keys.opener_key = opener->formed->key;
  }
  return keys;
}

}  // namespace hc::chain::testing
