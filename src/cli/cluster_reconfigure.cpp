#include "cli/cluster_reconfigure.h"

#include <algorithm>
#include <cstdio>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "chain/consensus_parameters.h"
#include "chain/genesis.h"
#include "chain/transaction_governance.h"
#include "cli/cluster_client.h"
#include "cli/cluster_governance.h"
#include "cli/cluster_lifecycle.h"
#include "cli/cluster_membership.h"
#include "cli/cluster_ports.h"
#include "cli/cluster_process.h"
#include "cli/consortium_keys.h"
#include "client/manager_enrollment.h"
#include "client/manager_revocation.h"
#include "client/manager_session.h"
#include "client/node_client.h"
#include "client/node_tls_trust.h"
#include "common/file_io.h"
#include "crypto/p256_key_file.h"
#include "node/config.h"

namespace hc::cli {

namespace fs = std::filesystem;

namespace {

constexpr std::chrono::milliseconds kReconfigureTxTimeout{60000};
constexpr std::chrono::milliseconds kReconfigurePollInterval{500};
constexpr std::uint32_t kReconfigureStatusTimeoutMs = 2000;
constexpr std::chrono::seconds kLeaverStopGrace{10};
constexpr std::size_t kNewNodeLogTailLines = 20;

// Time since the Unix epoch in milliseconds, for the progress lines a benchmark reads.
std::int64_t reconfigure_unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::uint64_t governance_nonce() { return static_cast<std::uint64_t>(reconfigure_unix_ms()); }

// The first current node whose API answers (other than `except`), and the chain's consortium.
struct ReconfigureEntry {
  const ClusterNodeState* node = nullptr;
  ConsortiumView consortium;
};
Result<ReconfigureEntry> find_entry(const ClusterState& state, const std::shared_ptr<net::TlsContext>& tls,
                         std::optional<std::uint32_t> except) {
  std::string last;
  for (const ClusterNodeState* n : current_cluster_nodes(state)) {
    if (except && n->id == *except) continue;
    auto view = fetch_consortium(n->api_url, tls);
    if (view.ok()) return ReconfigureEntry{n, std::move(*view)};
    last = n->name + ": " + view.status().message();
  }
  return Status::error(ErrorCode::kUnavailable,
                       "no node of the cluster answers (start them with hc cluster start)" +
                           (last.empty() ? std::string() : "; last error: " + last));
}

Result<node::NodeConfig> node_config(const ClusterNodeState& n) {
  auto config = node::load_node_config(n.config);
  if (!config.ok()) return config.status().with_context(n.name + "'s node.json");
  return config;
}

// The replica key a node's config lists for the node itself.
Result<crypto::Ed25519PublicKey> own_replica_key(const node::NodeConfig& config) {
  for (const node::PeerConfig& p : config.peers) {
    if (p.id == config.node_id) return p.replica_key;
  }
  return Status::error(ErrorCode::kCorrupt, config.name + "'s node.json does not list its own peer entry");
}

// The configuration number a change accepted at `height` starts (0 is the genesis's; each
// accepted change adds one), from the chain's list of accepted changes.
Result<std::uint64_t> configuration_of_change(const std::string& api_url, const std::shared_ptr<net::TlsContext>& tls,
                                              std::uint64_t height) {
  HC_ASSIGN_OR_RETURN(ConsortiumView view, fetch_consortium(api_url, tls));
  for (std::size_t i = 0; i < view.changes.size(); ++i) {
    if (view.changes[i].accepted_at_height == height) return static_cast<std::uint64_t>(i + 1);
  }
  return Status::error(ErrorCode::kUnavailable, "the chain lists no change accepted at height " + std::to_string(height));
}

struct NewNodeFiles {
  fs::path node_dir;
  crypto::Ed25519PublicKey replica_key;
  crypto::Digest32 doctor_token_sha256{};
  crypto::Digest32 admin_token_sha256{};
  std::uint16_t listen_port = 0;
  std::uint16_t api_port = 0;
  std::string tls_ca_pem;  // an HTTPS cluster's: the new hospital's TLS CA, named in its join request
  crypto::P256PointBytes enrollment_key{};  // trustee.key.pem's public key: the join request names it
};

// An HTTPS cluster's newcomer gets its TLS CA and API certificate as `hc cluster up` makes them.
Result<NewNodeFiles> make_new_node_files(const fs::path& node_dir, const std::string& name, bool tls,
                                         const SecureBytes& passphrase) {
  std::error_code ec;
  if (fs::exists(node_dir, ec)) {
    return Status::error(ErrorCode::kAlreadyExists, node_dir.string() + " exists (choose another --name)");
  }
  fs::create_directories(node_dir, ec);
  if (ec) return Status::error(ErrorCode::kIo, "cannot create " + node_dir.string() + ": " + ec.message());
  NewNodeFiles files;
  files.node_dir = node_dir;
  HC_ASSIGN_OR_RETURN(files.replica_key, write_new_ed25519_key(node_dir / "replica.key.pem", passphrase));
  HC_ASSIGN_OR_RETURN(files.doctor_token_sha256, write_new_token(node_dir / "doctor.token"));
  HC_ASSIGN_OR_RETURN(files.admin_token_sha256, write_new_token(node_dir / "admin.token"));
  // The key the member key is boxed to on the chain (as hc node init makes for every hospital).
  HC_ASSIGN_OR_RETURN(crypto::P256Point enrollment, crypto::write_new_p256_key(node_dir / "trustee.key.pem", passphrase));
  files.enrollment_key = enrollment.encode();
  HC_ASSIGN_OR_RETURN(std::vector<std::uint16_t> ports, pick_free_ports(2, 0));
  files.listen_port = ports[0];
  files.api_port = ports[1];
  if (tls) {
    HC_ASSIGN_OR_RETURN(files.tls_ca_pem, write_tls_material(node_dir, name, {"127.0.0.1", "localhost"}, passphrase));
  }
  return files;
}

// The new hospital's node.json: the file names of cluster up's layout, the manager's reader
// tokens and the limits of an existing node, and every current member's peer address.
Result<node::NodeConfig> new_node_config(const ClusterState& state, const NewNodeFiles& files, std::uint32_t id,
                                         const std::string& name) {
  const std::vector<const ClusterNodeState*> current = current_cluster_nodes(state);
  HC_ASSIGN_OR_RETURN(node::NodeConfig base, node_config(*current.front()));
  node::NodeConfig config =
      hospital_node_config(id, name, fs::path("..") / ".." / "genesis.json", !files.tls_ca_pem.empty(), files.doctor_token_sha256,
                           crypto::Digest32{});
  config.reader_tokens = base.reader_tokens;
  config.admin_tokens.push_back(node::DoctorToken{"admin@" + name, files.admin_token_sha256});
  config.limits = base.limits;
  config.listen_port = files.listen_port;
  config.api_port = files.api_port;
  config.enrollment_key_file = "trustee.key.pem";  // the node picks its member key up from the chain
  for (const ClusterNodeState* n : current) {
    HC_ASSIGN_OR_RETURN(node::NodeConfig peer, node_config(*n));
    HC_ASSIGN_OR_RETURN(crypto::Ed25519PublicKey key, own_replica_key(peer));
    config.peers.push_back(node::PeerConfig{n->id, "127.0.0.1", peer.listen_port, key});
  }
  config.peers.push_back(node::PeerConfig{id, "127.0.0.1", files.listen_port, files.replica_key});
  return config;
}

// The join request and the approvals; returns the height of the block that accepted it.
Result<std::uint64_t> run_join(const ReconfigureEntry& entry, const std::shared_ptr<net::TlsContext>& tls,
                               const chain::Genesis& genesis, const std::vector<const ClusterNodeState*>& approvers,
                               const NewNodeFiles& files, const std::string& name, std::uint32_t expected_id,
                               const SecureBytes& passphrase, const ProgressLine& progress) {
  const std::string& url = entry.node->api_url;
  chain::JoinRequestTx join;
  join.chain_id = chain::genesis_hash(genesis);
  join.replica_key = files.replica_key.bytes();
  join.name = name;
  join.api_address = "127.0.0.1:" + std::to_string(files.api_port);
  // On the chain, so that a hospital joining later dials it from there (docs/node.md).
  join.peer_address = "127.0.0.1:" + std::to_string(files.listen_port);
  join.tls_ca_pem = files.tls_ca_pem;  // clients trust the new node's HTTPS API through it
  join.enrollment_key = files.enrollment_key;  // the member key comes boxed to it (kind 25)
  join.nonce = governance_nonce();
  HC_ASSIGN_OR_RETURN(CommittedTx request, post_governance_tx(url, tls, join, files.node_dir / "replica.key.pem",
                                                              passphrase, kReconfigureTxTimeout));
  progress(fmt::format("      join request {} committed at height {}", request.tx_id_hex, request.height));
  HC_ASSIGN_OR_RETURN(chain::Digest proposal, chain::digest_from_hex(request.tx_id_hex));
  CommittedTx last;
  for (const ClusterNodeState* a : approvers) {
    HC_ASSIGN_OR_RETURN(node::NodeConfig config, node_config(*a));
    HC_ASSIGN_OR_RETURN(last, post_governance_tx(url, tls, chain::GovernanceApprovalTx{join.chain_id, proposal, a->id, {}},
                                                 config.replica_key_file, passphrase, kReconfigureTxTimeout));
    progress(fmt::format("      {} (id {}) approves: committed at height {}", a->name, a->id, last.height));
  }
  HC_ASSIGN_OR_RETURN(ProposalView outcome, fetch_proposal(url, request.tx_id_hex, tls));
  if (outcome.status != "accepted" || !outcome.replica_id) {
    return Status::error(ErrorCode::kUnavailable, "the join request is " + outcome.status + " after " +
                                                      std::to_string(approvers.size()) + " approvals, not accepted");
  }
  if (*outcome.replica_id != expected_id) {
    return Status::error(ErrorCode::kUnavailable, fmt::format("the chain gave the new hospital id {}, not {} (another "
                                                              "join was accepted meanwhile)",
                                                              *outcome.replica_id, expected_id));
  }
  progress(fmt::format("      join accepted at height {} (unix ms {}), replica id {}, boundary {}", last.height,
                       reconfigure_unix_ms(), expected_id, chain::membership_change_boundary(last.height)));
  return last.height;
}

Status node_did_not_come_up(const ClusterNodeState& n, const std::string& why) {
  std::fprintf(stderr, "last lines of %s's log (%s):\n%s", n.name.c_str(), n.log.string().c_str(),
               log_tail(n.log, kNewNodeLogTailLines).c_str());
  return Status::error(ErrorCode::kUnavailable, n.name + " " + why + " (its log's tail is above: " + n.log.string() + ")");
}

// Polls the new node until it is a member of the configuration in force.
// On HTTPS the new node is trusted through the CA of its join request, which the change history
// proves only from the block after the one that accepted the join: while the node does not
// answer, the trust is derived again from the history (every kTrustRefreshInterval).
constexpr auto kTrustRefreshInterval = std::chrono::seconds(5);

Status wait_until_member(const ClusterNodeState& n, const ClusterState& state, std::uint64_t boundary,
                         std::chrono::seconds timeout, const ProgressLine& progress) {
  const auto start = std::chrono::steady_clock::now();
  HC_ASSIGN_OR_RETURN(std::shared_ptr<net::TlsContext> tls, cluster_tls(state));
  auto trusted_at = start;
  std::string last_line;
  while (true) {
    if (std::optional<int> code = reap_exit_code(n.pid)) {
      return node_did_not_come_up(n, "exited with code " + std::to_string(*code));
    }
    auto status = fetch_node_status(n.api_url, kReconfigureStatusTimeoutMs, tls);
    if (!status.ok() && tls && std::chrono::steady_clock::now() - trusted_at >= kTrustRefreshInterval) {
      HC_ASSIGN_OR_RETURN(tls, cluster_tls(state));
      trusted_at = std::chrono::steady_clock::now();
    }
    const long seconds = static_cast<long>(
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start).count());
    // The node enters the new configuration when it executes the boundary's block.
    if (status.ok() && status->member && status->height >= boundary) {
      progress(fmt::format("      {} is a member of configuration {} at height {} ({} s, unix ms {})", n.name,
                           status->configuration, status->height, seconds, reconfigure_unix_ms()));
      return Status::ok_status();
    }
    const std::string line =
        status.ok() ? fmt::format("      {}: height {} of boundary {}, member: no", n.name, status->height, boundary)
                    : fmt::format("      {}: API not answering yet", n.name);
    if (line != last_line) progress(line + fmt::format(" ({} s)", seconds));
    last_line = line;
    if (std::chrono::steady_clock::now() - start >= timeout) {
      return node_did_not_come_up(n, "is not a member of the configuration in force after " +
                                         std::to_string(timeout.count()) + " s");
    }
    std::this_thread::sleep_for(kReconfigurePollInterval);
  }
}

// The manager's kind-25 enrollment of joined member `id`, read from the verified governance
// state (retried while the node's change proofs do not yet cover the join: a proof needs the
// block after the one that accepted it).
Status enroll_on_chain(const ClusterState& state, const std::string& api_url, std::uint32_t id,
                       const SecureBytes& passphrase, const ProgressLine& progress) {
  HC_ASSIGN_OR_RETURN(auto session, client::ManagerSession::open(state.manager_dir, SecureBytes(passphrase.view())));
  session->follow_changes_of(api_url);
  HC_ASSIGN_OR_RETURN(client::NodeClient writer,
                      client::NodeClient::connect(api_url, {}, session->genesis().tls_trust_anchors()));
  const auto deadline = std::chrono::steady_clock::now() + kReconfigureTxTimeout;
  while (true) {
    HC_ASSIGN_OR_RETURN(client::VerifiedMembership membership,
                        client::read_verified_membership(session->genesis(), writer));
    const bool proven = std::any_of(membership.joined.begin(), membership.joined.end(),
                                    [&](const chain::ConsortiumMember& m) { return m.id == id; });
    if (proven) {
      HC_ASSIGN_OR_RETURN(client::EnrollmentDone done, client::enroll_joined_member(*session, writer, membership, id));
      progress(fmt::format("      enrollment (kind 25) {} committed at height {}", done.tx_id, done.height));
      return Status::ok_status();
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return Status::error(ErrorCode::kUnavailable, "the node's membership-change proofs do not show member " +
                                                        std::to_string(id) + "'s join");
    }
    std::this_thread::sleep_for(kReconfigurePollInterval);
  }
}

// Polls the new node until it reports holding a member key (picked up from its enrollment).
Status wait_for_member_key(const ClusterNodeState& n, const std::shared_ptr<net::TlsContext>& tls,
                           std::chrono::seconds timeout, const ProgressLine& progress) {
  const auto start = std::chrono::steady_clock::now();
  while (true) {
    if (std::optional<int> code = reap_exit_code(n.pid)) {
      return node_did_not_come_up(n, "exited with code " + std::to_string(*code));
    }
    auto status = fetch_node_status(n.api_url, kReconfigureStatusTimeoutMs, tls);
    if (status.ok() && status->member_key) {
      progress(fmt::format("      {} picked its member key up from the chain and signs records", n.name));
      return Status::ok_status();
    }
    if (std::chrono::steady_clock::now() - start >= timeout) {
      return node_did_not_come_up(n, "has not picked its member key up from the chain after " +
                                         std::to_string(timeout.count()) + " s");
    }
    std::this_thread::sleep_for(kReconfigurePollInterval);
  }
}

}  // namespace

