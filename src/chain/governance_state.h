// The consortium's committed membership and its open proposals (issue 16 item 1;
// docs/ledger.md, "Consortium governance"): the keys and value encodings of the governance
// state, kept in the store's metadata under "consortium/" beside the trustees-mode state and
// hashed into the app hash the same way (StateChanges::trustee_entries), and their readers.
//   consortium/head                  current members, next replica id, open proposal ids
//   consortium/proposal/<id 32>      a join request or vote-out proposal (or exit) and its approvals
//   consortium/member/<id u32>       a member that joined after the genesis (key, name, TLS CA, API)
//   consortium/key/<key 32>          which joined member holds a replica key
//   consortium/change/<height u64>   the member list a block accepted (Application::accepted_changes)
// Values are canonical (fixed order, big-endian, exact lengths). Without a head the state is
// the genesis's: its replicas, next id one above the highest, nothing open. Pure functions over
// a TrusteeStateView (the store, or the chain verifier's replay); thread-safe as its reads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chain/state_changes.h"
#include "crypto/p256.h"
#include "chain/trustee_state.h"

namespace hc::chain {

enum class ProposalKind : std::uint8_t { kJoin = 1, kVoteOut = 2, kExit = 3 };
enum class ProposalStatus : std::uint8_t { kOpen = 1, kAccepted = 2, kVoid = 3 };
const char* proposal_kind_name(ProposalKind kind);      // "join", "vote-out", "exit"
const char* proposal_status_name(ProposalStatus status);  // "open", "accepted", "void"

struct ConsortiumHead {
  std::vector<std::uint32_t> members;  // the committed member list, in configuration order
  std::uint32_t next_replica_id = 0;   // ids are never reused
  std::uint32_t changes = 0;           // membership changes accepted so far
  std::uint64_t last_change_height = 0;
  std::vector<Digest> open;            // open proposals, oldest first (expired ones pruned lazily)
  bool operator==(const ConsortiumHead&) const = default;
};

struct Proposal {
  Digest id{};  // the proposing transaction's id
  ProposalKind kind = ProposalKind::kJoin;
  ProposalStatus status = ProposalStatus::kOpen;
  std::uint64_t proposed_height = 0;
  std::uint64_t expires_height = 0;  // the last height at which it may be approved
  std::uint64_t closed_height = 0;   // accepted or void at this height (0 while open)
  std::uint32_t subject = 0;         // vote-out / exit: the leaving member; join: its id once accepted
  std::uint32_t proposer = 0;        // vote-out: the proposing member; exit: the leaving one
  // Join only: the candidate.
  Ed25519PublicKey candidate_key{};
  std::string name;
  std::string api_address;
  std::string tls_ca_pem;
  std::vector<std::uint32_t> approvers;  // strictly increasing; kAdminApprover last if present
  std::string void_reason;               // why an accepted-by-votes change could not apply
  std::string peer_address;              // join only: the candidate's, if its request named one
  // Join only: the P-256 key its group member key is boxed to, if its request (kind 24) named
  // one; encoded after the peer address (which such a request always has).
  std::optional<crypto::P256PointBytes> enrollment_key{};
  bool operator==(const Proposal&) const = default;
};

struct ConsortiumMember {
  std::uint32_t id = 0;
  Ed25519PublicKey key{};
  std::string name;         // empty for a genesis replica
  std::string api_address;  // empty for a genesis replica
  std::string tls_ca_pem;
  std::uint64_t joined_height = 0;  // 0: in the genesis
  std::string peer_address;         // host:port from its join request; empty if it named none
  std::optional<crypto::P256PointBytes> enrollment_key{};  // from its join request (kind 24), if any
  bool operator==(const ConsortiumMember&) const = default;
};

struct MembershipChange {
  std::uint64_t height = 0;
  std::vector<std::uint32_t> members;
  bool operator==(const MembershipChange&) const = default;
};

Result<ConsortiumHead> read_consortium_head(const TrusteeStateView& state);
Result<std::optional<Proposal>> read_proposal(const TrusteeStateView& state, const Digest& id);
// A replica that is or was a member: the genesis's or one that joined. nullopt if the id was
// never a member.
Result<std::optional<ConsortiumMember>> read_member(const TrusteeStateView& state, std::uint32_t id);
// The id of the member (genesis or joined) holding `key`, if any.
Result<std::optional<std::uint32_t>> member_holding_key(const TrusteeStateView& state, const Ed25519PublicKey& key);
// Every accepted change at a height >= from_height, in height order.
Result<std::vector<MembershipChange>> read_membership_changes(const TrusteeStateView& state, std::uint64_t from_height);

// Entry writers (governance_rules.cpp).
TrusteeStateEntry consortium_head_entry(const ConsortiumHead& head);
TrusteeStateEntry proposal_entry(const Proposal& proposal);
std::vector<TrusteeStateEntry> joined_member_entries(const ConsortiumMember& member);
TrusteeStateEntry membership_change_entry(const MembershipChange& change);

}  // namespace hc::chain
