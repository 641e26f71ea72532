// Issue 13, item 2 of session 6: reading records through the trustees, end to end on real
// hc-node processes and the `hc` commands people run. A 4-hospital trustees-mode consortium
// (t = 3) forms its access key on a quiet chain; doctors at two hospitals seal and submit
// version-2 records for a patient (`hc record submit`); the manager runs `hc access request`
// (the patient from a file, never on the command line): the request commits, the trustees
// answer, the client checks every share's proof, combines t and decrypts the visits.
// `hc access status` shows the request and who answered; `hc manager audit` lists the request
// and every answering trustee. With one hospital's node stopped (a trustee offline), the other
// three (exactly t) still answer; GET /v1/records/{serial} lists both requests beside the
// records, as docs/openapi.json says, each signed by its node with BBS04-ElGamal under the
// trustees' opener key: no opener key exists outside the trustees' shares, and the hospital of
// each visit is named by the trustees' partial openings, which the request asks for.
// Another patient's records are never requested. A reader who is not the manager (issue 13
// item 3) reads with its own key file, the genesis and a reader token once the manager lists it
// (`hc access policy add`), is refused before that, when it asks for a right it was not given,
// and after its removal; `hc access policy list` shows what the chain proves.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <tuple>

#include "common/file_io.h"
#include "e2e/local_cluster.h"
#include "e2e/openapi_checker.h"
#include "support/temp_dir.h"

namespace hc::e2e {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

class TrusteesAccessEndToEnd : public ::testing::Test {
 protected:
  void SetUp() override {
    auto cluster = LocalCluster::up(dir_.path() / "c", 4, false, "--access-mode trustees");
    ASSERT_TRUE(cluster.ok()) << cluster.status().to_string();
    cluster_ = std::move(cluster).value();
    reader_token_file_ = cluster_->manager_dir() / "reader.token";
  }
  void TearDown() override {
    if (HasFailure() && cluster_) std::cerr << cluster_->log_tails(25) << hc_log();
    cluster_.reset();
  }

  std::string hc_log() const {
    auto text = read_text_file(dir_.path() / "c-hc.log", 1 << 20);
    if (!text.ok()) return {};
    return "\n--- hc commands (last 4 KiB) ---\n" + text->substr(text->size() > 4096 ? text->size() - 4096 : 0);
  }

  const ClusterNode& node(const std::string& name) const {
    for (const auto& n : cluster_->nodes()) {
      if (n.name == name) return n;
    }
    ADD_FAILURE() << "no node " << name;
    return cluster_->nodes().front();
  }

