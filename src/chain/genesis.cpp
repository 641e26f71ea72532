#include "chain/genesis.h"

#include "chain/codec.h"
#include "chain/limits.h"

namespace hc::chain {

const char* access_mode_name(AccessMode mode) {
  switch (mode) {
    case AccessMode::kSingleManager:
      return "single-manager";
    case AccessMode::kTrustees:
      return "trustees";
  }
  return "unknown";
}

std::uint16_t default_trustee_threshold(std::size_t trustees) {
  if (trustees == 0) return 0;
  return static_cast<std::uint16_t>(2 * ((trustees - 1) / 3) + 1);
}

namespace {
constexpr std::string_view kGenesisTag = "HCGN";

bool valid_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxChainNameBytes) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Status check_limits(const ChainLimits& l) {
  if (l.max_block_transactions == 0 || l.max_block_transactions > kMaxBlockTransactions) {
    return invalid_input("genesis: max_block_transactions out of range");
  }
  if (l.max_block_bytes < 1024 || l.max_block_bytes > kMaxBlockBytes) {
    return invalid_input("genesis: max_block_bytes out of range");
  }
  if (l.max_record_ciphertext_bytes < kGcmTagBytes ||
      l.max_record_ciphertext_bytes > kMaxRecordCiphertextBytes) {
    return invalid_input("genesis: max_record_ciphertext_bytes out of range");
  }
  if (l.revocation_grace_blocks != 0) {  // docs/groupsig.md, "Epochs and revocation"
    return invalid_input("genesis: revocation_grace_blocks must be 0 (after a revocation anyone can forge old-epoch records)");
  }
  return Status();
}
}  // namespace

std::optional<Ed25519PublicKey> Genesis::replica_key(std::uint32_t id) const {
  for (const ReplicaInfo& r : replicas) {
    if (r.id == id) return r.public_key;
  }
  return std::nullopt;
}

std::vector<std::string> Genesis::tls_trust_anchors() const {
  std::vector<std::string> out;
  for (const ReplicaInfo& r : replicas) {
    if (!r.tls_ca_pem.empty()) out.push_back(r.tls_ca_pem);
  }
  return out;
}

namespace {
Status check_tls_ca_framing(const ReplicaInfo& r) {
  if (r.tls_ca_pem.empty()) return Status();
  const std::string where = "genesis: TLS CA certificate of replica " + std::to_string(r.id);
  if (r.tls_ca_pem.size() > kMaxTlsCaCertificateBytes) return invalid_input(where + " exceeds 4096 bytes");
  if (r.tls_ca_pem.rfind("-----BEGIN CERTIFICATE-----", 0) != 0) return invalid_input(where + " is not PEM");
  for (char c : r.tls_ca_pem) {
    if ((c < 0x20 || c > 0x7e) && c != '\n' && c != '\r') return invalid_input(where + " is not PEM");
  }
  return Status();
}
}  // namespace

namespace {
Status check_access_mode(const Genesis& g) {
  if (g.access_mode == AccessMode::kSingleManager) {
    if (!g.trustee_keys.empty() || g.trustee_threshold != 0) {
      return invalid_input("genesis: a single-manager genesis has no trustees");
    }
    return Status();
  }
  if (g.access_mode != AccessMode::kTrustees) return invalid_input("genesis: unknown access mode");
  const std::size_t m = g.trustee_keys.size();
  if (m == 0 || m > kMaxChainTrustees) return invalid_input("genesis: trustees mode needs 1 to 64 trustee keys");
  if (g.trustee_threshold == 0 || g.trustee_threshold > m) {
    return invalid_input("genesis: trustee threshold must be 1..m (" + std::to_string(m) + ")");
  }
  for (std::size_t j = 0; j < m; ++j) {
    if (!crypto::P256Point::decode(g.trustee_keys[j]).ok()) {
      return invalid_input("genesis: trustee key " + std::to_string(j + 1) + " is not an uncompressed P-256 point");
    }
    for (std::size_t k = 0; k < j; ++k) {
      if (g.trustee_keys[k] == g.trustee_keys[j]) {
        return invalid_input("genesis: trustee keys " + std::to_string(k + 1) + " and " + std::to_string(j + 1) +
                             " are equal");
      }
    }
  }
  return Status();
}
}  // namespace

Status check_genesis(const Genesis& g) {
  if (!valid_name(g.chain_name)) return invalid_input("genesis: chain name must be 1..64 of [A-Za-z0-9._-]");
  if (g.replicas.empty() || g.replicas.size() > kMaxReplicas) {
    return invalid_input("genesis: 1 to 256 replicas required");
  }
  for (std::size_t i = 1; i < g.replicas.size(); ++i) {
    if (g.replicas[i].id <= g.replicas[i - 1].id) {
      return invalid_input("genesis: replica ids must be strictly increasing");
    }
  }
  for (const ReplicaInfo& r : g.replicas) HC_RETURN_IF_ERROR(check_tls_ca_framing(r));
  if (g.group_public_key.empty() || g.group_public_key.size() > kMaxGroupPublicKeyBytes) {
    return invalid_input("genesis: group public key size out of range");
  }
  HC_RETURN_IF_ERROR(check_access_mode(g));
  if (g.manager_opener_key && (g.access_mode != AccessMode::kSingleManager || g.proven_dkg_deals)) {
    return invalid_input("genesis: the manager's opener key (version 7) needs access mode single-manager");
  }
  if (g.proven_dkg_deals && g.access_mode != AccessMode::kTrustees) {
    return invalid_input("genesis: proven DKG deals (version 6) need access mode trustees");
  }
  if (g.governance.proposal_expiry_blocks == 0 || g.governance.proposal_expiry_blocks > kMaxProposalExpiryBlocks) {
    return invalid_input("genesis: proposal_expiry_blocks must be 1.." + std::to_string(kMaxProposalExpiryBlocks));
  }
  return check_limits(g.limits);
}

