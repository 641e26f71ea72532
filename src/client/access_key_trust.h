// The trustees' access key a doctor's client seals version-2 records to (docs/threshold.md),
// believed only once the chain vouches for it. GET /v1/access-key[/{epoch}] answers with the
// key and the DKG's public transcript as self-proving items (client/item_verification.h): every
// committed dkg_deal and dkg_complaint of the epoch and, for an epoch after 0, the committed
// key_epoch_start that began it. The client verifies each item against the genesis' replicas,
// checks that each is a trustee-signed transaction of this chain and epoch committed inside its
// round's window, recomputes the outcome with finalize_dkg and refuses an answer whose key is
// not the one the transcript gives. A node that forges, alters or moves an item, invents a key
// or serves a key that did not form is refused. A node that omits deals makes the client
// compute a key that the chain does not know (the chain then refuses the record: no record can
// be sealed to it), or fails to form one; with t = 2f+1 at least one dealer of any key formed
// from m-t+1 deals is honest, so nobody can read a record sealed to it either. A node can serve
// an older epoch's key (still a trustee-held key) or withhold one. Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "client/genesis_trust.h"
#include "client/node_client.h"
#include "client/reshare_trust.h"
#include "common/status.h"
#include "crypto/threshold/dkg_outcome.h"
#include "crypto/threshold/opener_dkg_outcome.h"

namespace hc::client {

struct TrustedAccessKey {
  std::uint64_t key_epoch = 0;
  crypto::threshold::DkgOutcome outcome;  // recomputed from the proven transcript
  // The trustees' opener key of the epoch, recomputed from the opener deals and complaints of
  // the same proven transcript (client/opener_key_trust.h); nullopt with the reason in
  // opener_key_failure when the epoch has none (dealt without opener deals, or it failed).
  std::optional<crypto::threshold::OpenerKeyPublic> opener_key;
  std::string opener_key_failure;
  // The DKG's trustee keys (the genesis's) and the sharings of the epoch's resharings that
  // formed, recomputed from the answer's proven "resharings" (client/reshare_trust.h).
  std::vector<crypto::P256PointBytes> dkg_trustee_keys;
  std::vector<std::uint32_t> dkg_members;  // trustee j's replica: the genesis's (j-1)-th
  std::vector<TrustedSharing> resharings;
  TrustedSharing dkg_sharing() const {
    return TrustedSharing{0, 0, dkg_trustee_keys, dkg_members, outcome.key, opener_key};
  }
};

// kAuthFailed naming the first check that fails (the node is lying, or the transcript forms
// no key); kInvalidInput for a malformed answer or a genesis that is not in trustees mode.
Result<TrustedAccessKey> verify_access_key_answer(const nlohmann::json& answer, const ChainTrust& trust);

// GET /v1/access-key (the current key) or /v1/access-key/{epoch} from `node`, verified as above.
Result<TrustedAccessKey> fetch_trusted_access_key(const NodeClient& node, const ChainTrust& trust,
                                                  std::optional<std::uint64_t> key_epoch = std::nullopt);

}  // namespace hc::client
