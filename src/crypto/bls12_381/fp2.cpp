// Fp2 inversion, square roots and exponentiation.
#include "crypto/bls12_381/fp2.h"

namespace hc::bls12_381 {

Fp2 fp2_inverse(const Fp2& a) {
  Fp n = fp_sqr(a.c0) + fp_sqr(a.c1);
  Fp ni = fp_inverse(n);
  return Fp2{a.c0 * ni, -(a.c1 * ni)};
}

Fp2 fp2_inverse_vartime(const Fp2& a) {
  Fp n = fp_sqr(a.c0) + fp_sqr(a.c1);
  Fp ni = fp_inverse_vartime(n);
  return Fp2{a.c0 * ni, -(a.c1 * ni)};
}

namespace {

// sqrt(t) for t in Fp via e = t^((p-3)/4): sqrt(t) = t*e and, for t != 0, 1/sqrt(t) = e.
bool sqrt_with_inverse(const Fp& t, Fp& root, Fp& inv_root) {
  if (fp_is_zero(t)) return false;
  inv_root = fp_pow_p_minus_3_over_4(t);
  root = t * inv_root;
  return fp_eq(fp_sqr(root), t);
}

}  // namespace

bool fp2_sqrt(const Fp2& a, Fp2& out) {
  // With n = N(a) = c0^2 + c1^2 and s = sqrt(n): x0^2 = (c0 + s)/2 or (c0 - s)/2, and
  // x1 = c1 / (2 x0). The two candidates multiply to (c0^2 - n)/4 = -c1^2/4 and -1 is not a
  // square in Fp (p = 3 mod 4), so when c1 != 0 exactly one of them is a square, and
  // e = t^((p-3)/4) for t = (c0 + s)/2 serves both: if t e^2 = 1, x0 = t e and
  // x1 = c1 e / 2; otherwise t e^2 = -1, e^2 = -1/t, so x0 = c1 e / 2 squares to
  // -c1^2/(4t) = (c0 - s)/2 and x1 = 1/e = -t e. Two exponentiations in Fp, not three.
  if (fp2_is_zero(a)) {
    out = fp2_zero();
    return true;
  }
  Fp s;
  if (!fp_sqrt(fp_sqr(a.c0) + fp_sqr(a.c1), s)) return false;
  static const Fp half = fp_inverse(fp_from_u64(2));
  const Fp t = (a.c0 + s) * half;
  const Fp e = fp_pow_p_minus_3_over_4(t);
  const Fp te = t * e;
  Fp2 r;
  if (fp_eq(te * e, fp_one())) {
    r = Fp2{te, a.c1 * e * half};
  } else if (!fp_is_zero(a.c1)) {
    r = Fp2{a.c1 * e * half, -te};
  } else {
    // c1 == 0: a = c0 in Fp, and t is 0 or a non-square c0. Then sqrt(a) = sqrt(c0), or
    // sqrt(-c0) u when c0 is not a square in Fp.
    Fp x0, inv;
    if (sqrt_with_inverse((a.c0 - s) * half, x0, inv)) {
      r = Fp2{x0, fp_zero()};
    } else {
      Fp y;
      if (!fp_sqrt(-a.c0, y)) return false;
      r = Fp2{fp_zero(), y};
    }
  }
  if (!fp2_eq(fp2_sqr(r), a)) return false;
  out = r;
  return true;
}

Fp2 fp2_pow(const Fp2& a, const std::uint64_t* exp_limbs, int n_limbs) {
  Fp2 r = fp2_one();
  for (int i = n_limbs - 1; i >= 0; --i) {
    for (int b = 63; b >= 0; --b) {
      r = fp2_sqr(r);
      if ((exp_limbs[i] >> b) & 1) r = r * a;
    }
  }
  return r;
}

bool fp2_is_lexicographically_largest(const Fp2& a) {
  if (!fp_is_zero(a.c1)) return fp_is_lexicographically_largest(a.c1);
  return fp_is_lexicographically_largest(a.c0);
}

}  // namespace hc::bls12_381
