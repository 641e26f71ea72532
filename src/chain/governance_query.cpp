#include "chain/governance_query.h"

#include <algorithm>

#include "chain/governance_rules.h"

namespace hc::chain {

namespace {
using nlohmann::json;

Result<json> gov_member_json(const TrusteeStateView& state, std::uint32_t id) {
  HC_ASSIGN_OR_RETURN(auto m, read_member(state, id));
  if (!m) return Status::error(ErrorCode::kCorrupt, "store: consortium state: member " + std::to_string(id) + " unknown");
  json out{{"id", id}, {"public_key", to_hex(m->key)}, {"joined_height", m->joined_height}};
  if (!m->name.empty()) out["name"] = m->name;
  if (!m->api_address.empty()) out["api_address"] = m->api_address;
  if (!m->peer_address.empty()) out["peer_address"] = m->peer_address;
  if (m->enrollment_key) out["enrollment_key"] = to_hex(*m->enrollment_key);
  out["tls_ca"] = !m->tls_ca_pem.empty();
  return out;
}

json gov_proposal_json(const Proposal& p, const ConsortiumHead& head, const Genesis& genesis, std::uint64_t tip_height) {
  std::size_t from_members = 0;
  json approvers = json::array();  // replica ids; the admin's approval is "admin_approved"
  bool admin_approved = false;
  for (std::uint32_t a : p.approvers) {
    if (a == kAdminApprover) {
      admin_approved = true;
      continue;
    }
    approvers.push_back(a);
    if (std::find(head.members.begin(), head.members.end(), a) != head.members.end()) ++from_members;
  }
  std::string status = proposal_status_name(p.status);
  if (p.status == ProposalStatus::kOpen && tip_height > p.expires_height) status = "expired";
  json out{{"id", digest_hex(p.id)},
           {"kind", proposal_kind_name(p.kind)},
           {"status", status},
           {"proposed_height", p.proposed_height},
           {"expires_height", p.expires_height},
           {"approvers", approvers},
           {"admin_approved", admin_approved},
           {"approvals_from_members", from_members},
           {"approvals_needed", p.kind == ProposalKind::kExit ? 0 : approvals_needed(head.members.size())}};
  if (genesis.governance.admin_approves) out["admin_approval_suffices"] = true;
  if (p.closed_height != 0) out["closed_height"] = p.closed_height;
  if (p.status == ProposalStatus::kVoid) out["void_reason"] = p.void_reason;
  if (p.kind == ProposalKind::kJoin) {
    out["candidate"] = {{"public_key", to_hex(p.candidate_key)}, {"name", p.name}, {"api_address", p.api_address},
                        {"tls_ca", !p.tls_ca_pem.empty()}};
    if (!p.peer_address.empty()) out["candidate"]["peer_address"] = p.peer_address;
    if (p.status == ProposalStatus::kAccepted) out["replica_id"] = p.subject;
  } else {
    out["member"] = p.subject;
    if (p.kind == ProposalKind::kVoteOut) out["proposer"] = p.proposer;
  }
  return out;
}
}  // namespace

Result<json> consortium_status_json(const TrusteeStateView& state, std::uint64_t tip_height) {
  HC_ASSIGN_OR_RETURN(ConsortiumHead head, read_consortium_head(state));
  json members = json::array();
  for (std::uint32_t id : head.members) {
    HC_ASSIGN_OR_RETURN(json m, gov_member_json(state, id));
    members.push_back(std::move(m));
  }
  json changes = json::array();
  HC_ASSIGN_OR_RETURN(auto accepted, read_membership_changes(state, 1));
  for (const MembershipChange& c : accepted) changes.push_back({{"accepted_at_height", c.height}, {"members", c.members}});
  json proposals = json::array();
  for (const Digest& id : head.open) {
    HC_ASSIGN_OR_RETURN(auto p, read_proposal(state, id));
    if (p) proposals.push_back(gov_proposal_json(*p, head, state.genesis(), tip_height));
  }
  const GovernanceRules& rules = state.genesis().governance;
  return json{{"height", tip_height},
              {"rules",
               {{"approvals", "more than two thirds of the current members"},
                {"admin_approval_suffices", rules.admin_approves},
                {"proposal_expiry_blocks", rules.proposal_expiry_blocks}}},
              {"members", std::move(members)},
              {"approvals_needed", approvals_needed(head.members.size())},
              {"next_replica_id", head.next_replica_id},
              {"changes", std::move(changes)},
              {"proposals", std::move(proposals)}};
}

Result<json> proposal_status_json(const TrusteeStateView& state, const Digest& id, std::uint64_t tip_height) {
  HC_ASSIGN_OR_RETURN(ConsortiumHead head, read_consortium_head(state));
  HC_ASSIGN_OR_RETURN(auto p, read_proposal(state, id));
  if (!p) return Status::error(ErrorCode::kNotFound, "no proposal " + digest_hex(id));
  return gov_proposal_json(*p, head, state.genesis(), tip_height);
}

}  // namespace hc::chain
