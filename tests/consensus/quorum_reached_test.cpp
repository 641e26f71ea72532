// Votes that can no longer change anything are dropped before their signature is checked
// (issue 18 item 3): a PREPARE once the slot is prepared in this view, a COMMIT once it is
// committed. Counted as quorum_reached; the verifier is not asked.
#include <gtest/gtest.h>

#include <string>

#include "consensus/replica.h"
#include "consensus/testing/ed25519_test_keys.h"
#include "consensus/testing/test_application.h"

namespace hc::consensus::quorum_reached_test {
namespace {

TEST(QuorumReachedTest, VotesPastTheQuorumAreDroppedUnverified) {
  Ed25519TestKeys test_keys('a');
  std::vector<std::unique_ptr<Ed25519Signer>>& signers = test_keys.signers;
  const std::vector<PublicKey>& keys = test_keys.public_keys;
  ConsensusConfig config;
  config.replica_count = 4;
  config.chain_id = sha256(Bytes{'q'});
  CountingEd25519Verifier verifier(keys);
  TestApplication app;
  Replica replica(config, 1, *signers[1], verifier, app);
  std::vector<Action> out;
  replica.handle(Event{0, StateLoaded{}}, out);
  const auto deliver = [&](ReplicaId sender, MessageBody body) {
    Message m{sender, std::move(body), Signature{}, 0};
    m.sig = signers[sender]->sign(signing_input(config.chain_id, 0, m.type(), sender, statement_of(m.body)));
    replica.handle(Event{1, MessageReceived{std::make_shared<const Bytes>(encode_message(m))}}, out);
  };
  const auto quorum_reached = [&] {
    return replica.stats().dropped[static_cast<std::size_t>(DropReason::kQuorumReached)];
  };

  const Block block{1, 0, 0, 0, {}};
  const Digest d = block_digest(block);
  deliver(0, PrePrepare{0, 1, d, block});  // replica 1 PREPAREs it
  deliver(2, Prepare{0, 1, d});            // 2f = 2 PREPAREs: prepared, COMMIT sent
  EXPECT_EQ(verifier.calls, 2);
  EXPECT_EQ(quorum_reached(), 0u);
  deliver(3, Prepare{0, 1, d});            // not needed any more
  EXPECT_EQ(verifier.calls, 2);
  EXPECT_EQ(quorum_reached(), 1u);

  deliver(0, Commit{0, 1, d});
  deliver(2, Commit{0, 1, d});             // with its own: 2f+1, committed and executed
  EXPECT_EQ(verifier.calls, 4);
  EXPECT_EQ(app.last_height(), 1u);
  deliver(3, Commit{0, 1, d});
  EXPECT_EQ(verifier.calls, 4);
  EXPECT_EQ(quorum_reached(), 2u);

  // A vote for a slot still short of its quorum is checked as before.
  deliver(3, Commit{0, 2, d});
  EXPECT_EQ(verifier.calls, 5);
  EXPECT_EQ(quorum_reached(), 2u);
}

}  // namespace
}  // namespace hc::consensus::quorum_reached_test
