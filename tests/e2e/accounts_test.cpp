// Per-person accounts on a real consortium (issue 15, item 3): the hospital administrator adds
// a doctor with `hc hospital doctor add`, the doctor submits a record with `hc record submit`
// and the new token, the administrator removes the doctor and the next submission is refused
// with 401 at once, without a restart. Also: rotation (old token 401, new accepted), a
// doctor's token cannot read records or manage accounts (403), no token or a wrong one cannot
// add accounts (401), bad names are refused with one line, the accounts survive a restart of
// the node, the store file holds no token in clear, and the node's log names the refused
// account but never its token.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/stat.h>

#include <string>
#include <utility>
#include <vector>

#include "common/file_io.h"
#include "e2e/cluster_test.h"
#include "e2e/local_cluster.h"

namespace hc::e2e {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

class AccountsEndToEnd : public ClusterTest {
 protected:
  const ClusterNode& node0() const { return cluster_->nodes()[0]; }
  fs::path admin_token_file() const { return node0().node_dir / "admin.token"; }
  std::string admin_token() const {
    auto t = client::read_token_file(admin_token_file());
    return t.ok() ? *t : std::string();
  }
  std::string admin_args() const {
    return " --node " + shell_quoted(node0().api_url) + " --admin-token-file " +
           shell_quoted(admin_token_file().string()) + " --genesis " + shell_quoted(cluster_->genesis_file().string());
  }
  // `hc record submit --wait` through node 0 with the token in `token_file`; the exit code.
  int submit(const fs::path& token_file, const std::string& diagnosis) const {
    fs::path visit_file = dir_.path() / "visit.json";
    json visit = {{"name", "Ada Patient"}, {"id", "P-1"}, {"time", "2026-11-29T10:00:00Z"}, {"diagnosis", diagnosis}};
    if (!write_text_file_atomic(visit_file, visit.dump(), 0600).ok()) return -1;
    return cluster_->run_hc("record submit --wait --node " + shell_quoted(node0().api_url) + " --token-file " +
                            shell_quoted(token_file.string()) + " --pseudonym-key " +
                            shell_quoted((cluster_->manager_dir() / "pseudonym.key").string()) + " --genesis " +
                            shell_quoted(cluster_->genesis_file().string()) + " --visit-file " +
                            shell_quoted(visit_file.string()));
  }
  std::string token_in(const fs::path& file) const {
    auto t = client::read_token_file(file);
    return t.ok() ? *t : std::string();
  }
  int records_status(const std::string& token) const {
    auto r = http(node0().api_url, "GET", "/v1/records/" + std::string(64, 'a'), "", token);
    return r.ok() ? r->status : -1;
  }
  int add_status(const std::string& token, const std::string& body) const {
    auto r = http(node0().api_url, "POST", "/v1/accounts", body, token);
    return r.ok() ? r->status : -1;
  }
};

TEST_F(AccountsEndToEnd, AdminAddsDoctorDoctorSubmitsRemovedDoctorRefusedAtOnce) {
  const fs::path ada_file = dir_.path() / "ada.token";
  ASSERT_EQ(cluster_->run_hc("hospital doctor add dr.ada --out " + shell_quoted(ada_file.string()) + admin_args()), 0);
  struct stat st {};
  ASSERT_EQ(::stat(ada_file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  const std::string ada = token_in(ada_file);
  ASSERT_EQ(ada.size(), 64u);
  // --out never overwrites a file.
  EXPECT_EQ(cluster_->run_hc("hospital doctor add dr.eve --out " + shell_quoted(ada_file.string()) + admin_args()), 2);
  EXPECT_EQ(token_in(ada_file), ada);  // untouched, and no account made for nothing

  EXPECT_EQ(submit(ada_file, "flu"), 0);

  auto listed = cluster_->hc_output("hospital doctor list" + admin_args());
  ASSERT_TRUE(listed.ok()) << listed.status().to_string();
  EXPECT_NE(listed->find("dr.ada"), std::string::npos) << *listed;
  EXPECT_EQ(listed->find("dr.eve"), std::string::npos) << *listed;

  // A doctor's token: no records by serial, no account management (403, not 401).
  EXPECT_EQ(records_status(ada), 403);
  EXPECT_EQ(add_status(ada, R"({"name": "mallory", "role": "doctor"})"), 403);
  // No token, or one that is nobody's: 401; bad bodies and names: 400 with one line.
  EXPECT_EQ(add_status("", R"({"name": "mallory", "role": "doctor"})"), 401);
  EXPECT_EQ(add_status(std::string(64, 'f'), R"({"name": "mallory", "role": "doctor"})"), 401);
  EXPECT_EQ(add_status(admin_token(), R"({"name": "bad name", "role": "doctor"})"), 400);
  EXPECT_EQ(add_status(admin_token(), R"({"name": "x", "role": "admin"})"), 400);
  EXPECT_EQ(add_status(admin_token(), R"({"name": "dr.ada", "role": "doctor"})"), 409);
  EXPECT_EQ(cluster_->run_hc("hospital doctor add " + shell_quoted(std::string(65, 'a')) + admin_args()), 2);
  // The cluster's config-listed doctor token keeps working next to the accounts.
  EXPECT_EQ(submit(node0().doctor_token_file, "cold"), 0);

  ASSERT_EQ(cluster_->run_hc("hospital doctor remove dr.ada" + admin_args()), 0);
  EXPECT_NE(submit(ada_file, "measles"), 0);
  auto refused = http(node0().api_url, "POST", "/v1/records", "{}", ada);
  ASSERT_TRUE(refused.ok());
  EXPECT_EQ(refused->status, 401);
  EXPECT_NE(cluster_->node_log(node0().name).find("no valid doctor token"), std::string::npos);
  EXPECT_EQ(cluster_->node_log(node0().name).find(ada), std::string::npos);  // never the token
}

TEST_F(AccountsEndToEnd, RotationReadersRestartAndStoreFile) {
  const fs::path bob_file = dir_.path() / "bob.token";
  ASSERT_EQ(cluster_->run_hc("hospital doctor add dr.bob --out " + shell_quoted(bob_file.string()) + admin_args()), 0);
  const std::string old_bob = token_in(bob_file);
  const fs::path bob2_file = dir_.path() / "bob2.token";
  ASSERT_EQ(cluster_->run_hc("hospital doctor rotate dr.bob --out " + shell_quoted(bob2_file.string()) + admin_args()),
            0);
  const std::string new_bob = token_in(bob2_file);
  ASSERT_EQ(new_bob.size(), 64u);
  EXPECT_EQ(http(node0().api_url, "POST", "/v1/records", "{}", old_bob)->status, 401);
  EXPECT_EQ(http(node0().api_url, "POST", "/v1/records", "{}", new_bob)->status, 400);  // past auth: a bad body
  EXPECT_NE(submit(bob_file, "flu"), 0);

  const fs::path rita_file = dir_.path() / "rita.token";
  ASSERT_EQ(cluster_->run_hc("hospital reader add rita --out " + shell_quoted(rita_file.string()) + admin_args()), 0);
  const std::string rita = token_in(rita_file);
  EXPECT_EQ(records_status(rita), 200);
  EXPECT_EQ(http(node0().api_url, "POST", "/v1/records", "{}", rita)->status, 403);  // a reader submits nothing
  EXPECT_EQ(add_status(rita, R"({"name": "mallory", "role": "reader"})"), 403);
  EXPECT_NE(cluster_->node_log(node0().name).find("read by reader rita"), std::string::npos);

  // The store holds hashes only, and survives a restart.
  auto text = read_text_file(node0().node_dir / "accounts.json", 1 << 20);
  ASSERT_TRUE(text.ok()) << text.status().to_string();
  EXPECT_EQ(text->find(new_bob), std::string::npos);
  EXPECT_EQ(text->find(old_bob), std::string::npos);
  EXPECT_EQ(text->find(rita), std::string::npos);
  EXPECT_NE(text->find("dr.bob"), std::string::npos);
  ASSERT_TRUE(cluster_->stop_node(node0().name).ok());
  ASSERT_TRUE(cluster_->start_node(node0().name).ok());
  EXPECT_EQ(records_status(rita), 200);
  EXPECT_EQ(http(node0().api_url, "POST", "/v1/records", "{}", old_bob)->status, 401);
  EXPECT_EQ(submit(bob2_file, "flu"), 0);
}

// Issue 15, item 2: `hc manager retrieve` with a person's reader token puts an audit entry on
// the chain naming that person's account, and `hc manager audit` lists it; the default reader
// token of the manager directory is named by its config name.
TEST_F(AccountsEndToEnd, AuditEntryNamesTheReaderAccount) {
  ASSERT_EQ(submit(node0().doctor_token_file, "flu"), 0);
  const fs::path rita_file = dir_.path() / "rita.token";
  ASSERT_EQ(cluster_->run_hc("hospital reader add rita --out " + shell_quoted(rita_file.string()) + admin_args()), 0);
  const fs::path patient = dir_.path() / "patient.txt";
  ASSERT_TRUE(write_text_file_atomic(patient, "name: Ada Patient\nid: P-1\n", 0600).ok());
  const std::string manager = " --dir " + shell_quoted(cluster_->manager_dir().string()) + " --node " +
                              shell_quoted(node0().api_url) + " --patient-file " + shell_quoted(patient.string());
  auto retrieved = cluster_->hc_output("manager retrieve --json --purpose treatment --reader-token-file " +
                                       shell_quoted(rita_file.string()) + manager);
  ASSERT_TRUE(retrieved.ok()) << retrieved.status().to_string();
  auto shared = cluster_->hc_output("manager retrieve --json --purpose billing" + manager);
  ASSERT_TRUE(shared.ok()) << shared.status().to_string();
  auto listed = cluster_->hc_output("manager audit --json" + manager);
  ASSERT_TRUE(listed.ok()) << listed.status().to_string();
  json doc = json::parse(*listed, nullptr, false);
  ASSERT_TRUE(doc.is_object()) << *listed;
  std::vector<std::pair<std::string, std::string>> entries;
  for (const json& e : doc.at("accesses")) {
    entries.emplace_back(e.value("accessed_by", std::string("?")), e.at("purpose").get<std::string>());
  }
  EXPECT_EQ(entries, (std::vector<std::pair<std::string, std::string>>{{"rita", "treatment"}, {"manager", "billing"}}));
  // A removed reader can neither read nor be named: the retrieval stops before auditing.
  ASSERT_EQ(cluster_->run_hc("hospital reader remove rita" + admin_args()), 0);
  EXPECT_NE(cluster_->run_hc("manager retrieve --json --purpose late --reader-token-file " +
                             shell_quoted(rita_file.string()) + manager),
            0);
  auto again = cluster_->hc_output("manager audit --json" + manager);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(json::parse(*again).at("accesses").size(), 2u);
}

// A damaged store stops the node at startup with one line naming the file.
TEST_F(AccountsEndToEnd, CorruptStoreRefusedAtStartup) {
  ASSERT_TRUE(cluster_->stop_node(node0().name).ok());
  const fs::path store = node0().node_dir / "accounts.json";
  ASSERT_TRUE(write_text_file_atomic(store, "{\"format\": \"healthchain-accounts\", \"version\": 1, \"acc").ok());
  EXPECT_FALSE(cluster_->start_node(node0().name).ok());
  const std::string log = cluster_->node_log(node0().name);
  EXPECT_NE(log.find("account store " + store.string()), std::string::npos) << log.substr(log.size() > 2000 ? log.size() - 2000 : 0);
}

}  // namespace
}  // namespace hc::e2e
