// Which replica this node is on the chain (issue 16; docs/node.md, "Joining a running
// consortium"): a genesis replica, a member that joined, or a hospital whose join its ledger
// does not show yet (it has not caught up to the block accepting it). A node that is none of
// these, because its replica key is another replica's or not the key the chain accepted for
// its id, must not start: replica_standing says why in one line. Pure reads of the committed
// state; thread-safe as the state view's reads.
#pragma once

#include <cstdint>

#include "chain/trustee_state.h"
#include "common/status.h"
#include "crypto/ed25519.h"

namespace hc::node {

enum class ReplicaStanding : std::uint8_t {
  kGenesisReplica,  // node_id is a genesis replica and the key is the genesis's
  kJoinedMember,    // the chain accepted node_id's join, with this key
  // node_id is no member on this ledger (past or present) and no member holds the key: a
  // hospital whose join this ledger does not show yet. It links to the members its configuration names
  // and fetches blocks as a non-member until its ledger shows the join (then kJoinedMember).
  kAwaitingJoin,
};

// kInvalidInput with a one-line reason when `own_key` is not node_id's key on the chain (the
// genesis's or the accepted join's) or when another member holds `own_key`; the state's read
// errors otherwise.
Result<ReplicaStanding> replica_standing(const chain::TrusteeStateView& committed, std::uint32_t node_id,
                                         const crypto::Ed25519PublicKey& own_key);

}  // namespace hc::node
