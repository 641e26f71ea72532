// Key encapsulation to a P-256 public key (ECIES-style), shared by envelope version 2 and the
// trustees' encrypted messages (DKG shares, decryption shares to a requester's one-time key).
//
// Encapsulation: a fresh ephemeral secret e, E = e*G, the shared point S = e*P (= p*E for the
// recipient's secret p), and key = HKDF-SHA-256(salt = empty, ikm = x(S), info = context ||
// E as 65 bytes), 32 bytes. The caller's `context` must be a length-prefixed domain tag and
// everything the key must be bound to (docs/record-format.md, docs/threshold.md).
//
// A *box* is E (65 bytes) || AES-256-GCM(key, nonce = 12 zero bytes, aad = context || E,
// plaintext) || 16-byte tag. The all-zero nonce is safe because every box has its own
// ephemeral and therefore its own key. Keys are SecureBytes (wiped). Thread-safe.
#pragma once

#include "common/bytes.h"
#include "common/secure_bytes.h"
#include "common/status.h"
#include "crypto/p256.h"

namespace hc::crypto {

inline constexpr std::size_t kKemKeyBytes = 32;
inline constexpr std::size_t kBoxOverheadBytes = kP256PointBytes + 16;

struct KemEncapsulation {
  P256PointBytes ephemeral{};
  SecureBytes key;  // 32 bytes
};

// The info string of HKDF: context || ephemeral.
Bytes kem_info(ByteSpan context, const P256PointBytes& ephemeral);
// The key from the shared point itself (what a threshold combination produces).
Result<SecureBytes> kem_key_from_shared_point(const P256Point& shared, ByteSpan context,
                                              const P256PointBytes& ephemeral);
// With the given ephemeral secret (non-zero): the deterministic core, used by known-answer tests.
Result<KemEncapsulation> kem_encapsulate_with(const P256Point& recipient, ByteSpan context,
                                              const P256Scalar& ephemeral_secret);
// With a fresh random ephemeral secret (wiped after use).
Result<KemEncapsulation> kem_encapsulate(const P256Point& recipient, ByteSpan context);
// kInvalidInput if `ephemeral` is not a curve point.
Result<SecureBytes> kem_decapsulate(const P256Scalar& recipient_secret, ByteSpan context,
                                    ByteSpan ephemeral);

Result<Bytes> box_seal(const P256Point& recipient, ByteSpan context, ByteSpan plaintext);
// kInvalidInput for a box too short or whose ephemeral is not a point; kAuthFailed when the
// tag does not verify (wrong key, context or any altered byte).
Result<SecureBytes> box_open(const P256Scalar& recipient_secret, ByteSpan context, ByteSpan box);
// The same, given the shared point S instead of the secret (for judging a complaint, whose
// evidence reveals S with a proof).
Result<SecureBytes> box_open_with_shared_point(const P256Point& shared, ByteSpan context, ByteSpan box);
// The ephemeral point of a box (kInvalidInput as above).
Result<P256Point> box_ephemeral(ByteSpan box);

}  // namespace hc::crypto
