// A trustee's complaint against a dealer of the opener DKG whose share to it is bad, judged
// by anyone without the complainer's secret, exactly as for the access key (dkg_complaint.h):
// the complainer reveals the ECDH point S = sk_j * E of that one share box with a P-256
// Chaum-Pedersen proof that log_G(pk_j) = log_E(S); anybody then opens the box and runs the
// Feldman check in G1 (opener_share_matches). A valid complaint convicts the dealer (the box
// does not open, holds no scalar below r, or misses the commitments) or is unfounded (the
// share was good and is now public).
//
// Encoding: LP("HC-OPENER-DKG-COMPLAINT-v1") || opener params digest (32) || u16 complainer ||
// u16 dealer || S (65) || proof (64); exactly kOpenerComplaintBytes. Proof context: the same
// fields before S plus the box's ephemeral key. Pure functions, thread-safe.
// S is only revealed for a box whose ephemeral the dealer proved it knows (opener_dkg_deal.h);
// a legacy-form deal (no proofs, chains whose genesis predates the fix) is judged as before.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/bytes.h"
#include "common/status.h"
#include "crypto/p256.h"
#include "crypto/threshold/dkg_complaint.h"
#include "crypto/threshold/dleq_proof.h"
#include "crypto/threshold/opener_dkg_deal.h"

namespace hc::crypto::threshold {

inline constexpr std::string_view kOpenerComplaintTag = "HC-OPENER-DKG-COMPLAINT-v1";
inline constexpr std::size_t kOpenerComplaintBytes =
    4 + kOpenerComplaintTag.size() + 32 + 2 + 2 + kP256PointBytes + kDleqProofBytes;

struct OpenerComplaint {
  std::uint16_t complainer = 0;
  std::uint16_t dealer = 0;
  P256Point shared = P256Point::generator();  // sk_complainer * E of the box
  DleqProof proof;
};

Result<OpenerComplaint> make_opener_complaint(const OpenerDkgParams& params, const OpenerDeal& deal,
                                              std::uint16_t complainer, const P256Scalar& complainer_secret);

// kDealerFaulty or kComplaintUnfounded (dkg_complaint.h); kInvalidInput when the complaint
// itself is invalid (indices, another dealer's deal, a bad proof): it blames its sender.
Result<ComplaintVerdict> judge_opener_complaint(const OpenerDkgParams& params, const OpenerDeal& deal,
                                                const OpenerComplaint& complaint);

Bytes encode_opener_complaint(const OpenerDkgParams& params, const OpenerComplaint& complaint);
Result<OpenerComplaint> decode_opener_complaint(const OpenerDkgParams& params, ByteSpan bytes);

}  // namespace hc::crypto::threshold
