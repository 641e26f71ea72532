// BBS04 signing: sigma = (T1, T2, T3, c, s_alpha, s_beta, s_x, s_delta1, s_delta2) on a
// message, in the epoch of the member's key.
//
// A Signer holds a member key and the prepared group key (the Miller-loop lines of g2 and w
// used for R3); build it once and sign many messages. Every call draws fresh nonces from
// OpenSSL's RNG, so two signatures of one member share no component. Secret scalars are
// handled with the constant-time operations of the pairing library and wiped after use.
// sign() is const and may be called from several threads at once.
#pragma once

#include "common/bytes.h"
#include "crypto/groupsig/prepared_key.h"
#include "crypto/groupsig/types.h"

namespace hc::groupsig {

class Signer {
 public:
  // `key` must be a well-formed key (decode_member_key guarantees the group key checks).
  explicit Signer(const MemberKey& key);

  Signature sign(ByteSpan message) const;
  const PreparedGroupKey& prepared() const { return prepared_; }

 private:
  MemberKey key_;
  PreparedGroupKey prepared_;
};

// One-shot convenience: builds a Signer and signs.
Signature sign(const MemberKey& key, ByteSpan message);

}  // namespace hc::groupsig
