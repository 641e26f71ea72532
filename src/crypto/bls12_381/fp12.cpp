// Fp12 arithmetic, Frobenius and cyclotomic squaring.
#include "crypto/bls12_381/fp12.h"

#include <cstring>

namespace hc::bls12_381 {

Fp12 operator*(const Fp12& a, const Fp12& b) {
  Fp6 t0 = a.c0 * b.c0;
  Fp6 t1 = a.c1 * b.c1;
  Fp6 m = (a.c0 + a.c1) * (b.c0 + b.c1);
  return Fp12{t0 + fp6_mul_by_v(t1), m - t0 - t1};
}

Fp12 fp12_sqr(const Fp12& a) {
  // (a0 + a1 w)^2 = a0^2 + v a1^2 + 2 a0 a1 w, via (a0 + a1)(a0 + v a1) - t - v t.
  Fp6 t = a.c0 * a.c1;
  Fp6 m = (a.c0 + a.c1) * (a.c0 + fp6_mul_by_v(a.c1));
  return Fp12{m - t - fp6_mul_by_v(t), t + t};
}

namespace {

Fp12 inverse_with(const Fp12& a, Fp6 (*inv6)(const Fp6&)) {
  Fp6 n = fp6_sqr(a.c0) - fp6_mul_by_v(fp6_sqr(a.c1));
  Fp6 ni = inv6(n);
  return Fp12{a.c0 * ni, -(a.c1 * ni)};
}

}  // namespace

Fp12 fp12_inverse(const Fp12& a) { return inverse_with(a, fp6_inverse); }
Fp12 fp12_inverse_vartime(const Fp12& a) { return inverse_with(a, fp6_inverse_vartime); }

Fp12 fp12_mul_by_line(const Fp12& a, const Fp2& l0, const Fp2& l1, const Fp2& l4) {
  // line = s0 + s1 w with s0 = l0 + l1 v and s1 = l4 v.
  Fp6 t0 = fp6_mul_by_01(a.c0, l0, l1);
  Fp6 t1 = fp6_mul_by_1(a.c1, l4);
  Fp6 m = fp6_mul_by_01(a.c0 + a.c1, l0, l1 + l4);
  return Fp12{t0 + fp6_mul_by_v(t1), m - t0 - t1};
}

const Fp2 (&fp12_frobenius_constants())[3][6] {
  struct Table {
    Fp2 g[3][6];
    Table() {
      // (p - 1) / 6 as little-endian limbs, then powers of xi.
      std::uint64_t e[6];
      std::memcpy(e, fp_modulus(), sizeof(e));
      e[0] -= 1;
      std::uint64_t rem = 0;
      for (int i = 5; i >= 0; --i) {
        unsigned __int128 cur = (static_cast<unsigned __int128>(rem) << 64) | e[i];
        e[i] = static_cast<std::uint64_t>(cur / 6);
        rem = static_cast<std::uint64_t>(cur % 6);
      }
      Fp2 xi{fp_one(), fp_one()};
      Fp2 g1 = fp2_pow(xi, e, 6);  // xi^((p-1)/6)
      Fp2 acc = fp2_one();
      for (int i = 0; i < 6; ++i) {
        g[0][i] = acc;
        acc = acc * g1;
      }
      // gamma_k,i = gamma_{k-1},i * gamma_1,i^(p^(k-1)): xi^(i(p^k-1)/6).
      for (int k = 1; k < 3; ++k) {
        for (int i = 0; i < 6; ++i) {
          Fp2 prev = g[k - 1][i];
          Fp2 base = g[0][i];
          if (k % 2 == 1) base = fp2_conj(base);  // (gamma_1,i)^(p^k) = conj^k
          g[k][i] = prev * base;
        }
      }
    }
  };
  static const Table table;
  return table.g;
}

Fp12 fp12_frobenius(const Fp12& a, int k) {
  const auto& g = fp12_frobenius_constants()[k - 1];
  auto f = [k](const Fp2& x) { return (k % 2 == 1) ? fp2_conj(x) : x; };
  // Coefficient of w^i: c0 holds w^0, w^2, w^4; c1 holds w^1, w^3, w^5.
  return Fp12{Fp6{f(a.c0.c0), f(a.c0.c1) * g[2], f(a.c0.c2) * g[4]},
              Fp6{f(a.c1.c0) * g[1], f(a.c1.c1) * g[3], f(a.c1.c2) * g[5]}};
}

namespace {

// (x + y s)^2 in Fp4 = Fp2[s]/(s^2 - xi): returns (x^2 + xi y^2, 2xy).
void fp4_sqr(const Fp2& x, const Fp2& y, Fp2& r0, Fp2& r1) {
  Fp2 t0 = fp2_sqr(x);
  Fp2 t1 = fp2_sqr(y);
  r0 = t0 + fp2_mul_by_xi(t1);
  r1 = fp2_sqr(x + y) - t0 - t1;
}

}  // namespace

Fp12 fp12_cyclotomic_sqr(const Fp12& a) {
  // Granger-Scott: with s = w^3, write a = A + B w + C w^2 over Fp4 = Fp2[s], where
  // A = g0 + g3 s, B = g1 + g4 s, C = g2 + g5 s (g_i the coefficient of w^i). Then
  // a^2 = (3A^2 - 2 conj A) + (3 s C^2 + 2 conj B) w + (3 B^2 - 2 conj C) w^2.
  const Fp2& g0 = a.c0.c0;
  const Fp2& g2 = a.c0.c1;
  const Fp2& g4 = a.c0.c2;
  const Fp2& g1 = a.c1.c0;
  const Fp2& g3 = a.c1.c1;
  const Fp2& g5 = a.c1.c2;
  Fp2 a0, a1, b0, b1, c0, c1;
  fp4_sqr(g0, g3, a0, a1);
  fp4_sqr(g1, g4, b0, b1);
  fp4_sqr(g2, g5, c0, c1);
  // 3 x - 2 g as 2 (x - g) + x and 3 x + 2 g as 2 (x + g) + x: three Fp2 additions each
  // instead of four.
  auto three_minus_two = [](const Fp2& x, const Fp2& g) {
    Fp2 t = x - g;
    return t + t + x;
  };
  auto three_plus_two = [](const Fp2& x, const Fp2& g) {
    Fp2 t = x + g;
    return t + t + x;
  };
  // A' = 3A^2 - 2 conj(A), conj(x + y s) = x - y s.
  Fp2 n0 = three_minus_two(a0, g0);
  Fp2 n3 = three_plus_two(a1, g3);
  // B' = 3 s C^2 + 2 conj(B); s (x + y s) = xi y + x s.
  Fp2 n1 = three_plus_two(fp2_mul_by_xi(c1), g1);
  Fp2 n4 = three_minus_two(c0, g4);
  // C' = 3 B^2 - 2 conj(C).
  Fp2 n2 = three_minus_two(b0, g2);
  Fp2 n5 = three_plus_two(b1, g5);
  return Fp12{Fp6{n0, n2, n4}, Fp6{n1, n3, n5}};
}

bool fp12_eq(const Fp12& a, const Fp12& b) { return fp6_eq(a.c0, b.c0) && fp6_eq(a.c1, b.c1); }
bool fp12_is_one(const Fp12& a) { return fp12_eq(a, fp12_one()); }
void fp12_cmov(Fp12& a, const Fp12& b, std::uint64_t mask) {
  fp6_cmov(a.c0, b.c0, mask);
  fp6_cmov(a.c1, b.c1, mask);
}

Fp12 fp12_cyclotomic_pow_abs_x(const Fp12& f) {
  constexpr std::uint64_t kCurveAbsX = 0xd201000000010000ULL;
  Fp12 r = f;
  for (int b = 62; b >= 0; --b) {
    r = fp12_cyclotomic_sqr(r);
    if ((kCurveAbsX >> b) & 1) r = r * f;
  }
  return r;
}

}  // namespace hc::bls12_381
