// The resharing transaction kinds (issue 16 item 3; docs/ledger.md, "Resharing"): reshare_key
// (wire kind 31), reshare_deal (26) and reshare_complaint (27, and 28 against an opener deal):
// bodies, field rules and their decoder. Internal to hc_chain's transaction files.
#include <string>

#include "chain/transaction_trustees.h"
#include "crypto/threshold/trustee_signature.h"

namespace hc::chain {

namespace {
Status tr_reshare_field_length(std::size_t size, std::size_t min, std::size_t max, const std::string& field) {
  if (size > max) return Status::error(ErrorCode::kTooLarge, field + " is longer than " + std::to_string(max) + " bytes");
  if (size < min) return invalid_input(field + " is shorter than " + std::to_string(min) + " bytes");
  return Status();
}

Status tr_check_index(std::uint16_t index, std::string_view role) {
  if (index == 0 || index > kMaxChainTrustees) {
    return invalid_input(std::string(role) + " index must be 1..64, not " + std::to_string(index));
  }
  return Status();
}

Status tr_check_reshare_epoch(std::uint64_t reshare_epoch, std::string_view what) {
  if (reshare_epoch == 0) return invalid_input(std::string(what) + ": resharing epochs start at 1");
  return Status();
}

constexpr std::uint8_t kTrReshareKeyWireKind = static_cast<std::uint8_t>(TxKind::kReshareKey);
constexpr std::uint8_t kTrReshareDealWireKind = static_cast<std::uint8_t>(TxKind::kReshareDeal);
constexpr std::uint8_t kTrReshareComplaintWireKind = static_cast<std::uint8_t>(TxKind::kReshareComplaint);

Result<TrusteeSignature> tr_read_signature(Reader& in, std::string_view field) {
  return in.array<crypto::threshold::kTrusteeSignatureBytes>(field);
}

Result<Transaction> tr_decode_key_tx(Reader& in) {
  ReshareKeyTx tx;
  HC_ASSIGN_OR_RETURN(tx.chain_id, in.array<kDigestBytes>("chain id"));
  HC_ASSIGN_OR_RETURN(tx.reshare_epoch, in.u64("reshare epoch"));
  HC_ASSIGN_OR_RETURN(tx.member, in.u32("member"));
  HC_ASSIGN_OR_RETURN(tx.new_key, in.array<crypto::kP256PointBytes>("new trustee key"));
  HC_ASSIGN_OR_RETURN(tx.new_key_signature, tr_read_signature(in, "new key signature"));
  HC_ASSIGN_OR_RETURN(tx.trustee_signature, tr_read_signature(in, "trustee signature"));
  return Transaction(std::move(tx));
}

Result<Transaction> tr_decode_deal_tx(Reader& in) {
  ReshareDealTx tx;
  HC_ASSIGN_OR_RETURN(tx.chain_id, in.array<kDigestBytes>("chain id"));
  HC_ASSIGN_OR_RETURN(tx.reshare_epoch, in.u64("reshare epoch"));
  HC_ASSIGN_OR_RETURN(tx.dealer, in.u16("dealer"));
  HC_ASSIGN_OR_RETURN(tx.deal, in.bytes32(1, kMaxReshareDealBytes, "reshare deal"));
  HC_ASSIGN_OR_RETURN(tx.opener_deal, in.bytes32(0, kMaxReshareDealBytes, "opener reshare deal"));
  HC_ASSIGN_OR_RETURN(tx.trustee_signature, tr_read_signature(in, "trustee signature"));
  return Transaction(std::move(tx));
}

Result<Transaction> tr_decode_complaint_tx(Reader& in, bool against_opener_deal) {
  ReshareComplaintTx tx;
  tx.against_opener_deal = against_opener_deal;
  HC_ASSIGN_OR_RETURN(tx.chain_id, in.array<kDigestBytes>("chain id"));
  HC_ASSIGN_OR_RETURN(tx.reshare_epoch, in.u64("reshare epoch"));
  HC_ASSIGN_OR_RETURN(tx.complainer, in.u16("complainer"));
  HC_ASSIGN_OR_RETURN(tx.complaint, in.bytes16(1, kMaxDkgComplaintBytes, "reshare complaint"));
  HC_ASSIGN_OR_RETURN(tx.trustee_signature, tr_read_signature(in, "trustee signature"));
  return Transaction(std::move(tx));
}
}  // namespace

void append_trustees_body(Bytes& out, const ReshareKeyTx& tx) {
  append_bytes(out, tx.chain_id);
  append_u64_be(out, tx.reshare_epoch);
  append_u32_be(out, tx.member);
  append_bytes(out, tx.new_key);
}

void append_trustees_body(Bytes& out, const ReshareDealTx& tx) {
  append_bytes(out, tx.chain_id);
  append_u64_be(out, tx.reshare_epoch);
  append_u16_be(out, tx.dealer);
  append_length_prefixed(out, tx.deal);
  append_length_prefixed(out, tx.opener_deal);
}

void append_trustees_body(Bytes& out, const ReshareComplaintTx& tx) {
  append_bytes(out, tx.chain_id);
  append_u64_be(out, tx.reshare_epoch);
  append_u16_be(out, tx.complainer);
  append_u16_be(out, static_cast<std::uint16_t>(tx.complaint.size()));
  append_bytes(out, tx.complaint);
}

Status check_trustees_fields(const ReshareKeyTx& tx) {
  HC_RETURN_IF_ERROR(tr_check_reshare_epoch(tx.reshare_epoch, "reshare key"));
  if (!crypto::P256Point::decode(tx.new_key).ok()) {
    return invalid_input("reshare key: the new trustee key is not an uncompressed P-256 point");
  }
  return Status();
}

Status check_trustees_fields(const ReshareDealTx& tx) {
  HC_RETURN_IF_ERROR(tr_check_reshare_epoch(tx.reshare_epoch, "reshare deal"));
  HC_RETURN_IF_ERROR(tr_check_index(tx.dealer, "reshare deal: dealer"));
  HC_RETURN_IF_ERROR(tr_reshare_field_length(tx.deal.size(), 1, kMaxReshareDealBytes, "reshare deal"));
  return tr_reshare_field_length(tx.opener_deal.size(), 0, kMaxReshareDealBytes, "opener reshare deal");
}

Status check_trustees_fields(const ReshareComplaintTx& tx) {
  HC_RETURN_IF_ERROR(tr_check_reshare_epoch(tx.reshare_epoch, "reshare complaint"));
  HC_RETURN_IF_ERROR(tr_check_index(tx.complainer, "reshare complaint: complainer"));
  return tr_reshare_field_length(tx.complaint.size(), 1, kMaxDkgComplaintBytes, "reshare complaint");
}

bool is_reshare_wire_kind(std::uint8_t wire_kind) {
  return wire_kind == kTrReshareKeyWireKind || wire_kind == kTrReshareDealWireKind ||
         wire_kind == kTrReshareComplaintWireKind || wire_kind == kOpenerReshareComplaintWireKind;
}

Result<Transaction> decode_reshare_body(std::uint8_t wire_kind, Reader& in) {
  if (wire_kind == kTrReshareKeyWireKind) return tr_decode_key_tx(in);
  if (wire_kind == kTrReshareDealWireKind) return tr_decode_deal_tx(in);
  if (wire_kind == kTrReshareComplaintWireKind) return tr_decode_complaint_tx(in, false);
  if (wire_kind == kOpenerReshareComplaintWireKind) return tr_decode_complaint_tx(in, true);
  return invalid_input("transaction: not a resharing wire kind");
}

}  // namespace hc::chain
