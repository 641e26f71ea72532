// BLS12-381: the public API of Healthchain's own pairing library.
//
// This header is the contract between the pairing library (src/crypto/bls12_381/) and its
// users (group signatures in src/crypto/groupsig/, the `hc crypto bls12-381` CLI). Field
// and tower internals live in their own headers and are not part of this contract.
//
// Conventions
// - Fr is the scalar field (r = 0x73eda753...00000001, 255 bits). G1 is on y^2 = x^3 + 4 over
//   Fp, G2 on the sextic twist y^2 = x^3 + 4(u+1) over Fp2, GT the order-r subgroup of Fp12*.
// - Encodings are the ZCash / IETF compressed forms (48 bytes G1, 96 bytes G2; flags in the
//   top three bits of the first byte). Decoders check length, flags, x < p, on-curve and
//   prime-order subgroup membership, so every G1/G2 value in this API is in its subgroup.
// - Fr encodes as 32 bytes big-endian; values >= r are rejected on decode.
// - `mul_secret`, `pow_secret`, the encoders and the pairings are constant time (no
//   secret-dependent branch or memory index; affine conversions invert by Fermat's little
//   theorem). `mul_public`, `GT::pow`, the multi-scalar multiplications and every function
//   named `_vartime` are variable time and must only see public values;
//   tests/crypto/constant_time checks on the compiled objects that no secret path reaches
//   them. Secret-holding callers must wipe their Fr values (Fr::wipe()).
// - All types are plain values: thread-safe to read concurrently, no shared mutable state.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "common/bytes.h"
#include "common/status.h"

namespace hc::bls12_381 {

// Internal representations, defined in the library's own headers.
struct FrRepr { std::uint64_t limbs[4]; };

class Fr {
 public:
  Fr();  // zero
  static Fr zero();
  static Fr one();
  static Fr from_u64(std::uint64_t v);
  // 32 bytes big-endian; kInvalidInput if the length is wrong or the value is >= r.
  static Result<Fr> from_bytes(ByteSpan be32);
  // Reduces any 64 bytes big-endian modulo r (for uniform sampling).
  static Fr from_wide_bytes(ByteSpan be64);
  // Uniform in [0, r) from OpenSSL's RAND_bytes. Aborts if the RNG fails.
  static Fr random();
  // Uniform in [1, r).
  static Fr random_nonzero();
  std::array<std::uint8_t, 32> to_bytes() const;

  Fr operator+(const Fr& o) const;
  Fr operator-(const Fr& o) const;
  Fr operator*(const Fr& o) const;
  Fr operator-() const;
  Fr square() const;
  Fr inverse() const;  // the inverse of zero is zero
  bool is_zero() const;
  bool operator==(const Fr& o) const;  // constant time
  void wipe();                         // sets to zero with a non-elidable wipe

  const FrRepr& repr() const { return v_; }  // Montgomery form, for the library's own use
  FrRepr& repr() { return v_; }

 private:
  FrRepr v_;
};

// expand_message_xmd with SHA-256 (RFC 9380 section 5.3.1). kInvalidInput when
// len_in_bytes > 8160, the DST is longer than 255 bytes or empty.
Result<Bytes> expand_message_xmd_sha256(ByteSpan msg, ByteSpan dst, std::size_t len_in_bytes);
// Hash to Fr: 48 bytes of expand_message_xmd (SHA-256) read big-endian and reduced mod r
// (RFC 9380 hash_to_field with L = 48, count = 1).
Result<Fr> hash_to_fr(ByteSpan msg, ByteSpan dst);

struct G1Repr { std::uint64_t x[6], y[6], z[6]; };
struct G2Repr { std::uint64_t x[12], y[12], z[12]; };

class G1 {
 public:
  G1();  // identity
  static G1 identity();
  static G1 generator();
  static Result<G1> from_compressed(ByteSpan bytes48);
  std::array<std::uint8_t, 48> to_compressed() const;
  static Result<G1> from_uncompressed(ByteSpan bytes96);
  std::array<std::uint8_t, 96> to_uncompressed() const;

  G1 operator+(const G1& o) const;
  G1 operator-(const G1& o) const;
  G1 operator-() const;
  G1 dbl() const;
  G1 mul_secret(const Fr& k) const;  // constant time in k
  G1 mul_public(const Fr& k) const;  // variable time (wNAF / GLV)
  bool is_identity() const;
  bool operator==(const G1& o) const;

  const G1Repr& repr() const { return p_; }
  G1Repr& repr() { return p_; }

 private:
  G1Repr p_;
};

class G2 {
 public:
  G2();  // identity
  static G2 identity();
  static G2 generator();
  static Result<G2> from_compressed(ByteSpan bytes96);
  std::array<std::uint8_t, 96> to_compressed() const;
  static Result<G2> from_uncompressed(ByteSpan bytes192);
  std::array<std::uint8_t, 192> to_uncompressed() const;

