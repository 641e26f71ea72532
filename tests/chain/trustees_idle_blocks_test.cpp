// Issue 13, item 1, on the ledger: the application asks the engine for empty blocks
// (wants_block, dkg_wants_blocks) exactly while a DKG window counted in blocks waits to pass
// on the committed state: in the deal window once t deals are in, through the complaint
// window, and no longer once the outcome is stored; never in single-manager mode.
#include <gtest/gtest.h>

#include "chain/limits.h"
#include "chain/trustees_chain.h"
#include "crypto/threshold/dkg_deal.h"

namespace hc::chain {
namespace {

using testing::TrusteesChain;
namespace th = crypto::threshold;

constexpr std::uint64_t kIdleW = kDkgWindowBlocks;

TEST(TrusteesIdleBlocksTest, TheLedgerWantsBlocksWhileADkgWindowWaitsToPass) {
  TrusteesChain chain(4, 3, "idle");
  const th::DkgParams params = chain.params();
  EXPECT_FALSE(chain.app->wants_block()) << "no deal yet: nothing to wait for";
  ASSERT_TRUE(chain.commit({chain.deal_tx(th::make_deal(params, 1).value()),
                            chain.deal_tx(th::make_deal(params, 2).value())}).ok());
  EXPECT_FALSE(chain.app->wants_block()) << "2 deals of t = 3: the key cannot form yet";
  ASSERT_TRUE(chain.commit({chain.deal_tx(th::make_deal(params, 3).value())}).ok());
  EXPECT_TRUE(chain.app->wants_block()) << "t deals in: the deal window must pass";
  chain.advance_to(kIdleW);
  EXPECT_TRUE(chain.app->wants_block()) << "the complaint window must pass";
  chain.advance_to(2 * kIdleW);
  EXPECT_TRUE(chain.app->wants_block()) << "the finalizing block is still owed";
  ASSERT_TRUE(chain.commit({}).ok());  // height 2W+1 stores the outcome
  ASSERT_TRUE(read_current_access_key(StoreTrusteeView(*chain.store)).value().has_value());
  EXPECT_FALSE(chain.app->wants_block()) << "the key formed: nothing to wait for";
  auto direct = dkg_wants_blocks(StoreTrusteeView(*chain.store), chain.height());
  ASSERT_TRUE(direct.ok());
  EXPECT_FALSE(*direct);
}

TEST(TrusteesIdleBlocksTest, AnEndedEpochStopsAskingAndTheNextEpochAsksAgain) {
  TrusteesChain chain(4, 3, "idle-retry");
  const th::DkgParams params = chain.params();
  ASSERT_TRUE(chain.commit({chain.deal_tx(th::make_deal(params, 1).value()),
                            chain.deal_tx(th::make_deal(params, 2).value()),
                            chain.deal_tx(th::make_deal(params, 3).value())}).ok());
  chain.advance_to(2 * kIdleW + 1);
  EXPECT_FALSE(chain.app->wants_block());
  ASSERT_TRUE(chain.commit({chain.epoch_start_tx(1)}).ok());
  EXPECT_FALSE(chain.app->wants_block()) << "epoch 1 has no deal yet";
  const th::DkgParams params1 = chain.params(1);
  ASSERT_TRUE(chain.commit({chain.deal_tx(th::make_deal(params1, 1).value(), 1),
                            chain.deal_tx(th::make_deal(params1, 2).value(), 1),
                            chain.deal_tx(th::make_deal(params1, 4).value(), 1)}).ok());
  EXPECT_TRUE(chain.app->wants_block());
}

TEST(TrusteesIdleBlocksTest, ASingleManagerLedgerNeverAsks) {
  testing::TestConsortium c;
  testing::TempDir dir("idle-single");
  auto store = LedgerStore::create(dir.path() + "/ledger", c.genesis());
  ASSERT_TRUE(store.ok());
  auto wants = dkg_wants_blocks(StoreTrusteeView(**store), 0);
  ASSERT_TRUE(wants.ok());
  EXPECT_FALSE(*wants);
}

}  // namespace
}  // namespace hc::chain
