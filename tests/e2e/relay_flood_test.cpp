// Issue 12, item 5: a Byzantine hospital, holding a real replica's key, relays client
// transactions with bad group signatures to an honest node at a high rate. Each used to cost
// the honest node a pairing check on its consensus thread, without limit; now the node charges
// the relaying peer (peer_budget.h): past max_failures_per_window failed checks, that peer's
// relayed transactions are dropped unchecked for a while, and the node logs it.
// Real hc-node processes on 127.0.0.1, the Byzantine replica played by this test with node
// 3's key on node 3's address (node 3 stopped); every loop is bounded.
#include <gtest/gtest.h>

#include <boost/asio.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <sstream>
#include <thread>
#include <variant>

#include "chain/digest.h"
#include "chain/transaction.h"
#include "common/bytes.h"
#include "crypto/ed25519.h"
#include "e2e/attack_support.h"
#include "e2e/cluster_test.h"
#include "e2e/local_cluster.h"
#include "net/transport.h"
#include "node/config.h"
#include "node/peer_budget.h"
#include "node/replica_driver.h"

namespace hc::e2e {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr std::uint32_t kByzantine = 3;
constexpr std::size_t kBadTransactions = 200;

class RelayFlood : public ClusterTest {};

TEST_F(RelayFlood, PeerRelayingBadSignaturesIsChargedForTheWork) {
  // One valid record transaction, to mutate.
  auto patient = cluster_->patient("Relay Patient", "R-1");
  ASSERT_TRUE(patient.ok());
  auto sealed = cluster_->seal(*patient, "relay visit");
  ASSERT_TRUE(sealed.ok());
  auto id = submit_with_retry(cluster_->doctor(0), *sealed, 50);
  ASSERT_TRUE(id.ok()) << id.status().to_string();
  ASSERT_TRUE(wait_all_committed(cluster_->anonymous(0), {*id}, 60000).ok());
  auto items = cluster_->reader(0).records_by_serial(to_hex(patient->serial));
  ASSERT_TRUE(items.ok()) << items.status().to_string();
  auto encoding = from_base64(items->at("items").at(0).at("encoding").get<std::string>());
  ASSERT_TRUE(encoding.ok());
  auto decoded = chain::decode_transaction(*encoding);
  ASSERT_TRUE(decoded.ok());
  ASSERT_TRUE(std::holds_alternative<chain::RecordTx>(*decoded));
  const chain::RecordTx valid = std::get<chain::RecordTx>(*decoded);

  // The chain's network id (the genesis hash) is block 1's previous hash.
  auto block1 = http(cluster_->nodes()[0].api_url, "GET", "/v1/blocks/1");
  ASSERT_TRUE(block1.ok() && block1->status == 200);
  auto genesis = chain::digest_from_hex(json::parse(block1->body).at("header").at("previous_hash").get<std::string>());
  ASSERT_TRUE(genesis.ok());

  // Node 3 stops; the test takes its place with its key.
  const ClusterNode& byz = cluster_->nodes()[kByzantine];
  auto config = node::load_node_config(byz.config_file);
  ASSERT_TRUE(config.ok()) << config.status().to_string();
  const char* pass = std::getenv("HC_PASSPHRASE");
  ASSERT_NE(pass, nullptr);
  auto key = crypto::Ed25519PrivateKey::load(config->replica_key_file, SecureBytes(std::string_view(pass)));
  ASSERT_TRUE(key.ok()) << key.status().to_string();
  ASSERT_TRUE(cluster_->stop_node(byz.name).ok());

  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);
  net::Transport transport(io, kByzantine, *key, Bytes(genesis->begin(), genesis->end()));
  // Node 3's port is free once its process is gone (bounded wait).
  Result<std::uint16_t> listening = Status::error(ErrorCode::kUnavailable, "not tried");
  for (int attempt = 0; attempt < 100 && !listening.ok(); ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    listening = transport.listen(config->listen_host, config->listen_port);
  }
  ASSERT_TRUE(listening.ok()) << listening.status().to_string();
  std::vector<net::PeerEndpoint> peers;
  for (const node::PeerConfig& p : config->peers) peers.push_back({p.id, p.host, p.port, p.replica_key});
  transport.start(peers, [](std::uint32_t, Bytes) {});
  std::thread io_thread([&] { io.run(); });
  auto connected_to_0 = [&] {
    auto now = transport.connected_peers();
    return std::find(now.begin(), now.end(), 0u) != now.end();
  };
  for (auto until = Clock::now() + std::chrono::seconds(30); !connected_to_0() && Clock::now() < until;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const bool connected = connected_to_0();

  const std::string url0 = cluster_->nodes()[0].api_url;
  const double verified_before = metric(url0, "hc_signatures_verified_total");
  if (connected) {
    for (std::size_t i = 0; i < kBadTransactions; ++i) {
      chain::RecordTx bad = valid;
      bad.sealed.ciphertext[i % bad.sealed.ciphertext.size()] ^= static_cast<std::uint8_t>(1 + i / 256);
      Bytes frame{node::kFrameClientTx};
      append_bytes(frame, chain::encode_transaction(chain::Transaction{std::move(bad)}));
      transport.send(0, std::move(frame));
    }
  }
  // Until node 0 has handled them all (or for at most 30 s).
  double verified_after = verified_before, dropped = 0;
  for (auto until = Clock::now() + std::chrono::seconds(30); Clock::now() < until;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    verified_after = metric(url0, "hc_signatures_verified_total");
    dropped = metric(url0, "hc_relayed_txs_dropped_total");
    if (verified_after - verified_before + std::max(dropped, 0.0) >= kBadTransactions) break;
  }
  transport.stop();
  work.reset();
  io.stop();
  io_thread.join();
  ASSERT_TRUE(connected) << "the Byzantine replica could not connect to node 0";

  const double charged = verified_after - verified_before;
  std::cout << "node 0 verified " << charged << " of " << kBadTransactions << " bad relayed transactions, dropped "
            << dropped << "\n";
  const double budget = node::PeerBudgetLimits{}.max_failures_per_window;
  EXPECT_LE(charged, budget + 1) << "node 0 paid for every bad signature its peer relayed";
  EXPECT_GE(dropped, kBadTransactions - budget - 1);
  EXPECT_NE(cluster_->node_log(cluster_->nodes()[0].name).find("dropping its relayed transactions"), std::string::npos);
  // Node 0 still serves and commits.
  auto again = cluster_->seal(*patient, "after the relay flood");
  ASSERT_TRUE(again.ok());
  auto id2 = submit_with_retry(cluster_->doctor(0), *again, 50);
  ASSERT_TRUE(id2.ok()) << id2.status().to_string();
  EXPECT_TRUE(wait_all_committed(cluster_->anonymous(0), {*id2}, 60000).ok());
}

}  // namespace
}  // namespace hc::e2e
