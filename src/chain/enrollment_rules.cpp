// The acceptance rules of a kind-25 enrollment against the committed governance state.
#include "chain/enrollment_rules.h"

#include <algorithm>
#include <string>

#include "chain/governance_state.h"

namespace hc::chain {

Status check_boxed_enrollment(const TrusteeStateView& state, const EnrollmentTx& e, std::uint64_t current_group_epoch) {
  if (!e.boxed) return invalid_input("enrollment: no boxed member key (wire kind 4 is judged elsewhere)");
  const BoxedMemberKey& b = *e.boxed;
  const std::string who = "enrollment of member " + std::to_string(b.member_id);
  if (b.chain_id != state.genesis_hash()) return invalid_input(who + ": it names another chain's id");
  HC_ASSIGN_OR_RETURN(auto member, read_member(state, b.member_id));
  if (!member || member->joined_height == 0) {
    return invalid_input(who + ": not a member accepted by governance (a genesis hospital is enrolled at genesis)");
  }
  HC_ASSIGN_OR_RETURN(ConsortiumHead head, read_consortium_head(state));
  if (std::find(head.members.begin(), head.members.end(), b.member_id) == head.members.end()) {
    return invalid_input(who + ": it is no longer a member");
  }
  if (e.member_name != member->name) {
    return invalid_input(who + ": the name " + e.member_name + " is not the member's (" + member->name + ")");
  }
  if (!member->enrollment_key) return invalid_input(who + ": its join request named no enrollment key");
  if (b.recipient_key != *member->enrollment_key) {
    return invalid_input(who + ": the box is not to the key its join request named");
  }
  if (b.group_epoch != current_group_epoch) {
    return invalid_input(who + ": group epoch " + std::to_string(b.group_epoch) + " is not the current " +
                         std::to_string(current_group_epoch));
  }
  return Status();
}

}  // namespace hc::chain
