// Issue 12, a peer that stalls its TCP reads: node 3 is replaced by a Byzantine replica that
// holds node 3's real key, completes the handshake with every honest node and then never reads.
// The honest nodes must keep committing among themselves, and node 0's links toward the stalled
// peer must stay bounded: its session is dropped once a frame write stalls (transport.h, counted
// in hc_peer_write_stalls_total) and its send queue never exceeds the transport's byte and
// message bounds (hc_peer_queued_bytes / hc_peer_queued_messages). Before the fix a stalled
// write held the session for good and none of this was visible in /metrics.
// Real hc-node processes on 127.0.0.1; every loop is bounded in count and time.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "e2e/attack_support.h"
#include "e2e/local_cluster.h"
#include "e2e/stalled_peer.h"
#include "net/transport.h"

namespace hc::e2e {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::uint32_t kStalled = 3;
// Enough bytes toward node 3 to fill the loopback socket buffers (the sender's grows to 4 MiB),
// and enough bursts to outlast the stall detector's 5 s grace on an idle machine, where 30
// bursts committed in under 5 s and the test ended before a stall could be seen: the loop
// stops at the first stall, so the cap only bounds it.
constexpr std::size_t kBursts = 200;
constexpr std::size_t kRecordsPerBurst = 8;
constexpr std::size_t kDiagnosisBytes = 60 * 1024;  // each record's PRE-PREPARE is larger
constexpr auto kTimeBound = std::chrono::seconds(kSanitized ? 300 : 120);

class StalledPeerTest : public ReplicaSeatTest {};

TEST_F(StalledPeerTest, PeerThatNeverReadsIsDroppedBoundedAndConsensusContinues) {
  take_seat(kStalled, "Stall Patient", "ST-1");
  if (HasFatalFailure()) return;
  const Patient& patient = *patient_;
  std::map<std::uint32_t, crypto::Ed25519PublicKey> peer_keys;
  for (const node::PeerConfig& p : identity_->config.peers) peer_keys[p.id] = p.replica_key;

  StalledPeer stalled(kStalled, identity_->key, identity_->network_id, peer_keys);
  ASSERT_TRUE(listen_when_port_frees([&] { return stalled.listen(identity_->config.listen_port); }))
      << "cannot listen on node 3's port";
  for (auto until = Clock::now() + std::chrono::seconds(30); stalled.established() < 3 && Clock::now() < until;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_GE(stalled.established(), 3u) << "the honest nodes did not complete the handshake with the stalled peer";

  // Bursts of records keep flowing (every PRE-PREPARE toward node 3 carries 60 KiB records)
  // until node 0 drops its stalled session, or kBursts, or kTimeBound; every one must commit
  // among nodes 0-2.
  const std::string url0 = cluster_->nodes()[0].api_url;
  const std::string diagnosis(kDiagnosisBytes, 'x');
  std::vector<std::string> ids;
  double stalls = -1;
  const auto started = Clock::now();
  for (std::size_t burst = 0; burst < kBursts && Clock::now() - started < kTimeBound; ++burst) {
    std::vector<std::string> burst_ids;
    for (std::size_t i = 0; i < kRecordsPerBurst; ++i) {
      auto sealed = cluster_->seal(patient, std::to_string(burst) + "/" + std::to_string(i) + diagnosis);
      ASSERT_TRUE(sealed.ok()) << sealed.status().to_string();
      auto id = submit_with_retry(cluster_->doctor(i % 3), *sealed, 50);
      ASSERT_TRUE(id.ok()) << id.status().to_string();
      burst_ids.push_back(*id);
    }
    Status committed = wait_all_committed(cluster_->anonymous(0), burst_ids, 60000);
    ASSERT_TRUE(committed.ok()) << "consensus stopped with a stalled peer: " << committed.to_string();
    ids.insert(ids.end(), burst_ids.begin(), burst_ids.end());
    stalls = metric(url0, "hc_peer_write_stalls_total");
    if (stalls >= 1) break;
  }
  const double queued_bytes = metric(url0, "hc_peer_queued_bytes");
  const double queued_messages = metric(url0, "hc_peer_queued_messages");
  std::cout << ids.size() << " records committed with node 3 stalled; node 0: " << stalls << " write stalls, "
            << queued_bytes << " bytes / " << queued_messages << " frames queued toward its peers\n";
  EXPECT_GE(stalls, 1) << "node 0 kept its session to a peer that never reads";
  const net::TransportLimits bounds;
  EXPECT_GE(queued_bytes, 0) << "hc_peer_queued_bytes missing from /metrics";
  EXPECT_LE(queued_bytes, 3.0 * static_cast<double>(bounds.max_queue_bytes));
  EXPECT_GE(queued_messages, 0) << "hc_peer_queued_messages missing from /metrics";
  EXPECT_LE(queued_messages, 3.0 * static_cast<double>(bounds.max_queue_messages));
  // The three honest nodes agree on the chain.
  std::vector<std::string> honest;
  for (std::uint32_t n = 0; n < 3; ++n) honest.push_back(cluster_->nodes()[n].api_url);
  auto converged = wait_converged(honest, 0, 30000);
  EXPECT_TRUE(converged.ok()) << converged.status().to_string();
  stalled.stop();
}

}  // namespace
}  // namespace hc::e2e
