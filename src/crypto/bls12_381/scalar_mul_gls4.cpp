// The scalar side of the four-dimensional GLS multiplication: the base-|x| split and the
// signed-digit recoding, both constant time in the scalar (scalar_mul_gls4.h).
#include "crypto/bls12_381/scalar_mul_gls4.h"

#include "common/secure_bytes.h"
#include "crypto/bls12_381/mont.h"

namespace hc::bls12_381 {

namespace {

// The base of the split, |x| (the curve parameter x is negative).
constexpr std::uint64_t kGls4Base = 0xd201000000010000ULL;

// n (4 limbs, below 2^bits) = q |x| + rem; n is replaced by q. Restoring division, one
// step per bit of the public bound `bits`, the subtraction taken by mask: the partial
// remainder is below 2|x| < 2^65 after each shift, held as 64 bits plus the shifted-out top.
std::uint64_t divide_by_abs_x(std::uint64_t n[4], int bits) {
  std::uint64_t rem = 0;
  std::uint64_t q[4] = {0, 0, 0, 0};
  for (int bit = bits - 1; bit >= 0; --bit) {
    const std::uint64_t top = rem >> 63;
    rem = (rem << 1) | ((n[bit / 64] >> (bit % 64)) & 1);
    unsigned char borrow = 0;
    const std::uint64_t diff = mont::subb(rem, kGls4Base, borrow);
    // (top 2^64 + rem) >= |x| exactly when the top bit is set or rem - |x| did not borrow.
    const std::uint64_t take = 0 - (top | (static_cast<std::uint64_t>(borrow) ^ 1));
    rem = (rem & ~take) | (diff & take);
    q[bit / 64] |= (take & 1) << (bit % 64);
  }
  for (int i = 0; i < 4; ++i) n[i] = q[i];
  secure_wipe(q, sizeof(q));
  return rem;
}

}  // namespace

void gls4_split_scalar(const std::uint64_t k[4], std::uint64_t parts[4]) {
  std::uint64_t n[4] = {k[0], k[1], k[2], k[3]};
  // Public bounds: k < 2^256, so the quotients are below 2^193, 2^130 (|x| > 2^63) and,
  // because k < r < |x|^4, the last one is below |x|.
  parts[0] = divide_by_abs_x(n, 256);
  parts[1] = divide_by_abs_x(n, 193);
  parts[2] = divide_by_abs_x(n, 130);
  parts[3] = n[0];
  secure_wipe(n, sizeof(n));
}

void gls4_recode_signed(std::uint64_t part, int w, int count, std::int64_t* digits) {
  const std::uint64_t mask = (std::uint64_t{1} << w) - 1;
  const std::uint64_t half = std::uint64_t{1} << (w - 1);
  std::uint64_t carry = 0;
  for (int j = 0; j < count; ++j) {
    const int shift = w * j;  // public
    const std::uint64_t window = shift < 64 ? (part >> shift) & mask : 0;
    const std::uint64_t v = window + carry;  // 0 .. 2^w
    // The last digit keeps v (at most 2^(w-1) for a part below |x|); the others move 2^w
    // to the next window when v > 2^(w-1).
    carry = j + 1 < count ? (half - v) >> 63 : 0;
    digits[j] = static_cast<std::int64_t>(v - (carry << w));
  }
}

}  // namespace hc::bls12_381
