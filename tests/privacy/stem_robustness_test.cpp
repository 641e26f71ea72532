// The stem relay's robustness (issue 14): the origin's stem successor drops everything (its
// process is stopped with SIGSTOP: its TCP link stays up, frames vanish in it), then crashes
// (SIGKILL). Every record still commits within the documented bound (docs/relay.md: the
// embargo's maximum plus an ordinary commit); the records lost in the stem wait at least the
// embargo's minimum (so the loss and the embargo really happened), and once the successor has
// lost relay.failures_to_switch records the origin stems past it without waiting.
// And a revocation that commits while a record is held in the stem (the origin's successor
// dropping it): the chain then refuses the record's group epoch, so its node signs it again in
// the new epoch and relays it anew; it commits under another transaction, found by its record
// id (node/own_records.h).
#include <gtest/gtest.h>

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "node/stem_relay.h"
#include "privacy/relay_cluster.h"
#include "support/temp_dir.h"

namespace hc::privacy {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::uint64_t kEpochMs = 86'400'000;  // one stem cycle for the whole test
constexpr std::uint64_t kCommitMarginMs = 10'000;

TEST(StemRobustness, RecordsCommitWhenTheOriginsSuccessorDropsThenCrashes) {
  const node::StemRelayConfig defaults;
  test::TempDir temp;
  const char* keep = std::getenv("HC_PRIVACY_KEEP_DIR");  // run there and keep the cluster's files
  const std::filesystem::path dir = keep && *keep ? std::filesystem::path(keep) : temp.path();
  auto cluster = up_with_relay(dir / "c", 4, {{"stem", true}, {"epoch_ms", kEpochMs}});
  ASSERT_TRUE(cluster.ok()) << cluster.status().to_string();
  e2e::LocalCluster& c = **cluster;
  auto chain_id = cluster_chain_id(c);
  ASSERT_TRUE(chain_id.ok()) << chain_id.status().to_string();
  const std::uint64_t epoch = static_cast<std::uint64_t>(unix_now_us() / 1000) / kEpochMs;
  // The genesis configuration (number 0, replicas 0..3): nobody joins or leaves here.
  const auto cycle = node::stem_cycle(Bytes(chain_id->begin(), chain_id->end()), {0, {0, 1, 2, 3}}, epoch);
  // An origin whose successor is not replica 0, the primary of view 0.
  std::uint32_t origin = 0, successor = 0;
  for (std::size_t i = 0; i < cycle.size(); ++i) {
    if (cycle[(i + 1) % cycle.size()] != 0) {
      origin = cycle[i];
      successor = cycle[(i + 1) % cycle.size()];
      break;
    }
  }
  auto pid = c.node_pid(c.nodes()[successor].name);
  ASSERT_TRUE(pid.has_value());
  ASSERT_EQ(::kill(static_cast<pid_t>(*pid), SIGSTOP), 0);
  auto patient = c.patient("Robust Patient", "RP-1");
  ASSERT_TRUE(patient.ok()) << patient.status().to_string();

  auto submit_and_time_ms = [&](int i) -> std::optional<double> {
    auto sealed = c.seal(*patient, "visit " + std::to_string(i));
    if (!sealed.ok()) return std::nullopt;
    const auto start = Clock::now();
    auto id = e2e::submit_with_retry(c.doctor(origin), *sealed, 50);
    if (!id.ok()) return std::nullopt;
    auto done = c.anonymous(origin).wait_committed(*id, defaults.embargo_max_ms + kCommitMarginMs);
    if (!done.ok()) return std::nullopt;
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  };
  const double bound_ms = static_cast<double>(defaults.embargo_max_ms + kCommitMarginMs);
  // Dropped in the stem: recovered by the origin's embargo.
  for (std::uint32_t lost = 0; lost < defaults.failures_to_switch; ++lost) {
    auto ms = submit_and_time_ms(static_cast<int>(lost));
    ASSERT_TRUE(ms.has_value()) << "record " << lost << " did not commit within " << bound_ms << " ms"
                                << c.log_tails(10);
    EXPECT_GE(*ms, static_cast<double>(defaults.embargo_min_ms) - 50) << "record " << lost;
    EXPECT_LE(*ms, bound_ms);
  }
  // The successor has lost failures_to_switch records: skipped for the rest of the epoch.
  auto switched = submit_and_time_ms(10);
  ASSERT_TRUE(switched.has_value()) << c.log_tails(10);
  EXPECT_LT(*switched, static_cast<double>(defaults.embargo_min_ms)) << "the origin still stems to the dropper";
  // Crashed: the link goes down, and the record still commits within the bound.
  ASSERT_TRUE(c.stop_node(c.nodes()[successor].name).ok());
  auto after_crash = submit_and_time_ms(20);
  ASSERT_TRUE(after_crash.has_value()) << c.log_tails(10);
  EXPECT_LE(*after_crash, bound_ms);
}

// The origin whose stem successor is not replica 0 (the primary of view 0), and that successor.
std::pair<std::uint32_t, std::uint32_t> origin_and_successor(const std::vector<std::uint32_t>& cycle) {
  for (std::size_t i = 0; i < cycle.size(); ++i) {
    if (cycle[(i + 1) % cycle.size()] != 0) return {cycle[i], cycle[(i + 1) % cycle.size()]};
  }
  return {0, 0};
}

TEST(StemRobustness, RecordHeldInTheStemAcrossARevocationIsSignedAgainAndCommits) {
  // Embargoes far longer than a revocation's commit: the record is still held when it commits.
  // Every relay fluffs (the origin always stems): only the origin's record goes to the dropping
  // successor; the revocation, which the manager posts to a node whose successor is live, is
  // fluffed there at once.
  constexpr std::uint64_t kEmbargoMinMs = 20'000, kEmbargoMaxMs = 25'000;
  test::TempDir temp;
  const char* keep = std::getenv("HC_PRIVACY_KEEP_DIR");  // run there and keep the cluster's files
  const std::filesystem::path dir = keep && *keep ? std::filesystem::path(keep) : temp.path();
  auto cluster = up_with_relay(dir / "c", 4,
                               {{"stem", true},
                                {"epoch_ms", kEpochMs},
                                {"fluff_probability", 1.0},
                                {"embargo_min_ms", kEmbargoMinMs},
                                {"embargo_mean_ms", 1000},
                                {"embargo_max_ms", kEmbargoMaxMs}});
  ASSERT_TRUE(cluster.ok()) << cluster.status().to_string();
  e2e::LocalCluster& c = **cluster;
  auto chain_id = cluster_chain_id(c);
  ASSERT_TRUE(chain_id.ok()) << chain_id.status().to_string();
  const std::uint64_t epoch = static_cast<std::uint64_t>(unix_now_us() / 1000) / kEpochMs;
  const auto [origin, successor] =
      origin_and_successor(node::stem_cycle(Bytes(chain_id->begin(), chain_id->end()), {0, {0, 1, 2, 3}}, epoch));
  ASSERT_NE(origin, successor);
  // The successor drops what it gets (SIGSTOP): the origin holds the record until its embargo.
  auto pid = c.node_pid(c.nodes()[successor].name);
  ASSERT_TRUE(pid.has_value());
  ASSERT_EQ(::kill(static_cast<pid_t>(*pid), SIGSTOP), 0);
  auto patient = c.patient("Revoked Meanwhile", "RM-1");
  ASSERT_TRUE(patient.ok()) << patient.status().to_string();
  auto sealed = c.seal(*patient, "visit before the revocation");
  ASSERT_TRUE(sealed.ok()) << sealed.status().to_string();
  const auto start = Clock::now();
  auto submitted = c.doctor(origin).submit_record(*sealed);
  ASSERT_TRUE(submitted.ok()) << submitted.status().to_string();
  ASSERT_EQ(submitted->record_id.size(), 64u);
  // The manager revokes the silent hospital (a new group epoch) through another live node.
  std::uint32_t via = 0;
  while (via == origin || via == successor) ++via;
  ASSERT_EQ(c.run_hc("manager revoke --dir " + e2e::shell_quoted(c.manager_dir().string()) + " --node " +
                     e2e::shell_quoted(c.nodes()[via].api_url) + " --member " +
                     e2e::shell_quoted(c.nodes()[successor].name)),
            0)
      << c.log_tails(10);
  const double revoked_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  std::printf("revocation committed %.0f ms after the submission\n", revoked_ms);
  ASSERT_LT(revoked_ms, static_cast<double>(kEmbargoMinMs)) << "the revocation committed after the embargo";
  // The record, held in epoch 0 until after the revocation, commits: signed again in epoch 1.
  auto done = c.anonymous(via).wait_committed(submitted->record_id, 2 * kEmbargoMaxMs + kCommitMarginMs);
  ASSERT_TRUE(done.ok()) << done.status().to_string() << c.log_tails(10);
  EXPECT_NE(done->tx_id, submitted->tx_id) << "committed in the epoch it was first signed in";
  EXPECT_EQ(c.anonymous(via).tx_status(submitted->tx_id)->status, "unknown") << "the first signature committed";
  // Every live node answers for the record id alike (once it has committed the block).
  for (std::uint32_t i = 0; i < c.nodes().size(); ++i) {
    if (i == successor) continue;
    auto by_record = c.anonymous(i).wait_committed(submitted->record_id, kCommitMarginMs);
    ASSERT_TRUE(by_record.ok()) << by_record.status().to_string();
    EXPECT_EQ(by_record->status, "committed") << i;
    EXPECT_EQ(by_record->tx_id, done->tx_id) << i;
  }
  // Past both embargoes: the origin fluffed the new transaction (its successor dropped it too)
  // but never the old one, which every node refuses and whose content the new one repeats.
  const auto both_embargoes_over = start + std::chrono::milliseconds(kEmbargoMaxMs + 2000);
  std::this_thread::sleep_until(both_embargoes_over);
  const std::string log = c.node_log(c.nodes()[origin].name);
  EXPECT_NE(log.find("fluffing them here (1 so far)"), std::string::npos) << log;
  EXPECT_EQ(log.find("fluffing them here (2 so far)"), std::string::npos) << "the old transaction was fluffed: " << log;
  ASSERT_EQ(::kill(static_cast<pid_t>(*pid), SIGCONT), 0);
}

}  // namespace
}  // namespace hc::privacy
