#include "cli/hospital_public_part.h"

#include <nlohmann/json.hpp>

#include <charconv>
#include <set>

#include "common/bytes.h"
#include "common/file_io.h"
#include "crypto/bounded_json.h"
#include "crypto/groupsig/byte_reader.h"
#include "net/tls_certificate.h"

namespace hc::cli {

namespace {

using nlohmann::json;

constexpr const char* kHospitalFormat = "healthchain-hospital";
constexpr const char* kJoinFormat = "healthchain-join";
constexpr std::uint32_t kHospitalFormatVersion = 1;
constexpr std::size_t kMaxJoinPeers = 64;

Status part_error(const std::string& what) { return invalid_input(what); }

// The object's fields must be exactly `fields`.
Status check_exact_fields(const json& doc, const std::set<std::string>& fields, const char* what) {
  if (!doc.is_object()) return part_error(std::string(what) + ": not a JSON object");
  for (const auto& [key, value] : doc.items()) {
    if (fields.count(key) == 0) return part_error(std::string(what) + ": unknown field \"" + key.substr(0, 64) + "\"");
  }
  for (const std::string& f : fields) {
    if (!doc.contains(f)) return part_error(std::string(what) + ": missing field \"" + f + "\"");
  }
  return Status::ok_status();
}

Result<std::string> string_field(const json& doc, const char* field, const char* what) {
  if (!doc[field].is_string()) return part_error(std::string(what) + ": \"" + field + "\" must be a string");
  return doc[field].get<std::string>();
}

Status check_format(const json& doc, const char* format, const char* what) {
  if (!doc["format"].is_string() || doc["format"].get<std::string>() != format) {
    return part_error(std::string(what) + ": \"format\" must be \"" + format + "\"");
  }
  if (!doc["version"].is_number_unsigned() || doc["version"].get<std::uint64_t>() != kHospitalFormatVersion) {
    return part_error(std::string(what) + ": unsupported \"version\" (this hc reads version 1)");
  }
  return Status::ok_status();
}

Result<crypto::Digest32> digest_field(const json& doc, const char* field, const char* what) {
  HC_ASSIGN_OR_RETURN(std::string hex, string_field(doc, field, what));
  auto bytes = from_hex(hex);
  if (!bytes.ok() || bytes->size() != 32) return part_error(std::string(what) + ": \"" + field + "\" must be 64 hex digits");
  crypto::Digest32 out{};
  std::copy(bytes->begin(), bytes->end(), out.begin());
  return out;
}

Status check_public_part_name(const std::string& name, const char* field, const char* what) {
  Status ok = groupsig::check_member_name(name);
  if (!ok.ok()) return part_error(std::string(what) + ": \"" + field + "\": " + ok.message());
  return Status::ok_status();
}

Result<std::string> read_bounded(const std::filesystem::path& file) {
  auto text = read_text_file(file, kMaxHospitalFileBytes);
  if (!text.ok()) return text.status().with_context(file.string());
  return text;
}

}  // namespace

Status parse_host_port(const std::string& text, std::string& host, std::uint16_t& port) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon > 253) return invalid_input("address must be host:port");
  host = text.substr(0, colon);
  for (char c : host) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
    if (!ok) return invalid_input("address host may hold only [A-Za-z0-9.-]");
  }
  const std::string digits = text.substr(colon + 1);
  unsigned value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || end != digits.data() + digits.size() || value == 0 || value > 65535) {
    return invalid_input("address port must be 1..65535");
  }
  port = static_cast<std::uint16_t>(value);
  return Status::ok_status();
}

std::string hospital_public_part_to_json(const HospitalPublicPart& p) {
  json doc = {{"format", kHospitalFormat},
              {"version", kHospitalFormatVersion},
              {"chain_id", p.chain_id},
              {"name", p.name},
              {"replica_key", p.replica_key.to_hex()},
              {"tls_ca_certificate", p.tls_ca_pem},
              {"peer_address", p.peer_host + ":" + std::to_string(p.peer_port)},
              {"api_url", p.api_url}};
  if (p.trustee_key) doc["trustee_key"] = to_hex(*p.trustee_key);
  return doc.dump(2) + "\n";
}