Bytes encode_genesis(const Genesis& g) {
  HC_CHECK(check_genesis(g).ok());
  Bytes out;
  append_bytes(out, bytes_of(kGenesisTag));
  append_u16_be(out, g.encoding_version());
  append_u8(out, static_cast<std::uint8_t>(g.chain_name.size()));
  append_bytes(out, bytes_of(g.chain_name));
  append_u64_be(out, g.genesis_time_ms);
  append_u16_be(out, static_cast<std::uint16_t>(g.replicas.size()));
  for (const ReplicaInfo& r : g.replicas) {
    append_u32_be(out, r.id);
    append_bytes(out, r.public_key);
    append_length_prefixed(out, bytes_of(r.tls_ca_pem));
  }
  append_length_prefixed(out, g.group_public_key);
  append_bytes(out, g.manager_admin_key);
  append_bytes(out, g.pseudonym_key_check);
  append_u32_be(out, g.limits.max_block_transactions);
  append_u32_be(out, g.limits.max_block_bytes);
  append_u32_be(out, g.limits.max_record_ciphertext_bytes);
  append_u32_be(out, g.limits.revocation_grace_blocks);
  const bool governance = g.encoding_version() == kGenesisVersionGovernance ||
                          g.encoding_version() == kGenesisVersionProvenDkg ||
                          g.encoding_version() == kGenesisVersionManagerOpener;
  if (g.access_mode == AccessMode::kTrustees || governance) append_u8(out, static_cast<std::uint8_t>(g.access_mode));
  if (g.access_mode == AccessMode::kTrustees) {
    append_u16_be(out, g.trustee_threshold);
    append_u8(out, static_cast<std::uint8_t>(g.trustee_keys.size()));
    for (const auto& key : g.trustee_keys) append_bytes(out, key);
  }
  if (governance) {
    append_u8(out, g.governance.admin_approves ? 1 : 0);
    append_u32_be(out, g.governance.proposal_expiry_blocks);
  }
  if (g.manager_opener_key) {
    append_bytes(out, g.manager_opener_key->h);
    append_bytes(out, g.manager_opener_key->proof);
  }
  return out;
}

Bytes manager_opener_key_context(const Genesis& g) {
  Bytes out;
  append_u8(out, static_cast<std::uint8_t>(g.chain_name.size()));
  append_bytes(out, bytes_of(g.chain_name));
  append_u64_be(out, g.genesis_time_ms);
  append_length_prefixed(out, g.group_public_key);
  append_bytes(out, g.manager_admin_key);
  return out;
}

namespace {
// Version 4's trailer (and version 5's after a mode byte of 2). Only trustees mode has a
// version-4 encoding.
Status decode_trustee_keys(Reader& in, Genesis& g) {
  g.access_mode = AccessMode::kTrustees;
  HC_ASSIGN_OR_RETURN(g.trustee_threshold, in.u16("trustee threshold"));
  HC_ASSIGN_OR_RETURN(std::uint8_t m, in.u8("trustee count"));
  if (m == 0 || m > kMaxChainTrustees) return invalid_input("genesis: trustees mode needs 1 to 64 trustee keys");
  for (std::uint8_t j = 0; j < m; ++j) {
    HC_ASSIGN_OR_RETURN(auto key, in.array<crypto::kP256PointBytes>("trustee key"));
    g.trustee_keys.push_back(key);
  }
  return Status();
}

Status decode_trustee_section(Reader& in, Genesis& g) {
  HC_ASSIGN_OR_RETURN(std::uint8_t mode, in.u8("access mode"));
  if (mode != static_cast<std::uint8_t>(AccessMode::kTrustees)) {
    return invalid_input("genesis: version 4 must name access mode trustees (2), not " + std::to_string(mode));
  }
  return decode_trustee_keys(in, g);
}

// Version 5's trailer: the access mode, its trustees if any, the governance rules. Version 6's
// (proven_dkg_deals): the same with access mode trustees, the default rules allowed; version
// 7's (`manager_opener`): the same with access mode single-manager, then the opener key.
Status decode_governance_section(Reader& in, Genesis& g, bool manager_opener) {
  HC_ASSIGN_OR_RETURN(std::uint8_t mode, in.u8("access mode"));
  if (g.proven_dkg_deals && mode != static_cast<std::uint8_t>(AccessMode::kTrustees)) {
    return invalid_input("genesis: version 6 must name access mode trustees (2), not " + std::to_string(mode));
  }
  if (manager_opener && mode != static_cast<std::uint8_t>(AccessMode::kSingleManager)) {
    return invalid_input("genesis: version 7 must name access mode single-manager (1), not " + std::to_string(mode));
  }
  if (mode == static_cast<std::uint8_t>(AccessMode::kTrustees)) {
    HC_RETURN_IF_ERROR(decode_trustee_keys(in, g));
  } else if (mode != static_cast<std::uint8_t>(AccessMode::kSingleManager)) {
    return invalid_input("genesis: unknown access mode " + std::to_string(mode));
  }
  HC_ASSIGN_OR_RETURN(std::uint8_t admin, in.u8("governance admin approves"));
  if (admin > 1) return invalid_input("genesis: governance admin approves must be 0 or 1");
  g.governance.admin_approves = admin == 1;
  HC_ASSIGN_OR_RETURN(g.governance.proposal_expiry_blocks, in.u32("proposal expiry blocks"));
  if (manager_opener) {
    ManagerOpenerKey key;
    HC_ASSIGN_OR_RETURN(key.h, in.array<kManagerOpenerKeyBytes>("manager opener key"));
    HC_ASSIGN_OR_RETURN(key.proof, in.array<kManagerOpenerKeyProofBytes>("manager opener key proof"));
    g.manager_opener_key = key;
    return Status();
  }
  if (!g.proven_dkg_deals && g.governance == GovernanceRules{}) {
    return invalid_input("genesis: version 5 with the default governance rules (use version 3 or 4)");
  }
  return Status();
}
}  // namespace

