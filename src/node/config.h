// The hospital node's configuration file (JSON; documented in docs/node.md, example in
// examples/node.json) and its log level. Parsing validates everything up front (types, ranges, unique peer ids
// and addresses, key encodings, token hash forms) so a node never starts half-configured.
// Relative paths are resolved against the directory of the config file. Plain value.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "common/status.h"
#include "crypto/ed25519.h"
#include "node/connection_limits.h"
#include "node/stem_relay.h"

namespace hc::node {

struct PeerConfig {
  std::uint32_t id = 0;
  std::string host;
  std::uint16_t port = 0;
  crypto::Ed25519PublicKey replica_key;
};

struct DoctorToken {
  std::string name;                      // who holds it, for logs and audit
  std::array<std::uint8_t, 32> sha256{};  // SHA-256 of the bearer token
};

struct NodeLimits {
  std::size_t max_request_body_bytes = 2 * 1024 * 1024;
  std::uint32_t requests_per_minute_per_token = 600;
  std::size_t mempool_max_txs = 20000;
  std::size_t mempool_max_bytes = 256 * 1024 * 1024;
};

struct NodeConfig {
  std::uint32_t node_id = 0;
  std::string name;  // the hospital's member name in the group registry
  std::filesystem::path data_dir;
  std::filesystem::path replica_key_file;  // encrypted Ed25519 PKCS#8 PEM
  std::filesystem::path member_key_file;   // encrypted BBS04 member key
  // Trustees mode only (docs/threshold.md): the hospital's long-term P-256 trustee key,
  // encrypted PKCS#8 PEM; its public key is the one the genesis lists for this node. Empty
  // when the node is no trustee (a trustees-mode genesis then refuses to start it).
  std::filesystem::path trustee_key_file;
  // A hospital that joined a running consortium (docs/node.md): the P-256 key its join request
  // named (the hospital's trustee.key.pem, encrypted PKCS#8 PEM). While member_key_file does
  // not exist, the node waits for its enrollment on the chain (kind 25), opens the member key
  // boxed to this key and writes member_key_file itself. Empty: the member key file must exist.
  std::filesystem::path enrollment_key_file;
  std::filesystem::path genesis_file;
  std::string listen_host = "127.0.0.1";
  std::uint16_t listen_port = 0;  // PBFT transport
  std::string api_host = "127.0.0.1";
  std::uint16_t api_port = 0;
  // HTTPS for the API (docs/deploy.md): the node's certificate followed by its hospital CA
  // certificate (the one in the genesis), and the certificate's key as encrypted PKCS#8 PEM
  // opened with the node's passphrase. Both or neither; without them the API is plain HTTP
  // and must listen on a loopback address.
  std::filesystem::path tls_certificate_file;
  std::filesystem::path tls_key_file;
  std::vector<PeerConfig> peers;  // this node and the replicas it links to (a genesis replica: all of the genesis)
  std::vector<DoctorToken> doctor_tokens;
  std::vector<DoctorToken> reader_tokens;  // may read records by serial (manager-authorized)
  // The hospital administrator's tokens: manage the per-person accounts (/v1/accounts).
  std::vector<DoctorToken> admin_tokens;
  // The per-person account store (account_store.h); default accounts.json beside the config.
  std::filesystem::path accounts_file;
  NodeLimits limits;
  ConnectionLimits connections;  // caps and timeouts of the API and peer ports ("connections")
  // The stem relay that hides which hospital submitted a record ("relay", docs/relay.md).
  StemRelayConfig relay;
  // Opt-in diagnostic (relay.peer_trace_file, or hc-node --peer-trace): what this node sees of
  // transaction-carrying frames (peer_trace.h). Empty: off.
  std::filesystem::path peer_trace_file;

  bool api_uses_tls() const { return !tls_certificate_file.empty(); }
};

// How much hc-node logs (--log-level). Every level still logs errors and fatal failures; there
// is deliberately no "off".
enum class LogLevel { kTrace, kDebug, kInfo, kWarn, kError, kCritical };
// "trace", "debug", "info", "warn", "error" or "critical"; kInvalidInput naming the accepted
// names for anything else.
Result<LogLevel> parse_log_level(std::string_view name);
// The level named on the first line of `path` (surrounding blanks ignored; at most 4 KiB read),
// for `hc-node --log-level-file` (re-read on SIGHUP). kNotFound/kIo if it cannot be read,
// kInvalidInput naming the file for anything but a level name.
Result<LogLevel> read_log_level_file(const std::filesystem::path& path);

Result<NodeConfig> parse_node_config(std::string_view json_text, const std::filesystem::path& base_dir);
Result<NodeConfig> load_node_config(const std::filesystem::path& path);
std::string node_config_to_json(const NodeConfig& config);

}  // namespace hc::node
