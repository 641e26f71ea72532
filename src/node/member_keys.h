// The node's consensus Verifier follows the consortium (issue 16; docs/consensus.md section 2c):
// it knows the genesis replicas' keys from the start, and a joined member's key must be in it
// before the join takes effect at its boundary (and before the joiner's state-transfer
// requests arrive). learn_member_keys gives the verifier the key of every replica the ledger's
// committed governance state knows (consortium/member/<id>) and the verifier does not: hc-node
// calls it at start and after each committed block, on the consensus thread, the only thread
// that calls the verifier. A departed member keeps its key there (its state-transfer messages
// still verify; the engine refuses its votes as a non-member).
#pragma once

#include "chain/trustee_state.h"
#include "consensus/crypto.h"

namespace hc::node {

// ok, with every known replica's key in `verifier`; a failed read (kIo, kCorrupt) or a recorded
// key the verifier refuses (kInvalidInput) is returned and the keys added so far stay.
Status learn_member_keys(const chain::TrusteeStateView& committed, consensus::Ed25519Verifier& verifier);

}  // namespace hc::node
