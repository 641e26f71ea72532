// Threshold opening of a BBS04-ElGamal signature from the trustees' partial openings, and
// the check of the evidence that `hc group judge` (and anyone) runs.
//
// Combination: every partial opening is verified (partial_opening.h); bad ones and repeats
// are set aside with the trustee named; the t valid ones of lowest index give
//   T1^xi = prod_j D_j^lambda_j   (lambda_j Lagrange coefficients at 0 over their indices)
// and A = T2 / T1^xi, the registry entry holding A is the signer.
// Evidence: the signature, the request it answered and a set of partial openings; it proves
// that `member` signed when the signature verifies under the group key, the opener key is
// the group's (same u and h) and consistent (check_opener_key_public), every partial opening
// in the set verifies, at least t come from distinct trustees, and they combine to the A the
// registry lists for `member`. Since each D_j = T1^xi_j is proven against U_j and the U_j
// interpolate to h = u^xi, t valid partial openings fix T1^xi, hence the decryption of
// (T1, T2): trustees cannot blame a member who did not sign. Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/bytes.h"
#include "common/status.h"
#include "crypto/groupsig/elgamal_prepared_key.h"
#include "crypto/groupsig/elgamal_types.h"
#include "crypto/threshold/combine.h"
#include "crypto/threshold/opener_dkg_outcome.h"
#include "crypto/threshold/partial_opening.h"

namespace hc::crypto::threshold {

struct ThresholdOpening {
  std::string member;
  G1 a;                                 // the member's registry value
  std::vector<std::uint16_t> used;      // the t trustees combined, ascending
  std::vector<RejectedShare> rejected;  // bad or repeated partial openings, by trustee
};

// kInvalidInput when fewer than t are valid ("only N valid partial openings of the t needed
// (trustee 3: ...)" naming every rejected trustee), more than 64 are given, or the registry is
// of another epoch than the signature; kNotFound when A is nobody's in the registry.
Result<ThresholdOpening> combine_partial_openings(const OpenerKeyPublic& key, const groupsig::Registry& registry,
                                                  const RequestId& request_id,
                                                  const groupsig::elgamal::Signature& sig,
                                                  const std::vector<PartialOpening>& partials);

// Ok when `evidence` proves that `member` made `sig` on `message` (see above). kAuthFailed
// naming the trustee for a partial opening that fails, or when the evidence opens to another
// member or the signature does not verify; kInvalidInput for too few partial openings, a
// repeated trustee, mismatched keys or epochs; kNotFound for a member missing from the registry.
Status check_opening_evidence(const groupsig::elgamal::PreparedKey& group_key, const OpenerKeyPublic& opener_key,
                              const groupsig::Registry& registry, const RequestId& request_id, ByteSpan message,
                              const groupsig::elgamal::Signature& sig, const std::vector<PartialOpening>& evidence,
                              std::string_view member);

}  // namespace hc::crypto::threshold
