// The consortium end-to-end tests' fixture (consortium_cluster_fixture.h).
#include "cli/consortium_cluster_fixture.h"

#include <chrono>
#include <cstdio>
#include <map>
#include <thread>
#include <utility>

#include "chain/consensus_parameters.h"
#include "chain/transaction_json.h"
#include "common/bytes.h"
#include "common/check.h"
#include "common/file_io.h"
#include "consensus/certificates.h"
#include "node/config.h"

namespace hc::cli::testing {

namespace fs = std::filesystem;

ConsortiumCluster::ConsortiumCluster(ConsortiumTestSettings settings) : settings_(std::move(settings)) {}

int ConsortiumCluster::hc_with(const std::string& passphrase, const std::string& args) {
  const fs::path out = dir_ / "last.out", err = dir_ / "last.err";
  const int code = test::run_shell("HC_PASSPHRASE=" + passphrase + " " + std::string(HC_BINARY_DIR) + "/bin/hc " +
                                   args + " >" + out.string() + " 2>" + err.string() + " </dev/null");
  auto o = read_text_file(out, 1 << 20);
  auto e = read_text_file(err, 1 << 20);
  out_ = o.ok() ? *o : "";
  err_ = e.ok() ? *e : "";
  return code;
}

int ConsortiumCluster::hc(const std::string& args) { return hc_with(settings_.passphrase, args); }

void ConsortiumCluster::TearDown() {
  if (fs::exists(cluster_dir() / "cluster.json")) hc("cluster down --dir " + cluster_dir().string());
}

void ConsortiumCluster::start_cluster(std::size_t nodes, bool https, bool trustees) {
  ASSERT_EQ(hc("cluster up --nodes " + std::to_string(nodes) + (https ? "" : " --plain-http") +
               (trustees ? " --access-mode trustees" : "") + " --dir " + cluster_dir().string()),
            0)
      << out_ << err_;
  auto state = load_cluster_state(cluster_dir());
  ASSERT_TRUE(state.ok()) << state.status().to_string();
  state_ = *state;
  ASSERT_EQ(state_.nodes.size(), nodes);
}

std::string ConsortiumCluster::common() const {
  return " --node " + state_.nodes[0].api_url + " --genesis " + state_.genesis.string();
}

std::string ConsortiumCluster::as_member(std::size_t i) const {
  auto config = node::load_node_config(state_.nodes[i].config);
  HC_CHECK(config.ok());
  return common() + " --key " + config->replica_key_file.string() + " --replica-id " + std::to_string(state_.nodes[i].id);
}

nlohmann::json ConsortiumCluster::get(std::size_t i, const std::string& path) {
  const fs::path out = dir_ / "get.json";
  const std::string tls = url(i).rfind("https://", 0) == 0 ? " --cacert " + tls_ca_file(i).string() : "";
  if (test::run_shell("curl -sf --max-time 10" + tls + " " + url(i) + path + " >" + out.string() + " 2>/dev/null") != 0) {
    return nullptr;
  }
  auto text = read_text_file(out, 64 << 20);
  return text.ok() ? nlohmann::json::parse(*text, nullptr, false) : nlohmann::json();
}

std::uint64_t ConsortiumCluster::height_of(std::size_t i) {
  nlohmann::json s = get(i, "/v1/status");
  return s.is_object() && s.contains("height") ? s["height"].get<std::uint64_t>() : 0;
}

std::string ConsortiumCluster::submit(std::size_t i, int patient) {
  const fs::path visit = dir_ / "visit.txt";
  HC_CHECK(write_text_file_atomic(visit, "name: Patient " + std::to_string(patient) + "\nid: " +
                                             std::to_string(settings_.patient_id_base + patient) + "\ntime: " +
                                             settings_.visit_time + "\ndiagnosis: flu\n")
               .ok());
  if (hc("record submit --node " + url(i) + " --token-file " + doctor_token_file(i).string() + " --pseudonym-key " +
         (state_.manager_dir / "pseudonym.key").string() + " --genesis " + state_.genesis.string() +
         " --visit-file " + visit.string()) != 0) {
    return "";
  }
  const std::string marker = ", record ";
  const auto at = out_.find(marker);
  return at == std::string::npos ? "" : out_.substr(at + marker.size(), 64);
}

void ConsortiumCluster::read_above_boundary(std::size_t i, int patient, const std::string& tx_id,
                                            std::uint64_t boundary) {
  const nlohmann::json committed = get(i, "/v1/tx/" + tx_id);
  ASSERT_TRUE(committed.is_object() && committed.value("status", "") == "committed") << committed.dump();
  ASSERT_GT(committed.value("height", std::uint64_t{0}), boundary) << committed.dump();
  const fs::path who = dir_ / "patient.txt";
  ASSERT_TRUE(write_text_file_atomic(who, "name: Patient " + std::to_string(patient) + "\nid: " +
                                              std::to_string(settings_.patient_id_base + patient) + "\n")
                  .ok());
  ASSERT_EQ(hc("manager audit --dir " + state_.manager_dir.string() + " --node " + url(i) + " --patient-file " +
               who.string()),
            0)
      << err_;
}

void ConsortiumCluster::submit_to_each(std::size_t nodes, std::vector<std::string>& submitted, int& patient) {
  for (std::size_t i = 0; i < nodes; ++i, ++patient) {
    submitted.push_back(submit(i, patient));
    ASSERT_FALSE(submitted.back().empty()) << err_;
  }
}

void ConsortiumCluster::submit_until_past(std::uint64_t boundary, std::size_t watched, std::size_t submit_to,
                                          int seconds, const std::function<std::string()>& progress,
                                          std::vector<std::string>& submitted, int& patient) {
  // Blocks are cut when records wait; the engine adds empty ones while a change waits too.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  auto all_past = [&] {
    for (std::size_t i = 0; i < watched; ++i) {
      if (height_of(i) < boundary + 4) return false;
    }
    return true;
  };
  while (!all_past()) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << progress();
    const std::string id = submit(static_cast<std::size_t>(patient) % submit_to, patient);
    ++patient;
    if (!id.empty()) submitted.push_back(id);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  // The last records commit too.
  for (std::size_t i = 0; i < submit_to; ++i, ++patient) submitted.push_back(submit(i, patient));
}

