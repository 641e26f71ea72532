#include "chain/transaction.h"

#include <algorithm>
#include <cctype>
#include <string>

#include "chain/codec.h"
#include "chain/transaction_governance.h"
#include "chain/transaction_trustees.h"
#include "common/overloaded.h"
#include "crypto/threshold/deal_forms.h"
#include "crypto/ed25519.h"
#include "crypto/p256_kem.h"

namespace hc::chain {

namespace {
constexpr std::string_view kTxTag = "HCTX";
constexpr std::string_view kRecordSigningTag = "HC-RECORD-SIGNING-v1";
constexpr std::string_view kManagerSigningTag = "HC-MANAGER-SIGNING-v1";
constexpr std::string_view kRecordContentTag = "HC-RECORD-CONTENT-v1";
constexpr std::string_view kRecordContentV2Tag = "HC-RECORD-CONTENT-v2";

Status too_large(const std::string& field, std::size_t max) {
  return Status::error(ErrorCode::kTooLarge,
                       field + " is longer than " + std::to_string(max) + " bytes");
}

Status check_length(std::size_t size, std::size_t min, std::size_t max, const std::string& field) {
  if (size > max) return too_large(field, max);
  if (size < min) return invalid_input(field + " is shorter than " + std::to_string(min) + " bytes");
  return Status();
}

bool is_member_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '.' || c == '_' || c == '-';
}

Status check_member_name(std::string_view name) {
  HC_RETURN_IF_ERROR(check_length(name.size(), 1, kMaxMemberNameBytes, "member name"));
  for (char c : name) {
    if (!is_member_name_char(c)) return invalid_input("member name: only [A-Za-z0-9._-] allowed");
  }
  return Status();
}

Status check_accessor(std::string_view accessor) {
  HC_RETURN_IF_ERROR(check_length(accessor.size(), 1, kMaxAuditAccessorBytes, "audit accessor"));
  for (char c : accessor) {
    if (!is_member_name_char(c) && c != '@') return invalid_input("audit accessor: only [A-Za-z0-9._@-] allowed");
  }
  if (!std::isalnum(static_cast<unsigned char>(accessor[0]))) {
    return invalid_input("audit accessor: must start with a letter or digit");
  }
  return Status();
}

bool is_all_zero(ByteSpan bytes) {
  return std::all_of(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b == 0; });
}

// One value, one encoding: the key field of the other envelope version stays zero.
Status check_record_envelope(const SealedRecord& sealed) {
  if (sealed.envelope_version == kRecordEnvelopeV1) {
    if (!is_all_zero(sealed.ephemeral_key)) return invalid_input("record: a version-1 envelope has no ephemeral key");
    return Status();
  }
  if (sealed.envelope_version != kRecordEnvelopeV2) {
    return invalid_input("record: unknown envelope version " + std::to_string(sealed.envelope_version));
  }
  if (!is_all_zero(sealed.wrapped_key)) return invalid_input("record: a version-2 envelope has no wrapped key");
  if (sealed.ephemeral_key[0] != 0x04) return invalid_input("record: the ephemeral key is not an uncompressed point");
  return Status();
}

Status check_boxed_member_key(const BoxedMemberKey& b) {
  if (b.member_id >= kMaxReplicas) return invalid_input("enrollment: member id must be a replica id below 256");
  if (!crypto::P256Point::decode(b.recipient_key).ok()) {
    return invalid_input("enrollment: the recipient key is not an uncompressed P-256 point");
  }
  return check_length(b.box.size(), crypto::kBoxOverheadBytes + 1, kMaxMemberKeyBoxBytes, "boxed member key");
}

