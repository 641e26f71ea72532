#include "node/member_keys.h"

#include <string>

#include "chain/governance_state.h"

namespace hc::node {

Status learn_member_keys(const chain::TrusteeStateView& committed, consensus::Ed25519Verifier& verifier) {
  // Ids are handed out in order and never reused: every id below next_replica_id is or was a
  // member, so after the first call this reads the head only, until a join commits.
  HC_ASSIGN_OR_RETURN(chain::ConsortiumHead head, chain::read_consortium_head(committed));
  for (std::uint32_t id = 0; id < head.next_replica_id; ++id) {
    if (verifier.knows(id)) continue;
    HC_ASSIGN_OR_RETURN(auto member, chain::read_member(committed, id));
    if (!member) continue;
    HC_RETURN_IF_ERROR(verifier.add_key(id, member->key).with_context("replica " + std::to_string(id) + "'s key"));
  }
  return Status();
}

}  // namespace hc::node
