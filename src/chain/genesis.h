// The genesis of a chain: the consortium (replica ids and Ed25519 keys), the group public key
// of epoch 0, the manager's administration key, the check value of the consortium pseudonym
// key (crypto/serial_number.h: clients refuse a pseudonym key that does not give it) and the
// per-chain limits.
//
// Each replica may carry its hospital's TLS CA certificate: the trust anchor `hc` uses to verify
// that hospital's node over HTTPS (docs/deploy.md); clients need no outside CA.
//
// The access mode (issue 13): `single-manager` (the paper's: the manager's envelope keys read
// records) or `trustees` (records are sealed to a consortium access key held by m trustees with
// threshold t, docs/threshold.md). A single-manager genesis encodes exactly as version 3 (so
// existing chains keep their genesis hash); a trustees genesis is version 4, which appends the
// trustee section; a version-4 encoding that says single-manager is refused (one encoding per
// value).
//
// Canonical encoding (docs/ledger.md, "Genesis"): "HCGN" | version u16 = 3 or 4 | chain name (u8 len)
// | genesis_time_ms u64 | u16 n | n x (id u32 | key 32 | TLS CA PEM (u32 len, 0 = none)) with
// ids strictly increasing | group
// public key (u32 len) | admin key 32 | pseudonym key check 32 | limits (4 x u32)
// [version 4 only: access mode u8 = 2 | threshold u16 | m u8 | m x trustee P-256 key 65]
// [version 5 only: access mode u8 (1 or 2) | if 2, threshold, m and keys as version 4 |
// admin approves u8 (0/1) | proposal expiry blocks u32; refused if the rules are the defaults]
// [version 6 only: as version 5 with access mode 2, any governance rules (the defaults too)]
// [version 7 only: as version 5 with access mode 1, any governance rules, then the manager's
//  opener key h 48 | its proof of knowledge 64].
// Version 6 is a trustees genesis whose DKG deals must be in the proven form (their boxes
// prove their ephemeral secrets: wire kinds 29/30, docs/threshold.md); genesis creation makes
// it from now on. Chains of versions 4 and 5 also accept the legacy forms (kinds 6/13) so that
// their history verifies.
// Version 7 is a single-manager genesis that publishes the manager's BBS04-ElGamal opener key
// h = u^xi (u of the epoch-0 group key) with a Schnorr proof of knowledge of xi (issue 18 items
// 2 and 4): its version-1 records must carry BBS04-ElGamal signatures under h, which batch
// (chain/record_signature_check.h); the ledger keeps h and the proof opaque (no pairing code
// here), chain/manager_opener_key.h checks them. Chains of version 3 and 5 keep plain BBS04.
// genesis hash = SHA-256(encoding);
// block 1's previous hash is the genesis hash. The JSON form (genesis files) maps one to one.
// Pure functions; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "chain/digest.h"
#include "chain/limits.h"
#include "common/bytes.h"
#include "crypto/p256.h"
#include "common/status.h"

