#include "chain/governance_rules.h"

#include <algorithm>
#include <map>
#include <string>

#include "chain/consensus_parameters.h"
#include "chain/limits.h"
#include "chain/transaction_governance.h"
#include "crypto/ed25519.h"

namespace hc::chain {

namespace {
Status gov_refuse(const std::string& why) { return invalid_input(why); }

std::string gov_short_id(const Digest& id) { return digest_hex(id).substr(0, 16); }

bool gov_is_member(const ConsortiumHead& head, std::uint32_t id) {
  return std::find(head.members.begin(), head.members.end(), id) != head.members.end();
}

bool gov_ready(const Proposal& p, const ConsortiumHead& head, const Genesis& genesis) {
  if (p.status != ProposalStatus::kOpen) return false;
  if (p.kind == ProposalKind::kExit) return true;  // the leaving member's own announcement decides
  std::size_t from_members = 0;
  for (std::uint32_t a : p.approvers) {
    if (a == kAdminApprover && genesis.governance.admin_approves) return true;
    if (gov_is_member(head, a)) ++from_members;
  }
  return from_members >= approvals_needed(head.members.size());
}

// Still counted as open at `height`: not closed, and not expired unless it is gov_ready.
bool gov_still_open(const Proposal& p, const ConsortiumHead& head, const Genesis& genesis, std::uint64_t height) {
  return p.status == ProposalStatus::kOpen && (height <= p.expires_height || gov_ready(p, head, genesis));
}

Result<std::size_t> gov_open_count(const TrusteeStateView& state, const ConsortiumHead& head, std::uint64_t height) {
  std::size_t open = 0;
  for (const Digest& id : head.open) {
    HC_ASSIGN_OR_RETURN(auto p, read_proposal(state, id));
    if (p && gov_still_open(*p, head, state.genesis(), height)) ++open;
  }
  return open;
}

Status gov_check_room(const TrusteeStateView& state, const ConsortiumHead& head, std::uint64_t height,
                  const GovernanceBlockClaims& claims, const std::string& what) {
  HC_ASSIGN_OR_RETURN(std::size_t open, gov_open_count(state, head, height));
  open += claims.opened;
  if (open >= kMaxOpenProposals) {
    return gov_refuse(what + ": " + std::to_string(kMaxOpenProposals) + " proposals are open already; wait for one to close");
  }
  return Status();
}

Status gov_check_leaves_enough(const ConsortiumHead& head, const std::string& what) {
  if (head.members.size() - 1 < kMinConsortiumMembers) {
    return gov_refuse(what + ": it would leave " + std::to_string(head.members.size() - 1) +
                  " replicas (at least " + std::to_string(kMinConsortiumMembers) + " needed)");
  }
  return Status();
}

// The key of current member `id`, or a refusal naming `role`.
Result<Ed25519PublicKey> gov_member_key(const TrusteeStateView& state, const ConsortiumHead& head, std::uint32_t id,
                                    const std::string& role) {
  if (!gov_is_member(head, id)) return gov_refuse(role + " " + std::to_string(id) + " is not a member of the consortium");
  HC_ASSIGN_OR_RETURN(auto member, read_member(state, id));
  if (!member) return Status::error(ErrorCode::kCorrupt, "store: consortium state: member " + std::to_string(id) + " unknown");
  return member->key;
}

Status gov_check_join(const TrusteeStateView& state, const JoinRequestTx& tx, const ConsortiumHead& head,
                  std::uint64_t height, GovernanceBlockClaims& claims) {
  if (!crypto::Ed25519PublicKey::from_bytes(tx.replica_key).ok()) {
    return gov_refuse("join request: the replica key is not an Ed25519 public key");
  }
  HC_RETURN_IF_ERROR(verify_governance_signature(Transaction(tx), tx.replica_key)
                         .with_context("join request: not signed by the replica key it names"));
  HC_ASSIGN_OR_RETURN(auto holder, member_holding_key(state, tx.replica_key));
  if (holder) return gov_refuse("join request: the replica key is already in use by replica " + std::to_string(*holder));
  for (const Digest& id : head.open) {
    HC_ASSIGN_OR_RETURN(auto p, read_proposal(state, id));
    if (p && p->kind == ProposalKind::kJoin && p->candidate_key == tx.replica_key &&
        gov_still_open(*p, head, state.genesis(), height)) {
      return gov_refuse("join request: the replica key is already in use by the open join request " + gov_short_id(id));
    }
  }
  if (claims.join_keys.count(tx.replica_key) != 0) {
    return gov_refuse("join request: the replica key is already in use by a join request earlier in the block");
  }
  if (head.next_replica_id >= replica_id_space(state.genesis())) {
    return gov_refuse("join request: every replica id below " + std::to_string(replica_id_space(state.genesis())) +
                      " (the chain's replica id space) has been used");
  }
  HC_RETURN_IF_ERROR(gov_check_room(state, head, height, claims, "join request"));
  claims.join_keys.insert(tx.replica_key);
  ++claims.opened;
  return Status();
}

Status gov_check_approval(const TrusteeStateView& state, const GovernanceApprovalTx& tx, const ConsortiumHead& head,
                      std::uint64_t height, GovernanceBlockClaims& claims) {
  Ed25519PublicKey signer{};
  if (tx.approver == kAdminApprover) {
    if (!state.genesis().governance.admin_approves) {
      return gov_refuse("approval: this chain's genesis does not let the admin approve membership changes");
    }
    signer = state.genesis().manager_admin_key;
  } else {
    HC_ASSIGN_OR_RETURN(signer, gov_member_key(state, head, tx.approver, "approval: replica"));
  }
  HC_RETURN_IF_ERROR(verify_governance_signature(Transaction(tx), signer)
                         .with_context("approval: not signed by its approver (or made for another proposal)"));
  HC_ASSIGN_OR_RETURN(auto p, read_proposal(state, tx.proposal_id));
  const std::string which = "approval: proposal " + gov_short_id(tx.proposal_id);
  if (!p) return gov_refuse(which + " is not a committed join request or vote-out proposal");
  if (p->kind == ProposalKind::kExit) return gov_refuse(which + " is an exit announcement, which needs no approval");
  if (p->status != ProposalStatus::kOpen) return gov_refuse(which + " is already " + proposal_status_name(p->status));
  if (height > p->expires_height) return gov_refuse(which + " expired at height " + std::to_string(p->expires_height));
  const std::string approver = tx.approver == kAdminApprover ? "the admin" : "replica " + std::to_string(tx.approver);
  if (std::find(p->approvers.begin(), p->approvers.end(), tx.approver) != p->approvers.end() ||
      !claims.approvals.insert({tx.proposal_id, tx.approver}).second) {
    return gov_refuse(which + ": " + approver + " has already approved it");
  }
  return Status();
}

Status gov_check_exit(const TrusteeStateView& state, const ExitAnnouncementTx& tx, const ConsortiumHead& head,
                  std::uint64_t height, GovernanceBlockClaims& claims) {
  HC_ASSIGN_OR_RETURN(Ed25519PublicKey key, gov_member_key(state, head, tx.member, "exit: replica"));
  HC_RETURN_IF_ERROR(verify_governance_signature(Transaction(tx), key).with_context("exit: not signed by the leaving member"));
  HC_RETURN_IF_ERROR(gov_check_leaves_enough(head, "exit"));
  HC_RETURN_IF_ERROR(gov_check_room(state, head, height, claims, "exit"));
  ++claims.opened;
  return Status();
}

Status gov_check_vote_out(const TrusteeStateView& state, const VoteOutProposalTx& tx, const ConsortiumHead& head,
                      std::uint64_t height, GovernanceBlockClaims& claims) {
  HC_ASSIGN_OR_RETURN(Ed25519PublicKey key, gov_member_key(state, head, tx.proposer, "vote-out: proposer"));
  HC_RETURN_IF_ERROR(verify_governance_signature(Transaction(tx), key).with_context("vote-out: not signed by its proposer"));
  if (!gov_is_member(head, tx.target)) return gov_refuse("vote-out: replica " + std::to_string(tx.target) + " is not a member");
  HC_RETURN_IF_ERROR(gov_check_leaves_enough(head, "vote-out"));
  HC_RETURN_IF_ERROR(gov_check_room(state, head, height, claims, "vote-out"));
  ++claims.opened;
  return Status();
}

ChainId gov_chain_id_of(const Transaction& tx) {
  return std::visit(
      [](const auto& t) -> ChainId {
        if constexpr (requires { t.member_signature; }) {
          return t.chain_id;
        } else {
          return ChainId{};
        }
      },
      tx);
}
}  // namespace

std::size_t approvals_needed(std::size_t members) { return 2 * members / 3 + 1; }

Result<std::size_t> open_proposal_count(const TrusteeStateView& state, std::uint64_t height) {
  HC_ASSIGN_OR_RETURN(ConsortiumHead head, read_consortium_head(state));
  return gov_open_count(state, head, height);
}

Status check_governance_tx(const TrusteeStateView& state, const Transaction& tx, std::uint64_t height,
                           GovernanceBlockClaims& claims) {
  if (!is_governance_tx(tx)) return gov_refuse("not a governance transaction");
  if (gov_chain_id_of(tx) != state.genesis_hash()) {
    return gov_refuse(std::string(tx_kind_name(kind_of(tx))) + ": names another chain (wrong chain id)");
  }
  HC_ASSIGN_OR_RETURN(ConsortiumHead head, read_consortium_head(state));
  if (const auto* j = std::get_if<JoinRequestTx>(&tx)) return gov_check_join(state, *j, head, height, claims);
  if (const auto* a = std::get_if<GovernanceApprovalTx>(&tx)) return gov_check_approval(state, *a, head, height, claims);
  if (const auto* e = std::get_if<ExitAnnouncementTx>(&tx)) return gov_check_exit(state, *e, head, height, claims);
  return gov_check_vote_out(state, std::get<VoteOutProposalTx>(tx), head, height, claims);
}

namespace {
// The proposals a block reads or writes, read once, written back in id order.
class GovProposalCache {
 public:
  explicit GovProposalCache(const TrusteeStateView& state) : state_(state) {}
  Result<Proposal*> get(const Digest& id) {
    auto it = proposals_.find(id);
    if (it != proposals_.end()) return &it->second;
    HC_ASSIGN_OR_RETURN(auto p, read_proposal(state_, id));
    if (!p) return Status::error(ErrorCode::kCorrupt, "store: consortium state: proposal " + gov_short_id(id) + " missing");
    return &proposals_.emplace(id, std::move(*p)).first->second;
  }
  void put(Proposal p, bool changed = true) {
    const Digest id = p.id;
    proposals_[id] = std::move(p);
    if (changed) changed_.insert(id);
  }
  void touched(const Digest& id) { changed_.insert(id); }
  std::vector<TrusteeStateEntry> entries() const {
    std::vector<TrusteeStateEntry> out;
    for (const Digest& id : changed_) out.push_back(proposal_entry(proposals_.at(id)));
    return out;
  }
  bool any_changed() const { return !changed_.empty(); }