// The kind byte on the wire: the TxKind, except for an access audit naming its accessor, a
// record of envelope version 2, a deal carrying an opener deal and a complaint against one,
// the other forms of access requests and answers, a join request naming its peer address.
std::uint8_t wire_kind(const Transaction& tx) {
  const auto* record = std::get_if<RecordTx>(&tx);
  if (record != nullptr && record->sealed.envelope_version == kRecordEnvelopeV2) return kRecordV2WireKind;
  const auto* audit = std::get_if<AccessAuditTx>(&tx);
  if (audit != nullptr && !audit->accessor.empty()) return kAccessAuditByAccountWireKind;
  const auto* deal = std::get_if<DkgDealTx>(&tx);
  if (deal != nullptr && crypto::threshold::is_proven_dkg_deal_encoding(deal->deal)) {
    return deal->opener_deal.empty() ? kProvenDkgDealWireKind : kProvenDkgDealWithOpenerWireKind;
  }
  if (deal != nullptr && !deal->opener_deal.empty()) return kDkgDealWithOpenerWireKind;
  const auto* join = std::get_if<JoinRequestTx>(&tx);
  if (join != nullptr && join->enrollment_key) return kJoinRequestWithEnrollmentKeyWireKind;
  if (join != nullptr && !join->peer_address.empty()) return kJoinRequestWithPeerWireKind;
  const auto* enrollment = std::get_if<EnrollmentTx>(&tx);
  if (enrollment != nullptr && enrollment->boxed) return kEnrollmentWithBoxWireKind;
  const auto* complaint = std::get_if<DkgComplaintTx>(&tx);
  if (complaint != nullptr && complaint->against_opener_deal) return kOpenerDkgComplaintWireKind;
  const auto* request = std::get_if<AccessRequestTx>(&tx);
  if (request != nullptr && request->reader) return kAccessRequestByReaderWireKind;
  if (request != nullptr && request->open) return kAccessRequestWithOpeningWireKind;
  const auto* answer = std::get_if<DecryptionSharesTx>(&tx);
  if (answer != nullptr && !answer->partial_openings.empty()) return kAnswerWithOpeningsWireKind;
  const auto* reshare_complaint = std::get_if<ReshareComplaintTx>(&tx);
  if (reshare_complaint != nullptr && reshare_complaint->against_opener_deal) return kOpenerReshareComplaintWireKind;
  return static_cast<std::uint8_t>(kind_of(tx));
}
}  // namespace

// Everything before the signature (for records: before the signature's length prefix).
Bytes encode_unsigned(const Transaction& tx) {
  Bytes out;
  append_tx_header(out, wire_kind(tx));
  std::visit(Overloaded{
                 [&](const RecordTx& r) {
                   append_bytes(out, r.sealed.serial);
                   append_bytes(out, r.sealed.key_id);
                   if (r.sealed.envelope_version == kRecordEnvelopeV2) {
                     append_bytes(out, r.sealed.ephemeral_key);
                   } else {
                     append_bytes(out, r.sealed.wrapped_key);
                   }
                   append_bytes(out, r.sealed.nonce);
                   append_length_prefixed(out, r.sealed.ciphertext);
                   append_u64_be(out, r.epoch);
                 },
                 [&](const PublishEnvelopeKeyTx& p) {
                   append_u16_be(out, static_cast<std::uint16_t>(p.spki_der.size()));
                   append_bytes(out, p.spki_der);
                 },
                 [&](const RevocationTx& v) {
                   append_u64_be(out, v.new_epoch);
                   append_length_prefixed(out, v.record);
                 },
                 [&](const EnrollmentTx& e) {
                   append_u8(out, static_cast<std::uint8_t>(e.member_name.size()));
                   append_bytes(out, bytes_of(e.member_name));
                   append_u16_be(out, static_cast<std::uint16_t>(e.registry_entry.size()));
                   append_bytes(out, e.registry_entry);
                   if (e.boxed) {  // kEnrollmentWithBoxWireKind
                     append_bytes(out, e.boxed->chain_id);
                     append_u32_be(out, e.boxed->member_id);
                     append_u64_be(out, e.boxed->group_epoch);
                     append_bytes(out, e.boxed->recipient_key);
                     append_u16_be(out, static_cast<std::uint16_t>(e.boxed->box.size()));
                     append_bytes(out, e.boxed->box);
                   }
                 },
                 [&](const AccessAuditTx& a) {
                   append_bytes(out, a.serial);
                   append_bytes(out, a.manager_key_id);
                   append_u64_be(out, a.timestamp_ms);
                   append_u16_be(out, static_cast<std::uint16_t>(a.purpose.size()));
                   append_bytes(out, bytes_of(a.purpose));
                   if (!a.accessor.empty()) {
                     append_u8(out, static_cast<std::uint8_t>(a.accessor.size()));
                     append_bytes(out, bytes_of(a.accessor));
                   }
                 },
                 [&](const JoinRequestTx& g) { append_governance_body(out, g); },
                 [&](const GovernanceApprovalTx& g) { append_governance_body(out, g); },
                 [&](const ExitAnnouncementTx& g) { append_governance_body(out, g); },
                 [&](const VoteOutProposalTx& g) { append_governance_body(out, g); },
                 [&](const auto& trustees_mode_tx) { append_trustees_body(out, trustees_mode_tx); },
             },
             tx);
  return out;
}

const Ed25519Signature* manager_signature(const Transaction& tx) {
  return std::visit(
      [](const auto& m) -> const Ed25519Signature* {
        if constexpr (requires { m.signature; }) {
          return &m.signature;
        } else {
          return nullptr;
        }
      },
      tx);
}

