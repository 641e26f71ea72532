// The end of a DKG, computed by anyone from the public transcript (the deals and complaints
// on the chain): which dealers qualify, the access key Y = sum of qualified C_i0, and every
// trustee's public share Y_j = sum over qualified i of f_i(j)*G, against which its decryption
// shares are checked. A trustee's secret share x_j = sum of the qualified dealers' shares to
// it (wiped by its owner when no longer needed).
//
// Qualification: a dealer qualifies when its deal decoded for these params (absent deals,
// say of an offline trustee, do not) and no valid complaint convicts it. Invalid complaints
// are ignored and reported, unfounded ones too. The key forms when at least m-t+1 dealers
// qualify: an honest dealer is never convicted (a complaint against it is unfounded), so only
// its absence removes it, and m-t+1 qualified dealers include an honest one whenever at most
// m-t trustees are faulty, the assumption under which t trustees can answer at all (with
// t = 2f+1 of m = 3f+1: f+1 dealers). Pure, deterministic functions, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "common/status.h"
#include "crypto/envelope_key.h"
#include "crypto/p256.h"
#include "crypto/threshold/dkg_complaint.h"
#include "crypto/threshold/dkg_deal.h"
#include "crypto/threshold/dkg_params.h"

namespace hc::crypto::threshold {

// What verifiers and requesters need about a finished key (no secret).
struct AccessKeyPublic {
  ChainId chain_id{};
  std::uint64_t epoch = 0;
  std::uint16_t threshold = 0;
  P256Point group_key = P256Point::generator();  // Y, the key records are sealed to
  KeyId key_id{};                                // sealed_record_v2.h's access_key_id(Y)
  std::vector<P256Point> public_shares;          // Y_j for trustee j at position j-1
};

struct DkgOutcome {
  AccessKeyPublic key;
  std::vector<std::uint16_t> qualified;             // ascending
  std::vector<std::uint16_t> disqualified;          // convicted by a complaint, ascending
  std::vector<std::uint16_t> absent;                // dealt nothing usable, ascending
  std::vector<std::uint16_t> rejected_complainers;  // sent an invalid or unfounded complaint
};

// m - t + 1: the fewest qualified dealers with which the key forms.
std::size_t min_qualified_dealers(const DkgParams& params);

// `deals[i]` is dealer i+1's decoded deal or nullopt (absent / malformed); deals.size() == m.
// kInvalidInput when fewer than m-t+1 dealers qualify ("only N of the K needed dealers qualified")
// or the key came out as the point at infinity.
Result<DkgOutcome> finalize_dkg(const DkgParams& params, const std::vector<std::optional<DkgDeal>>& deals,
                                const std::vector<DkgComplaint>& complaints);

// Trustee j's secret share from the qualified deals. kAuthFailed naming the dealer if one of
// them gave j a bad share (j should have complained in time).
Result<P256Scalar> trustee_secret_share(const DkgParams& params, const DkgOutcome& outcome,
                                        const std::vector<std::optional<DkgDeal>>& deals, std::uint16_t trustee,
                                        const P256Scalar& trustee_secret);

}  // namespace hc::crypto::threshold