Status add_cluster_node(const AddNodeRequest& request, const SecureBytes& passphrase, const ProgressLine& progress) {
  HC_ASSIGN_OR_RETURN(ClusterState state, load_cluster_state(request.dir));
  const bool https = state.nodes.front().api_url.rfind("https://", 0) == 0;
  HC_ASSIGN_OR_RETURN(chain::Genesis genesis, chain::load_genesis_file(state.genesis.string()));
  // Trustees mode: the newcomer becomes a trustee through the resharing its join starts (its
  // node announces a fresh trustee key; docs/threshold.md, "On the chain").
  const bool trustees = genesis.access_mode == chain::AccessMode::kTrustees;
  HC_ASSIGN_OR_RETURN(fs::path binary, find_node_binary());
  HC_ASSIGN_OR_RETURN(auto tls, cluster_tls(state));
  HC_ASSIGN_OR_RETURN(ReconfigureEntry entry, find_entry(state, tls, std::nullopt));
  const std::uint32_t id = entry.consortium.next_replica_id;
  HC_RETURN_IF_ERROR(check_replica_id_available(id, chain::replica_id_space(genesis)));
  const std::string name = request.name.empty() ? default_new_node_name(state, id) : request.name;
  HC_RETURN_IF_ERROR(check_new_node_name(state, name));
  HC_ASSIGN_OR_RETURN(auto approvers,
                      choose_approvers(state, entry.consortium.members, entry.consortium.approvals_needed));
  const fs::path node_dir = state.genesis.parent_path() / "nodes" / name;

  progress(fmt::format("[1/5] Creating {}'s keys and tokens in {}", name, node_dir.string()));
  HC_ASSIGN_OR_RETURN(NewNodeFiles files, make_new_node_files(node_dir, name, https, passphrase));
  progress(fmt::format("[2/5] {} asks to join (replica id {} expected); {} of the {} members approve", name, id,
                       approvers.size(), entry.consortium.members.size()));
  HC_ASSIGN_OR_RETURN(std::uint64_t accepted_at,
                      run_join(entry, tls, genesis, approvers, files, name, id, passphrase, progress));
  HC_ASSIGN_OR_RETURN(node::NodeConfig config, new_node_config(state, files, id, name));
  const std::string entry_url = entry.node->api_url;  // entry.node points into state.nodes, which grows below
  ClusterNodeState node;
  node.name = name;
  node.id = id;
  node.api_url = (https ? "https" : "http") + std::string("://127.0.0.1:") + std::to_string(files.api_port);
  node.data_dir = node_dir / "data";
  node.config = node_dir / "node.json";
  node.log = node_dir / "node.log";
  node.doctor_token_file = node_dir / "doctor.token";
  HC_RETURN_IF_ERROR(write_text_file_atomic(node.config, node::node_config_to_json(config)));
  progress(fmt::format("[3/5] Starting {}'s hc-node (API {}); it catches up from the genesis by state transfer",
                       name, node.api_url));
  state.nodes.push_back(node);
  HC_RETURN_IF_ERROR(save_cluster_state(request.dir, state));
  ClusterNodeState& added = state.nodes.back();
  HC_RETURN_IF_ERROR(start_cluster_node(added, binary, passphrase));
  HC_RETURN_IF_ERROR(save_cluster_state(request.dir, state));
  const std::uint64_t boundary = chain::membership_change_boundary(accepted_at);
  progress(fmt::format("[4/5] Waiting until {} is a member of the configuration in force (from height {})", name,
                       boundary + 1));
  HC_RETURN_IF_ERROR(wait_until_member(added, state, boundary, request.member_timeout, progress));
  // The new node's CA is trusted from the verified change history, like every joined member's
  // (which proves the join by now).
  HC_ASSIGN_OR_RETURN(auto joined_tls, cluster_tls(state));
  progress("[5/5] The manager enrolls " + name + " on the chain: its member key boxed to its enrollment key");
  HC_RETURN_IF_ERROR(enroll_on_chain(state, entry_url, id, passphrase, progress));
  HC_RETURN_IF_ERROR(wait_for_member_key(added, joined_tls, request.member_timeout, progress));
  progress(fmt::format("{} (id {}) joined: the consortium has {} members{}. Doctor token: {}", name, id,
                       entry.consortium.members.size() + 1,
                       trustees ? " (its trustee share comes with the resharing its join started: its node announces a fresh "
                                  "trustee key now, and the new sharing is in force 49 blocks after the boundary)"
                                : "",
                       added.doctor_token_file.string()));
  return Status::ok_status();
}

