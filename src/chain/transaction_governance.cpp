// The governance kinds 19..22: bodies, field rules, decoder and signing (docs/ledger.md,
// "Consortium governance").
#include "chain/transaction_governance.h"

#include <string>

#include "chain/transaction_trustees.h"
#include "crypto/ed25519.h"
#include "crypto/p256.h"

namespace hc::chain {

namespace {
constexpr std::string_view kGovernanceSigningTag = "HC-GOVERNANCE-SIGNING-v1";

bool gov_is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == '-';
}

Status gov_check_join_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxMemberNameBytes) return invalid_input("join request: name must be 1..64 bytes");
  for (char c : name) {
    if (!gov_is_name_char(c)) return invalid_input("join request: name: only [A-Za-z0-9._-] allowed");
  }
  return Status();
}

Status gov_check_api_address(std::string_view address) {
  if (address.empty() || address.size() > kMaxApiAddressBytes) {
    return invalid_input("join request: API address must be 1.." + std::to_string(kMaxApiAddressBytes) + " bytes");
  }
  for (char c : address) {
    if (c <= 0x20 || c > 0x7e) return invalid_input("join request: API address: printable ASCII without spaces only");
  }
  return Status();
}

// The genesis's framing rule for a replica's TLS CA (genesis.cpp): PEM text, bounded.
Status gov_check_tls_ca(std::string_view pem) {
  if (pem.empty()) return Status();
  if (pem.size() > kMaxTlsCaCertificateBytes) return invalid_input("join request: TLS CA certificate exceeds 4096 bytes");
  if (pem.rfind("-----BEGIN CERTIFICATE-----", 0) != 0) return invalid_input("join request: TLS CA certificate is not PEM");
  for (char c : pem) {
    if ((c < 0x20 || c > 0x7e) && c != '\n' && c != '\r') return invalid_input("join request: TLS CA certificate is not PEM");
  }
  return Status();
}

std::string gov_text_of(const Bytes& b) { return std::string(b.begin(), b.end()); }
}  // namespace

void append_governance_body(Bytes& out, const JoinRequestTx& tx) {
  append_bytes(out, tx.chain_id);
  append_bytes(out, tx.replica_key);
  append_u8(out, static_cast<std::uint8_t>(tx.name.size()));
  append_bytes(out, bytes_of(tx.name));
  append_u8(out, static_cast<std::uint8_t>(tx.api_address.size()));
  append_bytes(out, bytes_of(tx.api_address));
  append_u16_be(out, static_cast<std::uint16_t>(tx.tls_ca_pem.size()));
  append_bytes(out, bytes_of(tx.tls_ca_pem));
  append_u64_be(out, tx.nonce);
  if (!tx.peer_address.empty()) {  // kJoinRequestWithPeerWireKind (or 24)
    append_u8(out, static_cast<std::uint8_t>(tx.peer_address.size()));
    append_bytes(out, bytes_of(tx.peer_address));
  }
  if (tx.enrollment_key) append_bytes(out, *tx.enrollment_key);  // kJoinRequestWithEnrollmentKeyWireKind
}

void append_governance_body(Bytes& out, const GovernanceApprovalTx& tx) {
  append_bytes(out, tx.chain_id);
  append_bytes(out, tx.proposal_id);
  append_u32_be(out, tx.approver);
}

void append_governance_body(Bytes& out, const ExitAnnouncementTx& tx) {
  append_bytes(out, tx.chain_id);
  append_u32_be(out, tx.member);
  append_u64_be(out, tx.nonce);
}

void append_governance_body(Bytes& out, const VoteOutProposalTx& tx) {
  append_bytes(out, tx.chain_id);
  append_u32_be(out, tx.proposer);
  append_u32_be(out, tx.target);
  append_u64_be(out, tx.nonce);
}