 private:
  const TrusteeStateView& state_;
  std::map<Digest, Proposal> proposals_;
  std::set<Digest> changed_;
};

Proposal gov_opened(const Digest& id, ProposalKind kind, std::uint64_t height, const Genesis& genesis) {
  Proposal p;
  p.id = id;
  p.kind = kind;
  p.proposed_height = height;
  p.expires_height = height + genesis.governance.proposal_expiry_blocks;
  return p;
}

void gov_record_transaction(const Transaction& tx, const Digest& id, std::uint64_t height, const Genesis& genesis,
                        GovProposalCache& cache, std::vector<Digest>& open, Status& failure) {
  if (const auto* j = std::get_if<JoinRequestTx>(&tx)) {
    Proposal p = gov_opened(id, ProposalKind::kJoin, height, genesis);
    p.candidate_key = j->replica_key;
    p.name = j->name;
    p.api_address = j->api_address;
    p.tls_ca_pem = j->tls_ca_pem;
    p.peer_address = j->peer_address;
    p.enrollment_key = j->enrollment_key;
    cache.put(std::move(p));
    open.push_back(id);
  } else if (const auto* v = std::get_if<VoteOutProposalTx>(&tx)) {
    Proposal p = gov_opened(id, ProposalKind::kVoteOut, height, genesis);
    p.subject = v->target;
    p.proposer = v->proposer;
    p.approvers = {v->proposer};
    cache.put(std::move(p));
    open.push_back(id);
  } else if (const auto* e = std::get_if<ExitAnnouncementTx>(&tx)) {
    Proposal p = gov_opened(id, ProposalKind::kExit, height, genesis);
    p.subject = e->member;
    p.proposer = e->member;
    p.approvers = {e->member};
    cache.put(std::move(p));
    open.push_back(id);
  } else if (const auto* a = std::get_if<GovernanceApprovalTx>(&tx)) {
    auto p = cache.get(a->proposal_id);
    if (!p.ok()) {
      failure = p.status();
      return;
    }
    auto& approvers = (*p)->approvers;
    approvers.insert(std::upper_bound(approvers.begin(), approvers.end(), a->approver), a->approver);
    cache.touched(a->proposal_id);
  }
}

// Applies gov_ready proposal `p` to `head` at `height`: accepted (the member list changes) or void
// (a join when every id below the chain's id space, consensus_parameters.h, is taken).
void gov_decide(Proposal& p, ConsortiumHead& head, std::uint64_t height, std::uint32_t id_space,
                std::vector<TrusteeStateEntry>& extra) {
  p.closed_height = height;
  auto void_it = [&](const std::string& why) {
    p.status = ProposalStatus::kVoid;
    p.void_reason = why;
  };
  if (head.changes >= kMaxMembershipChanges) return void_it("the chain has accepted its maximum of membership changes");
  if (p.kind == ProposalKind::kJoin) {
    if (head.next_replica_id >= id_space) {
      return void_it("every replica id below " + std::to_string(id_space) + " (the chain's replica id space) has been used");
    }
    p.subject = head.next_replica_id++;
    head.members.push_back(p.subject);
    for (auto& e : joined_member_entries(ConsortiumMember{p.subject, p.candidate_key, p.name, p.api_address,
                                                          p.tls_ca_pem, height, p.peer_address, p.enrollment_key})) {
      extra.push_back(std::move(e));
    }
  } else {
    if (!gov_is_member(head, p.subject)) return void_it("replica " + std::to_string(p.subject) + " is no longer a member");
    if (head.members.size() - 1 < kMinConsortiumMembers) return void_it("it would leave fewer than 4 replicas");
    head.members.erase(std::find(head.members.begin(), head.members.end(), p.subject));
  }
  p.status = ProposalStatus::kAccepted;
  ++head.changes;
  head.last_change_height = height;
  extra.push_back(membership_change_entry(MembershipChange{height, head.members}));
}
}  // namespace

Result<std::vector<TrusteeStateEntry>> governance_changes_of(const TrusteeStateView& state, const CheckedBlock& checked,
                                                             std::uint64_t height) {
  HC_ASSIGN_OR_RETURN(ConsortiumHead head, read_consortium_head(state));
  const ConsortiumHead before = head;
  GovProposalCache cache(state);
  std::vector<Digest> open = head.open;
  Status failure;
  for (std::size_t i = 0; i < checked.transactions.size() && failure.ok(); ++i) {
    gov_record_transaction(checked.transactions[i], checked.tx_ids[i], height, state.genesis(), cache, open, failure);
  }
  HC_RETURN_IF_ERROR(failure);
  if (open.empty()) return std::vector<TrusteeStateEntry>{};
  // Judged against the members before this block's change: at most one change per block.
  const ConsortiumHead members_before = head;
  std::vector<TrusteeStateEntry> extra;
  std::vector<Digest> still;
  bool decided = false;
  for (const Digest& id : open) {
    HC_ASSIGN_OR_RETURN(Proposal * p, cache.get(id));
    if (p->status != ProposalStatus::kOpen) continue;
    if (!decided && gov_ready(*p, members_before, state.genesis())) {
      gov_decide(*p, head, height, replica_id_space(state.genesis()), extra);
      cache.touched(id);
      decided = p->status == ProposalStatus::kAccepted;
      continue;
    }
    if (height > p->expires_height && !gov_ready(*p, members_before, state.genesis())) continue;  // expired: no longer open
    still.push_back(id);
  }
  head.open = std::move(still);
  if (head == before && !cache.any_changed()) return std::vector<TrusteeStateEntry>{};
  std::vector<TrusteeStateEntry> out{consortium_head_entry(head)};
  for (auto& e : cache.entries()) out.push_back(std::move(e));
  for (auto& e : extra) out.push_back(std::move(e));
  return out;
}

Result<bool> governance_wants_block(const TrusteeStateView& state, std::uint64_t) {
  HC_ASSIGN_OR_RETURN(ConsortiumHead head, read_consortium_head(state));
  for (const Digest& id : head.open) {
    HC_ASSIGN_OR_RETURN(auto p, read_proposal(state, id));
    if (p && gov_ready(*p, head, state.genesis())) return true;
  }
  return false;
}

}  // namespace hc::chain
