// The opener key's side of a resharing on the chain (issue 16 item 3): on a chain whose key
// epoch has an opener key, every resharing deal carries the opener key's deal, and the opener
// key in force after the finalizing block (chain/opener_reshare_state.h, computed from the
// committed transcript) keeps u and h = u^xi with the new trustees' public shares, which their
// reshared shares match. Real crypto (BLS12-381 for the opener key).
#include <gtest/gtest.h>

#include "chain/consensus_parameters.h"
#include "chain/opener_reshare_state.h"
#include "chain/reshare_chain.h"

namespace hc::chain {
namespace {

using testing::ReshareChain;
namespace th = crypto::threshold;

bool names(const Status& s, const std::string& text) { return s.message().find(text) != std::string::npos; }

TEST(ReshareOpenerTest, TheOpenerKeyIsResharedWithHUnchangedAndTheNewSharesMatchItsPublicShares) {
  ReshareChain chain(4, "reshare-opener", true);
  chain.form_key();
  chain.advance_to(membership_change_boundary(chain.join('e', "hospital-e")));
  const ReshareRun run = chain.latest_run();
  ASSERT_TRUE(run.with_opener);
  const ReshareSchedule schedule = testing::schedule_when_all_announce(run);
  std::vector<Bytes> keys;
  for (std::uint32_t member : run.members) keys.push_back(chain.key_tx(run, member));
  chain.commit_ok(std::move(keys));
  chain.advance_to(schedule.last_key_height);
  const ReshareSetting s = chain.setting(run);
  const th::OpenerReshareParams opener_params = opener_reshare_params_for(chain.view(), run, chain.height()).value();
  // A deal without its opener deal is refused on such a chain.
  const th::AccessReshareDeal d1 = chain.deal(s, 1);
  const Bytes bare = chain.deal_tx(ReshareDealTx{chain.c->genesis_hash(), 1, 1, th::encode_reshare_deal(s.params, d1), {}, {}},
                                   chain.genesis_secrets[0]);
  EXPECT_TRUE(names(chain.app->check_tx(bare), "the opener key's deal is missing"));
  std::vector<Bytes> txs;
  std::vector<std::optional<th::OpenerReshareDeal>> opener_deals;
  for (std::uint16_t i = 1; i <= 4; ++i) {
    const Bytes tx = chain.deal_tx(s, chain.deal(s, i));
    const auto decoded = std::get<ReshareDealTx>(decode_transaction(tx).value());
    opener_deals.push_back(th::decode_reshare_deal(opener_params, decoded.opener_deal).value());
    txs.push_back(tx);
  }
  chain.commit_ok(std::move(txs));
  chain.advance_to(schedule.finalize_height);

  const auto before = read_opener_key_in_force(chain.view(), 0, schedule.finalize_height).value().value();
  EXPECT_EQ(before.public_shares, chain.opener_dkg->key.public_shares);
  const auto after = read_opener_key_in_force(chain.view(), 0, schedule.finalize_height + 1).value().value();
  EXPECT_EQ(after.h, chain.opener_dkg->key.h);
  EXPECT_EQ(after.u, chain.opener_dkg->key.u);
  EXPECT_EQ(after.threshold, 3u);
  ASSERT_EQ(after.public_shares.size(), 5u);
  EXPECT_TRUE(th::check_opener_key_public(after).ok());
  th::OpenerReshareOutcome outcome;
  outcome.key = after;
  outcome.qualified = {1, 2, 3, 4};
  for (std::uint16_t j = 1; j <= 5; ++j) {
    th::Fr x = th::reshared_secret_share(opener_params, outcome, opener_deals, j, chain.fresh_secret(j - 1, 1)).value();
    EXPECT_TRUE(th::OpenerKeyGroup::share_matches(after, x, after.public_shares[j - 1])) << j;
    x.wipe();
  }
}

}  // namespace
}  // namespace hc::chain
