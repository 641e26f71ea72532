#include "chain/genesis.h"

#include "chain/codec.h"
#include "chain/limits.h"

namespace hc::chain {

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
  return check_limits(g.limits);
}

Bytes encode_genesis(const Genesis& g) {
  HC_CHECK(check_genesis(g).ok());
  Bytes out;
  append_bytes(out, bytes_of(kGenesisTag));
  append_u16_be(out, kGenesisVersion);
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
  return out;
}

Result<Genesis> decode_genesis(ByteSpan encoding) {
  Reader in(encoding);
  HC_RETURN_IF_ERROR(in.expect_tag(kGenesisTag, "genesis"));
  HC_ASSIGN_OR_RETURN(std::uint16_t version, in.u16("genesis version"));
  if (version != kGenesisVersion) return invalid_input("genesis: unsupported version");
  Genesis g;
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
  HC_RETURN_IF_ERROR(in.finish("genesis"));
  HC_RETURN_IF_ERROR(check_genesis(g));
  return g;
}

Digest genesis_hash(const Genesis& g) { return sha256(encode_genesis(g)); }

}  // namespace hc::chain
