// GT: the order-r subgroup of Fp12*, written multiplicatively.
#include <vector>

#include "common/check.h"
#include "common/secure_bytes.h"
#include "crypto/bls12_381/fp12_compressed.h"
#include "crypto/bls12_381/fr_internal.h"
#include "crypto/bls12_381/points.h"
#include "crypto/bls12_381/scalar_mul.h"

namespace hc::bls12_381 {

GT::GT() {
  const Fp12 one = fp12_one();
  std::memcpy(&v_, &one, sizeof(v_));
}
GT GT::one() { return GT(); }
GT GT::operator*(const GT& o) const { return to_gt(to_fp12(*this) * to_fp12(o)); }
GT GT::square() const { return to_gt(fp12_sqr(to_fp12(*this))); }
GT GT::unitary_inverse() const { return to_gt(fp12_conj(to_fp12(*this))); }
bool GT::is_one() const { return fp12_is_one(to_fp12(*this)); }
bool GT::operator==(const GT& o) const { return fp12_eq(to_fp12(*this), to_fp12(o)); }

namespace {

// What both exponentiations share: k split as k1 x^2 + k0, and the tables f^0..f^15 and
// frob2(f)^0..frob2(f)^15 (computed from f alone, never from k).
struct PowPlan {
  std::uint64_t e[4], k0[2], k1[2];
  Fp12 t0[16], t1[16];

