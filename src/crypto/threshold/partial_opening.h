// A trustee's partial opening of one BBS04-ElGamal group signature, answering one committed
// opening request: D_j = T1^xi_j (xi_j the trustee's share of the opener key) with a
// Chaum-Pedersen proof in G1 (groupsig/g1_dleq.h) that log_u(U_j) = log_T1(D_j) against the
// trustee's public share U_j. The proof's context binds
//   LP("HC-PARTIAL-OPENING-v1") || chain_id || u64 opener key epoch || h (48) ||
//   request_id || signature digest || u16 trustee
// under DST "HC-PARTIAL-OPENING-PROOF-V1", so a partial opening cannot be replayed for
// another request, signature, key or chain. Any t valid ones give T1^xi (opening_evidence.h).
//
// Encoding: LP("HC-PARTIAL-OPENING-v1") || chain_id (32) || u64 epoch || request_id (32) ||
// signature digest (32) || u16 trustee (1..64) || D (48, compressed, not the identity) ||
// c (32) || z (32); exactly kPartialOpeningBytes = 243 bytes. Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/bytes.h"
#include "common/status.h"
#include "crypto/groupsig/elgamal_types.h"
#include "crypto/hash.h"
#include "crypto/threshold/decryption_share.h"
#include "crypto/threshold/opener_dkg_outcome.h"

namespace hc::crypto::threshold {

inline constexpr std::string_view kPartialOpeningTag = "HC-PARTIAL-OPENING-v1";
inline constexpr std::string_view kPartialOpeningProofDst = "HC-PARTIAL-OPENING-PROOF-V1";
inline constexpr std::size_t kPartialOpeningBytes =
    4 + kPartialOpeningTag.size() + 32 + 8 + 32 + 32 + 2 + 48 + 2 * 32;

struct PartialOpening {
  ChainId chain_id{};
  std::uint64_t epoch = 0;  // the opener key's epoch
  RequestId request_id{};   // the committed opening request's transaction id
  Digest32 signature_digest{};  // groupsig::elgamal::signature_digest of the opened signature
  std::uint16_t trustee = 0;
  G1 partial;  // D_j = T1^xi_j
  groupsig::elgamal::DleqProof proof;
};

// kInvalidInput if the trustee index is out of range, u^xi_j is not its public share or T1
// is the identity.
Result<PartialOpening> make_partial_opening(const OpenerKeyPublic& key, std::uint16_t trustee,
                                            const Fr& secret_share, const RequestId& request_id,
                                            const groupsig::elgamal::Signature& sig);

// Ok when the partial opening is for this key, request and signature and its proof holds
// against the trustee's public share; kInvalidInput (wrong binding or index) or kAuthFailed
// (bad proof), the message naming the trustee.
Status verify_partial_opening(const OpenerKeyPublic& key, const RequestId& request_id,
                              const groupsig::elgamal::Signature& sig, const PartialOpening& partial);

Bytes encode_partial_opening(const PartialOpening& partial);
Result<PartialOpening> decode_partial_opening(ByteSpan bytes);

}  // namespace hc::crypto::threshold
