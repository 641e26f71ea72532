// Test support: a TrusteesChain whose key epoch 0 access key has formed with a deal from every
// trustee and no complaint, and each trustee's secret share of it, read back from the chain:
// where the tests of access requests and of the reader's side start (tests/chain and
// tests/cli link it through hc_chain_testing). Not thread-safe (it commits to the chain).
#pragma once

#include <optional>
#include <vector>

#include "chain/trustees_chain.h"
#include "common/status.h"
#include "crypto/p256.h"
#include "crypto/threshold/dkg_deal.h"
#include "crypto/threshold/dkg_outcome.h"

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

}  // namespace hc::chain::testing
