// StemRelay (issue 14, item 2): stem forwarding along the epoch's cycle, the fluff coin's
// probability, embargo deadlines and their expiry, duplicates, holding bounds and successor
// re-selection, with an injected clock (arguments) and random source; and (issue 16) the cycle
// drawn over the members of the configuration in force, a joined id on it, a departed one not.
#include "node/stem_relay.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
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

// The genesis configuration: number 0, members 0..n-1.
StemMembership genesis_members(std::uint32_t n = kReplicas) {
  StemMembership m;
  for (std::uint32_t i = 0; i < n; ++i) m.members.push_back(i);
  return m;
}

std::uint32_t cycle_successor(std::uint32_t self, std::uint64_t now_ms) {
  const auto cycle = stem_cycle(kChainId, genesis_members(), now_ms / kEpochMs);
  auto at = std::find(cycle.begin(), cycle.end(), self) - cycle.begin();
  return cycle[static_cast<std::size_t>((at + 1) % kReplicas)];
}

StemRelay relay_with(StemRelayConfig config, std::uint32_t self, std::uint64_t seed = 7) {
  auto rng = std::make_shared<std::mt19937_64>(seed);
  return StemRelay(config, self, genesis_members(), kChainId, [rng] { return (*rng)(); });
}

TEST(StemCycleTest, IsAPermutationFixedByChainAndEpoch) {
  for (std::uint64_t epoch = 0; epoch < 50; ++epoch) {
    auto cycle = stem_cycle(kChainId, genesis_members(), epoch);
    std::set<std::uint32_t> members(cycle.begin(), cycle.end());
    EXPECT_EQ(members.size(), kReplicas);
    EXPECT_EQ(*members.rbegin(), kReplicas - 1);
    EXPECT_EQ(cycle, stem_cycle(kChainId, genesis_members(), epoch));
  }
  std::set<std::vector<std::uint32_t>> distinct;
  for (std::uint64_t epoch = 0; epoch < 50; ++epoch) distinct.insert(stem_cycle(kChainId, genesis_members(), epoch));
  EXPECT_GT(distinct.size(), 40u);  // 720 cyclic orders of 7; re-drawn every epoch
  EXPECT_NE(stem_cycle(kChainId, genesis_members(), 3), stem_cycle(Bytes(32, 0xc2), genesis_members(), 3));
}

TEST(StemRelayTest, OriginAlwaysStemsToItsCycleSuccessorEvenWhenTheCoinSaysFluff) {
  StemRelayConfig config;
  config.fluff_probability = 1.0;
  StemRelay relay(config, 2, genesis_members(), kChainId, [] { return std::uint64_t{0}; });
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
  StemRelay alone(StemRelayConfig{}, 0, genesis_members(1), kChainId, [] { return std::uint64_t{1}; });
  EXPECT_EQ(alone.originate(id_of(1), Bytes(5, 1), 0, {0}).action, StemAction::kFluff);
}