namespace hc::chain {

inline constexpr std::uint16_t kGenesisVersionSingleManager = 3;
inline constexpr std::uint16_t kGenesisVersionTrustees = 4;
// Either access mode with consortium governance rules other than the defaults (issue 16).
inline constexpr std::uint16_t kGenesisVersionGovernance = 5;
// Trustees mode whose DKG deals must prove their boxes' ephemerals (any governance rules).
inline constexpr std::uint16_t kGenesisVersionProvenDkg = 6;
// Single-manager mode whose records are BBS04-ElGamal under the manager's opener key.
inline constexpr std::uint16_t kGenesisVersionManagerOpener = 7;

inline constexpr std::size_t kManagerOpenerKeyBytes = 48;        // compressed G1
inline constexpr std::size_t kManagerOpenerKeyProofBytes = 64;   // Schnorr (c, z)

// The manager's opener key of a version-7 genesis, opaque to the ledger.
struct ManagerOpenerKey {
  std::array<std::uint8_t, kManagerOpenerKeyBytes> h{};
  std::array<std::uint8_t, kManagerOpenerKeyProofBytes> proof{};
  bool operator==(const ManagerOpenerKey&) const = default;
};

enum class AccessMode : std::uint8_t {
  kSingleManager = 1,
  kTrustees = 2,
};
const char* access_mode_name(AccessMode mode);  // "single-manager" / "trustees"

// The default threshold for m trustees: 2f+1 with f = (m-1)/3 (m = 3f+1 gives t = 2f+1, so no
// f colluding trustees can decrypt and any f offline leave enough to answer).
std::uint16_t default_trustee_threshold(std::size_t trustees);

struct ReplicaInfo {
  std::uint32_t id = 0;
  Ed25519PublicKey public_key{};
  // The hospital's TLS CA certificate (PEM text, kept byte for byte), or empty for a replica
  // whose API is only reachable over plain HTTP on 127.0.0.1. Checked here for size and
  // framing only; net::check_tls_ca_certificate parses it where it is used.
  std::string tls_ca_pem{};
};

struct ChainLimits {
  std::uint32_t max_block_transactions = 4096;
  std::uint32_t max_block_bytes = 16 * 1024 * 1024;
  // By default a visit payload at the client's documented maximum (240 KiB: crypto/visit.h,
  // docs/record-format.md) is accepted by the ledger.
  std::uint32_t max_record_ciphertext_bytes = kDefaultRecordCiphertextBytes;
  // Must be 0 (check_genesis refuses anything else; the field stays in the encoding). A window
  // of old-epoch records after a revocation would let anyone forge records: a BBS04 revocation
  // record publishes the revoked key (A*, x*) (docs/groupsig.md, "Epochs and revocation").
  std::uint32_t revocation_grace_blocks = 0;
};

// Who decides a change of the consortium's members (docs/ledger.md, "Consortium governance"):
// always more than two thirds of the current members; if `admin_approves`, also the manager's
// admin key alone. A proposal not accepted within `proposal_expiry_blocks` blocks expires.
struct GovernanceRules {
  bool admin_approves = false;
  std::uint32_t proposal_expiry_blocks = kDefaultProposalExpiryBlocks;  // 1 .. kMaxProposalExpiryBlocks
  bool operator==(const GovernanceRules&) const = default;
};

struct Genesis {
  std::string chain_name;  // 1..64 of [A-Za-z0-9._-]
  std::uint64_t genesis_time_ms = 0;
  std::vector<ReplicaInfo> replicas;  // ids strictly increasing, 1..kMaxReplicas entries
  Bytes group_public_key;             // epoch 0, opaque (the groupsig module's encoding)
  Ed25519PublicKey manager_admin_key{};
  Digest pseudonym_key_check{};  // crypto::pseudonym_key_check(pseudonym key, chain_name)
  ChainLimits limits;
  AccessMode access_mode = AccessMode::kSingleManager;
  // Trustees mode only (empty / 0 otherwise): trustee j's long-term P-256 key at position j-1
  // (uncompressed, pairwise distinct, 1..kMaxChainTrustees) and the threshold 1 <= t <= m.
  std::vector<crypto::P256PointBytes> trustee_keys;
  std::uint16_t trustee_threshold = 0;
  GovernanceRules governance;
  // Trustees mode only: every DKG deal must be in the proven form (version 6). False for the
  // chains made before the proofs (their legacy deals stay valid history).
  bool proven_dkg_deals = false;
  // Single-manager mode only (version 7): the manager's BBS04-ElGamal opener key. Unset for the
  // chains made before it, whose records keep plain BBS04 (their history verifies).
  std::optional<ManagerOpenerKey> manager_opener_key;

  // 3 or 4 by access mode with the default governance rules (so existing genesis files keep
  // their encoding and hash), 5 with any other; 6 when the DKG deals must be proven; 7 with
  // the manager's opener key.
  std::uint16_t encoding_version() const {
    if (manager_opener_key) return kGenesisVersionManagerOpener;
    if (proven_dkg_deals) return kGenesisVersionProvenDkg;
    if (governance != GovernanceRules{}) return kGenesisVersionGovernance;
    return access_mode == AccessMode::kTrustees ? kGenesisVersionTrustees : kGenesisVersionSingleManager;
  }
  std::size_t max_faulty() const { return (replicas.size() - 1) / 3; }
  // COMMIT signatures a certificate needs: the smallest q with 2q - n >= f + 1, as the engine
  // counts (consensus::Configuration::quorum_of; the ledger does not link the engine): 2f+1
  // when n = 3f+1, more when n = 3f+2 or 3f+3, where two sets of 2f+1 can share only a faulty
  // replica.
  std::size_t quorum() const { return (replicas.size() + max_faulty() + 2) / 2; }
  std::optional<Ed25519PublicKey> replica_key(std::uint32_t id) const;
  // Every replica's TLS CA certificate that is set (the clients' trust anchors).
  std::vector<std::string> tls_trust_anchors() const;
};

// Rules beyond framing: names, ordering of replicas, limits within the hard limits.
Status check_genesis(const Genesis& genesis);
Bytes encode_genesis(const Genesis& genesis);  // HC_CHECKs check_genesis
Result<Genesis> decode_genesis(ByteSpan encoding);
Digest genesis_hash(const Genesis& genesis);
// What the manager's opener-key proof is bound to: chain name (u8 len) | genesis_time_ms u64 |
// group public key (u32 len) | admin key 32 (the fields the manager's setup fixes before the
// replicas' trustee keys or governance rules, which do not change it).
Bytes manager_opener_key_context(const Genesis& genesis);

nlohmann::json genesis_to_json(const Genesis& genesis);
Result<Genesis> genesis_from_json(const nlohmann::json& json);
// Reads and parses a genesis JSON file (bounded by kMaxGenesisFileBytes).
Result<Genesis> load_genesis_file(const std::string& path);

}  // namespace hc::chain