namespace {

// Polls every remaining node until each has executed the boundary's block and is in
// configuration `configuration` (the one without the leaver).
Status wait_past_boundary(const ClusterState& state, std::uint32_t leaver, const std::shared_ptr<net::TlsContext>& tls,
                          std::uint64_t boundary, std::uint64_t configuration, std::chrono::seconds timeout,
                          const ProgressLine& progress) {
  const auto start = std::chrono::steady_clock::now();
  std::uint64_t last_lowest = UINT64_MAX;
  while (true) {
    std::uint64_t lowest = UINT64_MAX;
    std::string behind;
    for (const ClusterNodeState* n : current_cluster_nodes(state)) {
      if (n->id == leaver) continue;
      auto status = fetch_node_status(n->api_url, kReconfigureStatusTimeoutMs, tls);
      const std::uint64_t height = status.ok() ? status->height : 0;
      lowest = std::min(lowest, height);
      const bool crossed = status.ok() && height >= boundary && status->configuration >= configuration;
      if (!crossed) behind += (behind.empty() ? "" : ", ") + n->name;
    }
    const long seconds = static_cast<long>(
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start).count());
    if (behind.empty()) {
      progress(fmt::format("      every remaining node is in configuration {} from height {} ({} s, unix ms {})",
                           configuration, boundary + 1, seconds, reconfigure_unix_ms()));
      return Status::ok_status();
    }
    if (lowest != last_lowest) progress(fmt::format("      lowest height {} of boundary {} ({} s)", lowest, boundary, seconds));
    last_lowest = lowest;
    if (std::chrono::steady_clock::now() - start >= timeout) {
      return Status::error(ErrorCode::kUnavailable, fmt::format("not past the exit's boundary {} after {} s: {}",
                                                                boundary, timeout.count(), behind));
    }
    std::this_thread::sleep_for(kReconfigurePollInterval);
  }
}