std::set<std::string> ConsortiumCluster::wait_until_committed(std::size_t i, const std::vector<std::string>& submitted,
                                                              int seconds) {
  const auto settle = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  std::set<std::string> pending(submitted.begin(), submitted.end());
  while (!pending.empty() && std::chrono::steady_clock::now() < settle) {
    for (auto it = pending.begin(); it != pending.end();) {
      nlohmann::json tx = get(i, "/v1/tx/" + *it);
      it = tx.is_object() && tx.value("status", "") == "committed" ? pending.erase(it) : std::next(it);
    }
    if (!pending.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  return pending;
}

void ConsortiumCluster::read_accepted_change(const nlohmann::json& members, AcceptedChange* change) {
  change->consortium = get(0, "/v1/consortium");
  const nlohmann::json& consortium = change->consortium;
  ASSERT_TRUE(consortium.is_object());
  ASSERT_EQ(consortium["changes"].size(), 1u) << consortium.dump();
  EXPECT_EQ(consortium["changes"][0]["members"], members);
  change->accepted_at = consortium["changes"][0]["accepted_at_height"].get<std::uint64_t>();
  change->boundary = chain::membership_change_boundary(change->accepted_at);
}

void ConsortiumCluster::walk_chain(std::size_t i, const consensus::Configuration& configuration,
                                   std::uint64_t boundary, const std::vector<std::string>& submitted,
                                   ChainWalk* walk) {
  walk->tip = height_of(i);
  walk->above_boundary.clear();
  ASSERT_GT(walk->tip, boundary) << "node " << i;
  std::map<std::string, int> seen;
  for (std::uint64_t h = 1; h <= walk->tip; ++h) {
    nlohmann::json block = get(i, "/v1/blocks/" + std::to_string(h));
    ASSERT_TRUE(block.is_object()) << "node " << i << " height " << h;
    for (const auto& tx : block["transactions"]) {  // by record id: the sealed content's digest
      if (tx.value("kind", "") != "record") continue;
      auto decoded = chain::transaction_from_json(tx);
      ASSERT_TRUE(decoded.ok()) << "node " << i << " height " << h << ": " << decoded.status().to_string();
      if (const auto* record = std::get_if<chain::RecordTx>(&*decoded)) {
        ++seen[chain::digest_hex(chain::record_content_digest(record->sealed))];
      }
    }
    if (h <= boundary) continue;
    BlockAboveBoundary above;
    above.height = h;
    above.proposer = block["header"]["proposer"].get<std::uint32_t>();
    auto bytes = from_base64(block["certificate"].get<std::string>());
    ASSERT_TRUE(bytes.ok());
    auto cert = consensus::decode_commit_certificate(*bytes, chain::kReplicaIdSpace);
    ASSERT_TRUE(cert.ok()) << cert.status().to_string();
    EXPECT_GE(cert->commits.size(), configuration.quorum()) << h;
    for (const consensus::SignedBy& s : cert->commits) {
      EXPECT_TRUE(configuration.contains(s.replica)) << "height " << h << " signed by " << s.replica;
      above.signers.push_back(s.replica);
    }
    walk->above_boundary.push_back(std::move(above));
  }
  EXPECT_GT(walk->above_boundary.size(), 0u);
  for (const std::string& id : submitted) EXPECT_EQ(seen[id], 1) << "node " << i << " record " << id;
}

void ConsortiumCluster::print_change_summary(const char* what, const AcceptedChange& change, const ChainWalk& walk,
                                             std::size_t records) {
  std::printf("%s accepted at height %llu, boundary %llu, tip %llu (%zu blocks after it), %zu records\n", what,
              static_cast<unsigned long long>(change.accepted_at), static_cast<unsigned long long>(change.boundary),
              static_cast<unsigned long long>(walk.tip), walk.above_boundary.size(), records);
}

void ConsortiumCluster::verify_chain(const fs::path& data_dir) {
  ASSERT_EQ(hc("chain verify --data " + data_dir.string()), 0) << out_ << err_;
  EXPECT_NE(out_.find("checked"), std::string::npos) << out_;
}

}  // namespace hc::cli::testing
