#include "cli/cluster_setup.h"

#include <array>
#include <chrono>
#include <system_error>

#include "chain/genesis.h"
#include "net/tls_certificate.h"
#include "cli/cluster_ports.h"
#include "common/bytes.h"
#include "common/file_io.h"
#include "crypto/ed25519.h"
#include "crypto/hash.h"
#include "crypto/manager_keys.h"
#include "crypto/serial_number.h"
#include "crypto/groupsig/encoding.h"
#include "crypto/groupsig/issuer.h"
#include "crypto/groupsig/store.h"
#include "node/config.h"

namespace hc::cli {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kTokenBytes = 32;

// What the manager's setup hands to the node and genesis steps.
struct ManagerMaterial {
  crypto::Ed25519PublicKey admin_key;
  Bytes group_public_key;  // epoch 0, groupsig encoding
  crypto::Digest32 reader_token_sha256{};
};

// What each node's key step hands to the config and genesis steps.
struct NodeMaterial {
  crypto::Ed25519PublicKey replica_key;
  std::string tls_ca_pem;  // the hospital's TLS CA certificate, for the genesis
  crypto::Digest32 doctor_token_sha256{};
};

Status io_error(const std::string& message) { return Status::error(ErrorCode::kIo, message); }

Status make_dir(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return io_error("cannot create " + dir.string() + ": " + ec.message());
  return Status::ok_status();
}

// A fresh bearer token (64 hex digits) written to `file` (0600, no trailing newline); returns
// the SHA-256 of the token text, which is what node configs hold.
Result<crypto::Digest32> write_new_token(const fs::path& file) {
  SecureBytes raw(kTokenBytes);
  crypto::random_bytes(std::span<std::uint8_t>(raw.data(), raw.size()));
  std::string hex = to_hex(raw.span());
  SecureBytes token{std::string_view(hex)};
  secure_wipe(hex.data(), hex.size());
  HC_RETURN_IF_ERROR(write_file_atomic(file, token.span(), 0600));
  return crypto::sha256(token.span());
}

Result<crypto::Ed25519PublicKey> write_new_ed25519_key(const fs::path& file, const SecureBytes& passphrase) {
  HC_ASSIGN_OR_RETURN(crypto::Ed25519PrivateKey key, crypto::Ed25519PrivateKey::generate());
  HC_ASSIGN_OR_RETURN(std::string pem, key.to_encrypted_pem(passphrase));
  HC_RETURN_IF_ERROR(write_text_file_atomic(file, pem, 0600));
  return key.public_key();
}

// The group: setup, one enrollment per node (member keys into the node directories), then
// the group directory with the issuer and opener keys and the epoch-0 registry.
Result<Bytes> create_group(const ClusterPlan& plan, const ClusterOptions& options, const SecureBytes& passphrase) {
  groupsig::GroupSetup group = groupsig::setup();
  for (const ClusterNodePlan& node : plan.nodes) {
    HC_ASSIGN_OR_RETURN(groupsig::MemberKey member,
                        groupsig::enroll(group.issuer, group.gpk, group.registry, node.name));
    HC_RETURN_IF_ERROR(groupsig::save_member_key(node.node_dir / "member.key", member, passphrase.span(),
                                                 options.key_scrypt));
  }
  HC_RETURN_IF_ERROR(groupsig::GroupDir(plan.group_dir)
                         .create(group.gpk, group.registry, group.issuer, group.opener, passphrase.span(),
                                 options.key_scrypt));
  return groupsig::encode_gpk(group.gpk);
}

Result<ManagerMaterial> create_manager(const ClusterPlan& plan, const ClusterOptions& options,
                                       const SecureBytes& passphrase) {
  HC_RETURN_IF_ERROR(crypto::ManagerKeys::init(plan.manager_dir));
  HC_ASSIGN_OR_RETURN(crypto::ManagerKeys keys, crypto::ManagerKeys::open(plan.manager_dir));
  HC_RETURN_IF_ERROR(keys.rotate(passphrase).status());
  ManagerMaterial out;
  HC_ASSIGN_OR_RETURN(out.admin_key, write_new_ed25519_key(plan.admin_key_file, passphrase));
  HC_RETURN_IF_ERROR(write_text_file_atomic(plan.manager_dir / "admin.pub", out.admin_key.to_hex() + "\n"));
  HC_ASSIGN_OR_RETURN(out.reader_token_sha256, write_new_token(plan.reader_token_file));
  HC_ASSIGN_OR_RETURN(out.group_public_key, create_group(plan, options, passphrase));
  return out;
}

Status write_node_config(const ClusterPlan& plan, const ClusterNodePlan& node, const std::vector<NodeMaterial>& all,
                         const ManagerMaterial& manager) {
  node::NodeConfig config;
  config.node_id = node.id;
  config.name = node.name;
  config.data_dir = "data";
  config.replica_key_file = "replica.key.pem";
  config.member_key_file = "member.key";
  config.genesis_file = fs::path("..") / ".." / "genesis.json";
  config.listen_port = node.listen_port;
  config.api_port = node.api_port;
  if (node.tls) {
    config.tls_certificate_file = "tls.pem";
    config.tls_key_file = "tls.key.pem";
  }
  for (const ClusterNodePlan& peer : plan.nodes) {
    config.peers.push_back(node::PeerConfig{peer.id, "127.0.0.1", peer.listen_port, all[peer.id].replica_key});
  }
  config.doctor_tokens.push_back(node::DoctorToken{"doctor@" + node.name, all[node.id].doctor_token_sha256});
  config.reader_tokens.push_back(node::DoctorToken{"manager", manager.reader_token_sha256});
  config.limits.requests_per_minute_per_token = plan.requests_per_minute_per_token;
  return write_text_file_atomic(node.config_file, node::node_config_to_json(config));
}

Status write_genesis(const ClusterPlan& plan, const std::vector<NodeMaterial>& nodes, const ManagerMaterial& manager) {
  chain::Genesis genesis;
  genesis.chain_name = kClusterChainName;
  genesis.genesis_time_ms = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
  for (std::uint32_t id = 0; id < nodes.size(); ++id) {
    genesis.replicas.push_back(chain::ReplicaInfo{id, nodes[id].replica_key.bytes(), nodes[id].tls_ca_pem});
  }
  genesis.group_public_key = manager.group_public_key;
  genesis.manager_admin_key = manager.admin_key.bytes();
  HC_ASSIGN_OR_RETURN(SecureBytes pseudonym_key, crypto::load_pseudonym_key(plan.manager_dir / "pseudonym.key"));
  HC_ASSIGN_OR_RETURN(genesis.pseudonym_key_check, crypto::pseudonym_key_check(pseudonym_key.span(), genesis.chain_name));
  HC_RETURN_IF_ERROR(chain::check_genesis(genesis));
  std::string text = chain::genesis_to_json(genesis).dump(2) + "\n";
  HC_RETURN_IF_ERROR(write_text_file_atomic(plan.genesis_file, text));
  return write_text_file_atomic(plan.manager_dir / "genesis.json", text);
}

// The hospital's TLS CA (tls-ca.pem, tls-ca.key.pem) and its node's API certificate for
// 127.0.0.1 and localhost (tls.pem: certificate then CA; tls.key.pem), keys encrypted with the
// cluster passphrase. Returns the CA certificate (the genesis' trust anchor for this node).
Result<std::string> write_tls_material(const ClusterNodePlan& node, const SecureBytes& passphrase) {
  HC_ASSIGN_OR_RETURN(net::TlsKeyPair ca, net::create_tls_ca(node.name + " TLS CA", passphrase,
                                                             net::Validity{-300, net::kDefaultCaValidityDays * 86400}));
  HC_ASSIGN_OR_RETURN(net::TlsKeyPair cert, net::issue_tls_server_certificate(ca, passphrase, node.name,
                                                                              {"127.0.0.1", "localhost"}, passphrase, {}));
  HC_RETURN_IF_ERROR(write_text_file_atomic(node.node_dir / "tls-ca.pem", ca.certificate_pem));
  HC_RETURN_IF_ERROR(write_text_file_atomic(node.node_dir / "tls-ca.key.pem", ca.encrypted_key_pem, 0600));
  HC_RETURN_IF_ERROR(write_text_file_atomic(node.node_dir / "tls.pem", cert.certificate_pem + ca.certificate_pem));
  HC_RETURN_IF_ERROR(write_text_file_atomic(node.node_dir / "tls.key.pem", cert.encrypted_key_pem, 0600));
  return ca.certificate_pem;
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
    if (node.tls) {
      HC_ASSIGN_OR_RETURN(m.tls_ca_pem, write_tls_material(node, passphrase));
    }
    nodes.push_back(std::move(m));
  }
  for (const ClusterNodePlan& node : plan.nodes) HC_RETURN_IF_ERROR(write_node_config(plan, node, nodes, manager));
  HC_RETURN_IF_ERROR(write_genesis(plan, nodes, manager));
  return plan;
}

}  // namespace hc::cli
