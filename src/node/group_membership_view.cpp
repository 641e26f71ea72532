#include "node/group_membership_view.h"

#include <algorithm>
#include <set>

#include "chain/governance_state.h"
#include "chain/trustee_state.h"
#include "crypto/groupsig/encoding.h"

namespace hc::node {

Result<nlohmann::json> group_membership_json(const chain::LedgerStore& store) {
  const chain::StoreTrusteeView state(store);
  HC_ASSIGN_OR_RETURN(chain::ConsortiumHead head, chain::read_consortium_head(state));
  std::set<std::string> revoked;
  HC_ASSIGN_OR_RETURN(auto revocations, store.revocations());
  for (const auto& [epoch, record] : revocations) {
    auto decoded = groupsig::decode_revocation(record);
    if (decoded.ok()) revoked.insert(decoded->member);  // the ledger checked it when it committed it
  }
  nlohmann::json out = nlohmann::json::array();
  for (std::uint32_t id = 0; id < head.next_replica_id; ++id) {
    HC_ASSIGN_OR_RETURN(auto member, chain::read_member(state, id));
    if (!member || member->joined_height == 0) continue;
    HC_ASSIGN_OR_RETURN(auto entry, store.registry_entry(member->name));
    const bool current = std::find(head.members.begin(), head.members.end(), id) != head.members.end();
    out.push_back({{"id", id},
                   {"name", member->name},
                   {"current", current},
                   {"enrollment_key", member->enrollment_key.has_value()},
                   {"enrolled", entry.has_value()},
                   {"revoked", revoked.count(member->name) != 0}});
  }
  return out;
}

}  // namespace hc::node
