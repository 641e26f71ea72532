// Test support: a TrusteesChain whose key epoch 0 keys have formed from honest deals (no
// complaint), read back from the chain: the access key with every trustee's deal and secret
// share, where the tests of access requests and of the reader's side start; or the access key
// and the opener key from the deals of the first k trustees, where the tests and benchmarks
// of BBS04-ElGamal records start. tests/chain, tests/cli and bench/ link it through
// hc_chain_testing. Not thread-safe (it commits to the chain).
#pragma once

#include <optional>
#include <vector>

#include "chain/trustees_chain.h"
#include "common/status.h"
#include "crypto/p256.h"
#include "crypto/threshold/dkg_deal.h"
#include "crypto/threshold/dkg_outcome.h"
#include "crypto/threshold/opener_dkg_outcome.h"

namespace hc::chain::testing {

struct FormedAccessKey {
  std::vector<std::optional<crypto::threshold::DkgDeal>> deals;  // trustee j's deal at j-1
  crypto::threshold::DkgOutcome outcome;                         // as the chain formed it
  std::vector<crypto::P256Scalar> shares;                        // trustee j's secret share at j-1
};

// Commits one block with every trustee's deal (key epoch 0), commits empty blocks until the
// DKG's windows have passed (height 2 * kDkgWindowBlocks + 1) and reads the formed key from the
// store. kInternal if the key did not form; any error of making a deal or share as it is.
Result<FormedAccessKey> form_access_key(TrusteesChain& chain);

struct FormedTrusteeKeys {
  crypto::threshold::AccessKeyPublic access_key;
  std::optional<crypto::threshold::OpenerKeyPublic> opener_key;  // only from opener deals
};

// Commits one block with a deal from each of trustees 1..dealers (each carrying an opener deal
// if with_opener_deals), commits empty blocks past the DKG's windows and reads the access key
// and, with opener deals, the opener key of key epoch 0. kInternal if a key did not form.
Result<FormedTrusteeKeys> form_trustee_keys(TrusteesChain& chain, std::uint16_t dealers, bool with_opener_deals);

}  // namespace hc::chain::testing
