// The access console's revocation of a hospital (single-manager mode; docs/web.md, "The access
// console"): the steps of `hc manager revoke` from the manager's session. The revocation
// record (BBS04 section 7) is made with the issuer key of DIR/group, put on the chain as a
// revocation transaction signed with the admin key and waited for until committed; only then
// does the group directory move to the new epoch (its start height recorded for later
// openings, the issuer key saved). Not thread-safe (the session): the console runs it only
// while no access job runs.
#pragma once

#include <cstdint>
#include <string>

#include "client/manager_session.h"
#include "client/node_client.h"

namespace hc::client {

struct RevocationDone {
  std::string member;
  std::uint64_t new_epoch = 0;
  std::string tx_id;  // hex
  std::uint64_t height = 0;
};

// kInvalidInput for a trustees-mode chain or a member the current epoch's registry does not
// hold (groupsig's message); the node's and the files' errors otherwise.
Result<RevocationDone> revoke_member(ManagerSession& session, const NodeClient& writer, const std::string& member);

}  // namespace hc::client
