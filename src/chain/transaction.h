// Ledger transactions: the sealed-record transaction submitted by hospitals and the four
// manager transactions, with their one canonical versioned binary encoding.
//
// Encoding (docs/ledger.md, "Transactions"): "HCTX" | version u8 = 1 | kind u8 | fields in a
// fixed order | signature. Every variable field has a length prefix and a bound from
// limits.h. decode_transaction() accepts only what encode() produces: truncation, trailing
// bytes, a wrong tag, version or kind, an out-of-range length or a non-printable text field
// are rejected with kInvalidInput (kTooLarge for oversize). A transaction id is SHA-256 of the
// encoding. Values are plain data; functions are pure and thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "chain/digest.h"
#include "chain/limits.h"
#include "common/bytes.h"
#include "common/secure_bytes.h"
#include "common/status.h"

namespace hc::chain {

inline constexpr std::uint8_t kTransactionVersion = 1;

using Serial = std::array<std::uint8_t, kSerialBytes>;
using KeyId = std::array<std::uint8_t, kKeyIdBytes>;

enum class TxKind : std::uint8_t {
  kRecord = 1,
  kPublishEnvelopeKey = 2,
  kRevocation = 3,
  kEnrollment = 4,
  kAccessAudit = 5,
};
const char* tx_kind_name(TxKind kind);

// A visit record sealed to the manager's envelope key (docs/record-format.md); the record
// transaction adds the hospital's group signature (docs/groupsig.md).
struct SealedRecord {
  Serial serial{};
  KeyId key_id{};
  std::array<std::uint8_t, kWrappedKeyBytes> wrapped_key{};
  std::array<std::uint8_t, kGcmNonceBytes> nonce{};
  Bytes ciphertext;  // GCM tag appended: 16 .. kMaxRecordCiphertextBytes bytes
};

struct RecordTx {
  SealedRecord sealed;
  std::uint64_t epoch = 0;
  Bytes group_signature;  // opaque, 1 .. kMaxGroupSignatureBytes; covers record_signing_digest
};

// The manager publishes the envelope public key of the day; key id = SHA-256(spki_der).
struct PublishEnvelopeKeyTx {
  Bytes spki_der;
  Ed25519Signature signature{};
};

// A group-signature revocation record that starts epoch `new_epoch` (opaque to the ledger).
struct RevocationTx {
  std::uint64_t new_epoch = 0;
  Bytes record;
  Ed25519Signature signature{};
};

// A member enrolled by the issuer: its name and its public registry entry (opaque).
struct EnrollmentTx {
  std::string member_name;  // 1..64 of [A-Za-z0-9._-]
  Bytes registry_entry;
  Ed25519Signature signature{};
};

// Who accessed which patient's records, when and why (HIPAA 45 CFR 164.312(b)).
// Two wire forms, one TxKind (kAccessAudit): without `accessor`, wire kind 5 (as before issue
// 15); with it, wire kind kAccessAuditByAccountWireKind, `accessor` encoded after `purpose`.
struct AccessAuditTx {
  Serial serial{};
  KeyId manager_key_id{};  // an envelope key id, or SHA-256 of the admin public key
  std::uint64_t timestamp_ms = 0;  // Unix epoch milliseconds
  std::string purpose;             // printable UTF-8, 1 .. kMaxAuditPurposeBytes
  Ed25519Signature signature{};
  // The reader account that read the records (the name its node knows it by): empty, or 1 ..
  // kMaxAuditAccessorBytes of [A-Za-z0-9._@-] starting with a letter or digit.
  std::string accessor;
};

// The wire kind byte of an access audit that names its accessor (docs/ledger.md).
inline constexpr std::uint8_t kAccessAuditByAccountWireKind = 6;

using Transaction =
    std::variant<RecordTx, PublishEnvelopeKeyTx, RevocationTx, EnrollmentTx, AccessAuditTx>;

TxKind kind_of(const Transaction& tx);
bool is_manager_tx(const Transaction& tx);

// The canonical encoding. HC_CHECKs that fields respect the limits: build transactions from
// checked inputs (or run check_transaction_fields first).
Bytes encode_transaction(const Transaction& tx);
// Field limits and text rules, without encoding; kInvalidInput / kTooLarge naming the field.
Status check_transaction_fields(const Transaction& tx);
Result<Transaction> decode_transaction(ByteSpan encoding);

// SHA-256 of the encoding.
Digest transaction_id(ByteSpan encoding);

// The digest a record's group signature covers: SHA-256("HC-RECORD-SIGNING-v1" || the whole
// encoding up to, not including, the signature's length prefix). Every other field of the
// transaction, its tag, version and kind are covered.
Digest record_signing_digest(const RecordTx& tx);
// The identity of a record's sealed content, whatever its group signature, epoch or key id:
// SHA-256("HC-RECORD-CONTENT-v1" || serial 32 || nonce 12 || wrapped_key 384 || u32 length ||
// ciphertext). Two records with the same content digest are one visit submitted twice (a
// replay); the ledger commits only the first (docs/ledger.md, "Application").
Digest record_content_digest(const SealedRecord& sealed);
// The message the manager's Ed25519 key signs: "HC-MANAGER-SIGNING-v1" || the encoding up to,
// not including, the 64-byte signature. kInvalidInput for a record transaction.
Result<Bytes> manager_signing_message(const Transaction& tx);
// Fills in the manager signature. kInvalidInput for a record transaction.
Status sign_manager_tx(Transaction& tx, const SecureBytes& admin_seed);
// ok if the manager signature verifies under `admin_key`; kAuthFailed if not.
Status verify_manager_tx(const Transaction& tx, const Ed25519PublicKey& admin_key);

// The key id of an envelope key or of the admin key: SHA-256 of its bytes.
KeyId key_id_of(ByteSpan public_key_bytes);

}  // namespace hc::chain