  // Polls `ok` every 250 ms for at most `timeout_ms`.
  static bool eventually(const std::function<bool()>& ok, int timeout_ms) {
    const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (std::chrono::steady_clock::now() < end) {
      if (ok()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    return ok();
  }

  bool share_ready(const ClusterNode& n) const {
    auto r = http(n.api_url, "GET", "/v1/trustee", {}, cluster_->reader_token());
    if (!r.ok() || r->status != 200) return false;
    json status = json::parse(r->body, nullptr, false);
    return status.is_object() && status.value("share_ready", false);
  }

  // `hc record submit --wait` by a doctor of `hospital`, the visit from a file; the exit code.
  int submit(const std::string& hospital, const std::string& name, const std::string& id, const std::string& time,
             const std::string& diagnosis) const {
    const ClusterNode& n = node(hospital);
    const fs::path visit_file = dir_.path() / "visit.json";
    const json visit = {{"name", name}, {"id", id}, {"time", time}, {"diagnosis", diagnosis}};
    if (!write_text_file_atomic(visit_file, visit.dump(), 0600).ok()) return -1;
    return cluster_->run_hc("record submit --wait --node " + shell_quoted(n.api_url) + " --token-file " +
                            shell_quoted(n.doctor_token_file.string()) + " --pseudonym-key " +
                            shell_quoted((cluster_->manager_dir() / "pseudonym.key").string()) + " --genesis " +
                            shell_quoted(cluster_->genesis_file().string()) + " --visit-file " +
                            shell_quoted(visit_file.string()));
  }

  // The patient's name and ID in a file (key: value lines): never on a command line.
  std::string patient_file(const std::string& name, const std::string& id) const {
    const fs::path file = dir_.path() / "patient.txt";
    EXPECT_TRUE(write_text_file_atomic(file, "name: " + name + "\nid: " + id + "\n", 0600).ok());
    return " --patient-file " + shell_quoted(file.string());
  }

  std::string manager_args(const std::string& via) const {
    return " --dir " + shell_quoted(cluster_->manager_dir().string()) + " --node " + shell_quoted(node(via).api_url);
  }

  Result<json> hc_json(const std::string& args) const {
    HC_ASSIGN_OR_RETURN(std::string out, cluster_->hc_output(args));
    json doc = json::parse(out, nullptr, false);
    if (doc.is_discarded()) return invalid_input("hc " + args + " printed no JSON: " + out);
    return doc;
  }

  Result<json> access_request(const std::string& via, const std::string& name, const std::string& id,
                              const std::string& purpose) const {
    return hc_json("access request --json --timeout 60 --purpose " + shell_quoted(purpose) + manager_args(via) +
                   patient_file(name, id));
  }

  test::TempDir dir_;
  std::unique_ptr<LocalCluster> cluster_;
  fs::path reader_token_file_;
};

using VisitRow = std::tuple<std::string, std::string, std::string>;  // time, diagnosis, hospital

std::multiset<VisitRow> visits_of(const json& answer) {
  std::multiset<VisitRow> out;
  for (const json& v : answer.at("visits")) {
    // Nothing the manager holds names the hospital in trustees mode (no opener key exists);
    // the trustees' threshold opening, combined by `hc access request`, is what names it.
    out.emplace(v.at("time").get<std::string>(), v.at("diagnosis").get<std::string>(),
                v.at("hospital").get<std::string>());
  }
  return out;
}

std::set<int> answered_by(const json& request) {
  std::set<int> out;
  for (const json& t : request.at("answered_by")) out.insert(t.get<int>());
  return out;
}

TEST_F(TrusteesAccessEndToEnd, AccessRequestReadsVisitsThroughTTrusteesAndTheAuditNamesThem) {
  const auto& nodes = cluster_->nodes();
  ASSERT_EQ(nodes.size(), 4u);
  // The access key forms on a quiet chain (idle blocks carry the DKG's windows).
  for (const ClusterNode& n : nodes) {
    ASSERT_TRUE(eventually([&] { return share_ready(n); }, 90000)) << n.name << " never got its key share";
  }

  const std::string a = nodes[0].name, b = nodes[1].name, c = nodes[2].name, d = nodes[3].name;
  ASSERT_EQ(submit(a, "Alice Liddell", "P-100", "2026-11-01T09:00:00Z", "sprained ankle"), 0) << hc_log();
  ASSERT_EQ(submit(b, "Alice Liddell", "P-100", "2026-11-03T10:30:00Z", "follow-up: healing"), 0) << hc_log();
  ASSERT_EQ(submit(b, "Bob Marley", "P-200", "2026-11-04T11:00:00Z", "seasonal flu"), 0) << hc_log();
  const std::multiset<VisitRow> alice{{"2026-11-01T09:00:00Z", "sprained ankle", a},
                                      {"2026-11-03T10:30:00Z", "follow-up: healing", b}};

  // Every trustee online.
  auto read = access_request(a, "Alice Liddell", "P-100", "treatment of the patient");
  ASSERT_TRUE(read.ok()) << read.status().to_string() << hc_log();
  EXPECT_EQ(visits_of(*read), alice);
  EXPECT_TRUE(read->at("unreadable").empty()) << read->dump();
  ASSERT_EQ(read->at("access_requests").size(), 1u);
  const json& first = read->at("access_requests")[0];
  EXPECT_GE(answered_by(first).size(), 3u);
  EXPECT_TRUE(first.at("rejected").empty()) << first.dump();
  EXPECT_EQ(first.at("hospitals_from").get<std::string>(), "trustees' threshold opening") << first.dump();
  const std::string first_id = first.at("request_id").get<std::string>();

  // `hc access status`: the request and the trustees that answered it, from any node.
  auto status = hc_json("access status " + first_id + " --json --node " + shell_quoted(node(c).api_url) +
                        " --genesis " + shell_quoted(cluster_->genesis_file().string()) + " --token-file " +
                        shell_quoted(reader_token_file_.string()));
  ASSERT_TRUE(status.ok()) << status.status().to_string();
  EXPECT_EQ(status->at("purpose").get<std::string>(), "treatment of the patient");
  EXPECT_EQ(status->at("threshold").get<int>(), 3);
  std::set<int> status_answered;
  for (const json& ans : status->at("answers")) status_answered.insert(ans.at("trustee").get<int>());
  const std::set<int> first_answered = answered_by(first);
  EXPECT_TRUE(std::includes(status_answered.begin(), status_answered.end(), first_answered.begin(),
                            first_answered.end()))
      << status->dump();

  // A trustee offline: the other three (exactly t) answer.
  ASSERT_TRUE(cluster_->stop_node(d).ok());
  auto again = access_request(b, "Alice Liddell", "P-100", "second opinion");
  ASSERT_TRUE(again.ok()) << again.status().to_string() << hc_log();
  EXPECT_EQ(visits_of(*again), alice);
  ASSERT_EQ(again->at("access_requests").size(), 1u);
  const json& second = again->at("access_requests")[0];
  EXPECT_EQ(answered_by(second), (std::set<int>{1, 2, 3})) << second.dump();
  const std::string second_id = second.at("request_id").get<std::string>();

  // The audit lists both requests, each with every trustee that answered it.
  json listed;
  ASSERT_TRUE(eventually(
      [&] {
        auto audit = hc_json("manager audit --json" + manager_args(c) + patient_file("Alice Liddell", "P-100"));
        if (!audit.ok()) return false;
        listed = *audit;
        return listed.at("accesses").size() == 2;
      },
      30000))
      << listed.dump();
  std::map<std::string, json> by_request;
  for (const json& e : listed.at("accesses")) by_request[e.at("access_request").get<std::string>()] = e;
  ASSERT_TRUE(by_request.contains(first_id) && by_request.contains(second_id)) << listed.dump();
  EXPECT_EQ(by_request[first_id].at("purpose").get<std::string>(), "treatment of the patient");
  EXPECT_EQ(by_request[second_id].at("purpose").get<std::string>(), "second opinion");
  std::set<int> first_audit;
  for (const json& t : by_request[first_id].at("answered_by_trustees")) first_audit.insert(t.get<int>());
  EXPECT_TRUE(std::includes(first_audit.begin(), first_audit.end(), first_answered.begin(), first_answered.end()))
      << listed.dump();
  std::set<int> second_audit;
  for (const json& t : by_request[second_id].at("answered_by_trustees")) second_audit.insert(t.get<int>());
  EXPECT_EQ(second_audit, (std::set<int>{1, 2, 3}));

  // GET /v1/records/{serial} lists the requests beside the records (docs/api.md, openapi.json).
  const std::string serial = status->at("serial").get<std::string>();
  auto items = http(node(c).api_url, "GET", "/v1/records/" + serial, {}, cluster_->reader_token());
  ASSERT_TRUE(items.ok()) << items.status().to_string();
  auto doc = OpenApiDocument::load(std::string(HC_SOURCE_DIR) + "/docs/openapi.json");
  ASSERT_TRUE(doc.ok()) << doc.status().to_string();
  const Status conforms = doc->check_response("/v1/records/{serial}", "GET", items->status, items->content_type,
                                              items->headers, items->body);
  EXPECT_TRUE(conforms.ok()) << conforms.message();
  std::multiset<std::string> kinds;
  const json listed_items = json::parse(items->body, nullptr, false);
  ASSERT_TRUE(listed_items.is_object()) << items->body.substr(0, 300);
  for (const json& item : listed_items.at("items")) {
    kinds.insert(item.at("kind").get<std::string>());
    if (item.at("kind") != "record") continue;
    // Each node signed its record with BBS04-ElGamal under the trustees' opener key ("HCGE"),
    // never with BBS04, whose opener key one party could hold (docs/groupsig.md).
    auto signature = from_base64(item.at("transaction").at("group_signature").get<std::string>());
    ASSERT_TRUE(signature.ok());
    EXPECT_EQ(std::string(signature->begin(), signature->begin() + 4), "HCGE");
  }
  EXPECT_EQ(kinds, (std::multiset<std::string>{"record", "record", "access_request", "access_request"}));

  // Bob's records were never requested: no request names his serial.
  auto bob = hc_json("manager audit --json" + manager_args(c) + patient_file("Bob Marley", "P-200"));
  ASSERT_TRUE(bob.ok()) << bob.status().to_string();
  EXPECT_TRUE(bob->at("accesses").empty()) << bob->dump();
}

TEST_F(TrusteesAccessEndToEnd, AListedReaderReadsWithItsOwnKeyAndIsRefusedUnlistedOutOfRightsAndRemoved) {
  for (const ClusterNode& n : cluster_->nodes()) {
    ASSERT_TRUE(eventually([&] { return share_ready(n); }, 90000)) << n.name << " never got its key share";
  }
  const std::string a = cluster_->nodes()[0].name, b = cluster_->nodes()[1].name;
  ASSERT_EQ(submit(a, "Carol Danvers", "P-300", "2026-11-05T08:00:00Z", "migraine"), 0) << hc_log();

  // The reader makes its key (no manager directory) and gives the manager the public key.
  const fs::path key_file = dir_.path() / "reader.key.pem";
  auto created = cluster_->hc_output("access reader-key create --out " + shell_quoted(key_file.string()));
  ASSERT_TRUE(created.ok()) << created.status().to_string() << hc_log();
  const std::string reader_key = created->substr(0, created->find('\n'));
  ASSERT_EQ(reader_key.size(), 64u) << *created;
  const std::string reader_common = " --reader-key " + shell_quoted(key_file.string()) + " --genesis " +
                                    shell_quoted(cluster_->genesis_file().string()) + " --reader-token-file " +
                                    shell_quoted(reader_token_file_.string()) + " --pseudonym-key " +
                                    shell_quoted((cluster_->manager_dir() / "pseudonym.key").string()) +
                                    patient_file("Carol Danvers", "P-300") + " --node " + shell_quoted(node(b).api_url) +
                                    " --timeout 60";
  const auto reader_read = [&](const std::string& purpose, const std::string& extra = {}) {
    return hc_json("access request --json --purpose " + shell_quoted(purpose) + reader_common + extra);
  };
  const auto log_says = [&](const std::string& what) { return hc_log().find(what) != std::string::npos; };

  // Not listed: the chain refuses the request, nothing is read.
  EXPECT_FALSE(reader_read("before listing").ok());
  EXPECT_TRUE(log_says("is not listed in the reader policy")) << hc_log();

  const std::string policy = " --dir " + shell_quoted(cluster_->manager_dir().string()) + " --node " +
                             shell_quoted(node(a).api_url) + " --reader " + reader_key;
  ASSERT_EQ(cluster_->run_hc("access policy add" + policy + " --name " + shell_quoted("Dr. Zoë Reader") +
                             " --rights decrypt"),
            0)
      << hc_log();
  auto listed = hc_json("access policy list --json --node " + shell_quoted(node(b).api_url) + " --genesis " +
                        shell_quoted(cluster_->genesis_file().string()) + " --token-file " +
                        shell_quoted(reader_token_file_.string()));
  ASSERT_TRUE(listed.ok()) << listed.status().to_string() << hc_log();
  ASSERT_EQ(listed->at("readers").size(), 1u) << listed->dump();
  EXPECT_EQ(listed->at("readers")[0].at("reader_key"), reader_key);
  EXPECT_EQ(listed->at("readers")[0].at("name"), "Dr. Zoë Reader");
  EXPECT_EQ(listed->at("readers")[0].at("rights"), "decrypt");
  EXPECT_EQ(listed->at("policy_version"), 1);
  // The route's answer as docs/openapi.json describes it.
  auto policy_answer = http(node(b).api_url, "GET", "/v1/reader-policy", {}, cluster_->reader_token());
  ASSERT_TRUE(policy_answer.ok()) << policy_answer.status().to_string();
  EXPECT_EQ(policy_answer->status, 200) << policy_answer->body.substr(0, 300);
  auto doc = OpenApiDocument::load(std::string(HC_SOURCE_DIR) + "/docs/openapi.json");
  ASSERT_TRUE(doc.ok()) << doc.status().to_string();
  const Status conforms = doc->check_response("/v1/reader-policy", "GET", policy_answer->status,
                                              policy_answer->content_type, policy_answer->headers, policy_answer->body);
  EXPECT_TRUE(conforms.ok()) << conforms.message();

  // Listed for decrypt: the reader reads the visit with its own key; the hospital stays unnamed
  // (it asked only to decrypt).
  auto read = reader_read("second opinion by a listed reader");
  ASSERT_TRUE(read.ok()) << read.status().to_string() << hc_log();
  ASSERT_EQ(read->at("visits").size(), 1u) << read->dump();
  EXPECT_EQ(read->at("visits")[0].at("diagnosis"), "migraine");
  EXPECT_EQ(read->at("access_requests")[0].at("hospitals_from"), "not named") << read->dump();
  // The chain records who asked: `hc access status` names the reader's key.
  auto status = hc_json("access status " + read->at("access_requests")[0].at("request_id").get<std::string>() +
                        " --json --node " + shell_quoted(node(a).api_url) + " --genesis " +
                        shell_quoted(cluster_->genesis_file().string()) + " --token-file " +
                        shell_quoted(reader_token_file_.string()));
  ASSERT_TRUE(status.ok()) << status.status().to_string() << hc_log();
  EXPECT_EQ(status->at("requested_by"), "reader " + reader_key);

  // Asking to open (the group's registries given) needs the open right it was not given.
  EXPECT_FALSE(reader_read("who wrote this", " --group-dir " + shell_quoted((cluster_->manager_dir() / "group").string())).ok());
  EXPECT_TRUE(log_says("may not open signatures (rights: decrypt)")) << hc_log();

  // Removed: refused from the next block on.
  ASSERT_EQ(cluster_->run_hc("access policy remove" + policy), 0) << hc_log();
  EXPECT_FALSE(reader_read("after removal").ok());
  EXPECT_TRUE(log_says("was removed from the reader policy")) << hc_log();
}

}  // namespace
}  // namespace hc::e2e