Result<PeerAddress> parse_peer_address(std::string_view address) {
  const std::string bad = "peer address must be host:port (printable ASCII without spaces, at most " +
                          std::to_string(kMaxApiAddressBytes) + " bytes, port 1..65535)";
  if (address.size() < 3 || address.size() > kMaxApiAddressBytes) return invalid_input(bad);
  for (char c : address) {
    if (c <= 0x20 || c > 0x7e) return invalid_input(bad);
  }
  const std::size_t colon = address.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == address.size() || address.size() - colon - 1 > 5) {
    return invalid_input(bad);
  }
  std::uint32_t port = 0;
  for (char c : address.substr(colon + 1)) {
    if (c < '0' || c > '9') return invalid_input(bad);
    port = port * 10 + static_cast<std::uint32_t>(c - '0');
  }
  if (port == 0 || port > 65535 || address[colon + 1] == '0') return invalid_input(bad);  // one spelling per port
  return PeerAddress{std::string(address.substr(0, colon)), static_cast<std::uint16_t>(port)};
}

Status check_governance_fields(const JoinRequestTx& tx) {
  HC_RETURN_IF_ERROR(gov_check_join_name(tx.name));
  HC_RETURN_IF_ERROR(gov_check_api_address(tx.api_address));
  if (!tx.peer_address.empty()) {
    HC_RETURN_IF_ERROR(parse_peer_address(tx.peer_address).status().with_context("join request"));
  }
  if (tx.enrollment_key) {
    if (tx.peer_address.empty()) return invalid_input("join request: an enrollment key needs a peer address (wire kind 24)");
    if (!crypto::P256Point::decode(*tx.enrollment_key).ok()) {
      return invalid_input("join request: the enrollment key is not an uncompressed P-256 point");
    }
  }
  return gov_check_tls_ca(tx.tls_ca_pem);
}

Status check_governance_fields(const GovernanceApprovalTx& tx) {
  if (tx.approver != kAdminApprover && tx.approver >= kMaxReplicas) {
    return invalid_input("approval: approver must be a replica id below " + std::to_string(kMaxReplicas) +
                         " or the admin (" + std::to_string(kAdminApprover) + ")");
  }
  return Status();
}

Status check_governance_fields(const ExitAnnouncementTx& tx) {
  if (tx.member >= kMaxReplicas) return invalid_input("exit: member must be a replica id below 256");
  return Status();
}

Status check_governance_fields(const VoteOutProposalTx& tx) {
  if (tx.proposer >= kMaxReplicas || tx.target >= kMaxReplicas) {
    return invalid_input("vote-out: proposer and target must be replica ids below 256");
  }
  if (tx.proposer == tx.target) return invalid_input("vote-out: a member leaves with an exit announcement, not by voting itself out");
  return Status();
}

