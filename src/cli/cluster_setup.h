// `hc cluster up`, first half: everything a local consortium needs on disk, generated without
// starting any process. Layout of the cluster directory D (docs/cluster.md):
//   D/passphrase                  the generated passphrase (mode 0600), when none was given
//   D/genesis.json                the chain's genesis (also copied to D/manager/genesis.json)
//   D/manager/                    envelope keys (crypto::ManagerKeys), admin.key.pem, admin.pub,
//                                 reader.token, group/ (the group directory, epoch 0)
//   D/nodes/<name>/               node.json, replica.key.pem, member.key, doctor.token,
//                                 admin.token, trustee.key.pem (trustees mode only)
// In trustees mode (--access-mode trustees, docs/threshold.md) the genesis is version 4: the
// n hospitals' nodes are the m = n trustees, in hospital order, with t = 2f+1.
// Private keys are encrypted under the passphrase; tokens and the passphrase file are 0600.
// Not safe to run twice on one directory concurrently; otherwise no shared state.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "chain/genesis.h"
#include "common/secure_bytes.h"
#include "common/status.h"
#include "crypto/groupsig/keyfile.h"

namespace hc::cli {

inline constexpr std::uint32_t kMinClusterNodes = 4;
inline constexpr std::uint32_t kMaxClusterNodes = 64;
inline constexpr const char* kClusterChainName = "healthchain-local";

struct ClusterOptions {
  std::filesystem::path dir;  // must not exist, or be empty
  std::uint32_t nodes = kMinClusterNodes;
  std::uint16_t base_port = 0;  // 0: ports chosen by the OS
  std::uint32_t requests_per_minute_per_token = 600;  // each node's API rate limit (hc bench raises it)
  bool save_passphrase = false;  // write the passphrase to D/passphrase (0600)
  bool plain_http = false;       // APIs over plain HTTP (default: HTTPS, docs/deploy.md)
  chain::AccessMode access_mode = chain::AccessMode::kSingleManager;  // the genesis' access mode
  groupsig::ScryptParams key_scrypt;  // for the group key files (tests lower it)
};

struct ClusterNodePlan {
  std::string name;
  std::uint32_t id = 0;
  std::filesystem::path node_dir;
  std::filesystem::path config_file;
  std::filesystem::path data_dir;
  std::filesystem::path log_file;
  std::filesystem::path doctor_token_file;
  std::filesystem::path admin_token_file;  // the hospital administrator's (hc hospital ...)
  std::uint16_t listen_port = 0;
  std::uint16_t api_port = 0;
  bool tls = true;
  std::string api_url() const { return (tls ? "https" : "http") + std::string("://127.0.0.1:") + std::to_string(api_port); }
};

struct ClusterPlan {
  std::filesystem::path dir;  // absolute
  std::filesystem::path manager_dir;
  std::filesystem::path group_dir;
  std::filesystem::path genesis_file;
  std::filesystem::path admin_key_file;
  std::filesystem::path reader_token_file;
  std::filesystem::path passphrase_file;  // empty unless options.save_passphrase
  std::uint32_t requests_per_minute_per_token = 600;
  chain::AccessMode access_mode = chain::AccessMode::kSingleManager;
  std::vector<ClusterNodePlan> nodes;
};

// The member name of hospital `index` (0-based): a few readable names, then hospital-K.
std::string hospital_name(std::uint32_t index);

// Checks the options: 4..64 nodes, the directory absent or empty, the base port range
// within 1..65535. kInvalidInput / kAlreadyExists with a one-line reason.
Status check_cluster_options(const ClusterOptions& options);

// Creates every key, token, config and the genesis under options.dir (see the layout above).
// On failure the directory may hold a partial tree; the caller reports it.
Result<ClusterPlan> generate_cluster(const ClusterOptions& options, const SecureBytes& passphrase);

}  // namespace hc::cli
