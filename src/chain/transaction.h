// Ledger transactions: the sealed-record transaction submitted by hospitals, the manager
// transactions and, in trustees mode (issue 13), the trustees' DKG deals and complaints, the
// start of a key epoch, access requests and decryption shares, governance and the resharing of
// the trustees' keys (issue 16), with their one canonical versioned binary encoding. Trustee transactions are signed with the trustee's P-256 key
// (trustee_signing.h); the other non-record kinds with the manager's admin key.
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
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "chain/digest.h"
#include "chain/limits.h"
#include "common/bytes.h"
#include "common/secure_bytes.h"
#include "common/status.h"
#include "crypto/p256.h"
#include "crypto/threshold/trustee_signature.h"

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
  kDkgDeal = 6,
  kDkgComplaint = 7,
  kKeyEpochStart = 8,
  kAccessRequest = 9,
  kDecryptionShares = 10,
  // Wire bytes 11..16 are second wire forms of kinds 5, 1, 6, 7, 9 and 10 (below).
  kReaderPolicy = 17,
  // Wire byte 18 is a second wire form of kind 9 (below). Consortium governance (issue 16,
  // transaction_governance.h): signed by replica keys, valid in both access modes.
  kJoinRequest = 19,
  kGovernanceApproval = 20,
  kExitAnnouncement = 21,
  kVoteOutProposal = 22,
  // Resharing of the trustees' keys to a new member set (issue 16 item 3; reshare_rules.h):
  // signed by trustee keys the committed state names. Wire byte 28 is a second wire form of
  // kind 27 (below); wire bytes 29/30 are DKG deal forms.
  kReshareDeal = 26,
  kReshareComplaint = 27,
  kReshareKey = 31,
};
const char* tx_kind_name(TxKind kind);

// The envelope versions a record transaction carries (docs/record-format.md).
inline constexpr std::uint32_t kRecordEnvelopeV1 = 1;  // RSA-OAEP to the manager's envelope key
inline constexpr std::uint32_t kRecordEnvelopeV2 = 2;  // P-256 KEM to the trustees' access key
// The wire kind byte of a record whose envelope is version 2 (docs/ledger.md): one TxKind
// (kRecord), two wire forms, as with access audits.
inline constexpr std::uint8_t kRecordV2WireKind = 12;

