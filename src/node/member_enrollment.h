// A joined hospital's node picks its group member key up from the chain (issue 16 item 3;
// docs/node.md, "Joining a running consortium"). Its join request (wire kind 24) named the
// P-256 public key of its enrollment key file (the hospital's trustee.key.pem); the manager's
// enrollment (wire kind 25) carries the member key boxed to that key (chain/enrollment_box.h).
// open_enrolled_member_key opens the box and checks what it holds before the node trusts it:
// the member key is this hospital's (its replica id and name), valid under its group public key
// (the BBS04 pairing equation), the group key of the genesis when issued in epoch 0, and the one
// the enrollment's public registry entry records. hc-node then stores it encrypted under the
// node's passphrase, exactly as `hc group enroll` stores a key it hands over, and signs with it
// from then on, without a restart. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "chain/transaction.h"
#include "common/status.h"
#include "crypto/groupsig/types.h"
#include "crypto/p256.h"

namespace hc::node {

// Who the node is and how it opens its box.
struct EnrollmentRecipient {
  std::uint32_t member_id = 0;   // the node's replica id
  std::string name;              // the hospital's name (its join request's, the member key's)
  Bytes genesis_group_public_key;  // the genesis's group public key (epoch 0)
};

// True if `e` is a boxed enrollment (kind 25) for member `member_id`.
bool is_enrollment_for(const chain::EnrollmentTx& e, std::uint32_t member_id);

// The member key in `e`'s box. kInvalidInput if `e` is not a boxed enrollment for `who`;
// kAuthFailed if the box does not open with `secret` (not made for this key or altered);
// kInvalidInput with the reason if what it holds is not a member key for `who` that the
// checks above accept.
Result<groupsig::MemberKey> open_enrolled_member_key(const chain::EnrollmentTx& e, const EnrollmentRecipient& who,
                                                     const crypto::P256Scalar& secret);

}  // namespace hc::node
