// hc-node's pool that checks peers' consensus signatures before the engine gets them
// (node/consensus_preverify_pool.h, issue 18 item 3): messages come out in the order they went
// in, each with the entry its good signature earned; a bad signature earns none and the engine
// still refuses it; a message of another configuration is not accepted because the pool
// checked its signature; COMMITs at executed heights are not checked; the queue's bounds drop.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>

#include "consensus/replica.h"
#include "consensus/testing/ed25519_test_keys.h"
#include "consensus/testing/test_application.h"
#include "node/consensus_preverify_pool.h"

namespace hc::node::preverify_pool_test {
namespace {

using namespace hc::consensus;

// Replicas 0..3's keys.
struct Keys : Ed25519TestKeys {
  Keys() : Ed25519TestKeys('k') {}
};

const ChainId kChain = sha256(Bytes{'p'});

Bytes signed_wire(Keys& keys, ReplicaId sender, MessageBody body, ConfigNumber config = 0) {
  Message m{sender, std::move(body), Signature{}, config};
  m.sig = keys.signers[sender]->sign(signing_input(kChain, m.config, m.type(), sender, statement_of(m.body)));
  return encode_message(m);
}

// What the pool delivered, in order (its worker thread writes, the test reads).
struct Delivered {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::pair<SharedBytes, std::optional<PreverifiedSignature>>> items;

  ConsensusPreverifyPool::Deliver callback() {
    return [this](SharedBytes wire, std::optional<PreverifiedSignature> entry) {
      std::lock_guard<std::mutex> lock(mutex);
      items.emplace_back(std::move(wire), std::move(entry));
      changed.notify_all();
    };
  }
  bool wait_for(std::size_t n) {
    std::unique_lock<std::mutex> lock(mutex);
    return changed.wait_for(lock, std::chrono::seconds(30), [&] { return items.size() >= n; });
  }
};

// Replica 1 of 4, in view 0 of configuration 0, its engine's verifier behind `front`.
struct EngineUnderTest {
  explicit EngineUnderTest(Keys& keys) : inner(keys.public_keys), front(inner) {
    config.replica_count = 4;
    config.chain_id = kChain;
    replica = std::make_unique<Replica>(config, 1, *keys.signers[1], front, app);
    replica->handle(Event{0, StateLoaded{}}, out);
  }
  // What the node's driver does with a delivered message (ReplicaDriver::on_preverified).
  void deliver(SharedBytes wire, std::optional<PreverifiedSignature> entry) {
    front.arm(std::move(entry));
    replica->handle(Event{++now, MessageReceived{std::move(wire)}}, out);
    front.arm(std::nullopt);
  }
  std::uint64_t dropped(DropReason r) const { return replica->stats().dropped[static_cast<std::size_t>(r)]; }

