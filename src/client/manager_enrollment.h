// The manager's side of group membership following consortium membership (issue 16 item 3;
// docs/groupsig.md, "Enrollment on the chain"): what `hc manager enroll`, `hc manager
// follow-membership`, `hc consortium status` and `hc cluster add-node|remove-node` run.
//
// The membership is read from the verified governance state: the node's membership-change
// proofs checked from the genesis (client/configuration_history.h), never from the node's word,
// so a lying node cannot make the manager box a member key to a key of its choosing. A joined
// member is enrolled with a kind-25 enrollment: a new BBS04 member key made with the issuer key
// of DIR/group, boxed to the enrollment key its join request named (chain/enrollment_box.h),
// signed with the admin key and committed; only then does the group directory record the new
// registry entry (the member key itself is never written on the manager's side, and is wiped).
// A member that left or was voted out is revoked (client/manager_revocation.h) once the chain
// is past the boundary of its departure. Not thread-safe (the session).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "chain/governance_state.h"
#include "client/manager_session.h"
#include "client/node_client.h"
#include "crypto/groupsig/types.h"

namespace hc::client {

// The verified membership: every member the chain has accepted, who is current, and when the
// last change of each departed member was accepted.
struct VerifiedMembership {
  std::vector<std::uint32_t> current;                 // the committed member list after the last verified change
  std::vector<chain::ConsortiumMember> joined;        // every member that joined by governance (current or not)
  std::vector<std::pair<std::uint32_t, std::uint64_t>> departed;  // (member, height of the change that removed it)
};

// Fetches `node`'s change proofs and verifies them from `genesis`. kAuthFailed if they do not
// verify; the node's errors otherwise.
Result<VerifiedMembership> read_verified_membership(const chain::Genesis& genesis, const NodeClient& node);

// What the manager owes: enroll each current joined member whose name the current registry does
// not hold; revoke each departed member whose name it still holds, once `tip_height` is past the
// boundary of its departure. A departed genesis hospital has no name on the chain: it is
// listed in `departed_unnamed` (revoke it by name with hc manager revoke).
struct MembershipDuties {
  std::vector<chain::ConsortiumMember> enrollments_owed;
  std::vector<chain::ConsortiumMember> revocations_owed;
  std::vector<std::uint32_t> departed_unnamed;
  std::vector<std::uint32_t> departures_before_boundary;  // revocation owed once the chain passes the boundary
};
MembershipDuties membership_duties(const VerifiedMembership& membership, const groupsig::Registry& current_registry,
                                   std::uint64_t tip_height);

struct EnrollmentDone {
  std::uint32_t member_id = 0;
  std::string member;
  std::uint64_t epoch = 0;
  std::string tx_id;  // hex
  std::uint64_t height = 0;
};

// Enrolls joined member `member_id` on the chain as above. kInvalidInput with a one-line reason
// for a member the verified state does not show as a current joined member, one whose join
// request named no enrollment key, or one the current registry already holds.
Result<EnrollmentDone> enroll_joined_member(ManagerSession& session, const NodeClient& writer,
                                            const VerifiedMembership& membership, std::uint32_t member_id);

}  // namespace hc::client