Result<Genesis> decode_genesis(ByteSpan encoding) {
  Reader in(encoding);
  HC_RETURN_IF_ERROR(in.expect_tag(kGenesisTag, "genesis"));
  HC_ASSIGN_OR_RETURN(std::uint16_t version, in.u16("genesis version"));
  if (version != kGenesisVersionSingleManager && version != kGenesisVersionTrustees &&
      version != kGenesisVersionGovernance && version != kGenesisVersionProvenDkg &&
      version != kGenesisVersionManagerOpener) {
    return invalid_input("genesis: unsupported version " + std::to_string(version));
  }
  Genesis g;
  g.proven_dkg_deals = version == kGenesisVersionProvenDkg;
  HC_ASSIGN_OR_RETURN(Bytes name, in.bytes8(1, kMaxChainNameBytes, "chain name"));
  g.chain_name.assign(name.begin(), name.end());
  HC_ASSIGN_OR_RETURN(g.genesis_time_ms, in.u64("genesis time"));
  HC_ASSIGN_OR_RETURN(std::uint16_t n, in.u16("replica count"));
  if (n == 0 || n > kMaxReplicas) return invalid_input("genesis: 1 to 256 replicas required");
  for (std::uint16_t i = 0; i < n; ++i) {
    ReplicaInfo r;
    HC_ASSIGN_OR_RETURN(r.id, in.u32("replica id"));
    HC_ASSIGN_OR_RETURN(r.public_key, in.array<kEd25519PublicKeyBytes>("replica key"));
    HC_ASSIGN_OR_RETURN(Bytes tls_ca, in.bytes32(0, kMaxTlsCaCertificateBytes, "TLS CA certificate"));
    r.tls_ca_pem.assign(tls_ca.begin(), tls_ca.end());
    g.replicas.push_back(r);
  }
  HC_ASSIGN_OR_RETURN(g.group_public_key, in.bytes32(1, kMaxGroupPublicKeyBytes, "group public key"));
  HC_ASSIGN_OR_RETURN(g.manager_admin_key, in.array<kEd25519PublicKeyBytes>("admin key"));
  HC_ASSIGN_OR_RETURN(g.pseudonym_key_check, in.array<kDigestBytes>("pseudonym key check"));
  HC_ASSIGN_OR_RETURN(g.limits.max_block_transactions, in.u32("max_block_transactions"));
  HC_ASSIGN_OR_RETURN(g.limits.max_block_bytes, in.u32("max_block_bytes"));
  HC_ASSIGN_OR_RETURN(g.limits.max_record_ciphertext_bytes, in.u32("max_record_ciphertext_bytes"));
  HC_ASSIGN_OR_RETURN(g.limits.revocation_grace_blocks, in.u32("revocation_grace_blocks"));
  if (version == kGenesisVersionTrustees) HC_RETURN_IF_ERROR(decode_trustee_section(in, g));
  if (version == kGenesisVersionGovernance || version == kGenesisVersionProvenDkg ||
      version == kGenesisVersionManagerOpener) {
    HC_RETURN_IF_ERROR(decode_governance_section(in, g, version == kGenesisVersionManagerOpener));
  }
  HC_RETURN_IF_ERROR(in.finish("genesis"));
  HC_RETURN_IF_ERROR(check_genesis(g));
  return g;
}

Digest genesis_hash(const Genesis& g) { return sha256(encode_genesis(g)); }

}  // namespace hc::chain