  G2 operator+(const G2& o) const;
  G2 operator-(const G2& o) const;
  G2 operator-() const;
  G2 dbl() const;
  G2 mul_secret(const Fr& k) const;
  G2 mul_public(const Fr& k) const;
  bool is_identity() const;
  bool operator==(const G2& o) const;

  const G2Repr& repr() const { return p_; }
  G2Repr& repr() { return p_; }

 private:
  G2Repr p_;
};

// Compressed encodings of several G1 points (as to_compressed) with one field inversion for
// all of them (Montgomery's trick): constant time, and cheaper than to_compressed from two
// points on.
std::vector<std::array<std::uint8_t, 48>> to_compressed_batch(std::span<const G1> points);

// Decodes many compressed G1 points of public data (a block's signatures) with one
// randomized subgroup test for all of them instead of one test per point (g1_batch_decode.cpp;
// docs/bls12_381.md, "Batch subgroup test"): every point gets all of from_compressed's other
// checks; then for each of 64 rounds j the sum of the points whose random_masks[i] has bit j
// set is tested. If every round passes, every point is returned (a point outside G1 survives
// a round with probability at most 1/2, the 64 rounds together at most 2^-64, provided the
// masks are drawn after the points are fixed and unknown to whoever chose them). Otherwise,
// and for any point that fails another check, each item's result is exactly
// from_compressed's, status and message included. Sizes must match (checked). Variable time.
std::vector<Result<G1>> g1_from_compressed_batch_vartime(std::span<const ByteSpan> encodings,
                                                         std::span<const std::uint64_t> random_masks);

// Variable-time multi-scalar multiplication: sum of scalars[i] * points[i]. Public scalars
// only. Sizes must match (checked; mismatch is a programming error and aborts).
G1 msm(std::span<const G1> points, std::span<const Fr> scalars);
G2 msm(std::span<const G2> points, std::span<const Fr> scalars);

struct GTRepr { std::uint64_t c[72]; };  // Fp12 as 12 Fp values of 6 limbs, Montgomery form

class GT {
 public:
  GT();  // one
  static GT one();
  GT operator*(const GT& o) const;
  GT square() const;
  GT pow(const Fr& k) const;       // variable time in k
  GT pow_secret(const Fr& k) const;  // constant time in k
  GT unitary_inverse() const;      // conjugation; the inverse for elements of GT
  bool is_one() const;
  bool operator==(const GT& o) const;
  // Canonical 576-byte encoding: the 12 Fp coefficients, big-endian, in the order
  // c0.c0.c0, c0.c0.c1, c0.c1.c0, ..., c1.c2.c1 (as in shared/vectors/pairing/e_G1_G2.txt).
  std::array<std::uint8_t, 576> to_bytes() const;
  // The inverse of to_bytes: kInvalidInput unless the input is 576 bytes, every coefficient
  // is below p, and the element lies in GT (checked: Scott's test, variable time).
  static Result<GT> from_bytes(ByteSpan bytes576);

  const GTRepr& repr() const { return v_; }
  GTRepr& repr() { return v_; }

 private:
  GTRepr v_;
};

// prod_i bases[i]^exps[i] for public 64-bit exponents (batch verification's small random
// exponents): interleaved signed windows sharing 64 cyclotomic squarings. Variable time.
// Sizes must match (checked).
GT gt_multi_pow_u64(std::span<const GT> bases, std::span<const std::uint64_t> exps);

// A G2 point with its Miller-loop line coefficients precomputed, for points that are paired
// many times (the group public key's g2 and w). Build once, share read-only across threads.
class G2Prepared {
 public:
  explicit G2Prepared(const G2& q);
  const G2& point() const { return q_; }
  bool is_identity() const { return q_.is_identity(); }
  // Line coefficients as produced by the library; opaque to users.
  const std::vector<std::array<std::uint64_t, 36>>& lines() const { return lines_; }

 private:
  G2 q_;
  std::vector<std::array<std::uint64_t, 36>> lines_;
};

// e(p, q): optimal ate pairing with final exponentiation. The pairings below are constant
// time in their inputs (safe on secret-derived points) unless named _vartime.
GT pairing(const G1& p, const G2& q);
// prod_i e(ps[i], qs[i]) with one shared final exponentiation. Sizes must match.
GT multi_pairing(std::span<const G1> ps, std::span<const G2> qs);
GT multi_pairing(std::span<const G1> ps, std::span<const G2Prepared* const> qs);
// The same with variable-time inversions, for public inputs only (signature verification).
GT multi_pairing_vartime(std::span<const G1> ps, std::span<const G2Prepared* const> qs);
// True when prod_i e(ps[i], qs[i]) == 1.
bool pairing_product_is_one(std::span<const G1> ps, std::span<const G2> qs);

// The pieces of the pairing, exposed for benchmarks and tests.
GT miller_loop(std::span<const G1> ps, std::span<const G2> qs);  // no final exponentiation
GT final_exponentiation(const GT& f);

}  // namespace hc::bls12_381