Result<Transaction> decode_governance_body(std::uint8_t wire_kind, Reader& in) {
  const auto kind = static_cast<TxKind>(wire_kind);
  if (kind == TxKind::kJoinRequest || wire_kind == kJoinRequestWithPeerWireKind ||
      wire_kind == kJoinRequestWithEnrollmentKeyWireKind) {
    JoinRequestTx tx;
    HC_ASSIGN_OR_RETURN(tx.chain_id, in.array<kDigestBytes>("chain id"));
    HC_ASSIGN_OR_RETURN(tx.replica_key, in.array<kEd25519PublicKeyBytes>("replica key"));
    HC_ASSIGN_OR_RETURN(Bytes name, in.bytes8(1, kMaxMemberNameBytes, "join name"));
    tx.name = gov_text_of(name);
    HC_ASSIGN_OR_RETURN(Bytes address, in.bytes8(1, kMaxApiAddressBytes, "API address"));
    tx.api_address = gov_text_of(address);
    HC_ASSIGN_OR_RETURN(Bytes pem, in.bytes16(0, kMaxTlsCaCertificateBytes, "TLS CA certificate"));
    tx.tls_ca_pem = gov_text_of(pem);
    HC_ASSIGN_OR_RETURN(tx.nonce, in.u64("nonce"));
    if (wire_kind != static_cast<std::uint8_t>(TxKind::kJoinRequest)) {
      HC_ASSIGN_OR_RETURN(Bytes peer, in.bytes8(1, kMaxApiAddressBytes, "peer address"));
      tx.peer_address = gov_text_of(peer);
    }
    if (wire_kind == kJoinRequestWithEnrollmentKeyWireKind) {
      HC_ASSIGN_OR_RETURN(tx.enrollment_key, in.array<crypto::kP256PointBytes>("enrollment key"));
    }
    HC_ASSIGN_OR_RETURN(tx.member_signature, in.array<kEd25519SignatureBytes>("replica signature"));
    return Transaction(std::move(tx));
  }
  if (kind == TxKind::kGovernanceApproval) {
    GovernanceApprovalTx tx;
    HC_ASSIGN_OR_RETURN(tx.chain_id, in.array<kDigestBytes>("chain id"));
    HC_ASSIGN_OR_RETURN(tx.proposal_id, in.array<kDigestBytes>("proposal id"));
    HC_ASSIGN_OR_RETURN(tx.approver, in.u32("approver"));
    HC_ASSIGN_OR_RETURN(tx.member_signature, in.array<kEd25519SignatureBytes>("approver signature"));
    return Transaction(std::move(tx));
  }
  if (kind == TxKind::kExitAnnouncement) {
    ExitAnnouncementTx tx;
    HC_ASSIGN_OR_RETURN(tx.chain_id, in.array<kDigestBytes>("chain id"));
    HC_ASSIGN_OR_RETURN(tx.member, in.u32("leaving member"));
    HC_ASSIGN_OR_RETURN(tx.nonce, in.u64("nonce"));
    HC_ASSIGN_OR_RETURN(tx.member_signature, in.array<kEd25519SignatureBytes>("member signature"));
    return Transaction(std::move(tx));
  }
  if (kind == TxKind::kVoteOutProposal) {
    VoteOutProposalTx tx;
    HC_ASSIGN_OR_RETURN(tx.chain_id, in.array<kDigestBytes>("chain id"));
    HC_ASSIGN_OR_RETURN(tx.proposer, in.u32("proposer"));
    HC_ASSIGN_OR_RETURN(tx.target, in.u32("target"));
    HC_ASSIGN_OR_RETURN(tx.nonce, in.u64("nonce"));
    HC_ASSIGN_OR_RETURN(tx.member_signature, in.array<kEd25519SignatureBytes>("proposer signature"));
    return Transaction(std::move(tx));
  }
  return invalid_input("transaction: not a governance wire kind");
}

const Ed25519Signature* governance_signature_of(const Transaction& tx) {
  return std::visit(
      [](const auto& t) -> const Ed25519Signature* {
        if constexpr (requires { t.member_signature; }) {
          return &t.member_signature;
        } else {
          return nullptr;
        }
      },
      tx);
}

Result<Bytes> governance_signing_message(const Transaction& tx) {
  if (!is_governance_tx(tx)) return invalid_input("not a governance transaction");
  Bytes message(kGovernanceSigningTag.begin(), kGovernanceSigningTag.end());
  append_bytes(message, encode_unsigned(tx));
  return message;
}

Status sign_governance_tx(Transaction& tx, const SecureBytes& replica_seed) {
  HC_ASSIGN_OR_RETURN(crypto::Ed25519PrivateKey key, crypto::Ed25519PrivateKey::from_seed(replica_seed));
  return sign_governance_tx(tx, key);
}

Status sign_governance_tx(Transaction& tx, const crypto::Ed25519PrivateKey& key) {
  HC_ASSIGN_OR_RETURN(Bytes message, governance_signing_message(tx));
  *const_cast<Ed25519Signature*>(governance_signature_of(tx)) = key.sign(message);
  return Status();
}

Status verify_governance_signature(const Transaction& tx, const Ed25519PublicKey& signer) {
  HC_ASSIGN_OR_RETURN(Bytes message, governance_signing_message(tx));
  auto key = crypto::Ed25519PublicKey::from_bytes(signer);
  if (!key.ok() || !key->verify(message, *governance_signature_of(tx))) {
    return Status::error(ErrorCode::kAuthFailed, "governance signature does not verify");
  }
  return Status();
}

}  // namespace hc::chain
