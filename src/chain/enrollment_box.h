// The member key of a joined hospital, boxed to it on the chain (issue 16 item 3; docs/ledger.md,
// "Transactions", kind 25; docs/groupsig.md, "Enrollment on the chain"). The manager seals the
// encoded group member key to the P-256 key the hospital's join request named (kind 24) with
// crypto::box_seal; the hospital's node opens it with the matching secret (its trustee key).
//
// The box's context, which the KEM's key derivation and the AES-GCM associated data both cover,
// is "HC-ENROLLMENT-BOX-v1" (length-prefixed) || chain id 32 || member id u32 || group epoch u64
// || member name (u8 length || bytes) || recipient key 65 || SHA-256(registry entry): a box made
// for one member, chain, epoch, key or registry entry does not open as another's (kAuthFailed).
// Pure functions; thread-safe.
#pragma once

#include <string_view>

#include "chain/transaction.h"
#include "common/bytes.h"
#include "common/secure_bytes.h"
#include "common/status.h"
#include "crypto/p256.h"

namespace hc::chain {

inline constexpr std::string_view kEnrollmentBoxTag = "HC-ENROLLMENT-BOX-v1";

// The context bytes above for the enrollment `e` (whose `boxed` must be set).
Bytes enrollment_box_context(const EnrollmentTx& e);

// Fills `e.boxed->box` with `member_key` (an encoded member key) sealed to
// `e.boxed->recipient_key` under e's context; every other field of `e` must be set first.
// kInvalidInput if `boxed` is unset, the recipient key is not a point or the key is too long.
Status seal_member_key(EnrollmentTx& e, ByteSpan member_key);

// The encoded member key in `e`'s box, opened with the recipient's secret. kInvalidInput if `e`
// has no box or the box is malformed; kAuthFailed if it was not made for this secret, this
// enrollment's context or was altered.
Result<SecureBytes> open_member_key(const EnrollmentTx& e, const crypto::P256Scalar& recipient_secret);

}  // namespace hc::chain
