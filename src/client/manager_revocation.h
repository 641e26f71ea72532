// The revocation of a hospital by the group manager: what `hc manager revoke` runs and what
// the access console's revoke form runs (either access mode; docs/web.md, "The access
// console"), from the manager's session. The revocation record (BBS04 section 7) is made with
// the issuer key of DIR/group, put on the chain as a revocation transaction signed with the
// admin key and waited for until committed; only then does the group directory move to the
// new epoch (its start height recorded in DIR/epoch-starts.txt for the epoch check of every
// later opening, the issuer key saved), and the session reads the epoch starts again. Not
// thread-safe (the session): the console runs it only while no access job runs.
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

// Either access mode: the issuer key is the manager's in both (in trustees mode only the opener
// key is the trustees'). On success the
// member is revoked on the chain and the directory is at the new epoch. kInvalidInput for a
// member the current epoch's registry does not hold (groupsig's message); the node's and the
// files' errors otherwise (a failure after the commit leaves the chain ahead of the directory).
Result<RevocationDone> revoke_member(ManagerSession& session, const NodeClient& writer, const std::string& member);

}  // namespace hc::client
