// Tagged SHA-256 digests used by the module: H(tag, data) = SHA-256(len(tag) | tag | data),
// with one-byte tag length. Used for the group-key digest that the challenges bind, the
// message digest, and the signature digest bound by opening proofs. Thread-safe.
#pragma once

#include <string_view>

#include "common/bytes.h"
#include "crypto/groupsig/types.h"

namespace hc::groupsig {

Digest32 tagged_sha256(std::string_view tag, ByteSpan data);

// Digest of the canonical encoding of a group public key (including its epoch).
Digest32 gpk_digest(const GroupPublicKey& gpk);
Digest32 message_digest(ByteSpan message);
Digest32 signature_digest(const Signature& sig);

}  // namespace hc::groupsig
