// A real local consortium for the end-to-end tests: `hc cluster up` in a temporary directory,
// the hc-node processes it starts, and the tools to talk to them (doctors' and the reader's
// tokens, the pseudonym key, the node API) and to read their chains. The destructor always
// runs `hc cluster down` and then SIGKILLs any hc-node still alive whose pid cluster.json
// names (checked against /proc/<pid>/cmdline), so a failing test leaves no process behind.
// Every wait is bounded in time. Not thread-safe: one test thread drives one cluster.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "client/node_client.h"
#include "common/secure_bytes.h"
#include "common/status.h"
#include "crypto/sealed_record.h"
#include "net/http.h"

namespace hc::e2e {

// Under AddressSanitizer every pairing is about ten times slower: the suites submit fewer
// records there, with the same assertions.
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kSanitized = true;
#else
inline constexpr bool kSanitized = false;
#endif

struct ClusterNode {
  std::string name;
  std::uint32_t id = 0;
  std::string api_url;
  std::filesystem::path node_dir;
  std::string doctor_token;
  std::filesystem::path doctor_token_file;
  std::filesystem::path config_file;  // the node's hc-node configuration
};

// One block as every node must agree on it.
struct ChainBlock {
  std::uint64_t height = 0;
  std::string hash;
  std::vector<std::string> tx_ids;      // in block order
  std::vector<nlohmann::json> txs;      // transaction JSON, same order
};

struct Patient {
  std::string name;
  std::string id;
  crypto::SerialNumber serial{};
};

class LocalCluster {
 public:
  // Runs `hc cluster up --nodes N --dir dir` and loads what it wrote.
  // `https`: the default of hc cluster up (TLS CA per hospital in the genesis); otherwise
  // --plain-http, which the raw-socket attack tests need. `extra_up_args` are appended to the
  // command line (e.g. "--access-mode trustees").
  static Result<std::unique_ptr<LocalCluster>> up(const std::filesystem::path& dir, std::uint32_t nodes,
                                                  bool https = false, const std::string& extra_up_args = {});
  const std::vector<std::string>& tls_anchors() const { return tls_anchors_; }
  ~LocalCluster();
  LocalCluster(const LocalCluster&) = delete;
  LocalCluster& operator=(const LocalCluster&) = delete;

  const std::vector<ClusterNode>& nodes() const { return nodes_; }
  const std::filesystem::path& dir() const { return dir_; }
  const std::string& reader_token() const { return reader_token_; }
  const std::filesystem::path& manager_dir() const { return manager_dir_; }
  const std::filesystem::path& genesis_file() const { return genesis_file_; }

  // `hc cluster ...` subcommands; ok when hc exits 0.
  Status down();
  Status stop_node(const std::string& name);
  Status start_node(const std::string& name);
  // Exit code of `hc <args>` (output appended to D/hc-commands.log), -1 if it could not run.
  int run_hc(const std::string& args) const;
  // Standard output of `hc <args>` when it exits 0 (its stderr goes to the log above).
  Result<std::string> hc_output(const std::string& args) const;

  client::NodeClient doctor(std::uint32_t node) const;
  client::NodeClient anonymous(std::uint32_t node) const;
  client::NodeClient reader(std::uint32_t node) const;

  Result<Patient> patient(const std::string& name, const std::string& id) const;
  // The envelope key the chain publishes as `node` serves it, verified against the genesis
  // (client/envelope_key_trust.h), as `hc record submit` does.
  Result<crypto::EnvelopePublicKey> envelope_key(std::uint32_t node) const;
  // Seals a visit for the patient to the envelope key the chain publishes (read via node 0).
  Result<crypto::SealedRecord> seal(const Patient& p, const std::string& diagnosis) const;

  // The pid cluster.json names for the node now (it changes on restart), if any.
  std::optional<std::int64_t> node_pid(const std::string& name) const;
  // The node's own log (node.log in its directory).
  std::string node_log(const std::string& name) const;

  // The last lines of every node's log (for failure messages).
  std::string log_tails(std::size_t lines) const;

 private:
  LocalCluster() = default;
  Status load();
  void kill_leftovers() const;

  std::filesystem::path dir_;
  std::vector<ClusterNode> nodes_;
  std::string reader_token_;
  std::vector<std::string> tls_anchors_;  // the genesis' TLS CA certificates (empty: plain HTTP)
  std::filesystem::path manager_dir_;
  std::filesystem::path genesis_file_;
  SecureBytes pseudonym_key_;
  mutable std::optional<crypto::EnvelopePublicKey> envelope_key_;  // fetched once
  bool down_ = false;
};

// True while the process exists and is not a zombie.
bool process_running(std::int64_t pid);

// One HTTP request to a node (any method, raw body, optional bearer token).
// Quotes one shell word.
std::string shell_quoted(const std::string& s);

Result<net::HttpResponse> http(const std::string& api_url, const std::string& method, const std::string& path,
                               const std::string& body = {}, const std::string& token = {});

// GET /v1/status as JSON.
Result<nlohmann::json> node_status(const std::string& api_url);

// The node's blocks 1..height (each block's transaction ids recomputed from its JSON).
Result<std::vector<ChainBlock>> read_chain(const std::string& api_url, std::uint64_t height);

// Submits a record, retrying (at most `attempts` times, 200 ms apart) while the node answers
// 503 or cannot be reached; any other refusal is returned at once.
Result<std::string> submit_with_retry(const client::NodeClient& node, const crypto::SealedRecord& record,
                                      int attempts);

// Waits until every id is committed as seen by `node`; kUnavailable naming one that is not
// after timeout_ms.
Status wait_all_committed(const client::NodeClient& node, const std::vector<std::string>& tx_ids,
                          std::uint32_t timeout_ms);

// Waits until every listed node answers with the same height (at least min_height) and the
// same block hash at that height; returns that height.
Result<std::uint64_t> wait_converged(const std::vector<std::string>& api_urls, std::uint64_t min_height,
                                     std::uint32_t timeout_ms);

}  // namespace hc::e2e