Status revoke_group_member(const ClusterState& state, const std::string& api_url, const std::string& member,
                           const SecureBytes& passphrase, const ProgressLine& progress) {
  HC_ASSIGN_OR_RETURN(auto session, client::ManagerSession::open(state.manager_dir, SecureBytes(passphrase.view())));
  HC_ASSIGN_OR_RETURN(chain::Genesis genesis, chain::load_genesis_file(state.genesis.string()));
  HC_ASSIGN_OR_RETURN(client::NodeClient writer, client::connect_to_node(api_url, {}, genesis));
  HC_ASSIGN_OR_RETURN(client::RevocationDone done, client::revoke_member(*session, writer, member));
  progress(fmt::format("      {} revoked: group epoch {} from height {}", member, done.new_epoch, done.height));
  return Status::ok_status();
}

}  // namespace

Status remove_cluster_node(const RemoveNodeRequest& request, const SecureBytes& passphrase,
                           const ProgressLine& progress) {
  HC_ASSIGN_OR_RETURN(ClusterState state, load_cluster_state(request.dir));
  HC_ASSIGN_OR_RETURN(ClusterNodeState * leaver, find_cluster_node_by_id(state, request.node_id));
  HC_ASSIGN_OR_RETURN(auto tls, cluster_tls(state));
  HC_ASSIGN_OR_RETURN(ReconfigureEntry entry, find_entry(state, tls, request.node_id));
  HC_RETURN_IF_ERROR(check_removal(state, request.node_id, entry.consortium.members));
  HC_ASSIGN_OR_RETURN(chain::Genesis genesis, chain::load_genesis_file(state.genesis.string()));
  HC_ASSIGN_OR_RETURN(node::NodeConfig config, node_config(*leaver));

  progress(fmt::format("[1/4] {} (id {}) announces its exit", leaver->name, leaver->id));
  HC_ASSIGN_OR_RETURN(CommittedTx exit,
                      post_governance_tx(entry.node->api_url, tls,
                                         chain::ExitAnnouncementTx{chain::genesis_hash(genesis), leaver->id,
                                                                   governance_nonce(), {}},
                                         config.replica_key_file, passphrase, kReconfigureTxTimeout));
  const std::uint64_t boundary = chain::membership_change_boundary(exit.height);
  progress(fmt::format("      exit accepted at height {} (unix ms {}), boundary {}", exit.height, reconfigure_unix_ms(), boundary));
  HC_ASSIGN_OR_RETURN(std::uint64_t configuration, configuration_of_change(entry.node->api_url, tls, exit.height));
  progress(fmt::format("[2/4] Waiting until the other {} members are in configuration {}, without it, from height {}",
                       entry.consortium.members.size() - 1, configuration, boundary + 1));
  HC_RETURN_IF_ERROR(
      wait_past_boundary(state, leaver->id, tls, boundary, configuration, request.boundary_timeout, progress));

  progress(fmt::format("[3/4] Stopping {}'s node (its files stay in {})", leaver->name,
                       leaver->config.parent_path().string()));
  ClusterState only;
  only.nodes.push_back(*leaver);
  StopReport stopped = stop_cluster_nodes(only, kLeaverStopGrace);
  progress(stopped.not_running > 0 ? "      it was not running"
           : stopped.killed > 0    ? "      stopped (SIGKILL after " + std::to_string(kLeaverStopGrace.count()) + " s)"
                                   : "      stopped (SIGTERM)");
  leaver->left = true;
  HC_RETURN_IF_ERROR(save_cluster_state(request.dir, state));
  if (request.revoke) {
    progress("[4/4] The manager revokes " + leaver->name + "'s group membership (a new group epoch)");
    HC_RETURN_IF_ERROR(revoke_group_member(state, entry.node->api_url, leaver->name, passphrase, progress));
  } else {
    progress("[4/4] " + leaver->name + "'s group membership is kept (--keep-group-member)");
  }
  progress(fmt::format("{} (id {}) left: the consortium has {} members", leaver->name, leaver->id,
                       entry.consortium.members.size() - 1));
  return Status::ok_status();
}

}  // namespace hc::cli
