// The sharings of a key epoch's access key (and opener key) as a client believes them after
// resharings (issue 16 item 3; docs/threshold.md, "The nodes' part of resharing"). The
// DKG's sharing is the first (seats: the genesis trustee keys; from height 0); each resharing
// that formed adds the next, in force from the block after its finalizing block.
//
// GET /v1/access-key lists under "resharings" every ended resharing of the epoch with its
// committed reshare_key announcements, reshare_deal deals and reshare complaints as
// self-proving items. The client verifies each item against the genesis and the change
// history it follows (client/item_verification.h), keeps only transactions of this chain and
// that resharing epoch, takes the new trustee set as the announcing members in the order of
// the run's member list, t_new by the genesis rule for that list's size, and recomputes the
// new public shares with finalize_reshare over the proven deals and complaints from the
// sharing before (opener key likewise, over the access key's qualified dealers). Every item
// was admitted by the chain's rules (signatures, windows, once-only) before 2f+1 replicas
// certified it, so a node can only omit items or misstate the node-given fields (members,
// "formed"): the client then computes public shares against which the trustees' proofs fail,
// and it reads nothing (no wrong share is ever combined). Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <vector>

#include "client/genesis_trust.h"
#include "common/status.h"
#include "crypto/p256.h"
#include "crypto/threshold/dkg_outcome.h"
#include "crypto/threshold/opener_dkg_outcome.h"

namespace hc::client {

struct TrustedSharing {
  std::uint64_t reshare_epoch = 0;         // 0: the DKG's
  std::uint64_t in_force_from_height = 0;  // answers requests committed at or above it
  std::vector<crypto::P256PointBytes> trustee_keys;  // seat j's signing key at j-1
  std::vector<std::uint32_t> members;                // seat j's replica id at j-1
  crypto::threshold::AccessKeyPublic key;            // t and the public shares of this sharing
  std::optional<crypto::threshold::OpenerKeyPublic> opener_key;
};

// The sharings after `dkg` (which the caller built from the proven DKG transcript), from the
// answer's "resharings". kAuthFailed naming the first check that fails; an answer without
// "resharings" gives none.
Result<std::vector<TrustedSharing>> verify_resharings(const nlohmann::json& answer, const ChainTrust& trust,
                                                      const TrustedSharing& dkg);

// The replica id of each DKG seat (trustee j: the genesis's (j-1)-th replica,
// node/trustee_identity.h), seat j's at j-1.
std::vector<std::uint32_t> genesis_trustee_members(const chain::Genesis& genesis);

// The sharing in force for a request committed at `height`: the last of `dkg` and `later`
// whose in_force_from_height is at most `height`.
const TrustedSharing& sharing_at(const TrustedSharing& dkg, const std::vector<TrustedSharing>& later,
                                 std::uint64_t height);

}  // namespace hc::client
