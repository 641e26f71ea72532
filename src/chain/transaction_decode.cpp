// decode_transaction(): the strict inverse of encode_transaction().
#include <string>

#include "chain/codec.h"
#include "chain/transaction.h"
#include "chain/transaction_governance.h"
#include "chain/transaction_trustees.h"
#include "crypto/p256_kem.h"

namespace hc::chain {

namespace {

std::string to_string(const Bytes& b) { return std::string(b.begin(), b.end()); }

// `envelope_v2`: wire kind kRecordV2WireKind, the ephemeral key in place of the wrapped key.
Result<RecordTx> decode_record(Reader& in, bool envelope_v2) {
  RecordTx r;
  HC_ASSIGN_OR_RETURN(r.sealed.serial, in.array<kSerialBytes>("record serial"));
  HC_ASSIGN_OR_RETURN(r.sealed.key_id, in.array<kKeyIdBytes>("record key id"));
  if (envelope_v2) {
    r.sealed.envelope_version = kRecordEnvelopeV2;
    HC_ASSIGN_OR_RETURN(r.sealed.ephemeral_key, in.array<crypto::kP256PointBytes>("record ephemeral key"));
  } else {
    HC_ASSIGN_OR_RETURN(r.sealed.wrapped_key, in.array<kWrappedKeyBytes>("record wrapped key"));
  }
  HC_ASSIGN_OR_RETURN(r.sealed.nonce, in.array<kGcmNonceBytes>("record nonce"));
  HC_ASSIGN_OR_RETURN(r.sealed.ciphertext,
                      in.bytes32(kGcmTagBytes, kMaxRecordCiphertextBytes, "record ciphertext"));
  HC_ASSIGN_OR_RETURN(r.epoch, in.u64("record epoch"));
  HC_ASSIGN_OR_RETURN(r.group_signature,
                      in.bytes16(1, kMaxGroupSignatureBytes, "group signature"));
  return r;
}

Result<PublishEnvelopeKeyTx> decode_publish(Reader& in) {
  PublishEnvelopeKeyTx p;
  HC_ASSIGN_OR_RETURN(p.spki_der, in.bytes16(1, kMaxEnvelopeSpkiBytes, "envelope key"));
  HC_ASSIGN_OR_RETURN(p.signature, in.array<kEd25519SignatureBytes>("manager signature"));
  return p;
}

Result<RevocationTx> decode_revocation(Reader& in) {
  RevocationTx v;
  HC_ASSIGN_OR_RETURN(v.new_epoch, in.u64("revocation new epoch"));
  HC_ASSIGN_OR_RETURN(v.record, in.bytes32(1, kMaxRevocationRecordBytes, "revocation record"));
  HC_ASSIGN_OR_RETURN(v.signature, in.array<kEd25519SignatureBytes>("manager signature"));
  return v;
}

// `with_box`: wire kind kEnrollmentWithBoxWireKind, the boxed member key after the entry.
Result<EnrollmentTx> decode_enrollment(Reader& in, bool with_box) {
  EnrollmentTx e;
  HC_ASSIGN_OR_RETURN(Bytes name, in.bytes8(1, kMaxMemberNameBytes, "member name"));
  e.member_name = to_string(name);
  HC_ASSIGN_OR_RETURN(e.registry_entry, in.bytes16(1, kMaxRegistryEntryBytes, "registry entry"));
  if (with_box) {
    BoxedMemberKey b;
    HC_ASSIGN_OR_RETURN(b.chain_id, in.array<kDigestBytes>("enrollment chain id"));
    HC_ASSIGN_OR_RETURN(b.member_id, in.u32("enrollment member id"));
    HC_ASSIGN_OR_RETURN(b.group_epoch, in.u64("enrollment group epoch"));
    HC_ASSIGN_OR_RETURN(b.recipient_key, in.array<crypto::kP256PointBytes>("enrollment recipient key"));
    HC_ASSIGN_OR_RETURN(b.box, in.bytes16(crypto::kBoxOverheadBytes + 1, kMaxMemberKeyBoxBytes, "boxed member key"));
    e.boxed = std::move(b);
  }
  HC_ASSIGN_OR_RETURN(e.signature, in.array<kEd25519SignatureBytes>("manager signature"));
  return e;
}

// `with_accessor`: wire kind kAccessAuditByAccountWireKind, the accessor after the purpose.
Result<AccessAuditTx> decode_audit(Reader& in, bool with_accessor) {
  AccessAuditTx a;
  HC_ASSIGN_OR_RETURN(a.serial, in.array<kSerialBytes>("audit serial"));
  HC_ASSIGN_OR_RETURN(a.manager_key_id, in.array<kKeyIdBytes>("audit manager key id"));
  HC_ASSIGN_OR_RETURN(a.timestamp_ms, in.u64("audit timestamp"));
  HC_ASSIGN_OR_RETURN(Bytes purpose, in.bytes16(1, kMaxAuditPurposeBytes, "audit purpose"));
  a.purpose = to_string(purpose);
  if (with_accessor) {
    HC_ASSIGN_OR_RETURN(Bytes accessor, in.bytes8(1, kMaxAuditAccessorBytes, "audit accessor"));
    a.accessor = to_string(accessor);
  }
  HC_ASSIGN_OR_RETURN(a.signature, in.array<kEd25519SignatureBytes>("manager signature"));
  return a;
}

template <class T>
Result<Transaction> widen(Result<T> r) {
  if (!r.ok()) return r.status();
  return Transaction(std::move(r).value());
}

Result<Transaction> decode_body(TxKind kind, Reader& in) {
  switch (kind) {
    case TxKind::kRecord:
      return widen(decode_record(in, false));
    case TxKind::kPublishEnvelopeKey:
      return widen(decode_publish(in));
    case TxKind::kRevocation:
      return widen(decode_revocation(in));
    case TxKind::kEnrollment:
      return widen(decode_enrollment(in, false));
    case TxKind::kAccessAudit:
      return widen(decode_audit(in, false));
    case TxKind::kDkgDeal:
    case TxKind::kDkgComplaint:
    case TxKind::kKeyEpochStart:
    case TxKind::kAccessRequest:
    case TxKind::kDecryptionShares:
      return decode_trustees_body(kind, in);
    case TxKind::kReaderPolicy:  // decoded with wire kind 18 (decode_reader_policy_body)
    case TxKind::kJoinRequest:   // 19..22: decode_governance_body
    case TxKind::kGovernanceApproval:
    case TxKind::kExitAnnouncement:
    case TxKind::kVoteOutProposal:
    case TxKind::kReshareDeal:  // 26, 27 (28), 31: decode_reshare_body
    case TxKind::kReshareComplaint:
    case TxKind::kReshareKey:
      break;
  }
  return invalid_input("transaction: unknown kind");
}

}  // namespace

Result<Transaction> decode_transaction(ByteSpan encoding) {
  if (encoding.size() > kMaxTransactionBytes) {
    return Status::error(ErrorCode::kTooLarge, "transaction is longer than the limit");
  }
  Reader in(encoding);
  HC_RETURN_IF_ERROR(in.expect_tag(kTransactionTag, "transaction"));
  HC_ASSIGN_OR_RETURN(std::uint8_t version, in.u8("transaction version"));
  if (version != kTransactionVersion) return invalid_input("transaction: unsupported version");
  HC_ASSIGN_OR_RETURN(std::uint8_t kind, in.u8("transaction kind"));
  if (kind == kRecordV2WireKind) {
    HC_ASSIGN_OR_RETURN(RecordTx record, decode_record(in, true));
    HC_RETURN_IF_ERROR(in.finish("transaction"));
    Transaction tx{std::move(record)};
    HC_RETURN_IF_ERROR(check_transaction_fields(tx));
    return tx;
  }
  if (kind == kEnrollmentWithBoxWireKind) {
    HC_ASSIGN_OR_RETURN(EnrollmentTx enrollment, decode_enrollment(in, true));
    HC_RETURN_IF_ERROR(in.finish("transaction"));
    Transaction tx{std::move(enrollment)};
    HC_RETURN_IF_ERROR(check_transaction_fields(tx));
    return tx;
  }
  if (kind == kAccessAuditByAccountWireKind) {
    HC_ASSIGN_OR_RETURN(AccessAuditTx audit, decode_audit(in, true));
    HC_RETURN_IF_ERROR(in.finish("transaction"));
    Transaction tx{std::move(audit)};
    HC_RETURN_IF_ERROR(check_transaction_fields(tx));
    return tx;
  }
  if (kind == kDkgDealWithOpenerWireKind || kind == kOpenerDkgComplaintWireKind || kind == kProvenDkgDealWireKind ||
      kind == kProvenDkgDealWithOpenerWireKind) {
    HC_ASSIGN_OR_RETURN(Transaction tx, decode_opener_dkg_body(kind, in));
    HC_RETURN_IF_ERROR(in.finish("transaction"));
    HC_RETURN_IF_ERROR(check_transaction_fields(tx));
    return tx;
  }
  if (kind == kAccessRequestWithOpeningWireKind || kind == kAnswerWithOpeningsWireKind) {
    HC_ASSIGN_OR_RETURN(Transaction tx, decode_opening_body(kind, in));
    HC_RETURN_IF_ERROR(in.finish("transaction"));
    HC_RETURN_IF_ERROR(check_transaction_fields(tx));
    return tx;
  }
  if (kind == static_cast<std::uint8_t>(TxKind::kReaderPolicy) || kind == kAccessRequestByReaderWireKind) {
    HC_ASSIGN_OR_RETURN(Transaction tx, decode_reader_policy_body(kind, in));
    HC_RETURN_IF_ERROR(in.finish("transaction"));
    HC_RETURN_IF_ERROR(check_transaction_fields(tx));
    return tx;
  }
  if ((kind >= static_cast<std::uint8_t>(TxKind::kJoinRequest) && kind <= static_cast<std::uint8_t>(TxKind::kVoteOutProposal)) ||
      kind == kJoinRequestWithPeerWireKind || kind == kJoinRequestWithEnrollmentKeyWireKind) {
    HC_ASSIGN_OR_RETURN(Transaction tx, decode_governance_body(kind, in));
    HC_RETURN_IF_ERROR(in.finish("transaction"));
    HC_RETURN_IF_ERROR(check_transaction_fields(tx));
    return tx;
  }
  if (is_reshare_wire_kind(kind)) {
    HC_ASSIGN_OR_RETURN(Transaction tx, decode_reshare_body(kind, in));
    HC_RETURN_IF_ERROR(in.finish("transaction"));
    HC_RETURN_IF_ERROR(check_transaction_fields(tx));
    return tx;
  }
  if (kind < static_cast<std::uint8_t>(TxKind::kRecord) ||
      kind > static_cast<std::uint8_t>(TxKind::kDecryptionShares)) {
    return invalid_input("transaction: unknown kind " + std::to_string(kind));
  }
  HC_ASSIGN_OR_RETURN(Transaction tx, decode_body(static_cast<TxKind>(kind), in));
  HC_RETURN_IF_ERROR(in.finish("transaction"));
  HC_RETURN_IF_ERROR(check_transaction_fields(tx));
  return tx;
}

}  // namespace hc::chain
