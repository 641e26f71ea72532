#include "cli/cluster_setup.h"

#include <array>
#include <chrono>
#include <system_error>

#include "chain/genesis.h"
#include "cli/cluster_ports.h"
#include "cli/consortium_keys.h"
#include "common/bytes.h"
#include "common/file_io.h"
#include "crypto/ed25519.h"
#include "crypto/hash.h"
#include "crypto/p256_key_file.h"
#include "node/config.h"

namespace hc::cli {

namespace fs = std::filesystem;

namespace {

// What each node's key step hands to the config and genesis steps.
struct NodeMaterial {
  crypto::Ed25519PublicKey replica_key;
  std::string tls_ca_pem;  // the hospital's TLS CA certificate, for the genesis
  crypto::Digest32 doctor_token_sha256{};
  crypto::Digest32 admin_token_sha256{};
  crypto::P256PointBytes trustee_key{};  // trustees mode: the node's trustee public key
};

Status io_error(const std::string& message) { return Status::error(ErrorCode::kIo, message); }

Status make_dir(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return io_error("cannot create " + dir.string() + ": " + ec.message());
  return Status::ok_status();
}

Result<ManagerMaterial> create_manager(const ClusterPlan& plan, const ClusterOptions& options,
                                       const SecureBytes& passphrase) {
  std::vector<MemberKeyDestination> members;
  for (const ClusterNodePlan& node : plan.nodes) members.push_back({node.name, node.node_dir / "member.key", &passphrase});
  return create_manager_directory(plan.manager_dir, members, passphrase, options.key_scrypt, plan.access_mode);
}

Status write_node_config(const ClusterPlan& plan, const ClusterNodePlan& node, const std::vector<NodeMaterial>& all,
                         const ManagerMaterial& manager) {
  node::NodeConfig config = hospital_node_config(node.id, node.name, fs::path("..") / ".." / "genesis.json", node.tls,
                                                 all[node.id].doctor_token_sha256, manager.reader_token_sha256);
  config.admin_tokens.push_back(node::DoctorToken{"admin@" + node.name, all[node.id].admin_token_sha256});
  config.listen_port = node.listen_port;
  config.api_port = node.api_port;
  for (const ClusterNodePlan& peer : plan.nodes) {
    config.peers.push_back(node::PeerConfig{peer.id, "127.0.0.1", peer.listen_port, all[peer.id].replica_key});
  }
  config.limits.requests_per_minute_per_token = plan.requests_per_minute_per_token;
  if (plan.access_mode == chain::AccessMode::kTrustees) config.trustee_key_file = "trustee.key.pem";
  return write_text_file_atomic(node.config_file, node::node_config_to_json(config));
}

Status write_genesis(const ClusterPlan& plan, const std::vector<NodeMaterial>& nodes, const ManagerMaterial& manager) {
  std::vector<chain::ReplicaInfo> replicas;
  for (std::uint32_t id = 0; id < nodes.size(); ++id) {
    replicas.push_back(chain::ReplicaInfo{id, nodes[id].replica_key.bytes(), nodes[id].tls_ca_pem});
  }
  HC_ASSIGN_OR_RETURN(chain::Genesis genesis, make_genesis(kClusterChainName, std::move(replicas), manager, plan.manager_dir));
  if (plan.access_mode == chain::AccessMode::kTrustees) {
    genesis.access_mode = chain::AccessMode::kTrustees;
    genesis.proven_dkg_deals = true;  // version 6: DKG deals must prove their boxes' ephemerals
    for (const NodeMaterial& node : nodes) genesis.trustee_keys.push_back(node.trustee_key);
    genesis.trustee_threshold = chain::default_trustee_threshold(nodes.size());
    HC_RETURN_IF_ERROR(chain::check_genesis(genesis));
  }
  HC_RETURN_IF_ERROR(write_genesis_file(plan.genesis_file, genesis));
  return write_genesis_file(plan.manager_dir / "genesis.json", genesis);
}

Result<ClusterPlan> make_plan(const ClusterOptions& options) {
  ClusterPlan plan;
  std::error_code ec;
  plan.dir = fs::absolute(options.dir, ec);
  if (ec) return io_error("cannot resolve " + options.dir.string() + ": " + ec.message());
  plan.dir = plan.dir.lexically_normal();
  plan.manager_dir = plan.dir / "manager";
  plan.group_dir = plan.manager_dir / "group";
  plan.genesis_file = plan.dir / "genesis.json";
  plan.admin_key_file = plan.manager_dir / "admin.key.pem";
  plan.reader_token_file = plan.manager_dir / "reader.token";
  plan.requests_per_minute_per_token = options.requests_per_minute_per_token;
  plan.access_mode = options.access_mode;
  HC_ASSIGN_OR_RETURN(std::vector<std::uint16_t> ports, pick_free_ports(2 * options.nodes, options.base_port));
  for (std::uint32_t i = 0; i < options.nodes; ++i) {
    ClusterNodePlan node;
    node.name = hospital_name(i);
    node.id = i;
    node.node_dir = plan.dir / "nodes" / node.name;
    node.config_file = node.node_dir / "node.json";
    node.data_dir = node.node_dir / "data";
    node.log_file = node.node_dir / "node.log";
    node.doctor_token_file = node.node_dir / "doctor.token";
    node.admin_token_file = node.node_dir / "admin.token";
    node.listen_port = ports[2 * i];
    node.api_port = ports[2 * i + 1];
    node.tls = !options.plain_http;
    plan.nodes.push_back(std::move(node));
  }
  return plan;
}

}  // namespace

std::string hospital_name(std::uint32_t index) {
  static constexpr std::array<const char*, 8> kNames = {"st-mary",   "city-general", "riverside", "northgate",
                                                        "lakeside",  "hillcrest",    "westbrook", "eastfield"};
  if (index < kNames.size()) return kNames[index];
  return "hospital-" + std::to_string(index + 1);
}

Status check_cluster_options(const ClusterOptions& options) {
  if (options.nodes < kMinClusterNodes || options.nodes > kMaxClusterNodes) {
    return invalid_input("--nodes must be from " + std::to_string(kMinClusterNodes) + " to " +
                         std::to_string(kMaxClusterNodes) + " (PBFT needs n >= 4 to tolerate one fault)");
  }
  if (options.base_port != 0 && 65535u - options.base_port + 1 < 2u * options.nodes) {
    return invalid_input("--base-port leaves too few ports below 65536 for " + std::to_string(options.nodes) +
                         " nodes");
  }
  std::error_code ec;
  if (fs::exists(options.dir, ec)) {
    if (!fs::is_directory(options.dir, ec)) {
      return Status::error(ErrorCode::kAlreadyExists, options.dir.string() + " exists and is not a directory");
    }
    if (!fs::is_empty(options.dir, ec)) {
      return Status::error(ErrorCode::kAlreadyExists, options.dir.string() + " is not empty (choose a new --dir)");
    }
  }
  if (ec) return io_error("cannot inspect " + options.dir.string() + ": " + ec.message());
  return Status::ok_status();
}

Result<ClusterPlan> generate_cluster(const ClusterOptions& options, const SecureBytes& passphrase) {
  HC_RETURN_IF_ERROR(check_cluster_options(options));
  HC_ASSIGN_OR_RETURN(ClusterPlan plan, make_plan(options));
  for (const ClusterNodePlan& node : plan.nodes) HC_RETURN_IF_ERROR(make_dir(node.node_dir));
  if (options.save_passphrase) {
    plan.passphrase_file = plan.dir / "passphrase";
    HC_RETURN_IF_ERROR(write_file_atomic(plan.passphrase_file, passphrase.span(), 0600));
  }
  HC_ASSIGN_OR_RETURN(ManagerMaterial manager, create_manager(plan, options, passphrase));
  std::vector<NodeMaterial> nodes;
  for (const ClusterNodePlan& node : plan.nodes) {
    NodeMaterial m;
    HC_ASSIGN_OR_RETURN(m.replica_key, write_new_ed25519_key(node.node_dir / "replica.key.pem", passphrase));
    HC_ASSIGN_OR_RETURN(m.doctor_token_sha256, write_new_token(node.doctor_token_file));
    HC_ASSIGN_OR_RETURN(m.admin_token_sha256, write_new_token(node.admin_token_file));
    if (options.access_mode == chain::AccessMode::kTrustees) {
      HC_ASSIGN_OR_RETURN(crypto::P256Point trustee, crypto::write_new_p256_key(node.node_dir / "trustee.key.pem", passphrase));
      m.trustee_key = trustee.encode();
    }
    if (node.tls) {
      HC_ASSIGN_OR_RETURN(m.tls_ca_pem,
                          write_tls_material(node.node_dir, node.name, {"127.0.0.1", "localhost"}, passphrase));
    }
    nodes.push_back(std::move(m));
  }
  for (const ClusterNodePlan& node : plan.nodes) HC_RETURN_IF_ERROR(write_node_config(plan, node, nodes, manager));
  HC_RETURN_IF_ERROR(write_genesis(plan, nodes, manager));
  return plan;
}

}  // namespace hc::cli
