// Votes that can no longer change anything are dropped before their signature is checked
// (issue 18 item 3): a PREPARE once the slot is prepared in this view, a COMMIT once it is
// committed. Counted as quorum_reached; the verifier is not asked.
#include <gtest/gtest.h>

#include <string>

#include "consensus/replica.h"
#include "consensus/testing/test_application.h"

namespace hc::consensus::quorum_reached_test {
namespace {

class CountingVerifier final : public Verifier {
 public:
  explicit CountingVerifier(const std::vector<PublicKey>& keys) : inner_(std::move(Ed25519Verifier::create(keys)).value()) {}
  bool verify(ReplicaId signer, ByteSpan msg, const Signature& sig) override {
    ++calls;
    return inner_->verify(signer, msg, sig);
  }
  int calls = 0;

 private:
  std::unique_ptr<Ed25519Verifier> inner_;
};

TEST(QuorumReachedTest, VotesPastTheQuorumAreDroppedUnverified) {
  std::vector<std::unique_ptr<Ed25519Signer>> signers;
  std::vector<PublicKey> keys;
  for (ReplicaId r = 0; r < 4; ++r) {
    signers.push_back(std::move(Ed25519Signer::create(SecureBytes(std::string(32, static_cast<char>('a' + r))))).value());
    keys.push_back(signers.back()->public_key());
  }
  ConsensusConfig config;
  config.replica_count = 4;
  config.chain_id = sha256(Bytes{'q'});
  CountingVerifier verifier(keys);
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
