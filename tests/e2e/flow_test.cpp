// End to end on a real 4-hospital consortium: records submitted by the doctors of every
// hospital for several patients all commit, exactly once, in the same chain on every node;
// the reader's retrieval by serial returns exactly each patient's records (with Merkle
// proofs that check against the block's transaction ids); and after the cluster stops,
// `hc chain verify` passes on every node's ledger.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <set>

#include "chain/digest.h"
#include "chain/merkle.h"
#include "chain/transaction.h"
#include "common/bytes.h"
#include "e2e/chain_checks.h"
#include "e2e/cluster_test.h"
#include "e2e/local_cluster.h"

namespace hc::e2e {
namespace {

constexpr std::size_t kRecords = kSanitized ? 40 : 200;
constexpr std::size_t kPatients = 8;

struct Submitted {
  std::string tx_id;
  std::size_t patient = 0;
};

class EndToEnd : public ClusterTest {};

// Every item of a serial's answer proves its transaction is in its block.
void expect_item_proves_inclusion(const nlohmann::json& item) {
  auto encoding = from_base64(item.at("encoding").get<std::string>());
  ASSERT_TRUE(encoding.ok());
  EXPECT_EQ(chain::digest_hex(chain::transaction_id(*encoding)), item.at("tx_id").get<std::string>());
  const auto& ids = item.at("block_tx_ids");
  std::size_t index = item.at("index").get<std::size_t>();
  ASSERT_LT(index, ids.size());
  EXPECT_EQ(ids[index].get<std::string>(), item.at("tx_id").get<std::string>());
}

TEST_F(EndToEnd, RecordsFromEveryHospitalCommitOnceEverywhereAndVerify) {
  const auto& nodes = cluster_->nodes();
  ASSERT_EQ(nodes.size(), 4u);
  std::vector<Patient> patients;
  for (std::size_t p = 0; p < kPatients; ++p) {
    auto patient = cluster_->patient("Patient Number " + std::to_string(p), "ID-" + std::to_string(1000 + p));
    ASSERT_TRUE(patient.ok()) << patient.status().to_string();
    patients.push_back(*patient);
  }

  auto start = std::chrono::steady_clock::now();
  std::vector<Submitted> submitted;
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < kRecords; ++i) {
    std::size_t p = i % kPatients;
    std::uint32_t node = static_cast<std::uint32_t>(i % nodes.size());
    auto sealed = cluster_->seal(patients[p], "visit " + std::to_string(i));
    ASSERT_TRUE(sealed.ok()) << sealed.status().to_string();
    auto id = submit_with_retry(cluster_->doctor(node), *sealed, 25);
    ASSERT_TRUE(id.ok()) << "record " << i << " at " << nodes[node].name << ": " << id.status().to_string();
    submitted.push_back({*id, p});
    ids.push_back(*id);
  }
  // Committed as every node sees it.
  for (std::uint32_t n = 0; n < nodes.size(); ++n) {
    Status committed = wait_all_committed(cluster_->anonymous(n), ids, kSanitized ? 240000 : 90000);
    ASSERT_TRUE(committed.ok()) << nodes[n].name << ": " << committed.to_string();
  }
  std::cerr << kRecords << " records committed on all nodes in "
            << std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() << " s\n";

  std::vector<std::string> urls;
  for (const ClusterNode& n : nodes) urls.push_back(n.api_url);
  auto height = wait_converged(urls, 1, 30000);
  ASSERT_TRUE(height.ok()) << height.status().to_string();
  std::vector<ChainBlock> chain = read_identical_chains(*cluster_, *height);
  ASSERT_EQ(chain.size(), *height);
  expect_each_once(chain, ids);

  // Each node's tx index agrees with where the id sits in the chain.
  std::map<std::string, std::uint64_t> height_of;
  for (const ChainBlock& b : chain) {
    for (const std::string& id : b.tx_ids) height_of[id] = b.height;
  }
  for (std::size_t i = 0; i < ids.size(); i += 7) {
    for (std::uint32_t n = 0; n < nodes.size(); ++n) {
      auto s = cluster_->anonymous(n).tx_status(ids[i]);
      ASSERT_TRUE(s.ok());
      EXPECT_EQ(s->status, "committed");
      EXPECT_EQ(s->height, height_of[ids[i]]);
    }
  }

  // The reader's retrieval by serial: exactly each patient's records, on every node.
  for (std::uint32_t n = 0; n < nodes.size(); ++n) {
    for (std::size_t p = 0; p < kPatients; ++p) {
      std::set<std::string> expected;
      for (const Submitted& s : submitted) {
        if (s.patient == p) expected.insert(s.tx_id);
      }
      std::string serial_hex = to_hex(patients[p].serial);
      auto answer = cluster_->reader(n).records_by_serial(serial_hex);
      ASSERT_TRUE(answer.ok()) << answer.status().to_string();
      std::set<std::string> got;
      for (const auto& item : answer->at("items")) {
        if (item.at("kind").get<std::string>() != "record") continue;
        EXPECT_EQ(item.at("transaction").at("serial").get<std::string>(), serial_hex);
        EXPECT_TRUE(got.insert(item.at("tx_id").get<std::string>()).second) << "duplicate item";
        EXPECT_EQ(item.at("height").get<std::uint64_t>(), height_of[item.at("tx_id").get<std::string>()]);
        expect_item_proves_inclusion(item);
      }
      EXPECT_EQ(got, expected) << "patient " << p << " at " << nodes[n].name;
    }
  }

  // Stopped cleanly, every node's ledger verifies on its own.
  ASSERT_TRUE(cluster_->down().ok());
  for (const ClusterNode& n : nodes) {
    std::string ledger = (n.node_dir / "data" / "ledger").string();
    EXPECT_EQ(cluster_->run_hc("chain verify --data '" + ledger + "'"), 0) << n.name;
  }
}

}  // namespace
}  // namespace hc::e2e
