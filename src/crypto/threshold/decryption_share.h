// A trustee's decryption share for one version-2 record, answering one access request:
// D_j = x_j * E (E the record's ephemeral key, x_j the trustee's secret share) with a
// Chaum-Pedersen proof that log_G(Y_j) = log_E(D_j) against the trustee's public share Y_j.
// The proof's context binds the chain, key epoch and id, the request id, the trustee and E,
// so a share cannot be replayed for another request, record, key or chain.
//
// Encoding: LP("HC-DECRYPTION-SHARE-v1") || chain_id (32) || u64 epoch || key_id (32) ||
// request_id (32) || u16 trustee || E (65) || D (65) || proof (64); exactly 326 bytes.
// On its way to the requester a share travels in a box (crypto/p256_kem.h) to the
// requester's one-time key, context LP("HC-DECRYPTION-SHARE-BOX-v1") || chain_id || u64 epoch
// || key_id || request_id || u16 trustee. Pure functions, thread-safe.
#pragma once

#include <cstdint>

#include "common/bytes.h"
#include "common/status.h"
#include "crypto/hash.h"
#include "crypto/p256.h"
#include "crypto/threshold/dkg_outcome.h"
#include "crypto/threshold/dleq_proof.h"

namespace hc::crypto::threshold {

using RequestId = Digest32;  // the committed access request's transaction id

inline constexpr std::size_t kDecryptionShareBytes =
    4 + 22 + 32 + 8 + 32 + 32 + 2 + 2 * kP256PointBytes + kDleqProofBytes;

struct DecryptionShare {
  ChainId chain_id{};
  std::uint64_t epoch = 0;
  KeyId key_id{};
  RequestId request_id{};
  std::uint16_t trustee = 0;
  P256Point ephemeral = P256Point::generator();  // E of the record
  P256Point partial = P256Point::generator();    // D = x_j * E
  DleqProof proof;
};

// kInvalidInput if the trustee index is out of range or x_j * G is not its public share.
Result<DecryptionShare> make_decryption_share(const AccessKeyPublic& key, std::uint16_t trustee,
                                              const P256Scalar& secret_share, const RequestId& request_id,
                                              const P256Point& ephemeral);

// ok when the share is for this key, request and record and its proof holds against the
// trustee's public share; kInvalidInput (wrong binding, index) or kAuthFailed (bad proof),
// the message naming the trustee.
Status verify_decryption_share(const AccessKeyPublic& key, const RequestId& request_id,
                               const P256Point& ephemeral, const DecryptionShare& share);

Bytes encode_decryption_share(const DecryptionShare& share);
Result<DecryptionShare> decode_decryption_share(ByteSpan bytes);

Result<Bytes> seal_share_to_requester(const AccessKeyPublic& key, const DecryptionShare& share,
                                      const P256Point& requester_one_time_key);
// Opens trustee `trustee`'s box and decodes the share (its trustee field must match); the
// share still has to be verified.
Result<DecryptionShare> open_share_from_trustee(const AccessKeyPublic& key, const RequestId& request_id,
                                                std::uint16_t trustee, const P256Scalar& requester_secret,
                                                ByteSpan box);

}  // namespace hc::crypto::threshold
