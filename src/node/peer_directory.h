// The node's peer directory (issue 16; docs/node.md, "Peer links"): which replicas this node
// keeps a peer link to, with which key, and which end dials, computed from what the chain says
// (the genesis replicas, the members that joined since and the member ids in force) and what
// the node's configuration knows (peer addresses). The node hands the result to
// net::Transport::set_peers whenever the membership changes. build_peer_directory is pure;
// read_peer_directory_inputs reads the committed state. Both thread-safe (the reads as the
// state view's).
//
// Who dials (both ends compute the same answer from the same chain):
// - two genesis replicas: the lower id dials (as the transport always did), every genesis
//   replica's address being in every node's configuration;
// - any pair with a joined member: the higher id dials, i.e. the member that joined later.
//   Ids are never reused and a join gets the next one, so the later joiner is the one whose
//   operator wrote its configuration knowing the others' addresses; the earlier members only
//   await its connection, authenticated by the replica key the chain recorded. The address a
//   joiner dials is its configuration's or, for a member that joined before it and named its
//   peer address in its join request, the one on the chain.
// A member this node should dial but has no address for is still a peer (kAwait, its frames
// queue within the transport's bounds) and is named in `unreachable`, for a warning.
#pragma once

#include <cstdint>
#include <vector>

#include "chain/genesis.h"
#include "chain/governance_state.h"
#include "common/status.h"
#include "net/transport.h"
#include "node/config.h"

namespace hc::node {

struct PeerDirectoryInputs {
  std::uint32_t self_id = 0;
  std::vector<chain::ReplicaInfo> genesis_replicas;  // chain::Genesis::replicas
  // Members that joined after the genesis (chain::read_member of each joined id); members of
  // the past may be included, only `members` decides who is linked.
  std::vector<chain::ConsortiumMember> joined;
  // The member ids in force: the ledger's committed list (ConsortiumHead::members) together
  // with the engine's configuration until a change's boundary (docs/consensus.md §2c), so a
  // leaving replica keeps its links while the old configuration still counts its votes.
  std::vector<std::uint32_t> members;
  std::vector<PeerConfig> addresses;  // the configuration's peers: where to dial whom
};

struct PeerDirectory {
  std::vector<net::PeerLink> links;        // by increasing id; this node left out
  std::vector<std::uint32_t> unreachable;  // peers this node should dial but has no address for
  bool self_is_member = false;             // false: no links (a node out of the set links to nobody)
};

// kInvalidInput with a reason if a member id is neither a genesis replica nor a joined member,
// an id is given twice (in `members`, or as both a genesis replica and a joined member), a
// key cannot be loaded as an Ed25519 key, or the configuration gives a peer a key other than the
// chain's.
Result<PeerDirectory> build_peer_directory(const PeerDirectoryInputs& inputs);

// The inputs as the committed state holds them: the genesis replicas, the record of every
// joined member among the ids in force, and as ids in force the ledger's committed member list
// (chain::read_consortium_head; the genesis replicas before any change) united with
// `engine_members`, the engine's configuration (which keeps a leaver until the boundary).
// kCorrupt if the state cannot be read or names a member it holds no record of; the reads'
// own errors otherwise.
Result<PeerDirectoryInputs> read_peer_directory_inputs(const chain::TrusteeStateView& state, std::uint32_t self_id,
                                                       const std::vector<std::uint32_t>& engine_members,
                                                       std::vector<PeerConfig> addresses);

// What the directory depends on that changes while the node runs: how many membership changes
// the ledger has accepted (a join or an exit writes the member list and records together with
// this count) and the engine's configuration number (a leaver stays a peer until the
// boundary). The peer addresses and this node's key are fixed settings. hc-node recomputes the
// directory only when this differs from what it last applied: at a block that accepted a change
// and at a boundary, not after every block.
struct MembershipStamp {
  std::uint32_t changes_accepted = 0;
  std::uint64_t configuration = 0;
  bool operator==(const MembershipStamp&) const = default;
};

// One state read (the consortium's head). The reads' own errors.
Result<MembershipStamp> read_membership_stamp(const chain::TrusteeStateView& state, std::uint64_t configuration_number);

}  // namespace hc::node
