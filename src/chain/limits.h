// Every size bound of the ledger in one place: transaction fields, blocks, genesis, caches.
//
// Hard limits are compile-time constants that no decoder ever exceeds; the genesis block may
// choose tighter per-chain limits (see genesis.h), never looser ones. Constants only.
#pragma once

#include <cstddef>
#include <cstdint>

namespace hc::chain {

// Sizes fixed by the cryptography.
inline constexpr std::size_t kSerialBytes = 32;           // HMAC-SHA-256 pseudonym
inline constexpr std::size_t kKeyIdBytes = 32;            // SHA-256 of SPKI DER
inline constexpr std::size_t kWrappedKeyBytes = 384;      // RSA-3072-OAEP output
inline constexpr std::size_t kGcmNonceBytes = 12;
inline constexpr std::size_t kGcmTagBytes = 16;
inline constexpr std::size_t kEd25519PublicKeyBytes = 32;
inline constexpr std::size_t kEd25519SignatureBytes = 64;
inline constexpr std::size_t kDigestBytes = 32;

// Transaction fields (hard limits).
inline constexpr std::size_t kMaxRecordCiphertextBytes = 256 * 1024 + kGcmTagBytes;
// The default per-chain limit (genesis.h): the client's largest visit payload (240 KiB,
// crypto/visit.h, which checks the agreement at compile time) plus the GCM tag.
inline constexpr std::size_t kDefaultRecordCiphertextBytes = 240 * 1024 + kGcmTagBytes;
inline constexpr std::size_t kMaxGroupSignatureBytes = 1024;  // BBS04 is 336 + framing
inline constexpr std::size_t kMaxEnvelopeSpkiBytes = 1024;    // RSA-3072 SPKI is 422
inline constexpr std::size_t kMaxRevocationRecordBytes = 64 * 1024;
inline constexpr std::size_t kMaxMemberNameBytes = 64;
inline constexpr std::size_t kMaxRegistryEntryBytes = 4096;
// The member key boxed to a joined hospital (kind 25): a BBS04 or BBS04-ElGamal member key
// encoding with the box's 81 bytes of overhead.
inline constexpr std::size_t kMaxMemberKeyBoxBytes = 2048;
inline constexpr std::size_t kMaxAuditPurposeBytes = 1024;
inline constexpr std::size_t kMaxAuditAccessorBytes = 64;  // a node account name (node/account_store.h)
inline constexpr std::size_t kMaxTransactionBytes = kMaxRecordCiphertextBytes + 4096;

// Blocks (hard limits; the genesis limits are at most these).
inline constexpr std::size_t kMaxBlockTransactions = 20000;
inline constexpr std::size_t kMaxBlockBytes = 64 * 1024 * 1024;
inline constexpr std::size_t kMaxCommitCertificateBytes = 64 * 1024;

// Genesis.
inline constexpr std::size_t kMaxReplicas = 256;
inline constexpr std::size_t kMaxChainNameBytes = 64;
inline constexpr std::size_t kMaxGroupPublicKeyBytes = 4096;
inline constexpr std::size_t kMaxTlsCaCertificateBytes = 4096;  // a P-256 CA certificate PEM is ~0.7 KiB
inline constexpr std::size_t kMaxGenesisFileBytes = 2 * 1024 * 1024;  // 256 replicas with TLS anchors fit

// Trustees mode (docs/ledger.md, "Trustees"; docs/threshold.md, "On the chain").
inline constexpr std::size_t kMaxChainTrustees = 64;  // = crypto::threshold::kMaxTrustees
// The DKG of key epoch e starts at height h0 (genesis: 0); deals are accepted in blocks
// h0+1 .. h0+W, complaints in h0+W+1 .. h0+2W, and the block at height h0+2W+1 (the first one
// after the complaint window) finalizes the outcome. Fixed for every chain.
inline constexpr std::uint64_t kDkgWindowBlocks = 16;
// A resharing started at height B (docs/threshold.md, "On the chain" for resharing) takes
// announcements from B+1 on; its announcement window closes at the first block at or after
// B+kDkgWindowBlocks at which every member of the new configuration has announced, and at
// B+kReshareAnnouncementMaxBlocks at the latest (a member down or catching up longer than
// that gets no seat; about 4 minutes of idle blocks at the default 500 ms interval). Deals and
// complaints then take kDkgWindowBlocks each after the block K that closed it.
inline constexpr std::uint64_t kReshareAnnouncementMaxBlocks = 512;
// An access request's timestamp must be within this of the block that commits it (both ways).
inline constexpr std::uint64_t kAccessRequestMaxSkewMs = 10 * 60 * 1000;
inline constexpr std::size_t kMaxAccessRequestRecords = 256;     // record ids named in one request
inline constexpr std::size_t kMaxDkgDealBytes = 16 * 1024;    // a 64-trustee deal is 15,544 (legacy form 11,448)
inline constexpr std::size_t kMaxDkgComplaintBytes = 256;      // a complaint is 188 (opener: 195)
// A 64-trustee opener deal is 14,543 bytes at t = 64 (legacy form 10,447).
inline constexpr std::size_t kMaxOpenerDealBytes = 16 * 1024;
// A resharing deal at 64 old and 64 new trustees, t_new = 64: access key 15,548 bytes, opener
// key 14,467 (docs/threshold.md, "Resharing"); a resharing complaint is 192 (opener: 199).
inline constexpr std::size_t kMaxReshareDealBytes = 16 * 1024;
inline constexpr std::size_t kDecryptionShareBoxBytes = 407;   // docs/threshold.md, "Encodings"
inline constexpr std::size_t kMaxDecryptionSharesPerTx = kMaxAccessRequestRecords;  // one boxed share per record
inline constexpr std::size_t kPartialOpeningEntryBytes = 243;  // crypto/threshold/partial_opening.h (checked there)
// The reader policy (docs/ledger.md, "Reader policy"): a reader's display name, how many
// readers may be listed at once, and how many reader entries (listed or removed: a removal
// keeps its entry as history, a re-added key reuses it) the state may ever hold.
inline constexpr std::size_t kMaxReaderNameBytes = 64;
inline constexpr std::size_t kMaxListedReaders = 256;
inline constexpr std::size_t kMaxReaderPolicyEntries = 1024;
// Consortium governance (docs/ledger.md, "Consortium governance"): a join request's API
// address; how many proposals may be open at once (anyone may ask to join, so the state a
// stranger can fill is bounded); how many membership changes a chain may ever accept; the
// smallest replica set a change may leave (PBFT with f >= 1); the default proposal lifetime.
inline constexpr std::size_t kMaxApiAddressBytes = 255;
inline constexpr std::size_t kMaxOpenProposals = 16;
inline constexpr std::size_t kMaxMembershipChanges = 1024;
inline constexpr std::size_t kMinConsortiumMembers = 4;
inline constexpr std::uint32_t kDefaultProposalExpiryBlocks = 100;
inline constexpr std::uint32_t kMaxProposalExpiryBlocks = 1000000;

// Application.
inline constexpr std::size_t kVerificationCacheEntries = 200000;
inline constexpr std::size_t kVerificationThreads = 2;
inline constexpr std::size_t kMaxPendingRecordContents = 200000;  // replay claims at admission
// Admission claims of the other kinds (admission_claims.h): how many pending transactions may
// hold them, and after how many committed blocks without a re-check a claim ends (more than
// the engine's sequence window, 64 by default, so a claim outlives any block in flight).
inline constexpr std::size_t kMaxAdmissionClaimants = 16384;
inline constexpr std::uint64_t kAdmissionClaimBlocks = 128;
inline constexpr std::size_t kMaxSerialQueryResults = 100000;

}  // namespace hc::chain
