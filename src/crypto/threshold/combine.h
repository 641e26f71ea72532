// Combining decryption shares: from any t valid shares of distinct trustees for one record,
// the point y*E = sum_j lambda_j * D_j (Lagrange coefficients at 0 over the trustees'
// indices), which opens the record (sealed_record_v2.h, open_*_with_shared_point). Every
// share is verified first; bad ones are set aside and named, the rest still combine.
// Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "crypto/p256.h"
#include "crypto/threshold/decryption_share.h"
#include "crypto/threshold/valid_answers.h"

namespace hc::crypto::threshold {

struct CombinedDecryption {
  P256Point shared = P256Point::generator();  // y * E
  std::vector<std::uint16_t> used;            // the t trustees combined, ascending
  std::vector<RejectedShare> rejected;        // bad or duplicate shares, by trustee
};

// lambda_j for the index set (distinct, non-zero): prod_{k != j} k / (k - j) mod n.
Result<P256Scalar> lagrange_at_zero(const std::vector<std::uint16_t>& indices, std::uint16_t j);

// kInvalidInput when fewer than t shares are valid: "only N valid decryption shares of the t
// needed (trustee 3: ..., ...)" naming every rejected trustee.
Result<CombinedDecryption> combine_decryption_shares(const AccessKeyPublic& key, const RequestId& request_id,
                                                     const P256Point& ephemeral,
                                                     const std::vector<DecryptionShare>& shares);

}  // namespace hc::crypto::threshold
