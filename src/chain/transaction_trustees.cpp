// The trustees-mode transaction kinds (6..10, their second wire forms and the reader policy, 17
// and 18): bodies, field rules and their decoder
// (docs/ledger.md, "Transactions").
#include <algorithm>
#include <string>

#include "chain/transaction_trustees.h"
#include "common/overloaded.h"
#include "crypto/threshold/deal_forms.h"

namespace hc::chain {

namespace {
Status trustees_field_length(std::size_t size, std::size_t min, std::size_t max, const std::string& field) {
  if (size > max) return Status::error(ErrorCode::kTooLarge, field + " is longer than " + std::to_string(max) + " bytes");
  if (size < min) return invalid_input(field + " is shorter than " + std::to_string(min) + " bytes");
  return Status();
}

Status check_trustee_field(std::uint16_t index, std::string_view role) {
  if (index == 0 || index > kMaxChainTrustees) {
    return invalid_input(std::string(role) + " index must be 1..64, not " + std::to_string(index));
  }
  return Status();
}

bool is_blank(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}
}  // namespace

void append_tx_header(Bytes& out, std::uint8_t wire_kind) {
  append_bytes(out, bytes_of(kTransactionTag));
  append_u8(out, kTransactionVersion);
  append_u8(out, wire_kind);
}

Status check_purpose_text(std::string_view text, std::string_view field) {
  HC_RETURN_IF_ERROR(trustees_field_length(text.size(), 1, kMaxAuditPurposeBytes, std::string(field)));
  if (!is_printable_utf8(text)) return invalid_input(std::string(field) + ": not printable UTF-8");
  return Status();
}

void append_trustees_body(Bytes& out, const DkgDealTx& tx) {
  append_bytes(out, tx.chain_id);
  append_u64_be(out, tx.key_epoch);
  append_u16_be(out, tx.dealer);
  append_length_prefixed(out, tx.deal);
  if (!tx.opener_deal.empty()) append_length_prefixed(out, tx.opener_deal);
}

void append_trustees_body(Bytes& out, const DkgComplaintTx& tx) {
  append_bytes(out, tx.chain_id);
  append_u64_be(out, tx.key_epoch);
  append_u16_be(out, tx.complainer);
  append_u16_be(out, static_cast<std::uint16_t>(tx.complaint.size()));
  append_bytes(out, tx.complaint);
}

void append_trustees_body(Bytes& out, const KeyEpochStartTx& tx) {
  append_bytes(out, tx.chain_id);
  append_u64_be(out, tx.key_epoch);
}

void append_trustees_body(Bytes& out, const AccessRequestTx& tx) {
  append_bytes(out, tx.chain_id);
  append_u64_be(out, tx.key_epoch);
  if (tx.reader) {  // wire kind 18: the flags (1..3) and the signing reader's key
    append_u8(out, access_request_flags(tx));
    append_bytes(out, *tx.reader);
  } else if (tx.open) {
    append_u8(out, access_request_flags(tx));  // wire kind 15
  }
  append_bytes(out, tx.serial);
  append_u16_be(out, static_cast<std::uint16_t>(tx.record_ids.size()));
  for (const Digest& id : tx.record_ids) append_bytes(out, id);
  append_u64_be(out, tx.timestamp_ms);
  append_u16_be(out, static_cast<std::uint16_t>(tx.purpose.size()));
  append_bytes(out, bytes_of(tx.purpose));
  append_bytes(out, tx.requester_key);
}

void append_trustees_body(Bytes& out, const DecryptionSharesTx& tx) {
  append_bytes(out, tx.chain_id);
  append_bytes(out, tx.request_id);
  append_u16_be(out, tx.trustee);
  append_u16_be(out, static_cast<std::uint16_t>(tx.share_boxes.size()));
  for (const Bytes& box : tx.share_boxes) append_bytes(out, box);
  if (tx.partial_openings.empty()) return;  // wire kind 10
  append_u16_be(out, static_cast<std::uint16_t>(tx.partial_openings.size()));
  for (const PartialOpeningEntry& e : tx.partial_openings) {
    append_bytes(out, e.record_id);
    append_bytes(out, e.partial_opening);
  }
}

void append_trustees_body(Bytes& out, const ReaderPolicyTx& tx) {
  append_bytes(out, tx.chain_id);
  append_u64_be(out, tx.policy_version);
  append_u8(out, static_cast<std::uint8_t>(tx.action));
  append_bytes(out, tx.reader_key);
  append_u8(out, tx.rights);
  append_u8(out, static_cast<std::uint8_t>(tx.name.size()));
  append_bytes(out, bytes_of(tx.name));
}

std::uint8_t access_request_flags(const AccessRequestTx& tx) {
  return static_cast<std::uint8_t>((tx.decrypt ? kAccessRequestAsksDecrypt : 0) | (tx.open ? kAccessRequestAsksOpen : 0));
}

Status check_trustees_fields(const DkgDealTx& tx) {
  HC_RETURN_IF_ERROR(check_trustee_field(tx.dealer, "dkg deal: dealer"));
  HC_RETURN_IF_ERROR(trustees_field_length(tx.opener_deal.size(), 0, kMaxOpenerDealBytes, "dkg deal: opener deal"));
  if (!tx.opener_deal.empty() && crypto::threshold::is_proven_opener_deal_encoding(tx.opener_deal) !=
                                     crypto::threshold::is_proven_dkg_deal_encoding(tx.deal)) {
    return invalid_input("dkg deal: the deal and the opener deal must both be in the proven form or both not");
  }
  return trustees_field_length(tx.deal.size(), 1, kMaxDkgDealBytes, "dkg deal");
}

Status check_trustees_fields(const DkgComplaintTx& tx) {
  HC_RETURN_IF_ERROR(check_trustee_field(tx.complainer, "dkg complaint: complainer"));
  return trustees_field_length(tx.complaint.size(), 1, kMaxDkgComplaintBytes, "dkg complaint");
}

Status check_trustees_fields(const KeyEpochStartTx& tx) {
  if (tx.key_epoch == 0) return invalid_input("key epoch start: epoch must be >= 1 (epoch 0 starts at genesis)");
  return Status();
}

Status check_trustees_fields(const AccessRequestTx& tx) {
  if (tx.record_ids.size() > kMaxAccessRequestRecords) {
    return Status::error(ErrorCode::kTooLarge, "access request: more than 256 record ids");
  }
  for (std::size_t i = 1; i < tx.record_ids.size(); ++i) {
    if (!(tx.record_ids[i - 1] < tx.record_ids[i])) {
      return invalid_input("access request: record ids must be strictly increasing");
    }
  }
  HC_RETURN_IF_ERROR(check_purpose_text(tx.purpose, "access request purpose"));
  if (is_blank(tx.purpose)) return invalid_input("access request purpose: must not be blank");
  if (!crypto::P256Point::decode(tx.requester_key).ok()) {
    return invalid_input("access request: requester key is not an uncompressed P-256 point");
  }
  if (!tx.decrypt && !tx.open) return invalid_input("access request: asks neither to decrypt nor to open");
  if (tx.open && tx.record_ids.empty()) return invalid_input("access request: a request to open must name its records");
  return Status();
}

Status check_trustees_fields(const DecryptionSharesTx& tx) {
  HC_RETURN_IF_ERROR(check_trustee_field(tx.trustee, "decryption shares: trustee"));
  if (tx.share_boxes.empty() && tx.partial_openings.empty()) return invalid_input("decryption shares: no share");
  if (tx.share_boxes.size() > kMaxDecryptionSharesPerTx) {
    return Status::error(ErrorCode::kTooLarge, "decryption shares: more than 256 shares");
  }
  for (const Bytes& box : tx.share_boxes) {
    if (box.size() != kDecryptionShareBoxBytes) return invalid_input("decryption shares: a share box is not 407 bytes");
  }
  if (tx.partial_openings.size() > kMaxAccessRequestRecords) {
    return Status::error(ErrorCode::kTooLarge, "decryption shares: more than 256 partial openings");
  }
  for (std::size_t i = 0; i < tx.partial_openings.size(); ++i) {
    if (tx.partial_openings[i].partial_opening.size() != kPartialOpeningEntryBytes) {
      return invalid_input("decryption shares: a partial opening is not 243 bytes");
    }
    if (i > 0 && !(tx.partial_openings[i - 1].record_id < tx.partial_openings[i].record_id)) {
      return invalid_input("decryption shares: partial openings' record ids must be strictly increasing");
    }
  }
  return Status();
}

Status check_trustees_fields(const ReaderPolicyTx& tx) {
  if (tx.policy_version == 0) return invalid_input("reader policy: version must be >= 1");
  if (tx.action == ReaderPolicyAction::kRemove) {
    if (tx.rights != 0 || !tx.name.empty()) return invalid_input("reader policy: a removal carries no rights and no name");
    return Status();
  }
  if (tx.action != ReaderPolicyAction::kAdd) return invalid_input("reader policy: action must be 1 (add) or 2 (remove)");
  if (tx.rights == 0 || (tx.rights & ~kReaderRightsAll) != 0) {
    return invalid_input("reader policy: rights must be 1 (decrypt), 2 (open) or 3 (decrypt and open), not " +
                         std::to_string(tx.rights));
  }
  HC_RETURN_IF_ERROR(trustees_field_length(tx.name.size(), 1, kMaxReaderNameBytes, "reader name"));
  if (!is_printable_utf8(tx.name)) return invalid_input("reader name: not printable UTF-8");
  if (is_blank(tx.name)) return invalid_input("reader name: must not be blank");
  return Status();
}

const TrusteeSignature* trustee_signature_of(const Transaction& tx) {
  return std::visit(
      [](const auto& t) -> const TrusteeSignature* {
        if constexpr (requires { t.trustee_signature; }) {
          return &t.trustee_signature;
        } else {
          return nullptr;
        }
      },
      tx);
}

TrusteeSignature* trustee_signature_of(Transaction& tx) {
  return const_cast<TrusteeSignature*>(trustee_signature_of(static_cast<const Transaction&>(tx)));
}

namespace {
// `proven`: wire kinds 29/30, whose deal must be in the proven form (6/13: must not be).
Result<Transaction> decode_deal_tx(Reader& in, bool with_opener_deal, bool proven) {
  DkgDealTx tx;
  HC_ASSIGN_OR_RETURN(tx.chain_id, in.array<kDigestBytes>("chain id"));
  HC_ASSIGN_OR_RETURN(tx.key_epoch, in.u64("key epoch"));
  HC_ASSIGN_OR_RETURN(tx.dealer, in.u16("dealer"));
  HC_ASSIGN_OR_RETURN(tx.deal, in.bytes32(1, kMaxDkgDealBytes, "dkg deal"));
  if (with_opener_deal) {
    HC_ASSIGN_OR_RETURN(tx.opener_deal, in.bytes32(1, kMaxOpenerDealBytes, "opener deal"));
  }
  if (crypto::threshold::is_proven_dkg_deal_encoding(tx.deal) != proven) {
    return invalid_input(proven ? "dkg deal: wire kinds 29 and 30 carry a deal in the proven form"
                                : "dkg deal: a deal in the proven form travels as wire kind 29 or 30");
  }
  HC_ASSIGN_OR_RETURN(tx.trustee_signature, in.array<crypto::threshold::kTrusteeSignatureBytes>("trustee signature"));
  return Transaction(std::move(tx));
}

Result<Transaction> decode_complaint_tx(Reader& in, bool against_opener_deal) {
  DkgComplaintTx tx;
  tx.against_opener_deal = against_opener_deal;
  HC_ASSIGN_OR_RETURN(tx.chain_id, in.array<kDigestBytes>("chain id"));
  HC_ASSIGN_OR_RETURN(tx.key_epoch, in.u64("key epoch"));
  HC_ASSIGN_OR_RETURN(tx.complainer, in.u16("complainer"));
  HC_ASSIGN_OR_RETURN(tx.complaint, in.bytes16(1, kMaxDkgComplaintBytes, "dkg complaint"));
  HC_ASSIGN_OR_RETURN(tx.trustee_signature, in.array<crypto::threshold::kTrusteeSignatureBytes>("trustee signature"));
  return Transaction(std::move(tx));
}

Result<Transaction> decode_epoch_start_tx(Reader& in) {
  KeyEpochStartTx tx;
  HC_ASSIGN_OR_RETURN(tx.chain_id, in.array<kDigestBytes>("chain id"));
  HC_ASSIGN_OR_RETURN(tx.key_epoch, in.u64("key epoch"));
  HC_ASSIGN_OR_RETURN(tx.signature, in.array<kEd25519SignatureBytes>("manager signature"));
  return Transaction(std::move(tx));
}

enum class RequestForm { kManager, kManagerOpening, kReader };

// kManagerOpening: wire kind 15, a flags byte after the key epoch that must ask to open (a
// decrypt-only request has one encoding: wire kind 9, without the byte). kReader: wire kind
// 18, a flags byte (1..3) and the reader's key after the key epoch.
Result<Transaction> decode_request_tx(Reader& in, RequestForm form) {
  AccessRequestTx tx;
  HC_ASSIGN_OR_RETURN(tx.chain_id, in.array<kDigestBytes>("chain id"));
  HC_ASSIGN_OR_RETURN(tx.key_epoch, in.u64("key epoch"));
  if (form == RequestForm::kReader) {
    HC_ASSIGN_OR_RETURN(std::uint8_t flags, in.u8("access request flags"));
    if (flags == 0 || (flags & ~(kAccessRequestAsksDecrypt | kAccessRequestAsksOpen)) != 0) {
      return invalid_input("access request: flags must be 1 (decrypt), 2 (open) or 3 (both), not " + std::to_string(flags));
    }
    tx.decrypt = (flags & kAccessRequestAsksDecrypt) != 0;
    tx.open = (flags & kAccessRequestAsksOpen) != 0;
    HC_ASSIGN_OR_RETURN(auto reader, in.array<kEd25519PublicKeyBytes>("reader key"));
    tx.reader = reader;
  }
  if (form == RequestForm::kManagerOpening) {
    HC_ASSIGN_OR_RETURN(std::uint8_t flags, in.u8("access request flags"));
    if ((flags & kAccessRequestAsksOpen) == 0 || (flags & ~(kAccessRequestAsksDecrypt | kAccessRequestAsksOpen)) != 0) {
      return invalid_input("access request: flags must be 2 (open) or 3 (decrypt and open), not " +
                           std::to_string(flags));
    }
    tx.decrypt = (flags & kAccessRequestAsksDecrypt) != 0;
    tx.open = true;
  }
  HC_ASSIGN_OR_RETURN(tx.serial, in.array<kSerialBytes>("request serial"));
  HC_ASSIGN_OR_RETURN(std::uint16_t count, in.u16("record id count"));
  if (count > kMaxAccessRequestRecords) return Status::error(ErrorCode::kTooLarge, "access request: more than 256 record ids");
  for (std::uint16_t i = 0; i < count; ++i) {
    HC_ASSIGN_OR_RETURN(Digest id, in.array<kDigestBytes>("record id"));
    tx.record_ids.push_back(id);
  }
  HC_ASSIGN_OR_RETURN(tx.timestamp_ms, in.u64("request timestamp"));
  HC_ASSIGN_OR_RETURN(Bytes purpose, in.bytes16(1, kMaxAuditPurposeBytes, "access request purpose"));
  tx.purpose.assign(purpose.begin(), purpose.end());
  HC_ASSIGN_OR_RETURN(tx.requester_key, in.array<crypto::kP256PointBytes>("requester key"));
  HC_ASSIGN_OR_RETURN(tx.signature, in.array<kEd25519SignatureBytes>(tx.reader ? "reader signature" : "manager signature"));
  return Transaction(std::move(tx));
}

Result<Transaction> decode_policy_tx(Reader& in) {
  ReaderPolicyTx tx;
  HC_ASSIGN_OR_RETURN(tx.chain_id, in.array<kDigestBytes>("chain id"));
  HC_ASSIGN_OR_RETURN(tx.policy_version, in.u64("reader policy version"));
  HC_ASSIGN_OR_RETURN(std::uint8_t action, in.u8("reader policy action"));
  if (action != static_cast<std::uint8_t>(ReaderPolicyAction::kAdd) &&
      action != static_cast<std::uint8_t>(ReaderPolicyAction::kRemove)) {
    return invalid_input("reader policy: action must be 1 (add) or 2 (remove), not " + std::to_string(action));
  }
  tx.action = static_cast<ReaderPolicyAction>(action);
  HC_ASSIGN_OR_RETURN(tx.reader_key, in.array<kEd25519PublicKeyBytes>("reader key"));
  HC_ASSIGN_OR_RETURN(tx.rights, in.u8("reader rights"));
  HC_ASSIGN_OR_RETURN(Bytes name, in.bytes8(0, kMaxReaderNameBytes, "reader name"));
  tx.name.assign(name.begin(), name.end());
  HC_ASSIGN_OR_RETURN(tx.signature, in.array<kEd25519SignatureBytes>("manager signature"));
  return Transaction(std::move(tx));
}

// `with_openings`: wire kind 16, partial openings after the share boxes (which may then be none).
Result<Transaction> decode_shares_tx(Reader& in, bool with_openings) {
  DecryptionSharesTx tx;
  HC_ASSIGN_OR_RETURN(tx.chain_id, in.array<kDigestBytes>("chain id"));
  HC_ASSIGN_OR_RETURN(tx.request_id, in.array<kDigestBytes>("request id"));
  HC_ASSIGN_OR_RETURN(tx.trustee, in.u16("trustee"));
  HC_ASSIGN_OR_RETURN(std::uint16_t count, in.u16("share count"));
  if (count == 0 && !with_openings) return invalid_input("decryption shares: no share");
  if (count > kMaxDecryptionSharesPerTx) return Status::error(ErrorCode::kTooLarge, "decryption shares: more than 256 shares");
  for (std::uint16_t i = 0; i < count; ++i) {
    HC_ASSIGN_OR_RETURN(ByteSpan box, in.fixed(kDecryptionShareBoxBytes, "share box"));
    tx.share_boxes.emplace_back(box.begin(), box.end());
  }
  if (with_openings) {
    HC_ASSIGN_OR_RETURN(std::uint16_t openings, in.u16("partial opening count"));
    if (openings == 0) return invalid_input("decryption shares: wire kind 16 carries at least one partial opening");
    if (openings > kMaxAccessRequestRecords) {
      return Status::error(ErrorCode::kTooLarge, "decryption shares: more than 256 partial openings");
    }
    for (std::uint16_t i = 0; i < openings; ++i) {
      PartialOpeningEntry entry;
      HC_ASSIGN_OR_RETURN(entry.record_id, in.array<kDigestBytes>("partial opening record id"));
      HC_ASSIGN_OR_RETURN(ByteSpan partial, in.fixed(kPartialOpeningEntryBytes, "partial opening"));
      entry.partial_opening.assign(partial.begin(), partial.end());
      tx.partial_openings.push_back(std::move(entry));
    }
  }
  HC_ASSIGN_OR_RETURN(tx.trustee_signature, in.array<crypto::threshold::kTrusteeSignatureBytes>("trustee signature"));
  return Transaction(std::move(tx));
}
}  // namespace

Result<Transaction> decode_trustees_body(TxKind kind, Reader& in) {
  switch (kind) {
    case TxKind::kDkgDeal:
      return decode_deal_tx(in, false, false);
    case TxKind::kDkgComplaint:
      return decode_complaint_tx(in, false);
    case TxKind::kKeyEpochStart:
      return decode_epoch_start_tx(in);
    case TxKind::kAccessRequest:
      return decode_request_tx(in, RequestForm::kManager);
    case TxKind::kDecryptionShares:
      return decode_shares_tx(in, false);
    case TxKind::kRecord:
    case TxKind::kPublishEnvelopeKey:
    case TxKind::kRevocation:
    case TxKind::kEnrollment:
    case TxKind::kAccessAudit:
    case TxKind::kReaderPolicy:
    case TxKind::kJoinRequest:
    case TxKind::kGovernanceApproval:
    case TxKind::kExitAnnouncement:
    case TxKind::kVoteOutProposal:
    case TxKind::kReshareDeal:
    case TxKind::kReshareComplaint:
    case TxKind::kReshareKey:
      break;
  }
  return invalid_input("transaction: not a trustees-mode kind");
}

Result<Transaction> decode_opener_dkg_body(std::uint8_t wire_kind, Reader& in) {
  if (wire_kind == kDkgDealWithOpenerWireKind) return decode_deal_tx(in, true, false);
  if (wire_kind == kProvenDkgDealWireKind) return decode_deal_tx(in, false, true);
  if (wire_kind == kProvenDkgDealWithOpenerWireKind) return decode_deal_tx(in, true, true);
  if (wire_kind == kOpenerDkgComplaintWireKind) return decode_complaint_tx(in, true);
  return invalid_input("transaction: not an opener-key DKG wire kind");
}

Result<Transaction> decode_opening_body(std::uint8_t wire_kind, Reader& in) {
  if (wire_kind == kAccessRequestWithOpeningWireKind) return decode_request_tx(in, RequestForm::kManagerOpening);
  if (wire_kind == kAnswerWithOpeningsWireKind) return decode_shares_tx(in, true);
  return invalid_input("transaction: not an opening wire kind");
}

Result<Transaction> decode_reader_policy_body(std::uint8_t wire_kind, Reader& in) {
  if (wire_kind == static_cast<std::uint8_t>(TxKind::kReaderPolicy)) return decode_policy_tx(in);
  if (wire_kind == kAccessRequestByReaderWireKind) return decode_request_tx(in, RequestForm::kReader);
  return invalid_input("transaction: not a reader-policy wire kind");
}

}  // namespace hc::chain
