#include "client/manager_enrollment.h"

#include <algorithm>

#include "chain/change_proof.h"
#include "chain/consensus_parameters.h"
#include "chain/enrollment_box.h"
#include "client/configuration_history.h"
#include "client/manager_transaction.h"
#include "crypto/groupsig/encoding.h"
#include "crypto/groupsig/issuer.h"
#include "crypto/groupsig/store.h"
#include "node/ledger_bridge.h"

namespace hc::client {

namespace {

bool holds(const std::vector<std::uint32_t>& ids, std::uint32_t id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

}  // namespace

Result<VerifiedMembership> read_verified_membership(const chain::Genesis& genesis, const NodeClient& node) {
  HC_ASSIGN_OR_RETURN(nlohmann::json answer, node.consortium_changes());
  HC_ASSIGN_OR_RETURN(auto proofs, chain::change_proofs_from_json(answer));
  HC_ASSIGN_OR_RETURN(auto pbft, node::PbftCertificateVerifier::create(genesis));
  ConfigurationHistory history(genesis);
  HC_RETURN_IF_ERROR(history.extend(proofs, *pbft).with_context("the node's membership changes"));
  const chain::TrusteeStateView& state = history.view();
  HC_ASSIGN_OR_RETURN(chain::ConsortiumHead head, chain::read_consortium_head(state));
  HC_ASSIGN_OR_RETURN(auto changes, chain::read_membership_changes(state, 0));
  VerifiedMembership out;
  out.current = head.members;
  for (std::uint32_t id = 0; id < head.next_replica_id; ++id) {
    HC_ASSIGN_OR_RETURN(auto member, chain::read_member(state, id));
    if (member && member->joined_height != 0) out.joined.push_back(*member);
  }
  // A member absent from a change's list that was in the list before it left at that change.
  std::vector<std::uint32_t> before;
  for (const auto& r : genesis.replicas) before.push_back(r.id);
  for (const chain::MembershipChange& change : changes) {
    for (std::uint32_t id : before) {
      if (!holds(change.members, id)) out.departed.emplace_back(id, change.height);
    }
    before = change.members;
  }
  return out;
}

MembershipDuties membership_duties(const VerifiedMembership& membership, const groupsig::Registry& current_registry,
                                   std::uint64_t tip_height) {
  MembershipDuties duties;
  auto joined = [&](std::uint32_t id) -> const chain::ConsortiumMember* {
    for (const auto& m : membership.joined) {
      if (m.id == id) return &m;
    }
    return nullptr;
  };
  for (const chain::ConsortiumMember& m : membership.joined) {
    if (holds(membership.current, m.id) && groupsig::find_member(current_registry, m.name) == nullptr) {
      duties.enrollments_owed.push_back(m);
    }
  }
  for (const auto& [id, height] : membership.departed) {
    if (holds(membership.current, id)) continue;  // left and came back is impossible (ids are never reused)
    const chain::ConsortiumMember* m = joined(id);
    if (m == nullptr) {
      duties.departed_unnamed.push_back(id);
    } else if (groupsig::find_member(current_registry, m->name) != nullptr) {
      if (tip_height > chain::membership_change_boundary(height)) {
        duties.revocations_owed.push_back(*m);
      } else {
        duties.departures_before_boundary.push_back(id);
      }
    }
  }
  return duties;
}

Result<EnrollmentDone> enroll_joined_member(ManagerSession& session, const NodeClient& writer,
                                            const VerifiedMembership& membership, std::uint32_t member_id) {
  const std::string who = "member " + std::to_string(member_id);
  const auto it = std::find_if(membership.joined.begin(), membership.joined.end(),
                               [&](const chain::ConsortiumMember& m) { return m.id == member_id; });
  if (it == membership.joined.end()) {
    return invalid_input(who + " is not a hospital the consortium accepted by governance (genesis hospitals are "
                               "enrolled at genesis)");
  }
  if (!holds(membership.current, member_id)) return invalid_input(who + " (" + it->name + ") is no longer a member");
  if (!it->enrollment_key) {
    return invalid_input(who + " (" + it->name + "): its join request carries no enrollment key; enroll it with hc "
                                                  "group enroll and hand the key over");
  }
  groupsig::GroupDir group(session.dir() / "group");
  const SecureBytes& pass = session.passphrase();
  HC_ASSIGN_OR_RETURN(groupsig::CurrentIssuance issuance, groupsig::load_current_issuance(group, pass.span()));
  const std::uint64_t epoch = issuance.epoch;
  groupsig::IssuerKey& issuer = issuance.issuer;
  groupsig::Registry& registry = issuance.registry;
  if (groupsig::find_member(registry, it->name) != nullptr) {
    return invalid_input(who + " (" + it->name + ") is already enrolled in group epoch " + std::to_string(epoch));
  }
  HC_ASSIGN_OR_RETURN(groupsig::MemberKey key, groupsig::enroll(issuer, issuance.gpk, registry, it->name));
  groupsig::Registry single;  // the chain's record: this epoch's registry holding just the new entry
  single.epoch = registry.epoch;
  single.entries.push_back(*groupsig::find_member(registry, it->name));
  chain::EnrollmentTx enrollment;
  enrollment.member_name = it->name;
  enrollment.registry_entry = groupsig::encode_registry(single);
  enrollment.boxed = chain::BoxedMemberKey{chain::genesis_hash(session.genesis()), member_id, epoch,
                                           *it->enrollment_key, {}};
  HC_RETURN_IF_ERROR(chain::seal_member_key(enrollment, groupsig::encode_member_key(key).span()));
  // The chain first: the directory records the entry only once the chain has it.
  HC_ASSIGN_OR_RETURN(CommittedTx committed, submit_manager_tx(session, writer, chain::Transaction{enrollment}));
  HC_RETURN_IF_ERROR(groupsig::save_issuer_key(group.issuer_key(), issuer, pass.span()));
  HC_RETURN_IF_ERROR(group.save_current_registry(registry));
  return EnrollmentDone{member_id, it->name, epoch, committed.tx_id, committed.height};
}

}  // namespace hc::client
