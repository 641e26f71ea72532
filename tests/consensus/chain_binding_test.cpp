// Consensus signatures are bound to the chain (issue 12 item 7): two consortia that reuse the
// same replica keys must not accept each other's messages or certificates.
#include <gtest/gtest.h>

#include <string_view>

#include "consensus/certificates.h"
#include "test_cluster.h"

namespace hc::consensus {
namespace {

using namespace testing;  // test_cluster.h and signed_messages.h

ConsensusConfig chain_config(std::string_view name) {
  ConsensusConfig c = testing::small_cluster_config();
  c.chain_id = testing::test_chain_id(name);
  return c;
}

// The first message in the network of `type` addressed to `to`.
SharedBytes first_message(TestCluster& c, MsgType type, ReplicaId to) {
  for (const testing::Wire& w : c.network()) {
    if (w.to == to && w.bytes->size() > 1 && (*w.bytes)[1] == static_cast<std::uint8_t>(type)) return w.bytes;
  }
  return nullptr;
}

TEST(ChainBinding, RegressionMessageSignedForAnotherChainIsRefused) {
  TestCluster chain_a(chain_config("chain A"));
  TestCluster chain_b(chain_config("chain B"));  // the same replica keys (test_seed)
  for (std::uint64_t i = 0; i < 4; ++i) chain_a.submit(make_tx(i));  // a full batch: proposed at once
  const SharedBytes preprepare = first_message(chain_a, MsgType::kPrePrepare, 1);
  ASSERT_NE(preprepare, nullptr);

  chain_b.run();  // the start-up fetch rounds end
  const std::uint64_t accepted_before = chain_b.replica(1).stats().messages_accepted;
  chain_b.handle(1, MessageReceived{preprepare});
  EXPECT_EQ(chain_b.replica(1).stats().messages_accepted, accepted_before);
  EXPECT_EQ(testing::dropped(chain_b.replica(1), DropReason::kBadSignature), 1u);
  EXPECT_TRUE(chain_b.network().empty()) << "replica 1 of chain B prepared chain A's block";
}

TEST(ChainBinding, CommitCertificateOfAnotherChainDoesNotVerify) {
  const ConsensusConfig a = chain_config("chain A");
  TestCluster chain_a(a);
  for (std::uint64_t i = 0; i < 4; ++i) chain_a.submit(make_tx(i));
  chain_a.run();
  ASSERT_FALSE(chain_a.app(0).blocks().empty());
  const CommittedBlock& cb = chain_a.app(0).blocks().begin()->second;
  EXPECT_TRUE(verify_commit_certificate(a.chain_id, cb, Configuration::genesis(4), chain_a.verifier(0)).ok());
  EXPECT_EQ(verify_commit_certificate(testing::test_chain_id("chain B"), cb, Configuration::genesis(4), chain_a.verifier(0)).code(),
            ErrorCode::kAuthFailed);
}

}  // namespace
}  // namespace hc::consensus
