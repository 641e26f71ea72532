// P-256 (secp256r1) group arithmetic for the access key, envelope version 2 and the trustees'
// threshold protocols, as value types over OpenSSL (the only file that touches OpenSSL's EC
// and BIGNUM types; none leak past this header).
//
// P256Scalar: an integer modulo the group order n, kept as 32 big-endian bytes and wiped when
// destroyed (it often holds a secret). Arithmetic runs through BIGNUMs flagged constant-time.
// P256Point: a point of the curve, never the point at infinity once decoded or derived from
// a non-zero scalar; the only encoding is the 65-byte uncompressed form 0x04 || X || Y (what
// WebCrypto exports as "raw"). Decoding checks the point is on the curve (P-256's cofactor is
// 1, so every such point is in the group). Scalar multiplication by a secret scalar uses
// OpenSSL's constant-time ladder/windowed code. All functions are thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string_view>

#include "common/bytes.h"
#include "common/status.h"

namespace hc::crypto {

inline constexpr std::size_t kP256ScalarBytes = 32;
inline constexpr std::size_t kP256PointBytes = 65;

using P256PointBytes = std::array<std::uint8_t, kP256PointBytes>;

class P256Scalar {
 public:
  P256Scalar() = default;  // zero
  P256Scalar(const P256Scalar& other) = default;
  P256Scalar& operator=(const P256Scalar& other) = default;
  ~P256Scalar();

  static P256Scalar from_u64(std::uint64_t v);
  // Exactly 32 big-endian bytes of a value below n; kInvalidInput otherwise (no reduction,
  // so every scalar has one encoding).
  static Result<P256Scalar> from_bytes(ByteSpan bytes);
  // A uniformly random non-zero scalar from OpenSSL's DRBG.
  static P256Scalar random_nonzero();
  // Reduces 64 bytes modulo n (bias below 2^-256): hashing onto scalars.
  static P256Scalar reduce_wide(ByteSpan bytes64);

  const std::array<std::uint8_t, kP256ScalarBytes>& bytes() const { return be_; }
  bool is_zero() const;  // constant-time over the bytes

  P256Scalar operator+(const P256Scalar& o) const;
  P256Scalar operator-(const P256Scalar& o) const;
  P256Scalar operator*(const P256Scalar& o) const;
  // The multiplicative inverse; kInvalidInput for zero. Only for public values (indices).
  Result<P256Scalar> inverse() const;
  bool operator==(const P256Scalar& o) const;  // constant-time

 private:
  std::array<std::uint8_t, kP256ScalarBytes> be_{};
};

class P256Point {
 public:
  // The generator G.
  static P256Point generator();
  // k*G; k must be non-zero (checked with HC_CHECK: callers pass checked or random scalars).
  static P256Point base_mul(const P256Scalar& k);
  // Exactly 65 bytes 0x04 || X || Y of a point on the curve; kInvalidInput otherwise.
  static Result<P256Point> decode(ByteSpan bytes);

  P256Point(const P256Point& other);
  P256Point& operator=(const P256Point& other);
  P256Point(P256Point&&) noexcept;
  P256Point& operator=(P256Point&&) noexcept;
  ~P256Point();

  // k*P. The result may be infinity only if k is zero; is_infinity() tells.
  P256Point mul(const P256Scalar& k) const;
  P256Point operator+(const P256Point& o) const;
  P256Point operator-(const P256Point& o) const;
  bool is_infinity() const;
  bool operator==(const P256Point& o) const;

  // HC_CHECK fails on infinity (it has no encoding here; callers check is_infinity first).
  P256PointBytes encode() const;
  // The affine x-coordinate, 32 big-endian bytes (the ECDH shared secret of SEC 1).
  std::array<std::uint8_t, 32> x_coordinate() const;

  struct Impl;

 private:
  explicit P256Point(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// SHA-256-based hash onto a scalar: reduce_wide(H(LP(domain) || 0x00 || msg) ||
// H(LP(domain) || 0x01 || msg)).
P256Scalar hash_to_p256_scalar(std::string_view domain, ByteSpan msg);

}  // namespace hc::crypto