// A visit record sealed to the manager's envelope key (version 1) or to the trustees' access
// key (version 2) (docs/record-format.md); the record transaction adds the hospital's group
// signature (docs/groupsig.md). Exactly one of wrapped_key / ephemeral_key is used; the other
// must stay all zero (check_transaction_fields), so one value has one encoding.
struct SealedRecord {
  Serial serial{};
  KeyId key_id{};  // version 1: an envelope key id; version 2: an access key id
  std::array<std::uint8_t, kWrappedKeyBytes> wrapped_key{};  // version 1 only
  std::array<std::uint8_t, kGcmNonceBytes> nonce{};
  Bytes ciphertext;  // GCM tag appended: 16 .. kMaxRecordCiphertextBytes bytes
  std::uint32_t envelope_version = kRecordEnvelopeV1;
  crypto::P256PointBytes ephemeral_key{};  // version 2 only: E (0x04 || X || Y)
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

// A joined member's group member key, boxed to the P-256 key its join request named (wire kind
// kEnrollmentWithBoxWireKind; chain/enrollment_box.h makes and opens the box, whose context binds
// the chain id, the member id, the group epoch, the member's name, the recipient key and the
// registry entry).
struct BoxedMemberKey {
  Digest chain_id{};                 // the genesis hash (ChainId)
  std::uint32_t member_id = 0;       // the joined replica's id (ids are never reused)
  std::uint64_t group_epoch = 0;     // the group epoch the member key was issued in
  crypto::P256PointBytes recipient_key{};  // the join request's enrollment key
  Bytes box;                         // crypto::box_seal output, kBoxOverheadBytes+1 .. kMaxMemberKeyBoxBytes
  bool operator==(const BoxedMemberKey&) const = default;
};

// A member enrolled by the issuer: its name and its public registry entry (opaque). Two wire
// forms, one TxKind (kEnrollment): without `boxed`, wire kind 4 (the key handed over out of
// band); with it, wire kind kEnrollmentWithBoxWireKind, the boxed key after the registry entry.
struct EnrollmentTx {
  std::string member_name;  // 1..64 of [A-Za-z0-9._-]
  Bytes registry_entry;
  Ed25519Signature signature{};
  std::optional<BoxedMemberKey> boxed{};
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

using TrusteeSignature = crypto::threshold::TrusteeSignature;
using ChainId = Digest;  // the genesis hash; trustees-mode transactions name it explicitly

// Trustee `dealer`'s DKG deal for key epoch `key_epoch` (crypto/threshold/dkg_deal.h's
// encoding, opaque here; the application decodes it for the epoch's parameters), and, in the
// second wire form (kDkgDealWithOpenerWireKind), beside it the dealer's deal of the group
// signature's opener key (crypto/threshold/opener_dkg_deal.h's encoding, stored as it is: the
// opener key is computed from the committed transcript, chain/opener_key_state.h). Deals in
// the proven form (their boxes prove their ephemeral secrets, crypto/threshold/deal_forms.h)
// travel as wire kinds 29 / 30 instead of 6 / 13; the form is read from the deal's bytes.
struct DkgDealTx {
  ChainId chain_id{};
  std::uint64_t key_epoch = 0;
  std::uint16_t dealer = 0;  // 1..m, the signer
  Bytes deal;                // 1 .. kMaxDkgDealBytes
  Bytes opener_deal;         // empty (wire kind 6 / 29) or 1 .. kMaxOpenerDealBytes (wire kind 13 / 30)
  TrusteeSignature trustee_signature{};
};

// Trustee `complainer`'s complaint (crypto/threshold/dkg_complaint.h's encoding) or, in the
// second wire form (kOpenerDkgComplaintWireKind), its complaint against a dealer's opener deal
// (crypto/threshold/opener_dkg_complaint.h's encoding).
struct DkgComplaintTx {
  ChainId chain_id{};
  std::uint64_t key_epoch = 0;
  std::uint16_t complainer = 0;  // 1..m, the signer
  Bytes complaint;               // 1 .. kMaxDkgComplaintBytes
  bool against_opener_deal = false;
  TrusteeSignature trustee_signature{};
};

// The manager starts the DKG of key epoch `key_epoch` (>= 1; epoch 0 starts at genesis).
struct KeyEpochStartTx {
  ChainId chain_id{};
  std::uint64_t key_epoch = 0;
  Ed25519Signature signature{};
};

// A request to read a patient's records sealed to key epoch `key_epoch`'s access key and/or to
// open their group signatures: the trustees answer with decryption shares boxed to
// `requester_key` (a one-time P-256 key) and/or partial openings. Two wire forms, one TxKind:
// decrypt only is wire kind 9 (as before); a request that asks to open is wire kind
// kAccessRequestWithOpeningWireKind, a flags byte after `key_epoch` (docs/ledger.md).
struct AccessRequestTx {
  ChainId chain_id{};
  std::uint64_t key_epoch = 0;
  bool decrypt = true;  // the trustees send decryption shares
  bool open = false;    // the trustees send partial openings (requires named records)
  Serial serial{};
  std::vector<Digest> record_ids;  // record transaction ids, strictly increasing; empty: all
  std::uint64_t timestamp_ms = 0;  // Unix epoch ms, within kAccessRequestMaxSkewMs of its block
  std::string purpose;             // printable UTF-8, not blank, 1 .. kMaxAuditPurposeBytes
  crypto::P256PointBytes requester_key{};
  // Who signs: absent, the manager's admin key (wire kinds 9 and 15); set, a reader the
  // consortium's reader policy lists (wire kind kAccessRequestByReaderWireKind), whose key
  // this is. The chain refuses a reader the policy does not list, or lists without the right
  // the request asks for (docs/ledger.md, "Reader policy").
  std::optional<Ed25519PublicKey> reader;
  Ed25519Signature signature{};
};

// One partial opening in an answer: the record it opens and the trustee's partial opening of
// that record's group signature (crypto/threshold/partial_opening.h's encoding, opaque here).
struct PartialOpeningEntry {
  Digest record_id{};
  Bytes partial_opening;  // exactly kPartialOpeningEntryBytes
  bool operator==(const PartialOpeningEntry&) const = default;
};

// Trustee `trustee`'s answer to the committed request `request_id`: one share box
// (crypto/threshold/decryption_share.h, seal_share_to_requester) per record if the request
// asks to decrypt, one partial opening per named record if it asks to open. Two wire forms,
// one TxKind: shares only is wire kind 10; with partial openings, wire kind
// kAnswerWithOpeningsWireKind (the share count may then be 0).
struct DecryptionSharesTx {
  ChainId chain_id{};
  Digest request_id{};
  std::uint16_t trustee = 0;  // 1..m, the signer
  std::vector<Bytes> share_boxes;  // 0 .. kMaxDecryptionSharesPerTx, each kDecryptionShareBoxBytes
  std::vector<PartialOpeningEntry> partial_openings;  // 0 .. kMaxAccessRequestRecords
  TrusteeSignature trustee_signature{};
};

// The wire kind byte of an access audit that names its accessor (docs/ledger.md): after the
// trustees-mode kinds 6..10.
inline constexpr std::uint8_t kAccessAuditByAccountWireKind = 11;
// The wire kind bytes of a deal carrying an opener deal and of a complaint against an opener
// deal (docs/ledger.md): one TxKind each (kDkgDeal, kDkgComplaint), two wire forms.
inline constexpr std::uint8_t kDkgDealWithOpenerWireKind = 13;
inline constexpr std::uint8_t kOpenerDkgComplaintWireKind = 14;
// The wire kind bytes of an access request that asks to open and of an answer that carries
// partial openings (docs/ledger.md): one TxKind each (kAccessRequest, kDecryptionShares).
inline constexpr std::uint8_t kAccessRequestWithOpeningWireKind = 15;
inline constexpr std::uint8_t kAnswerWithOpeningsWireKind = 16;

// What a reader may ask the trustees for (a bit set; at least one bit for a listed reader).
inline constexpr std::uint8_t kReaderRightDecrypt = 0x01;  // read records (decryption shares)
inline constexpr std::uint8_t kReaderRightOpen = 0x02;     // name hospitals (partial openings)
inline constexpr std::uint8_t kReaderRightsAll = kReaderRightDecrypt | kReaderRightOpen;

// "decrypt", "open", "decrypt+open" (or "none" for 0 and any other value).
const char* reader_rights_text(std::uint8_t rights);

enum class ReaderPolicyAction : std::uint8_t { kAdd = 1, kRemove = 2 };

// The manager (admin key) lists or unlists a reader who may sign access requests (trustees
// mode only). `policy_version` must be the chain's reader-policy version + 1: a replayed or
// stale change is refused (docs/ledger.md, "Reader policy"). A removal carries no name and no
// rights (one value, one encoding).
struct ReaderPolicyTx {
  ChainId chain_id{};
  std::uint64_t policy_version = 0;  // >= 1
  ReaderPolicyAction action = ReaderPolicyAction::kAdd;
  Ed25519PublicKey reader_key{};
  std::uint8_t rights = 0;  // add: 1..3 (kReaderRight*); remove: 0
  std::string name;         // add: 1 .. kMaxReaderNameBytes of printable UTF-8, not blank; remove: empty
  Ed25519Signature signature{};
};

// The wire kind byte of an access request signed by a listed reader (docs/ledger.md): kind 9's
// body with a flags byte (1..3) and the reader's key after key_epoch. One TxKind (kAccessRequest).
inline constexpr std::uint8_t kAccessRequestByReaderWireKind = 18;
// A join request that names its peer address (JoinRequestTx::peer_address non-empty): kind 19's
// body, then the address as bytes8 (1 .. kMaxApiAddressBytes).
inline constexpr std::uint8_t kJoinRequestWithPeerWireKind = 23;
// A join request that also names the P-256 key its group member key is boxed to
// (JoinRequestTx::enrollment_key set; the peer address is then required): kind 23's body, then
// the key as 65 bytes (an uncompressed point).
inline constexpr std::uint8_t kJoinRequestWithEnrollmentKeyWireKind = 24;
// An enrollment that carries the member key boxed to a joined member (EnrollmentTx::boxed set).
inline constexpr std::uint8_t kEnrollmentWithBoxWireKind = 25;
// The wire kind bytes of a DKG deal in the proven form, alone and carrying an opener deal in
// the proven form (docs/ledger.md): TxKind kDkgDeal, as wire kinds 6 and 13 for the legacy form.
inline constexpr std::uint8_t kProvenDkgDealWireKind = 29;
inline constexpr std::uint8_t kProvenDkgDealWithOpenerWireKind = 30;

// Consortium governance (issue 16; docs/ledger.md, "Consortium governance"). Each is signed by
// a replica's Ed25519 key over "HC-GOVERNANCE-SIGNING-v1" || the encoding up to the signature
// (governance_signing_message): the candidate's own key for a join request (proof of
// possession), a current member's for the others. `nonce` is any number the signer picks, so
// that a renewed proposal (after one expired) has a new transaction id.

// A hospital asks to join: its replica key, its TLS CA certificate (as the genesis carries it,
// PEM, may be empty for a plain-HTTP 127.0.0.1 node), its name, its API address and, optionally,
// its peer (consensus) address, which hospitals that join after it dial (docs/node.md, "Peer
// addresses on the chain"). Without a peer address it is wire kind 19 (the first format), with
// one kJoinRequestWithPeerWireKind.
struct JoinRequestTx {
  ChainId chain_id{};
  Ed25519PublicKey replica_key{};
  std::string name;         // 1..64 of [A-Za-z0-9._-]
  std::string api_address;  // 1 .. kMaxApiAddressBytes of printable ASCII, no space
  std::string tls_ca_pem;   // empty or a PEM certificate of at most kMaxTlsCaCertificateBytes
  std::uint64_t nonce = 0;
  Ed25519Signature member_signature{};  // by replica_key
  std::string peer_address;  // empty, or host:port (parse_peer_address); encoded after the nonce
  // The P-256 key (the hospital's trustee key) its group member key is to be boxed to by the
  // on-chain enrollment (kind 25); encoded after the peer address (wire kind 24).
  std::optional<crypto::P256PointBytes> enrollment_key{};
};

// A current member (or, if the genesis allows it, the admin: approver kAdminApprover) approves
// the join request or vote-out proposal whose transaction id is `proposal_id`.
inline constexpr std::uint32_t kAdminApprover = 0xFFFFFFFFu;
struct GovernanceApprovalTx {
  ChainId chain_id{};
  Digest proposal_id{};
  std::uint32_t approver = 0;  // a replica id, or kAdminApprover
  Ed25519Signature member_signature{};
};

// Member `member` announces that it leaves the consortium.
struct ExitAnnouncementTx {
  ChainId chain_id{};
  std::uint32_t member = 0;
  std::uint64_t nonce = 0;
  Ed25519Signature member_signature{};
};

// Member `proposer` proposes removing member `target`; its own proposal counts as its approval.
struct VoteOutProposalTx {
  ChainId chain_id{};
  std::uint32_t proposer = 0;
  std::uint32_t target = 0;
  std::uint64_t nonce = 0;
  Ed25519Signature member_signature{};
};

// Resharing (issue 16 item 3; docs/ledger.md, "Resharing"): `reshare_epoch` is the chain-wide
// number of the resharing (1, 2, ...), which the application starts by itself at a membership
// change's boundary (reshare_state.h). Each is signed (trustee_signing.h) over the encoding up
// to, not including, its first signature field, by a key the committed state names.

// Member `member` of the new configuration announces its fresh trustee key for resharing
// `reshare_epoch` (wire kind 31): `trustee_signature` by its current trustee key (its seat's in
// the sharing being reshared, else the enrollment key of its join request), `new_key_signature`
// by `new_key` itself (proof of possession), both over the same message.
struct ReshareKeyTx {
  ChainId chain_id{};
  std::uint64_t reshare_epoch = 0;
  std::uint32_t member = 0;
  crypto::P256PointBytes new_key{};
  TrusteeSignature new_key_signature{};
  TrusteeSignature trustee_signature{};
};

// Old trustee `dealer` (its seat in the sharing being reshared) deals its share to the new set
// (wire kind 26): the access key's deal (crypto/threshold/access_reshare.h's encoding) and,
// when the key epoch has an opener key, the opener key's (opener_reshare.h), else empty.
struct ReshareDealTx {
  ChainId chain_id{};
  std::uint64_t reshare_epoch = 0;
  std::uint16_t dealer = 0;  // old seat index, the signer
  Bytes deal;                // 1 .. kMaxReshareDealBytes
  Bytes opener_deal;         // 0 .. kMaxReshareDealBytes
  TrusteeSignature trustee_signature{};
};

// New trustee `complainer` (its index in the new set, signing with its announced key)
// complains about an old dealer's access-key box (wire kind 27) or, against_opener_deal, its
// opener-key box (wire kind kOpenerReshareComplaintWireKind).
struct ReshareComplaintTx {
  ChainId chain_id{};
  std::uint64_t reshare_epoch = 0;
  std::uint16_t complainer = 0;  // new index, the signer
  Bytes complaint;               // 1 .. kMaxDkgComplaintBytes (the threshold module's encoding)
  bool against_opener_deal = false;
  TrusteeSignature trustee_signature{};
};
inline constexpr std::uint8_t kOpenerReshareComplaintWireKind = 28;

using Transaction = std::variant<RecordTx, PublishEnvelopeKeyTx, RevocationTx, EnrollmentTx, AccessAuditTx,
                                 DkgDealTx, DkgComplaintTx, KeyEpochStartTx, AccessRequestTx, DecryptionSharesTx,
                                 ReaderPolicyTx, JoinRequestTx, GovernanceApprovalTx, ExitAnnouncementTx,
                                 VoteOutProposalTx, ReshareKeyTx, ReshareDealTx, ReshareComplaintTx>;

TxKind kind_of(const Transaction& tx);
// Signed with the manager signing scheme (kinds 2..5, 8, 9, 17): by the admin key, except an
// access request of a listed reader (wire kind 18), signed by that reader's key.
bool is_manager_tx(const Transaction& tx);
// Signed by a trustee's P-256 key (kinds 6, 7, 10 and the resharing kinds 26, 27, 31).
bool is_trustee_tx(const Transaction& tx);
// The resharing kinds (26, 27 in both wire forms, 31).
bool is_reshare_tx(const Transaction& tx);
// Signed by a trustee key that the committed state names rather than the genesis (the
// resharing kinds, and decryption shares, whose signer is a seat of the sharing in force at the
// request's height): the state rules check these signatures, not verify_trustee_tx.
bool trustee_key_from_state(const Transaction& tx);
// Consortium governance, signed by a replica key (kinds 19..22).
bool is_governance_tx(const Transaction& tx);

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
// ciphertext) for version 1; SHA-256("HC-RECORD-CONTENT-v2" || serial 32 || nonce 12 ||
// ephemeral_key 65 || u32 length || ciphertext) for version 2. Two records with the same content digest are one visit submitted twice (a
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
