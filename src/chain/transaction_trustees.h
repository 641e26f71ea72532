// Internal to hc_chain's transaction files (transaction.cpp, transaction_decode.cpp,
// transaction_json.cpp, trustee_signing.cpp): the bodies of the trustees-mode kinds (6..10)
// and the helpers the encoders share. Not part of the library's interface.
#pragma once

#include <string_view>

#include "chain/codec.h"
#include "chain/transaction.h"

namespace hc::chain {

inline constexpr std::string_view kTransactionTag = "HCTX";

// "HCTX" | version | the kind byte on the wire.
void append_tx_header(Bytes& out, std::uint8_t wire_kind);
// The whole encoding up to, not including, the signature (for records: its length prefix).
Bytes encode_unsigned(const Transaction& tx);

// 1 .. kMaxAuditPurposeBytes of printable UTF-8; `field` names it in the error.
Status check_purpose_text(std::string_view text, std::string_view field);

void append_trustees_body(Bytes& out, const DkgDealTx& tx);
void append_trustees_body(Bytes& out, const DkgComplaintTx& tx);
void append_trustees_body(Bytes& out, const KeyEpochStartTx& tx);
void append_trustees_body(Bytes& out, const AccessRequestTx& tx);
void append_trustees_body(Bytes& out, const DecryptionSharesTx& tx);
void append_trustees_body(Bytes& out, const ReaderPolicyTx& tx);

Status check_trustees_fields(const DkgDealTx& tx);
Status check_trustees_fields(const DkgComplaintTx& tx);
Status check_trustees_fields(const KeyEpochStartTx& tx);
Status check_trustees_fields(const AccessRequestTx& tx);
Status check_trustees_fields(const DecryptionSharesTx& tx);
Status check_trustees_fields(const ReaderPolicyTx& tx);

// The trustee signature of kinds 6, 7, 10 and the resharing kinds (for kind 31 the current
// key's; the new key's is ReshareKeyTx::new_key_signature); nullptr for every other kind.
const TrusteeSignature* trustee_signature_of(const Transaction& tx);
TrusteeSignature* trustee_signature_of(Transaction& tx);

// Kinds 6..10 after the header, signature included.
Result<Transaction> decode_trustees_body(TxKind kind, Reader& in);
// Wire kinds 13 (a deal with an opener deal), 14 (a complaint against an opener deal), 29 and
// 30 (a deal in the proven form, without and with an opener deal in the proven form).
Result<Transaction> decode_opener_dkg_body(std::uint8_t wire_kind, Reader& in);
// Wire kinds 15 (an access request that asks to open) and 16 (an answer with partial openings).
Result<Transaction> decode_opening_body(std::uint8_t wire_kind, Reader& in);
// Wire kinds 17 (a reader policy change) and 18 (an access request signed by a listed reader).
Result<Transaction> decode_reader_policy_body(std::uint8_t wire_kind, Reader& in);

// The resharing kinds (transaction_reshare.cpp): 26, 27 and its opener form 28, 31.
void append_trustees_body(Bytes& out, const ReshareKeyTx& tx);
void append_trustees_body(Bytes& out, const ReshareDealTx& tx);
void append_trustees_body(Bytes& out, const ReshareComplaintTx& tx);
Status check_trustees_fields(const ReshareKeyTx& tx);
Status check_trustees_fields(const ReshareDealTx& tx);
Status check_trustees_fields(const ReshareComplaintTx& tx);
// Wire kinds 26, 27, 28 and 31 after the header, signatures included.
Result<Transaction> decode_reshare_body(std::uint8_t wire_kind, Reader& in);
bool is_reshare_wire_kind(std::uint8_t wire_kind);

// The flags byte of wire kinds 15 and 18: what the request asks the trustees for.
inline constexpr std::uint8_t kAccessRequestAsksDecrypt = 0x01;
inline constexpr std::uint8_t kAccessRequestAsksOpen = 0x02;
std::uint8_t access_request_flags(const AccessRequestTx& tx);

}  // namespace hc::chain
