// The fixture of the consortium end-to-end tests (consortium_e2e_test, consortium_exit_e2e_test,
// consortium_join_e2e_test, cluster_reconfigure_e2e_test): a local cluster (plain HTTP, or HTTPS
// for cluster_reconfigure_e2e_test) started with the built `hc cluster up`
// in a temporary directory, `hc` run with a passphrase in $HC_PASSPHRASE, the nodes' API read
// with curl, records submitted as a doctor, and the checks that follow a membership change
// past its boundary B = c(h) + L (chain/consensus_parameters.h): every block above B certified
// by members of the new configuration, every record exactly once on each node's chain.
// TearDown always brings the cluster down. The helpers that can fail fatally return void and
// fill an out-parameter: call them under ASSERT_NO_FATAL_FAILURE. Not thread-safe: one test
// thread drives one cluster.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/cluster_state.h"
#include "consensus/configuration.h"
#include "support/temp_dir.h"

namespace hc::cli::testing {

// What a test's cluster is run with: the passphrase `hc` is given, and the visits its doctors
// record (patient p's ID number is patient_id_base + p).
struct ConsortiumTestSettings {
  std::string passphrase;
  int patient_id_base = 0;
  std::string visit_time;  // ISO 8601, as in a visit file
};

// The one membership change on the chain (GET /v1/consortium from node 0).
struct AcceptedChange {
  nlohmann::json consortium;  // the whole answer
  std::uint64_t accepted_at = 0;
  std::uint64_t boundary = 0;  // the first height of the new configuration is boundary + 1
};

// One block above the boundary as a node's chain holds it.
struct BlockAboveBoundary {
  std::uint64_t height = 0;
  std::uint32_t proposer = 0;
  std::vector<std::uint32_t> signers;  // the replicas whose commits its certificate carries
};

// What walk_chain read from one node.
struct ChainWalk {
  std::uint64_t tip = 0;
  std::vector<BlockAboveBoundary> above_boundary;
};

class ConsortiumCluster : public ::testing::Test {
 protected:
  explicit ConsortiumCluster(ConsortiumTestSettings settings);

  // Runs `hc <args>` with `passphrase` in $HC_PASSPHRASE (the settings' one for hc()); returns
  // its exit code, stdout in out_ and stderr in err_.
  int hc_with(const std::string& passphrase, const std::string& args);
  int hc(const std::string& args);
  // `hc cluster down` if the cluster was started.
  void TearDown() override;

  std::filesystem::path cluster_dir() const { return dir_ / "c"; }
  // `hc cluster up --nodes <nodes>` (with --plain-http unless `https`) and its cluster.json in
  // state_ (fatal on failure).
  // `hc cluster up` of `nodes` hospitals (HTTPS unless !https; trustees mode if `trustees`).
  void start_cluster(std::size_t nodes, bool https = false, bool trustees = false);
  // The node and genesis arguments of `hc consortium`, and those of member i with its replica key.
  std::string common() const;
  std::string as_member(std::size_t i) const;

  // Node i's API URL (a test whose node is not in cluster.json overrides it).
  virtual std::string url(std::size_t i) const { return state_.nodes[i].api_url; }
  // The doctor token file used to submit to node i (likewise).
  virtual std::filesystem::path doctor_token_file(std::size_t i) const { return state_.nodes[i].doctor_token_file; }
  // The TLS CA certificate curl verifies node i's https:// API with: the one `hc cluster` wrote
  // in its directory (a test checks that hc trusts it only through the chain).
  std::filesystem::path tls_ca_file(std::size_t i) const { return state_.nodes[i].config.parent_path() / "tls-ca.pem"; }
  // GET `path` from node i's API as JSON (null if it does not answer).
  nlohmann::json get(std::size_t i, const std::string& path);
  // Node i's height from /v1/status (0 if it does not answer).
  std::uint64_t height_of(std::size_t i);

  // Submits one record of `patient` to node i (not waiting); its record id (the sealed
  // content's digest: the node may commit it under another transaction after a revocation,
  // node/own_records.h), or "" with err_ set.
  std::string submit(std::size_t i, int patient);
  // One record to each of nodes 0..nodes-1, each accepted (fatal otherwise); ids in `submitted`.
  void submit_to_each(std::size_t nodes, std::vector<std::string>& submitted, int& patient);
  // Records to nodes 0..submit_to-1 in turn, every 100 ms, until nodes 0..watched-1 are each at
  // least 4 blocks past `boundary` (fatal after `seconds`, with progress() in the message);
  // then one more record to each of nodes 0..submit_to-1. Accepted ids are added to `submitted`.
  void submit_until_past(std::uint64_t boundary, std::size_t watched, std::size_t submit_to, int seconds,
                         const std::function<std::string()>& progress, std::vector<std::string>& submitted,
                         int& patient);
  // The records of `submitted` that node i does not show committed after waiting up to
  // `seconds` (empty when all are).
  std::set<std::string> wait_until_committed(std::size_t i, const std::vector<std::string>& submitted,
                                             int seconds);

  // The chain's one membership change, whose members are `members` (fatal otherwise).
  void read_accepted_change(const nlohmann::json& members, AcceptedChange* change);
  // Walks node i's chain from height 1 to its tip, which must be above `boundary`: every block
  // above it carries a commit certificate of `configuration` (at least its quorum of commits,
  // every signer a member), there is at least one such block, and every record of `submitted`
  // (record ids) is in exactly one block. Fatal when a block or certificate cannot be read.
  void walk_chain(std::size_t i, const consensus::Configuration& configuration, std::uint64_t boundary,
                  const std::vector<std::string>& submitted, ChainWalk* walk);
  // One line: where the change (`what`, "join" or "exit") was accepted, its boundary and what
  // node 0's walk found.
  static void print_change_summary(const char* what, const AcceptedChange& change, const ChainWalk& walk,
                                   std::size_t records);
  // The committed record of `patient` (record id `tx_id`) lies above `boundary`, and `hc
  // manager audit` through node i reads the patient's items, each with its commit certificate
  // verified: above a membership change's boundary against the history of changes hc verified
  // from the genesis (GET /v1/consortium/changes; before, hc knew the genesis configuration
  // only and refused such an item as not certified). Fatal otherwise.
  void read_above_boundary(std::size_t i, int patient, const std::string& tx_id, std::uint64_t boundary);
  // `hc chain verify` passes on the ledger in `data_dir` (each block checked against its
  // height's configuration).
  void verify_chain(const std::filesystem::path& data_dir);

  ConsortiumTestSettings settings_;
  test::TempDir dir_;
  ClusterState state_;
  std::string out_, err_;
};

}  // namespace hc::cli::testing