Result<HospitalPublicPart> parse_hospital_public_part(std::string_view json_text) {
  constexpr const char* what = "hospital public part";
  auto parsed = crypto::parse_bounded_json(json_text, what);
  if (!parsed.ok()) return parsed.status();
  const json& doc = *parsed;
  std::set<std::string> fields = {"format",   "version", "chain_id", "name", "replica_key", "tls_ca_certificate",
                                   "peer_address", "api_url"};
  if (doc.is_object() && doc.contains("trustee_key")) fields.insert("trustee_key");
  HC_RETURN_IF_ERROR(check_exact_fields(doc, fields, what));
  HC_RETURN_IF_ERROR(check_format(doc, kHospitalFormat, what));
  HospitalPublicPart p;
  HC_ASSIGN_OR_RETURN(p.chain_id, string_field(doc, "chain_id", what));
  HC_RETURN_IF_ERROR(check_public_part_name(p.chain_id, "chain_id", what));
  HC_ASSIGN_OR_RETURN(p.name, string_field(doc, "name", what));
  HC_RETURN_IF_ERROR(check_public_part_name(p.name, "name", what));
  HC_ASSIGN_OR_RETURN(std::string key_hex, string_field(doc, "replica_key", what));
  auto key = crypto::Ed25519PublicKey::from_hex(key_hex);
  if (!key.ok()) return part_error(std::string(what) + ": \"replica_key\" must be an Ed25519 public key (64 hex digits)");
  p.replica_key = *key;
  HC_ASSIGN_OR_RETURN(p.tls_ca_pem, string_field(doc, "tls_ca_certificate", what));
  Status ca = net::check_tls_ca_certificate(p.tls_ca_pem);
  if (!ca.ok()) return part_error(std::string(what) + ": \"tls_ca_certificate\": " + ca.message());
  HC_ASSIGN_OR_RETURN(std::string address, string_field(doc, "peer_address", what));
  Status addr = parse_host_port(address, p.peer_host, p.peer_port);
  if (!addr.ok()) return part_error(std::string(what) + ": \"peer_address\": " + addr.message());
  HC_ASSIGN_OR_RETURN(p.api_url, string_field(doc, "api_url", what));
  std::string api_host;
  std::uint16_t api_port = 0;
  if (p.api_url.rfind("https://", 0) != 0 || !parse_host_port(p.api_url.substr(8), api_host, api_port).ok()) {
    return part_error(std::string(what) + ": \"api_url\" must be https://host:port");
  }
  if (fields.count("trustee_key")) {
    HC_ASSIGN_OR_RETURN(std::string trustee_hex, string_field(doc, "trustee_key", what));
    auto trustee_bytes = from_hex(trustee_hex);
    auto point = trustee_bytes.ok() ? crypto::P256Point::decode(*trustee_bytes) : Result<crypto::P256Point>(trustee_bytes.status());
    if (!point.ok()) return part_error(std::string(what) + ": \"trustee_key\" must be a P-256 point (130 hex digits, 04...)");
    p.trustee_key = point->encode();
  }
  return p;
}

Result<HospitalPublicPart> load_hospital_public_part(const std::filesystem::path& file) {
  HC_ASSIGN_OR_RETURN(std::string text, read_bounded(file));
  auto part = parse_hospital_public_part(text);
  if (!part.ok()) return part.status().with_context(file.string());
  return part;
}

std::string join_instructions_to_json(const JoinInstructions& j) {
  json peers = json::array();
  for (const JoinPeer& p : j.peers) peers.push_back({{"id", p.id}, {"address", p.host + ":" + std::to_string(p.port)}});
  json doc = {{"format", kJoinFormat},
              {"version", kHospitalFormatVersion},
              {"chain_id", j.chain_id},
              {"genesis_hash", to_hex(j.genesis_hash)},
              {"name", j.name},
              {"node_id", j.node_id},
              {"peers", peers},
              {"reader_token_sha256", to_hex(j.reader_token_sha256)}};
  return doc.dump(2) + "\n";
}

Result<JoinInstructions> load_join_instructions(const std::filesystem::path& file) {
  constexpr const char* what = "join instructions";
  HC_ASSIGN_OR_RETURN(std::string text, read_bounded(file));
  auto parsed = crypto::parse_bounded_json(text, what);
  if (!parsed.ok()) return parsed.status().with_context(file.string());
  const json& doc = *parsed;
  Status fields = check_exact_fields(
      doc, {"format", "version", "chain_id", "genesis_hash", "name", "node_id", "peers", "reader_token_sha256"}, what);
  if (!fields.ok()) return fields.with_context(file.string());
  HC_RETURN_IF_ERROR(check_format(doc, kJoinFormat, what));
  JoinInstructions j;
  HC_ASSIGN_OR_RETURN(j.chain_id, string_field(doc, "chain_id", what));
  HC_ASSIGN_OR_RETURN(j.genesis_hash, digest_field(doc, "genesis_hash", what));
  HC_ASSIGN_OR_RETURN(j.name, string_field(doc, "name", what));
  HC_RETURN_IF_ERROR(check_public_part_name(j.name, "name", what));
  if (!doc["node_id"].is_number_unsigned() || doc["node_id"].get<std::uint64_t>() >= kMaxJoinPeers) {
    return part_error(std::string(what) + ": bad \"node_id\"");
  }
  j.node_id = doc["node_id"].get<std::uint32_t>();
  if (!doc["peers"].is_array() || doc["peers"].size() > kMaxJoinPeers) {
    return part_error(std::string(what) + ": \"peers\" must be an array of at most 64");
  }
  for (const json& peer : doc["peers"]) {
    HC_RETURN_IF_ERROR(check_exact_fields(peer, {"id", "address"}, "join peer"));
    JoinPeer p;
    if (!peer["id"].is_number_unsigned() || peer["id"].get<std::uint64_t>() != j.peers.size()) {
      return part_error(std::string(what) + ": peer ids must be 0..n-1 in order");
    }
    p.id = static_cast<std::uint32_t>(j.peers.size());
    HC_ASSIGN_OR_RETURN(std::string address, string_field(peer, "address", "join peer"));
    HC_RETURN_IF_ERROR(parse_host_port(address, p.host, p.port));
    j.peers.push_back(std::move(p));
  }
  if (j.node_id >= j.peers.size()) return part_error(std::string(what) + ": \"node_id\" is not one of the peers");
  HC_ASSIGN_OR_RETURN(j.reader_token_sha256, digest_field(doc, "reader_token_sha256", what));
  return j;
}

}  // namespace hc::cli