namespace {
Ed25519Signature* manager_signature(Transaction& tx) {
  return const_cast<Ed25519Signature*>(manager_signature(static_cast<const Transaction&>(tx)));
}
}  // namespace

const char* tx_kind_name(TxKind kind) {
  switch (kind) {
    case TxKind::kRecord:
      return "record";
    case TxKind::kPublishEnvelopeKey:
      return "publish_envelope_key";
    case TxKind::kRevocation:
      return "revocation";
    case TxKind::kEnrollment:
      return "enrollment";
    case TxKind::kAccessAudit:
      return "access_audit";
    case TxKind::kDkgDeal:
      return "dkg_deal";
    case TxKind::kDkgComplaint:
      return "dkg_complaint";
    case TxKind::kKeyEpochStart:
      return "key_epoch_start";
    case TxKind::kAccessRequest:
      return "access_request";
    case TxKind::kDecryptionShares:
      return "decryption_shares";
    case TxKind::kReaderPolicy:
      return "reader_policy";
    case TxKind::kJoinRequest:
      return "join_request";
    case TxKind::kGovernanceApproval:
      return "governance_approval";
    case TxKind::kExitAnnouncement:
      return "exit_announcement";
    case TxKind::kVoteOutProposal:
      return "vote_out_proposal";
    case TxKind::kReshareDeal:
      return "reshare_deal";
    case TxKind::kReshareComplaint:
      return "reshare_complaint";
    case TxKind::kReshareKey:
      return "reshare_key";
  }
  return "unknown";
}

const char* reader_rights_text(std::uint8_t rights) {
  if (rights == kReaderRightDecrypt) return "decrypt";
  if (rights == kReaderRightOpen) return "open";
  if (rights == kReaderRightsAll) return "decrypt+open";
  return "none";
}

TxKind kind_of(const Transaction& tx) {
  return std::visit(Overloaded{
                        [](const RecordTx&) { return TxKind::kRecord; },
                        [](const PublishEnvelopeKeyTx&) { return TxKind::kPublishEnvelopeKey; },
                        [](const RevocationTx&) { return TxKind::kRevocation; },
                        [](const EnrollmentTx&) { return TxKind::kEnrollment; },
                        [](const AccessAuditTx&) { return TxKind::kAccessAudit; },
                        [](const DkgDealTx&) { return TxKind::kDkgDeal; },
                        [](const DkgComplaintTx&) { return TxKind::kDkgComplaint; },
                        [](const KeyEpochStartTx&) { return TxKind::kKeyEpochStart; },
                        [](const AccessRequestTx&) { return TxKind::kAccessRequest; },
                        [](const DecryptionSharesTx&) { return TxKind::kDecryptionShares; },
                        [](const ReaderPolicyTx&) { return TxKind::kReaderPolicy; },
                        [](const JoinRequestTx&) { return TxKind::kJoinRequest; },
                        [](const GovernanceApprovalTx&) { return TxKind::kGovernanceApproval; },
                        [](const ExitAnnouncementTx&) { return TxKind::kExitAnnouncement; },
                        [](const VoteOutProposalTx&) { return TxKind::kVoteOutProposal; },
                        [](const ReshareKeyTx&) { return TxKind::kReshareKey; },
                        [](const ReshareDealTx&) { return TxKind::kReshareDeal; },
                        [](const ReshareComplaintTx&) { return TxKind::kReshareComplaint; },
                    },
                    tx);
}

bool is_manager_tx(const Transaction& tx) { return manager_signature(tx) != nullptr; }

bool is_trustee_tx(const Transaction& tx) {
  const TxKind kind = kind_of(tx);
  return kind == TxKind::kDkgDeal || kind == TxKind::kDkgComplaint || kind == TxKind::kDecryptionShares ||
         is_reshare_tx(tx);
}

bool is_reshare_tx(const Transaction& tx) {
  return std::holds_alternative<ReshareKeyTx>(tx) || std::holds_alternative<ReshareDealTx>(tx) ||
         std::holds_alternative<ReshareComplaintTx>(tx);
}

bool trustee_key_from_state(const Transaction& tx) {
  return is_reshare_tx(tx) || std::holds_alternative<DecryptionSharesTx>(tx);
}

bool is_governance_tx(const Transaction& tx) { return governance_signature_of(tx) != nullptr; }