  PowPlan(const Fp12& f, const Fr& k) {
    fr_detail::to_canonical(k, e);
    split_scalar(e, kXSquared, k0, k1);
    t0[0] = fp12_one();
    for (int i = 1; i < 16; ++i) t0[i] = t0[i - 1] * f;
    for (int i = 0; i < 16; ++i) t1[i] = fp12_frobenius(t0[i], 2);
  }
  std::uint64_t nibble0(int w) const { return (k0[w / 16] >> (4 * (w % 16))) & 0xf; }
  std::uint64_t nibble1(int w) const { return (k1[w / 16] >> (4 * (w % 16))) & 0xf; }
};

// table[nibble] by a scan of the whole table with conditional moves (no secret index).
Fp12 select_ct(const Fp12 (&table)[16], std::uint64_t nibble) {
  Fp12 sel = table[0];
  for (std::uint64_t i = 1; i < 16; ++i) {
    std::uint64_t diff = i ^ nibble;
    fp12_cmov(sel, table[i], ((diff | (0 - diff)) >> 63) - 1);
  }
  return sel;
}

}  // namespace

// Both exponentiations use the Frobenius endomorphism: on GT, f^(p^2) = f^(x^2) (p = x mod
// r), so with k = k1 x^2 + k0 (k0, k1 < 2^128) f^k = f^k0 * frob2(f)^k1, halving the
// number of cyclotomic squarings.
GT GT::pow(const Fr& k) const {
  const PowPlan plan(to_fp12(*this), k);
  Fp12 r = fp12_one();
  for (int w = 31; w >= 0; --w) {
    for (int d = 0; d < 4; ++d) r = fp12_cyclotomic_sqr(r);
    if (const std::uint64_t n0 = plan.nibble0(w); n0 != 0) r = r * plan.t0[n0];
    if (const std::uint64_t n1 = plan.nibble1(w); n1 != 0) r = r * plan.t1[n1];
  }
  return to_gt(r);
}

GT GT::pow_secret(const Fr& k) const {
  PowPlan plan(to_fp12(*this), k);
  Fp12 r = fp12_one();
  for (int w = 31; w >= 0; --w) {
    for (int d = 0; d < 4; ++d) r = fp12_cyclotomic_sqr(r);
    r = r * select_ct(plan.t0, plan.nibble0(w));
    r = r * select_ct(plan.t1, plan.nibble1(w));
  }
  secure_wipe(&plan, sizeof(plan));
  return to_gt(r);
}

std::array<std::uint8_t, 576> GT::to_bytes() const {
  const Fp12 f = to_fp12(*this);
  const Fp* coeffs[12] = {&f.c0.c0.c0, &f.c0.c0.c1, &f.c0.c1.c0, &f.c0.c1.c1,
                          &f.c0.c2.c0, &f.c0.c2.c1, &f.c1.c0.c0, &f.c1.c0.c1,
                          &f.c1.c1.c0, &f.c1.c1.c1, &f.c1.c2.c0, &f.c1.c2.c1};
  std::array<std::uint8_t, 576> out{};
  for (int i = 0; i < 12; ++i) fp_to_bytes_be(*coeffs[i], out.data() + 48 * i);
  return out;
}

Result<GT> GT::from_bytes(ByteSpan bytes576) {
  if (bytes576.size() != 576) return invalid_input("GT element: expected 576 bytes");
  Fp12 f;
  Fp* coeffs[12] = {&f.c0.c0.c0, &f.c0.c0.c1, &f.c0.c1.c0, &f.c0.c1.c1,
                    &f.c0.c2.c0, &f.c0.c2.c1, &f.c1.c0.c0, &f.c1.c0.c1,
                    &f.c1.c1.c0, &f.c1.c1.c1, &f.c1.c2.c0, &f.c1.c2.c1};
  for (int i = 0; i < 12; ++i) {
    if (!fp_from_bytes_be(bytes576.data() + 48 * i, *coeffs[i])) {
      return invalid_input("GT element: coefficient not below p");
    }
  }
  if (!gt_in_subgroup(f)) return invalid_input("GT element: not in the order-r subgroup");
  return to_gt(f);
}

bool gt_in_subgroup(const Fp12& f) {
  if (fp12_eq(f, Fp12{})) return false;
  const Fp12 f2 = fp12_frobenius(f, 2);
  if (!fp12_eq(fp12_frobenius(f2, 2) * f, f2)) return false;  // not in the cyclotomic subgroup
  // f^p == f^x, i.e. conj(f^p) == f^|x| (conjugation inverts on the cyclotomic subgroup);
  // f^|x| by compressed squarings (fp12_compressed.h; f is public).
  return fp12_cyclotomic_pow_abs_x_equals_vartime(f, fp12_conj(fp12_frobenius(f, 1)));
}

bool gt_in_subgroup_slow(const Fp12& f) {
  if (fp12_eq(f, Fp12{})) return false;
  std::uint64_t r[4];
  fr_detail::to_canonical(Fr::zero() - Fr::one(), r);  // r - 1
  Fp12 acc = fp12_one();
  for (int bit = 255; bit >= 0; --bit) {
    acc = fp12_sqr(acc);
    if ((r[bit / 64] >> (bit % 64)) & 1) acc = acc * f;
  }
  return fp12_eq(acc * f, fp12_one());  // f^(r-1) * f
}

GT gt_multi_pow_u64(std::span<const GT> bases, std::span<const std::uint64_t> exps) {
  HC_CHECK(bases.size() == exps.size());
  constexpr int kWindow = 4;  // signed odd digits +-1, +-3, +-5, +-7
  struct GtStrausEntry {
    Fp12 odd[4];  // f, f^3, f^5, f^7
    std::int8_t digits[66];
    int count;
  };
  std::vector<GtStrausEntry> entries(bases.size());
  int top = 0;
  for (std::size_t i = 0; i < bases.size(); ++i) {
    GtStrausEntry& e = entries[i];
    const Fp12 f = to_fp12(bases[i]);
    const Fp12 f_sq = fp12_cyclotomic_sqr(f);
    e.odd[0] = f;
    for (int j = 1; j < 4; ++j) e.odd[j] = e.odd[j - 1] * f_sq;
    e.count = wnaf_recode_vartime(&exps[i], 1, kWindow, e.digits);
    if (e.count > top) top = e.count;
  }
  Fp12 acc = fp12_one();
  for (int bit = top - 1; bit >= 0; --bit) {
    if (bit != top - 1) acc = fp12_cyclotomic_sqr(acc);
    for (const GtStrausEntry& e : entries) {
      if (bit >= e.count) continue;
      const int d = e.digits[bit];
      if (d > 0) acc = acc * e.odd[d / 2];
      if (d < 0) acc = acc * fp12_conj(e.odd[(-d) / 2]);
    }
  }
  return to_gt(acc);
}

}  // namespace hc::bls12_381
