// StemRelay (issue 14, item 2): stem forwarding along the epoch's cycle, the fluff coin's
// probability, embargo deadlines and their expiry, duplicates, holding bounds and successor
// re-selection, with an injected clock (arguments) and random source.
#include "node/stem_relay.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

namespace hc::node {
namespace {

constexpr std::uint32_t kReplicas = 7;
const Bytes kChainId(32, 0xc1);
constexpr std::uint64_t kEpochMs = 600000;

std::vector<std::uint32_t> all_but(std::uint32_t self, std::uint32_t n = kReplicas) {
  std::vector<std::uint32_t> out;
  for (std::uint32_t i = 0; i < n; ++i) {
    if (i != self) out.push_back(i);
  }
  return out;
}

StemTxId id_of(std::uint32_t i) {
  StemTxId id{};
  for (int b = 0; b < 4; ++b) id[static_cast<std::size_t>(b)] = static_cast<std::uint8_t>(i >> (8 * b));
  id[31] = 0x5a;
  return id;
}

std::uint32_t cycle_successor(std::uint32_t self, std::uint64_t now_ms) {
  const auto cycle = stem_cycle(kChainId, now_ms / kEpochMs, kReplicas);
  auto at = std::find(cycle.begin(), cycle.end(), self) - cycle.begin();
  return cycle[static_cast<std::size_t>((at + 1) % kReplicas)];
}

StemRelay relay_with(StemRelayConfig config, std::uint32_t self, std::uint64_t seed = 7) {
  auto rng = std::make_shared<std::mt19937_64>(seed);
  return StemRelay(config, self, kReplicas, kChainId, [rng] { return (*rng)(); });
}

TEST(StemCycleTest, IsAPermutationFixedByChainAndEpoch) {
  for (std::uint64_t epoch = 0; epoch < 50; ++epoch) {
    auto cycle = stem_cycle(kChainId, epoch, kReplicas);
    std::set<std::uint32_t> members(cycle.begin(), cycle.end());
    EXPECT_EQ(members.size(), kReplicas);
    EXPECT_EQ(*members.rbegin(), kReplicas - 1);
    EXPECT_EQ(cycle, stem_cycle(kChainId, epoch, kReplicas));
  }
  std::set<std::vector<std::uint32_t>> distinct;
  for (std::uint64_t epoch = 0; epoch < 50; ++epoch) distinct.insert(stem_cycle(kChainId, epoch, kReplicas));
  EXPECT_GT(distinct.size(), 40u);  // 720 cyclic orders of 7; re-drawn every epoch
  EXPECT_NE(stem_cycle(kChainId, 3, kReplicas), stem_cycle(Bytes(32, 0xc2), 3, kReplicas));
}

TEST(StemRelayTest, OriginAlwaysStemsToItsCycleSuccessorEvenWhenTheCoinSaysFluff) {
  StemRelayConfig config;
  config.fluff_probability = 1.0;
  StemRelay relay(config, 2, kReplicas, kChainId, [] { return std::uint64_t{0}; });
  const Bytes tx(100, 1);
  StemStep step = relay.originate(id_of(1), tx, 1000, all_but(2));
  EXPECT_EQ(step.action, StemAction::kForward);
  EXPECT_EQ(step.to, cycle_successor(2, 1000));
  EXPECT_EQ(relay.held_records(), 1u);
  EXPECT_EQ(relay.held_bytes(), 100u);
  // A relay with probability 1 fluffs every stem record it receives.
  EXPECT_EQ(relay.on_stem(id_of(2), tx, 0, 1000, all_but(2)).action, StemAction::kFluff);
}

TEST(StemRelayTest, RelaysFluffWithTheConfiguredProbability) {
  for (double p : {0.05, 0.2}) {
    StemRelayConfig config;
    config.fluff_probability = p;
    StemRelay relay = relay_with(config, 4, 99);
    const int trials = 20000;
    int fluffed = 0;
    for (int i = 0; i < trials; ++i) {
      StemStep step = relay.on_stem(id_of(static_cast<std::uint32_t>(i)), Bytes(10, 2), 3, 5000, all_but(4));
      if (step.action == StemAction::kFluff) ++fluffed;
      else EXPECT_EQ(step.to, cycle_successor(4, 5000));
      relay.on_fluffed(id_of(static_cast<std::uint32_t>(i)));  // keep the held set small
    }
    const double rate = static_cast<double>(fluffed) / trials;
    const double sigma = std::sqrt(p * (1 - p) / trials);
    EXPECT_NEAR(rate, p, 5 * sigma) << "p = " << p;
  }
}

TEST(StemRelayTest, StemOffFluffsAtTheOrigin) {
  StemRelayConfig config;
  config.stem = false;
  StemRelay relay = relay_with(config, 0);
  EXPECT_EQ(relay.originate(id_of(1), Bytes(5, 1), 0, all_but(0)).action, StemAction::kFluff);
  EXPECT_EQ(relay.held_records(), 0u);
  // A stem frame from a peer that still stems is fluffed here.
  EXPECT_EQ(relay.on_stem(id_of(2), Bytes(5, 1), 1, 0, all_but(0)).action, StemAction::kFluff);
}

TEST(StemRelayTest, EmbargoFiresWithinItsBoundsAndTheRecordIsNotStemmedAgain) {
  StemRelayConfig config;
  config.embargo_min_ms = 1000;
  config.embargo_mean_ms = 1000;
  config.embargo_max_ms = 5000;
  StemRelay relay = relay_with(config, 1);
  std::uint64_t latest = 0;
  for (std::uint32_t i = 0; i < 200; ++i) {
    ASSERT_EQ(relay.originate(id_of(i), Bytes(8, 3), 0, all_but(1)).action, StemAction::kForward);
  }
  const std::uint64_t first = *relay.next_deadline_ms();
  EXPECT_GE(first, 1000u);
  EXPECT_TRUE(relay.take_expired(999).empty());
  std::size_t expired = 0;
  for (std::uint64_t t = 1000; t <= 5000; t += 250) {
    auto out = relay.take_expired(t);
    expired += out.size();
    if (!out.empty()) latest = t;
    for (const Bytes& tx : out) EXPECT_EQ(tx, Bytes(8, 3));
  }
  EXPECT_EQ(expired, 200u);
  EXPECT_GT(latest, 2000u);  // exponential spread, not one fixed delay
  EXPECT_EQ(relay.held_records(), 0u);
  EXPECT_EQ(relay.held_bytes(), 0u);
  EXPECT_FALSE(relay.next_deadline_ms().has_value());
  EXPECT_EQ(relay.on_stem(id_of(0), Bytes(8, 3), 2, 6000, all_but(1)).action, StemAction::kIgnore);
}

TEST(StemRelayTest, DuplicatesAndLapsAreSuppressedOrDecidedWithoutHoldingTwice) {
  StemRelayConfig config;
  config.fluff_probability = 0.0000001;
  StemRelay relay = relay_with(config, 3);
  const Bytes tx(40, 9);
  EXPECT_FALSE(relay.holds(id_of(1)));
  ASSERT_EQ(relay.on_stem(id_of(1), tx, 2, 0, all_but(3)).action, StemAction::kForward);
  EXPECT_TRUE(relay.holds(id_of(1)));  // a later lap needs no second check (replica_driver.cpp)
  const std::uint64_t deadline = *relay.next_deadline_ms();
  // The same record on a later lap: forwarded again, held once, its embargo unchanged.
  ASSERT_EQ(relay.on_stem(id_of(1), tx, 2, 50, all_but(3)).action, StemAction::kForward);
  EXPECT_EQ(relay.held_records(), 1u);
  EXPECT_EQ(relay.held_bytes(), 40u);
  EXPECT_EQ(*relay.next_deadline_ms(), deadline);
  // Seen fluffed (client-transaction frame or commit): dropped, later copies ignored.
  relay.on_fluffed(id_of(1));
  EXPECT_EQ(relay.held_records(), 0u);
  EXPECT_FALSE(relay.holds(id_of(1)));
  EXPECT_EQ(relay.on_stem(id_of(1), tx, 2, 60, all_but(3)).action, StemAction::kIgnore);
  EXPECT_EQ(relay.originate(id_of(1), tx, 60, all_but(3)).action, StemAction::kIgnore);
  EXPECT_TRUE(relay.take_expired(deadline + 1).empty());
}

TEST(StemRelayTest, HoldingBoundsInCountAndBytesFluffInsteadOfHolding) {
  StemRelayConfig config;
  config.max_records = 3;
  config.max_bytes = 250;
  StemRelay relay = relay_with(config, 0);
  EXPECT_EQ(relay.originate(id_of(1), Bytes(100, 1), 0, all_but(0)).action, StemAction::kForward);
  EXPECT_EQ(relay.originate(id_of(2), Bytes(100, 1), 0, all_but(0)).action, StemAction::kForward);
  EXPECT_EQ(relay.originate(id_of(3), Bytes(100, 1), 0, all_but(0)).action, StemAction::kFluff);  // bytes
  EXPECT_EQ(relay.originate(id_of(4), Bytes(10, 1), 0, all_but(0)).action, StemAction::kForward);
  EXPECT_EQ(relay.originate(id_of(5), Bytes(10, 1), 0, all_but(0)).action, StemAction::kFluff);  // count
  EXPECT_EQ(relay.held_records(), 3u);
  EXPECT_EQ(relay.held_bytes(), 210u);
}

TEST(StemRelayTest, NoReachableSuccessorMeansFluffAtOnce) {
  StemRelay relay = relay_with({}, 5);
  EXPECT_EQ(relay.originate(id_of(1), Bytes(5, 1), 0, {}).action, StemAction::kFluff);
  StemRelay alone(StemRelayConfig{}, 0, 1, kChainId, [] { return std::uint64_t{1}; });
  EXPECT_EQ(alone.originate(id_of(1), Bytes(5, 1), 0, {0}).action, StemAction::kFluff);
}

TEST(StemRelayTest, SkipsADisconnectedSuccessorAndOneThatKeepsLosingRecords) {
  StemRelayConfig config;
  config.failures_to_switch = 2;
  StemRelay relay = relay_with(config, 6);
  const std::uint64_t now = 10;
  const auto cycle = stem_cycle(kChainId, 0, kReplicas);
  auto at = static_cast<std::size_t>(std::find(cycle.begin(), cycle.end(), 6u) - cycle.begin());
  const std::uint32_t first = cycle[(at + 1) % kReplicas], second = cycle[(at + 2) % kReplicas];
  EXPECT_EQ(*relay.successor(now, all_but(6)), first);
  auto without_first = all_but(6);
  without_first.erase(std::find(without_first.begin(), without_first.end(), first));
  EXPECT_EQ(*relay.successor(now, without_first), second);
  // Two records forwarded to `first` expire unfluffed: `first` is skipped for the epoch.
  ASSERT_EQ(relay.originate(id_of(1), Bytes(5, 1), now, all_but(6)).to, first);
  ASSERT_EQ(relay.take_expired(now + config.embargo_max_ms).size(), 1u);
  EXPECT_EQ(*relay.successor(now + config.embargo_max_ms, all_but(6)), first);
  ASSERT_EQ(relay.originate(id_of(2), Bytes(5, 1), now, all_but(6)).to, first);
  ASSERT_EQ(relay.take_expired(now + config.embargo_max_ms).size(), 1u);
  EXPECT_EQ(*relay.successor(now + config.embargo_max_ms, all_but(6)), second);
  EXPECT_EQ(relay.originate(id_of(3), Bytes(5, 1), now + 6000, all_but(6)).to, second);
  // A new epoch: a new cycle, and the losses are forgotten.
  const std::uint64_t next_epoch = kEpochMs + 1;
  EXPECT_EQ(*relay.successor(next_epoch, all_but(6)), cycle_successor(6, next_epoch));
}

}  // namespace
}  // namespace hc::node
