// A trustee's complaint against a dealer whose share to it is bad, with the evidence anyone
// can judge without the complainer's secret: the complainer reveals the ECDH point
// S = sk_j * E of that one share box (E the box's ephemeral key) with a Chaum-Pedersen proof
// that log_G(pk_j) = log_E(S). With S, anybody derives the box key, opens the box and runs
// the Feldman check. A valid complaint therefore either convicts the dealer (the box does not
// open, holds no scalar, or the scalar misses the commitments) or is unfounded (the share is
// good, and now public: the complainer only gave away its own share of that dealer).
// S is only revealed for a box whose ephemeral the dealer proved it knows (dkg_deal.h): no
// complaint is made about an unproven box, and none about a box of a proven-form deal whose
// proof fails is judged. A legacy-form deal (no proofs, chains whose genesis predates the
// fix) is still judged as before so that their history verifies.
//
// Encoding: LP("HC-DKG-COMPLAINT-v1") || params digest (32) || u16 complainer || u16 dealer
// || S (65) || proof (64); exactly 188 bytes. Proof context: the same fields before S plus
// the box's ephemeral key. Pure functions, thread-safe.
#pragma once

#include <cstdint>

#include "common/bytes.h"
#include "common/status.h"
#include "crypto/p256.h"
#include "crypto/threshold/dkg_deal.h"
#include "crypto/threshold/dkg_params.h"
#include "crypto/threshold/dleq_proof.h"

namespace hc::crypto::threshold {

inline constexpr std::size_t kComplaintBytes = 4 + 19 + 32 + 2 + 2 + kP256PointBytes + kDleqProofBytes;

struct DkgComplaint {
  std::uint16_t complainer = 0;
  std::uint16_t dealer = 0;
  P256Point shared = P256Point::generator();  // sk_complainer * E of the box
  DleqProof proof;
};

enum class ComplaintVerdict {
  kDealerFaulty,        // the dealer is disqualified
  kComplaintUnfounded,  // the share was good; the dealer stays
};

Result<DkgComplaint> make_complaint(const DkgParams& params, const DkgDeal& deal, std::uint16_t complainer,
                                    const P256Scalar& complainer_secret);

// kInvalidInput when the complaint itself is invalid (indices, another dealer's deal, a box of
// a proven-form deal without a valid ephemeral proof, a bad proof): such a complaint is ignored
// and blames its sender.
Result<ComplaintVerdict> judge_complaint(const DkgParams& params, const DkgDeal& deal,
                                         const DkgComplaint& complaint);

Bytes encode_complaint(const DkgParams& params, const DkgComplaint& complaint);
Result<DkgComplaint> decode_complaint(const DkgParams& params, ByteSpan bytes);

}  // namespace hc::crypto::threshold
