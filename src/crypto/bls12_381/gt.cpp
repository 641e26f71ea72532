// GT: the order-r subgroup of Fp12*, written multiplicatively.
#include "common/secure_bytes.h"
#include "crypto/bls12_381/fr_internal.h"
#include "crypto/bls12_381/points.h"

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

GT GT::pow(const Fr& k) const {
  std::uint64_t e[4];
  fr_detail::to_canonical(k, e);
  const Fp12 base = to_fp12(*this);
  Fp12 r = fp12_one();
  for (int i = 3; i >= 0; --i) {
    for (int b = 63; b >= 0; --b) {
      r = fp12_cyclotomic_sqr(r);
      if ((e[i] >> b) & 1) r = r * base;
    }
  }
  return to_gt(r);
}

GT GT::pow_secret(const Fr& k) const {
  std::uint64_t e[4];
  fr_detail::to_canonical(k, e);
  Fp12 table[16];
  table[0] = fp12_one();
  for (int i = 1; i < 16; ++i) table[i] = table[i - 1] * to_fp12(*this);
  Fp12 r = fp12_one();
  for (int w = 63; w >= 0; --w) {
    for (int d = 0; d < 4; ++d) r = fp12_cyclotomic_sqr(r);
    std::uint64_t nibble = (e[w / 16] >> (4 * (w % 16))) & 0xf;
    Fp12 sel = table[0];
    for (std::uint64_t i = 1; i < 16; ++i) {
      std::uint64_t diff = i ^ nibble;
      fp12_cmov(sel, table[i], ((diff | (0 - diff)) >> 63) - 1);
    }
    r = r * sel;
  }
  secure_wipe(e, sizeof(e));
  secure_wipe(table, sizeof(table));
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

}  // namespace hc::bls12_381