  ConsensusConfig config;
  CountingEd25519Verifier inner;
  PreverifiedVerifier front;
  TestApplication app;
  std::unique_ptr<Replica> replica;
  std::vector<Action> out;
  std::uint64_t now = 0;
};

std::unique_ptr<ConsensusPreverifyPool> start_pool(Keys& keys, Delivered& delivered,
                                                   ConsensusPreverifyPool::Limits bounds = {}) {
  auto pool = ConsensusPreverifyPool::start(kChain, DecodeLimits{}, keys.public_keys, bounds, delivered.callback());
  HC_CHECK(pool.ok());
  return std::move(pool).value();
}

TEST(ConsensusPreverifyPoolTest, MessagesComeOutInOrderAndTheEngineChecksNoneAgain) {
  Keys keys;
  Delivered delivered;
  auto pool = start_pool(keys, delivered);
  std::vector<Bytes> sent;
  for (SeqNumber seq = 1; seq <= 8; ++seq) {
    for (ReplicaId sender : {2u, 3u}) {
      sent.push_back(signed_wire(keys, sender, Prepare{0, seq, sha256(Bytes{static_cast<std::uint8_t>(seq)})}));
      ASSERT_TRUE(pool->submit(std::make_shared<const Bytes>(sent.back())));
    }
  }
  ASSERT_TRUE(delivered.wait_for(sent.size()));
  EngineUnderTest engine(keys);
  const std::uint64_t accepted = engine.replica->stats().messages_accepted;
  for (std::size_t i = 0; i < sent.size(); ++i) {
    auto& [wire, entry] = delivered.items[i];
    EXPECT_EQ(*wire, sent[i]) << "out of order at " << i;
    EXPECT_TRUE(entry.has_value());
    engine.deliver(wire, entry);
  }
  EXPECT_EQ(pool->verified(), sent.size());
  EXPECT_EQ(engine.replica->stats().messages_accepted, accepted + sent.size());
  EXPECT_EQ(engine.inner.calls, 0);  // every signature was the pool's work
  EXPECT_EQ(engine.front.answered_from_entry(), sent.size());
}

TEST(ConsensusPreverifyPoolTest, ABadSignatureThroughThePoolIsStillRefusedByTheEngine) {
  Keys keys;
  Delivered delivered;
  auto pool = start_pool(keys, delivered);
  Bytes tampered = signed_wire(keys, 2, Prepare{0, 1, sha256(Bytes{'x'})});
  tampered.back() ^= 1;
  ASSERT_TRUE(pool->submit(std::make_shared<const Bytes>(tampered)));
  ASSERT_TRUE(delivered.wait_for(1));
  EXPECT_FALSE(delivered.items[0].second.has_value());
  EXPECT_EQ(pool->unverified(), 1u);
  EngineUnderTest engine(keys);
  engine.deliver(delivered.items[0].first, delivered.items[0].second);
  EXPECT_EQ(engine.dropped(DropReason::kBadSignature), 1u);
  EXPECT_EQ(engine.inner.calls, 1);  // the engine checked it itself
}

// A peer's message signed under configuration 1 has a good signature, so the pool makes an
// entry; the replica, in configuration 0, still does not accept it: the entry answers only its
// own question, and the engine's rules about configurations run as without the pool.
TEST(ConsensusPreverifyPoolTest, AMessageOfAnotherConfigurationIsNotAcceptedBecauseOfItsEntry) {
  Keys keys;
  Delivered delivered;
  auto pool = start_pool(keys, delivered);
  ASSERT_TRUE(pool->submit(std::make_shared<const Bytes>(signed_wire(keys, 2, Prepare{0, 1, sha256(Bytes{'y'})}, 1))));
  ASSERT_TRUE(delivered.wait_for(1));
  ASSERT_TRUE(delivered.items[0].second.has_value());
  EngineUnderTest engine(keys);
  const std::uint64_t accepted = engine.replica->stats().messages_accepted;
  engine.deliver(delivered.items[0].first, delivered.items[0].second);
  EXPECT_EQ(engine.replica->stats().messages_accepted, accepted);

  // And an entry left over from it answers nothing about configuration 0's same vote, signed
  // badly: the engine asks the real verifier and refuses it.
  Bytes forged = signed_wire(keys, 2, Prepare{0, 1, sha256(Bytes{'y'})});
  forged.back() ^= 1;
  engine.front.arm(delivered.items[0].second);
  engine.replica->handle(Event{++engine.now, MessageReceived{std::make_shared<const Bytes>(forged)}}, engine.out);
  EXPECT_EQ(engine.dropped(DropReason::kBadSignature), 1u);
  EXPECT_EQ(engine.replica->stats().messages_accepted, accepted);
}

TEST(ConsensusPreverifyPoolTest, CommitsAtExecutedHeightsAreNotChecked) {
  Keys keys;
  Delivered delivered;
  auto pool = start_pool(keys, delivered);
  pool->note_executed(5);
  ASSERT_TRUE(pool->submit(std::make_shared<const Bytes>(signed_wire(keys, 2, Commit{0, 5, sha256(Bytes{'z'})}))));
  ASSERT_TRUE(pool->submit(std::make_shared<const Bytes>(signed_wire(keys, 2, Commit{0, 6, sha256(Bytes{'z'})}))));
  ASSERT_TRUE(delivered.wait_for(2));
  EXPECT_FALSE(delivered.items[0].second.has_value());  // height 5 executed: the engine drops it unchecked
  EXPECT_TRUE(delivered.items[1].second.has_value());
  EXPECT_EQ(pool->verified(), 1u);
  EXPECT_TRUE(is_commit_at_or_below(signed_wire(keys, 3, Commit{0, 2, sha256(Bytes{'z'})}), 2));
  EXPECT_FALSE(is_commit_at_or_below(signed_wire(keys, 3, Prepare{0, 2, sha256(Bytes{'z'})}), 2));
  EXPECT_FALSE(is_commit_at_or_below(Bytes{3, 3}, 2));
}

TEST(ConsensusPreverifyPoolTest, AMessageBeyondTheBoundsIsDroppedAndCounted) {
  Keys keys;
  Delivered delivered;
  ConsensusPreverifyPool::Limits bounds;
  bounds.max_bytes = 100;  // a PREPARE is 82 + 48 bytes
  auto pool = start_pool(keys, delivered, bounds);
  EXPECT_FALSE(pool->submit(std::make_shared<const Bytes>(signed_wire(keys, 2, Prepare{0, 1, sha256(Bytes{'w'})}))));
  EXPECT_EQ(pool->dropped(), 1u);
  bounds = {};
  bounds.max_messages = 0;
  Delivered none;
  auto closed = start_pool(keys, none, bounds);
  EXPECT_FALSE(closed->submit(std::make_shared<const Bytes>(Bytes{1})));
  EXPECT_EQ(closed->dropped(), 1u);
}

}  // namespace
}  // namespace hc::node::preverify_pool_test
