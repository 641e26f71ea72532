// Which replica a node is on the chain (node/replica_standing.h): a genesis replica with the
// genesis's key, a joined member with the key its accepted join carries, a hospital whose join
// the ledger does not show yet; refused with a one-line reason when the key is another
// replica's or not the one the chain holds for the node's id.
#include "node/replica_standing.h"

#include <gtest/gtest.h>

#include "chain/governance_state.h"
#include "chain/test_chain.h"
#include "chain/trustee_state.h"
#include "node/seeded_members.h"

namespace hc::node {
namespace {

using testing::joined_member;
using testing::record_accepted_join;
using testing::seeded_replica_key;

crypto::Ed25519PublicKey genesis_key(const chain::testing::TestConsortium& consortium, std::uint32_t id) {
  return crypto::Ed25519PrivateKey::from_seed(consortium.replica_seed(id)).value().public_key();
}

// Replica 4 (key seeded with 0x44) joined at height 12.
void record_join(chain::MemoryTrusteeView& state) {
  record_accepted_join(state, joined_member(4, seeded_replica_key(0x44), "hospital-e", "10.0.0.5:8443", 12),
                       {0, 1, 2, 3, 4}, 1, 12);
}

TEST(ReplicaStandingTest, AGenesisReplicaWithItsGenesisKey) {
  chain::testing::TestConsortium consortium;
  chain::MemoryTrusteeView state(consortium.genesis(), consortium.genesis_hash());
  auto standing = replica_standing(state, 2, genesis_key(consortium, 2));
  ASSERT_TRUE(standing.ok()) << standing.status().message();
  EXPECT_EQ(*standing, ReplicaStanding::kGenesisReplica);

  auto wrong = replica_standing(state, 2, genesis_key(consortium, 1));
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(wrong.status().message(), "the replica key file does not hold node 2's key from the genesis");
}

TEST(ReplicaStandingTest, AHospitalAwaitsItsJoinThenIsAJoinedMemberWithTheAcceptedKey) {
  chain::testing::TestConsortium consortium;
  chain::MemoryTrusteeView state(consortium.genesis(), consortium.genesis_hash());
  // A ledger that has not caught up to the join: the node waits, fetching blocks.
  auto before = replica_standing(state, 4, seeded_replica_key(0x44));
  ASSERT_TRUE(before.ok()) << before.status().message();
  EXPECT_EQ(*before, ReplicaStanding::kAwaitingJoin);

  record_join(state);
  auto after = replica_standing(state, 4, seeded_replica_key(0x44));
  ASSERT_TRUE(after.ok()) << after.status().message();
  EXPECT_EQ(*after, ReplicaStanding::kJoinedMember);

  // The chain accepted another key for id 4: this node is not member 4.
  auto other = replica_standing(state, 4, seeded_replica_key(0x45));
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.status().code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(other.status().message(),
            "the replica key file does not hold the key the chain accepted for node 4 (hospital-e's join)");
}

TEST(ReplicaStandingTest, AKeyAnotherMemberHoldsIsRefused) {
  chain::testing::TestConsortium consortium;
  chain::MemoryTrusteeView state(consortium.genesis(), consortium.genesis_hash());
  auto genesis_replicas = replica_standing(state, 7, genesis_key(consortium, 3));
  ASSERT_FALSE(genesis_replicas.ok());
  EXPECT_EQ(genesis_replicas.status().message(), "the replica key file holds member 3's key, not node 7's");

  record_join(state);
  auto joined = replica_standing(state, 5, seeded_replica_key(0x44));
  ASSERT_FALSE(joined.ok());
  EXPECT_EQ(joined.status().message(), "the replica key file holds member 4's key, not node 5's");
}

}  // namespace
}  // namespace hc::node
