// What a hospital sends the consortium's coordinator (`hc node init` writes it, `hc genesis
// assemble` reads it), and what the coordinator sends back to each hospital (`hc node join`
// reads it). Neither holds a secret. Formats (docs/deploy.md):
//   public.json  {"format":"healthchain-hospital","version":1,"chain_id","name","replica_key":hex,
//                 "tls_ca_certificate":PEM,"peer_address":"host:port","api_url":"https://host:port",
//                 "trustee_key":hex (optional: the P-256 trustee key, 65 bytes, trustees mode)}
//   join.json    {"format":"healthchain-join","version":1,"chain_id","genesis_hash":hex,"name",
//                 "node_id","peers":[{"id","address":"host:port"}],"reader_token_sha256":hex}
// Parsing is strict: unknown or missing fields, a bad key, name, address or certificate are
// refused with a one-line reason (kInvalidInput), and a file is read with a size bound. Pure
// functions; thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "crypto/ed25519.h"
#include "crypto/hash.h"
#include "crypto/p256.h"

namespace hc::cli {

inline constexpr std::size_t kMaxHospitalFileBytes = 64 * 1024;

struct HospitalPublicPart {
  std::string chain_id;  // the chain the hospital means to join (the genesis' chain name)
  std::string name;      // its member name: 1..64 of [A-Za-z0-9._-]
  crypto::Ed25519PublicKey replica_key;
  std::string tls_ca_pem;
  std::string peer_host;
  std::uint16_t peer_port = 0;
  std::string api_url;  // https://host:port
  // The hospital's long-term P-256 trustee key (trustees mode, docs/threshold.md); parts made
  // before trustees mode have none and can only join a single-manager chain.
  std::optional<crypto::P256PointBytes> trustee_key;
};

std::string hospital_public_part_to_json(const HospitalPublicPart& part);
Result<HospitalPublicPart> parse_hospital_public_part(std::string_view json_text);
// The file's contents, parsed; errors name the file.
Result<HospitalPublicPart> load_hospital_public_part(const std::filesystem::path& file);

struct JoinPeer {
  std::uint32_t id = 0;
  std::string host;
  std::uint16_t port = 0;
};

struct JoinInstructions {
  std::string chain_id;
  crypto::Digest32 genesis_hash{};
  std::string name;
  std::uint32_t node_id = 0;
  std::vector<JoinPeer> peers;  // every replica, ids 0..n-1 in order
  crypto::Digest32 reader_token_sha256{};
};

std::string join_instructions_to_json(const JoinInstructions& join);
Result<JoinInstructions> load_join_instructions(const std::filesystem::path& file);

// "host:port" with a host of [A-Za-z0-9.-] (a DNS name or an IPv4 address) and a port 1..65535.
Status parse_host_port(const std::string& text, std::string& host, std::uint16_t& port);

}  // namespace hc::cli
