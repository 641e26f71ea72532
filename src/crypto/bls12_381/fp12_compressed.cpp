// Compressed cyclotomic squarings and their decompression (fp12_compressed.h).
#include "crypto/bls12_381/fp12_compressed.h"

#include <array>

namespace hc::bls12_381 {

namespace {

// (x + y s)^2 in Fp4 = Fp2[s]/(s^2 - xi) as (x^2 + xi y^2, 2 x y), with two Fp2 products:
// (x + y)(x + xi y) = x^2 + xi y^2 + (1 + xi) x y.
void fp4_sqr_by_products(const Fp2& x, const Fp2& y, Fp2& r0, Fp2& r1) {
  const Fp2 xy = x * y;
  const Fp2 m = (x + y) * (x + fp2_mul_by_xi(y));
  r0 = m - xy - fp2_mul_by_xi(xy);
  r1 = xy + xy;
}

Fp2 three_times_plus_twice(const Fp2& t, const Fp2& g) {  // 3 t + 2 g = 2 (t + g) + t
  const Fp2 u = t + g;
  return u + u + t;
}
Fp2 three_times_minus_twice(const Fp2& t, const Fp2& g) {  // 3 t - 2 g = 2 (t - g) + t
  const Fp2 u = t - g;
  return u + u + t;
}

}  // namespace

CyclotomicCompressed cyclotomic_compress(const Fp12& f) {
  // Coefficient of w^i: c0 holds w^0, w^2, w^4; c1 holds w^1, w^3, w^5. B = g1 + g4 s,
  // C = g2 + g5 s.
  return CyclotomicCompressed{f.c1.c0, f.c0.c2, f.c0.c1, f.c1.c2};
}

CyclotomicCompressed cyclotomic_compressed_sqr(const CyclotomicCompressed& z) {
  Fp2 bb0, bb1, cc0, cc1;
  fp4_sqr_by_products(z.b0, z.b1, bb0, bb1);  // B^2
  fp4_sqr_by_products(z.c0, z.c1, cc0, cc1);  // C^2
  // B' = 3 s C^2 + 2 conj(B), with s (x + y s) = xi y + x s; C' = 3 B^2 - 2 conj(C).
  return CyclotomicCompressed{three_times_plus_twice(fp2_mul_by_xi(cc1), z.b0),
                              three_times_minus_twice(cc0, z.b1),
                              three_times_minus_twice(bb0, z.c0),
                              three_times_plus_twice(bb1, z.c1)};
}

bool cyclotomic_decompress_scaled(const CyclotomicCompressed& z, Fp12& scaled, Fp2& lambda) {
  const Fp2 n_b = fp2_sqr(z.b0) - fp2_mul_by_xi(fp2_sqr(z.b1));
  const Fp2 n_c = fp2_sqr(z.c0) - fp2_mul_by_xi(fp2_sqr(z.c1));
  const Fp2 e = z.b0 * z.c0 - fp2_mul_by_xi(z.b1 * z.c1);
  lambda = e + e;
  if (fp2_is_zero(lambda)) return false;
  // lambda A = a0 lambda + a1 lambda s = g0 + g3 w^3, and lambda times B and C.
  const Fp2 a0 = z.b0 * n_b + fp2_mul_by_xi(z.c1 * n_c);
  const Fp2 a1 = z.c0 * n_c + z.b1 * n_b;
  scaled = Fp12{Fp6{a0, z.c0 * lambda, z.b1 * lambda}, Fp6{z.b0 * lambda, a1, z.c1 * lambda}};
  return true;
}

bool fp12_cyclotomic_pow_abs_x_equals_vartime(const Fp12& f, const Fp12& g) {
  // |x| = 2^63 + 2^62 + 2^60 + 2^57 + 2^48 + 2^16.
  constexpr std::array<int, 6> kSetBits = {16, 48, 57, 60, 62, 63};
  Fp12 product = fp12_one();
  Fp2 lambdas = fp2_one();
  CyclotomicCompressed z = cyclotomic_compress(f);
  std::size_t next = 0;
  for (int k = 1; k <= 63; ++k) {
    z = cyclotomic_compressed_sqr(z);
    if (k != kSetBits[next]) continue;
    Fp12 scaled;
    Fp2 lambda;
    if (!cyclotomic_decompress_scaled(z, scaled, lambda)) {
      return fp12_eq(fp12_cyclotomic_pow_abs_x(f), g);
    }
    product = next == 0 ? scaled : product * scaled;
    lambdas = next == 0 ? lambda : lambdas * lambda;
    ++next;
  }
  // product = lambdas f^|x|; compare with lambdas g (an Fp2 factor scales every coefficient).
  const Fp12 scaled_g{Fp6{g.c0.c0 * lambdas, g.c0.c1 * lambdas, g.c0.c2 * lambdas},
                      Fp6{g.c1.c0 * lambdas, g.c1.c1 * lambdas, g.c1.c2 * lambdas}};
  return fp12_eq(product, scaled_g);
}

}  // namespace hc::bls12_381
