// The JSON form of the genesis (a genesis file) and its parser.
#include <cstring>
#include <string>

#include "chain/genesis.h"
#include "chain/limits.h"
#include "common/file_io.h"
#include "crypto/bounded_json.h"

namespace hc::chain {

namespace {
using nlohmann::json;

Result<std::uint64_t> get_uint(const json& j, const char* name, std::uint64_t max) {
  auto it = j.find(name);
  if (it == j.end() || !it->is_number_unsigned()) {
    return invalid_input(std::string("genesis json: missing unsigned number ") + name);
  }
  auto v = it->get<std::uint64_t>();
  if (v > max) return invalid_input(std::string("genesis json: ") + name + " out of range");
  return v;
}

Result<std::string> get_string(const json& j, const char* name) {
  auto it = j.find(name);
  if (it == j.end() || !it->is_string()) {
    return invalid_input(std::string("genesis json: missing string ") + name);
  }
  return it->get<std::string>();
}

Result<Ed25519PublicKey> get_key(const json& j, const char* name) {
  HC_ASSIGN_OR_RETURN(std::string text, get_string(j, name));
  auto raw = from_hex(text);
  if (!raw.ok() || raw->size() != kEd25519PublicKeyBytes) {
    return invalid_input(std::string("genesis json: ") + name + " must be 32 hex bytes");
  }
  Ed25519PublicKey key{};
  std::memcpy(key.data(), raw->data(), key.size());
  return key;
}

Result<ChainLimits> get_limits(const json& j) {
  auto it = j.find("limits");
  if (it == j.end() || !it->is_object()) return invalid_input("genesis json: missing limits");
  ChainLimits l;
  HC_ASSIGN_OR_RETURN(auto txs, get_uint(*it, "max_block_transactions", UINT32_MAX));
  HC_ASSIGN_OR_RETURN(auto bytes, get_uint(*it, "max_block_bytes", UINT32_MAX));
  HC_ASSIGN_OR_RETURN(auto ct, get_uint(*it, "max_record_ciphertext_bytes", UINT32_MAX));
  HC_ASSIGN_OR_RETURN(auto grace, get_uint(*it, "revocation_grace_blocks", UINT32_MAX));
  l.max_block_transactions = static_cast<std::uint32_t>(txs);
  l.max_block_bytes = static_cast<std::uint32_t>(bytes);
  l.max_record_ciphertext_bytes = static_cast<std::uint32_t>(ct);
  l.revocation_grace_blocks = static_cast<std::uint32_t>(grace);
  return l;
}

Result<std::vector<ReplicaInfo>> get_replicas(const json& j) {
  auto it = j.find("replicas");
  if (it == j.end() || !it->is_array() || it->size() > kMaxReplicas) {
    return invalid_input("genesis json: replicas must be an array of at most 256");
  }
  std::vector<ReplicaInfo> out;
  for (const json& r : *it) {
    if (!r.is_object()) return invalid_input("genesis json: replica must be an object");
    ReplicaInfo info;
    HC_ASSIGN_OR_RETURN(auto id, get_uint(r, "id", UINT32_MAX));
    info.id = static_cast<std::uint32_t>(id);
    HC_ASSIGN_OR_RETURN(info.public_key, get_key(r, "public_key"));
    if (r.contains("tls_ca_certificate")) {
      HC_ASSIGN_OR_RETURN(info.tls_ca_pem, get_string(r, "tls_ca_certificate"));
      if (info.tls_ca_pem.empty()) return invalid_input("genesis json: tls_ca_certificate must not be empty (omit it)");
    }
    out.push_back(info);
  }
  return out;
}
Result<crypto::P256PointBytes> trustee_key_of(const json& j, std::size_t index) {
  const std::string where = "genesis json: trustee key " + std::to_string(index + 1);
  if (!j.is_string()) return invalid_input(where + " must be a hex string");
  auto raw = from_hex(j.get<std::string>());
  if (!raw.ok() || raw->size() != crypto::kP256PointBytes) return invalid_input(where + " must be 65 hex bytes");
  crypto::P256PointBytes key{};
  std::memcpy(key.data(), raw->data(), key.size());
  return key;
}

// Version 4: "access_mode": "trustees", "trustee_keys": [hex, ...] and optionally
// "trustee_threshold" (default: default_trustee_threshold(m)). Version 3 has none of them.
// Version 5: "access_mode" ("single-manager" or "trustees", with the trustees' fields as in
// version 4) and "governance": {"admin_approves": bool, "proposal_expiry_blocks": n}.
// Version 6 (DKG deals in the proven form required): as version 5 with "access_mode":
// "trustees" and any governance rules, the defaults included. Version 7: "access_mode":
// "single-manager", a governance object and "manager_opener_key": {"h": hex 48, "proof":
// hex 64}.
Status get_access_mode(const json& j, std::uint64_t version, Genesis& g) {
  const bool has_any = j.contains("access_mode") || j.contains("trustee_keys") || j.contains("trustee_threshold");
  if (version == kGenesisVersionSingleManager) {
    if (has_any) return invalid_input("genesis json: version 3 is single-manager (trustees need version 4)");
    return Status();
  }
  HC_ASSIGN_OR_RETURN(std::string mode, get_string(j, "access_mode"));
  if ((version == kGenesisVersionGovernance || version == kGenesisVersionManagerOpener) &&
      mode == access_mode_name(AccessMode::kSingleManager)) {
    if (j.contains("trustee_keys") || j.contains("trustee_threshold")) {
      return invalid_input("genesis json: a single-manager genesis has no trustees");
    }
    return Status();
  }
  if (mode != access_mode_name(AccessMode::kTrustees)) {
    return invalid_input(version == kGenesisVersionManagerOpener
                             ? "genesis json: version 7 needs access_mode \"single-manager\""
                             : "genesis json: version 4 or 6 needs access_mode \"trustees\" (single-manager is version 3)");
  }
  g.access_mode = AccessMode::kTrustees;
  auto keys = j.find("trustee_keys");
  if (keys == j.end() || !keys->is_array() || keys->empty() || keys->size() > kMaxChainTrustees) {
    return invalid_input("genesis json: trustee_keys must be an array of 1 to 64 keys");
  }
  for (std::size_t i = 0; i < keys->size(); ++i) {
    HC_ASSIGN_OR_RETURN(auto key, trustee_key_of((*keys)[i], i));
    g.trustee_keys.push_back(key);
  }
  if (j.contains("trustee_threshold")) {
    HC_ASSIGN_OR_RETURN(auto t, get_uint(j, "trustee_threshold", kMaxChainTrustees));
    g.trustee_threshold = static_cast<std::uint16_t>(t);
  } else {
    g.trustee_threshold = default_trustee_threshold(g.trustee_keys.size());
  }
  return Status();
}

Status get_governance(const json& j, std::uint64_t version, Genesis& g) {
  auto it = j.find("governance");
  if (version != kGenesisVersionGovernance && version != kGenesisVersionProvenDkg &&
      version != kGenesisVersionManagerOpener) {
    if (it != j.end()) return invalid_input("genesis json: governance rules need version 5, 6 or 7");
    return Status();
  }
  if (it == j.end() || !it->is_object()) {
    return invalid_input("genesis json: versions 5, 6 and 7 need a governance object");
  }
  auto admin = it->find("admin_approves");
  if (admin == it->end() || !admin->is_boolean()) return invalid_input("genesis json: governance.admin_approves must be true or false");
  g.governance.admin_approves = admin->get<bool>();
  HC_ASSIGN_OR_RETURN(auto expiry, get_uint(*it, "proposal_expiry_blocks", kMaxProposalExpiryBlocks));
  g.governance.proposal_expiry_blocks = static_cast<std::uint32_t>(expiry);
  if (version == kGenesisVersionGovernance && g.governance == GovernanceRules{}) {
    return invalid_input("genesis json: version 5 with the default governance rules (use version 3 or 4)");
  }
  return Status();
}

template <std::size_t N>
Result<std::array<std::uint8_t, N>> fixed_hex_of(const json& j, std::string_view key, std::string_view where) {
  auto it = j.find(std::string(key));
  if (it == j.end() || !it->is_string()) return invalid_input(std::string(where) + " must be a hex string");
  auto raw = from_hex(it->get<std::string>());
  if (!raw.ok() || raw->size() != N) {
    return invalid_input(std::string(where) + " must be " + std::to_string(N) + " hex bytes");
  }
  std::array<std::uint8_t, N> out{};
  std::memcpy(out.data(), raw->data(), N);
  return out;
}

Status get_manager_opener_key(const json& j, std::uint64_t version, Genesis& g) {
  auto it = j.find("manager_opener_key");
  if (version != kGenesisVersionManagerOpener) {
    if (it != j.end()) return invalid_input("genesis json: manager_opener_key needs version 7");
    return Status();
  }
  if (it == j.end() || !it->is_object()) return invalid_input("genesis json: version 7 needs a manager_opener_key object");
  ManagerOpenerKey key;
  HC_ASSIGN_OR_RETURN(key.h, fixed_hex_of<kManagerOpenerKeyBytes>(*it, "h", "genesis json: manager_opener_key.h"));
  HC_ASSIGN_OR_RETURN(key.proof,
                      fixed_hex_of<kManagerOpenerKeyProofBytes>(*it, "proof", "genesis json: manager_opener_key.proof"));
  g.manager_opener_key = key;
  return Status();
}
}  // namespace

json genesis_to_json(const Genesis& g) {
  json replicas = json::array();
  for (const ReplicaInfo& r : g.replicas) {
    json replica = {{"id", r.id}, {"public_key", to_hex(r.public_key)}};
    if (!r.tls_ca_pem.empty()) replica["tls_ca_certificate"] = r.tls_ca_pem;
    replicas.push_back(std::move(replica));
  }
  json out{{"version", g.encoding_version()},
              {"chain_name", g.chain_name},
              {"genesis_time_ms", g.genesis_time_ms},
              {"replicas", replicas},
              {"group_public_key", to_base64(g.group_public_key)},
              {"manager_admin_key", to_hex(g.manager_admin_key)},
              {"pseudonym_key_check", to_hex(g.pseudonym_key_check)},
              {"limits",
               {{"max_block_transactions", g.limits.max_block_transactions},
                {"max_block_bytes", g.limits.max_block_bytes},
                {"max_record_ciphertext_bytes", g.limits.max_record_ciphertext_bytes},
                {"revocation_grace_blocks", g.limits.revocation_grace_blocks}}}};
  if (g.access_mode == AccessMode::kTrustees) {
    out["access_mode"] = access_mode_name(g.access_mode);
    json keys = json::array();
    for (const auto& key : g.trustee_keys) keys.push_back(to_hex(key));
    out["trustee_keys"] = keys;
    out["trustee_threshold"] = g.trustee_threshold;
  }
  if (g.encoding_version() == kGenesisVersionGovernance || g.encoding_version() == kGenesisVersionProvenDkg ||
      g.encoding_version() == kGenesisVersionManagerOpener) {
    out["access_mode"] = access_mode_name(g.access_mode);
    out["governance"] = {{"admin_approves", g.governance.admin_approves},
                         {"proposal_expiry_blocks", g.governance.proposal_expiry_blocks}};
  }
  if (g.manager_opener_key) {
    out["manager_opener_key"] = {{"h", to_hex(g.manager_opener_key->h)}, {"proof", to_hex(g.manager_opener_key->proof)}};
  }
  return out;
}

Result<Genesis> genesis_from_json(const json& j) {
  if (!j.is_object()) return invalid_input("genesis json: must be an object");
  HC_ASSIGN_OR_RETURN(auto version, get_uint(j, "version", UINT16_MAX));
  if (version != kGenesisVersionSingleManager && version != kGenesisVersionTrustees &&
      version != kGenesisVersionGovernance && version != kGenesisVersionProvenDkg &&
      version != kGenesisVersionManagerOpener) {
    return invalid_input(
        "genesis json: unsupported version (3: single-manager, 4: trustees, 5: governance rules, 6: proven DKG deals, "
        "7: the manager's opener key)");
  }
  Genesis g;
  g.proven_dkg_deals = version == kGenesisVersionProvenDkg;
  HC_ASSIGN_OR_RETURN(g.chain_name, get_string(j, "chain_name"));
  HC_ASSIGN_OR_RETURN(g.genesis_time_ms, get_uint(j, "genesis_time_ms", UINT64_MAX));
  HC_ASSIGN_OR_RETURN(g.replicas, get_replicas(j));
  HC_ASSIGN_OR_RETURN(std::string gpk, get_string(j, "group_public_key"));
  auto gpk_raw = from_base64(gpk);
  if (!gpk_raw.ok()) return invalid_input("genesis json: group_public_key is not base64");
  g.group_public_key = std::move(gpk_raw).value();
  HC_ASSIGN_OR_RETURN(g.manager_admin_key, get_key(j, "manager_admin_key"));
  HC_ASSIGN_OR_RETURN(g.pseudonym_key_check, get_key(j, "pseudonym_key_check"));
  HC_ASSIGN_OR_RETURN(g.limits, get_limits(j));
  HC_RETURN_IF_ERROR(get_access_mode(j, version, g));
  HC_RETURN_IF_ERROR(get_governance(j, version, g));
  HC_RETURN_IF_ERROR(get_manager_opener_key(j, version, g));
  HC_RETURN_IF_ERROR(check_genesis(g));
  return g;
}

Result<Genesis> load_genesis_file(const std::string& path) {
  HC_ASSIGN_OR_RETURN(std::string text, read_text_file(path, kMaxGenesisFileBytes));
  auto j = crypto::parse_bounded_json(text, "genesis file " + path);
  if (!j.ok()) return j.status();
  return genesis_from_json(*j);
}

}  // namespace hc::chain