Status check_transaction_fields(const Transaction& tx) {
  return std::visit(
      Overloaded{
          [](const RecordTx& r) -> Status {
            HC_RETURN_IF_ERROR(check_record_envelope(r.sealed));
            HC_RETURN_IF_ERROR(check_length(r.sealed.ciphertext.size(), kGcmTagBytes,
                                            kMaxRecordCiphertextBytes, "record ciphertext"));
            return check_length(r.group_signature.size(), 1, kMaxGroupSignatureBytes,
                                "group signature");
          },
          [](const PublishEnvelopeKeyTx& p) -> Status {
            return check_length(p.spki_der.size(), 1, kMaxEnvelopeSpkiBytes, "envelope key");
          },
          [](const RevocationTx& v) -> Status {
            if (v.new_epoch == 0) return invalid_input("revocation: new epoch must be >= 1");
            return check_length(v.record.size(), 1, kMaxRevocationRecordBytes,
                                "revocation record");
          },
          [](const EnrollmentTx& e) -> Status {
            HC_RETURN_IF_ERROR(check_member_name(e.member_name));
            HC_RETURN_IF_ERROR(check_length(e.registry_entry.size(), 1, kMaxRegistryEntryBytes, "registry entry"));
            return e.boxed ? check_boxed_member_key(*e.boxed) : Status();
          },
          [](const AccessAuditTx& a) -> Status {
            HC_RETURN_IF_ERROR(check_purpose_text(a.purpose, "audit purpose"));
            return a.accessor.empty() ? Status() : check_accessor(a.accessor);
          },
          [](const JoinRequestTx& g) -> Status { return check_governance_fields(g); },
          [](const GovernanceApprovalTx& g) -> Status { return check_governance_fields(g); },
          [](const ExitAnnouncementTx& g) -> Status { return check_governance_fields(g); },
          [](const VoteOutProposalTx& g) -> Status { return check_governance_fields(g); },
          [](const auto& trustees_mode_tx) -> Status { return check_trustees_fields(trustees_mode_tx); },
      },
      tx);
}

Bytes encode_transaction(const Transaction& tx) {
  HC_CHECK(check_transaction_fields(tx).ok());
  Bytes out = encode_unsigned(tx);
  if (const auto* record = std::get_if<RecordTx>(&tx)) {
    append_u16_be(out, static_cast<std::uint16_t>(record->group_signature.size()));
    append_bytes(out, record->group_signature);
  } else if (const Ed25519Signature* signature = manager_signature(tx)) {
    append_bytes(out, *signature);
  } else if (const Ed25519Signature* member = governance_signature_of(tx)) {
    append_bytes(out, *member);
  } else if (const auto* key = std::get_if<ReshareKeyTx>(&tx)) {
    append_bytes(out, key->new_key_signature);
    append_bytes(out, key->trustee_signature);
  } else {
    append_bytes(out, *trustee_signature_of(tx));
  }
  return out;
}

Digest transaction_id(ByteSpan encoding) { return sha256(encoding); }

Digest record_signing_digest(const RecordTx& tx) {
  Bytes prefix = encode_unsigned(Transaction(tx));
  return tagged_hash(kRecordSigningTag, {prefix});
}

Digest record_content_digest(const SealedRecord& sealed) {
  Bytes length;
  append_u32_be(length, static_cast<std::uint32_t>(sealed.ciphertext.size()));
  if (sealed.envelope_version == kRecordEnvelopeV2) {
    return tagged_hash(kRecordContentV2Tag, {sealed.serial, sealed.nonce, sealed.ephemeral_key, length,
                                             sealed.ciphertext});
  }
  return tagged_hash(kRecordContentTag, {sealed.serial, sealed.nonce, sealed.wrapped_key, length,
                                         sealed.ciphertext});
}

Result<Bytes> manager_signing_message(const Transaction& tx) {
  if (!is_manager_tx(tx)) return invalid_input("not a manager transaction");
  Bytes message(kManagerSigningTag.begin(), kManagerSigningTag.end());
  append_bytes(message, encode_unsigned(tx));
  return message;
}

Status sign_manager_tx(Transaction& tx, const SecureBytes& admin_seed) {
  HC_ASSIGN_OR_RETURN(Bytes message, manager_signing_message(tx));
  HC_ASSIGN_OR_RETURN(crypto::Ed25519PrivateKey key, crypto::Ed25519PrivateKey::from_seed(admin_seed));
  *manager_signature(tx) = key.sign(message);
  return Status();
}

Status verify_manager_tx(const Transaction& tx, const Ed25519PublicKey& admin_key) {
  HC_ASSIGN_OR_RETURN(Bytes message, manager_signing_message(tx));
  auto key = crypto::Ed25519PublicKey::from_bytes(admin_key);
  if (!key.ok() || !key->verify(message, *manager_signature(tx))) {
    return Status::error(ErrorCode::kAuthFailed, "manager signature does not verify");
  }
  return Status();
}

KeyId key_id_of(ByteSpan public_key_bytes) { return sha256(public_key_bytes); }

}  // namespace hc::chain