TEST(StemRelayTest, SkipsADisconnectedSuccessorAndOneThatKeepsLosingRecords) {
  StemRelayConfig config;
  config.failures_to_switch = 2;
  StemRelay relay = relay_with(config, 6);
  const std::uint64_t now = 10;
  const auto cycle = stem_cycle(kChainId, genesis_members(), 0);
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


// Issue 16 x issue 14: membership changes. The members' relays, each told the configuration.
std::vector<StemRelay> relays_of(const StemMembership& membership) {
  std::vector<StemRelay> relays;
  for (std::uint32_t self : membership.members) {
    relays.emplace_back(StemRelayConfig{}, self, membership, kChainId, [] { return std::uint64_t{3}; });
  }
  return relays;
}

// Each member's successor with every member connected (and, to catch a stale cycle, every id
// up to `ids` connected too: a departed replica still reachable must not be chosen).
std::map<std::uint32_t, std::uint32_t> successors(std::vector<StemRelay>& relays,
                                                  const StemMembership& membership, std::uint64_t now_ms,
                                                  std::uint32_t ids) {
  std::map<std::uint32_t, std::uint32_t> next;
  for (std::size_t i = 0; i < relays.size(); ++i) {
    const std::uint32_t self = membership.members[i];
    auto to = relays[i].successor(now_ms, all_but(self, ids));
    EXPECT_TRUE(to.has_value()) << "member " << self << " has no successor";
    if (to) next[self] = *to;
  }
  return next;
}

// Following successors from any member visits every member once and comes back: one cycle, so
// every member has exactly one predecessor, and no one outside the members is on it.
void expect_one_cycle_over_the_members(const std::map<std::uint32_t, std::uint32_t>& next,
                                       const StemMembership& membership) {
  const std::set<std::uint32_t> members(membership.members.begin(), membership.members.end());
  ASSERT_EQ(next.size(), members.size());
  std::map<std::uint32_t, int> predecessors;
  for (const auto& [from, to] : next) {
    EXPECT_TRUE(members.count(to)) << from << " forwards to " << to << ", not a member";
    EXPECT_NE(from, to);
    ++predecessors[to];
  }
  for (std::uint32_t m : members) EXPECT_EQ(predecessors[m], 1) << "member " << m;
  std::set<std::uint32_t> visited;
  std::uint32_t at = *members.begin();
  for (std::size_t step = 0; step < members.size(); ++step) {
    visited.insert(at);
    at = next.at(at);
  }
  EXPECT_EQ(at, *members.begin());
  EXPECT_EQ(visited, members);
}

TEST(StemCycleTest, KnownAnswersOfDerivationVersionTwo) {
  // From scripts/stem_cycle_kat.py (written from docs/relay.md, not from this code).
  EXPECT_EQ(stem_cycle(kChainId, StemMembership{0, {0, 1, 2, 3}}, 0), (std::vector<std::uint32_t>{1, 3, 0, 2}));
  EXPECT_EQ(stem_cycle(kChainId, StemMembership{1, {0, 1, 2, 3, 4}}, 7),
            (std::vector<std::uint32_t>{2, 0, 4, 3, 1}));
  EXPECT_EQ(stem_cycle(kChainId, StemMembership{2, {0, 1, 2, 4}}, 7), (std::vector<std::uint32_t>{1, 0, 4, 2}));
  Bytes counting(32);
  for (std::size_t i = 0; i < counting.size(); ++i) counting[i] = static_cast<std::uint8_t>(i);
  EXPECT_EQ(stem_cycle(counting, StemMembership{3, {9, 0, 5, 2, 11, 7, 1}}, 2962823),
            (std::vector<std::uint32_t>{0, 2, 9, 7, 1, 11, 5}));
}

TEST(StemCycleTest, IsDrawnOverTheMemberIdsAndBoundToTheConfiguration) {
  const StemMembership joined{1, {0, 1, 2, 3, 4}};
  const StemMembership after_exit{2, {0, 1, 2, 4}};
  std::set<std::vector<std::uint32_t>> distinct;
  for (std::uint64_t epoch = 0; epoch < 40; ++epoch) {
    auto five = stem_cycle(kChainId, joined, epoch);
    EXPECT_EQ(std::set<std::uint32_t>(five.begin(), five.end()), (std::set<std::uint32_t>{0, 1, 2, 3, 4}));
    auto four = stem_cycle(kChainId, after_exit, epoch);
    EXPECT_EQ(std::set<std::uint32_t>(four.begin(), four.end()), (std::set<std::uint32_t>{0, 1, 2, 4}));
    distinct.insert(four);
  }
  EXPECT_GT(distinct.size(), 3u);  // 24 orders of 4 members, re-drawn every epoch
  // The input order does not matter (the member list is sorted first); the configuration
  // number does, with the same members.
  EXPECT_EQ(stem_cycle(kChainId, StemMembership{2, {4, 2, 1, 0}}, 5), stem_cycle(kChainId, after_exit, 5));
  int differs = 0;
  for (std::uint64_t epoch = 0; epoch < 20; ++epoch) {
    if (stem_cycle(kChainId, StemMembership{3, after_exit.members}, epoch) != stem_cycle(kChainId, after_exit, epoch)) {
      ++differs;
    }
  }
  EXPECT_GT(differs, 10);
}

TEST(StemRelayTest, AJoinedHospitalIsOnTheCycleAndStemsWhatItAccepts) {
  // Regression (issue 16 x 14): the cycle was drawn over the genesis's 0..3, so hospital 4,
  // which joined, had no successor (its records were broadcast at once) and no predecessor.
  const StemMembership joined{1, {0, 1, 2, 3, 4}};
  auto relays = relays_of(joined);
  for (std::uint64_t epoch = 0; epoch < 6; ++epoch) {
    expect_one_cycle_over_the_members(successors(relays, joined, epoch * kEpochMs + 1, 5), joined);
  }
  StemStep step = relays[4].originate(id_of(1), Bytes(10, 1), 1, all_but(4, 5));
  EXPECT_EQ(step.action, StemAction::kForward);
  EXPECT_TRUE(relays[4].is_member());
}

TEST(StemRelayTest, ADepartedMemberIsOffTheCycleEvenWhileStillConnected) {
  // Regression: 3 left and 4 joined; 3 stayed on the genesis cycle and was forwarded records.
  const StemMembership after = {2, {0, 1, 2, 4}};
  auto relays = relays_of(after);
  for (std::uint64_t epoch = 0; epoch < 6; ++epoch) {
    expect_one_cycle_over_the_members(successors(relays, after, epoch * kEpochMs + 1, 5), after);
  }
  // The departed node itself is on no cycle: what reaches its relay is fluffed.
  StemRelay departed(StemRelayConfig{}, 3, after, kChainId, [] { return std::uint64_t{3}; });
  EXPECT_FALSE(departed.is_member());
  EXPECT_FALSE(departed.successor(1, all_but(3, 5)).has_value());
  EXPECT_EQ(departed.originate(id_of(1), Bytes(10, 1), 1, all_but(3, 5)).action, StemAction::kFluff);
  EXPECT_EQ(departed.on_stem(id_of(2), Bytes(10, 1), 0, 1, all_but(3, 5)).action, StemAction::kFluff);
  EXPECT_EQ(departed.held_records(), 0u);
}

TEST(StemRelayTest, TheCycleFollowsSetMembersWithinAnEpoch) {
  const StemMembership genesis = genesis_members(4);
  const StemMembership joined{1, {0, 1, 2, 3, 4}};
  const std::uint64_t now = 5 * kEpochMs + 10;
  // A joiner that starts before its boundary is no member, then set_members makes it one.
  StemRelay joiner(StemRelayConfig{}, 4, genesis, kChainId, [] { return std::uint64_t{3}; });
  EXPECT_FALSE(joiner.successor(now, all_but(4, 5)).has_value());
  joiner.set_members(joined);
  EXPECT_TRUE(joiner.is_member());
  EXPECT_EQ(joiner.membership(), joined);
  const auto cycle = stem_cycle(kChainId, joined, now / kEpochMs);
  const auto at = static_cast<std::size_t>(std::find(cycle.begin(), cycle.end(), 4u) - cycle.begin());
  EXPECT_EQ(*joiner.successor(now, all_but(4, 5)), cycle[(at + 1) % cycle.size()]);
  // Every genesis member's relay, told the new configuration in the same epoch, moves to the
  // new cycle at once (the old one is not kept until the epoch ends).
  std::map<std::uint32_t, std::uint32_t> next;
  for (std::uint32_t self = 0; self < 4; ++self) {
    StemRelay relay(StemRelayConfig{}, self, genesis, kChainId, [] { return std::uint64_t{3}; });
    ASSERT_TRUE(relay.successor(now, all_but(self, 5)).has_value());
    relay.set_members(joined);
    next[self] = *relay.successor(now, all_but(self, 5));
  }
  next[4] = *joiner.successor(now, all_but(4, 5));
  expect_one_cycle_over_the_members(next, joined);
}

TEST(StemRelayTest, SetMembersForgetsLossesOnlyWhenTheConfigurationChanges) {
  StemRelayConfig config;
  config.failures_to_switch = 1;
  const StemMembership genesis = genesis_members();
  StemRelay relay = relay_with(config, 6);
  const std::uint64_t now = 10;
  const std::uint32_t first = *relay.successor(now, all_but(6));
  ASSERT_EQ(relay.originate(id_of(1), Bytes(5, 1), now, all_but(6)).to, first);
  ASSERT_EQ(relay.take_expired(now + config.embargo_max_ms).size(), 1u);
  EXPECT_NE(*relay.successor(now + config.embargo_max_ms, all_but(6)), first);
  relay.set_members(genesis);  // the same configuration again (every block): nothing changes
  EXPECT_NE(*relay.successor(now + config.embargo_max_ms, all_but(6)), first);
  StemMembership next = genesis;
  next.configuration = 1;
  next.members.push_back(7);
  relay.set_members(next);  // a new cycle: its losses start from zero
  const auto cycle = stem_cycle(kChainId, next, 0);
  const auto at = static_cast<std::size_t>(std::find(cycle.begin(), cycle.end(), 6u) - cycle.begin());
  EXPECT_EQ(*relay.successor(now + config.embargo_max_ms, all_but(6, 8)), cycle[(at + 1) % cycle.size()]);
}

}  // namespace
}  // namespace hc::node
