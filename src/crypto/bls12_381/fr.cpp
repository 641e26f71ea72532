// Fr: the scalar field of BLS12-381 (order r), Montgomery form on 4 limbs.
#include <openssl/rand.h>

#include <cstring>

#include "common/check.h"
#include "common/secure_bytes.h"
#include "crypto/bls12_381/bls12_381.h"
#include "crypto/bls12_381/fr_internal.h"

namespace hc::bls12_381 {

namespace {

using mont::u128;
using mont::u64;
using fr_detail::kC;
using fr_detail::kR;

FrRepr make(const u64* l) {
  FrRepr r;
  std::memcpy(r.limbs, l, sizeof(r.limbs));
  return r;
}

Fr wrap(const FrRepr& v) {
  Fr f;
  f.repr() = v;
  return f;
}

void read_be(const std::uint8_t* in, u64 out[4]) {
  for (int i = 0; i < 4; ++i) out[i] = 0;
  for (int i = 0; i < 32; ++i) {
    int limb = (31 - i) / 8;
    out[limb] = (out[limb] << 8) | in[i];
  }
}

// Reduces a 256-bit value (< 2^256 < 3r) below r with two masked subtractions.
void reduce_256(u64 v[4]) {
  for (int round = 0; round < 2; ++round) {
    u64 d[4];
    unsigned char br = 0;
    for (int i = 0; i < 4; ++i) d[i] = mont::subb(v[i], kR[i], br);
    u64 keep = 0 - static_cast<u64>(br);
    for (int i = 0; i < 4; ++i) v[i] = (v[i] & keep) | (d[i] & ~keep);
  }
}

// r - 2 for Fermat inversion.
constexpr u64 kRMinus2[4] = {0xfffffffeffffffffULL, 0x53bda402fffe5bfeULL,
                             0x3339d80809a1d805ULL, 0x73eda753299d7d48ULL};

}  // namespace

namespace fr_detail {

void to_canonical(const Fr& k, std::uint64_t out[4]) {
  const u64 one[4] = {1, 0, 0, 0};
  mont::mul<4>(out, k.repr().limbs, one, kR, kC.inv);
}

Fr from_canonical(const std::uint64_t limbs[4]) {
  Fr f;
  mont::mul<4>(f.repr().limbs, limbs, kC.r2, kR, kC.inv);
  return f;
}

}  // namespace fr_detail

Fr::Fr() : v_{{0, 0, 0, 0}} {}
Fr Fr::zero() { return Fr(); }
Fr Fr::one() { return wrap(make(kC.r1)); }
Fr Fr::from_u64(std::uint64_t v) {
  const u64 l[4] = {v, 0, 0, 0};
  return fr_detail::from_canonical(l);
}

Result<Fr> Fr::from_bytes(ByteSpan be32) {
  if (be32.size() != 32) return invalid_input("Fr scalar must be 32 bytes");
  u64 l[4];
  read_be(be32.data(), l);
  u64 borrow = 0;
  for (int i = 0; i < 4; ++i) {
    u128 t = static_cast<u128>(l[i]) - kR[i] - borrow;
    borrow = static_cast<u64>(t >> 64) & 1;
  }
  if (borrow == 0) {
    secure_wipe(l, sizeof(l));
    return invalid_input("Fr scalar is not below the group order r");
  }
  Fr f = fr_detail::from_canonical(l);
  secure_wipe(l, sizeof(l));
  return f;
}

Fr Fr::from_wide_bytes(ByteSpan be64) {
  HC_CHECK(be64.size() == 64);
  // value = hi * 2^256 + lo; in Montgomery form that is hi*R^3/R + lo*R^2/R.
  u64 hi[4], lo[4];
  read_be(be64.data(), hi);
  read_be(be64.data() + 32, lo);
  reduce_256(hi);
  reduce_256(lo);
  Fr a, b;
  mont::mul<4>(a.repr().limbs, hi, kC.r3, kR, kC.inv);
  mont::mul<4>(b.repr().limbs, lo, kC.r2, kR, kC.inv);
  secure_wipe(hi, sizeof(hi));
  secure_wipe(lo, sizeof(lo));
  Fr r = a + b;
  a.wipe();
  b.wipe();
  return r;
}

Fr Fr::random() {
  std::uint8_t buf[64];
  HC_CHECK(RAND_bytes(buf, sizeof(buf)) == 1);
  Fr r = from_wide_bytes(ByteSpan(buf, sizeof(buf)));
  secure_wipe(buf, sizeof(buf));
  return r;
}

Fr Fr::random_nonzero() {
  for (;;) {
    Fr r = random();
    if (!r.is_zero()) return r;
  }
}

std::array<std::uint8_t, 32> Fr::to_bytes() const {
  u64 l[4];
  fr_detail::to_canonical(*this, l);
  std::array<std::uint8_t, 32> out{};
  for (int i = 0; i < 32; ++i) {
    int limb = (31 - i) / 8;
    out[i] = static_cast<std::uint8_t>(l[limb] >> (8 * ((31 - i) % 8)));
  }
  secure_wipe(l, sizeof(l));
  return out;
}

Fr Fr::operator+(const Fr& o) const {
  Fr r;
  mont::add_mod<4>(r.v_.limbs, v_.limbs, o.v_.limbs, kR);
  return r;
}
Fr Fr::operator-(const Fr& o) const {
  Fr r;
  mont::sub_mod<4>(r.v_.limbs, v_.limbs, o.v_.limbs, kR);
  return r;
}
Fr Fr::operator*(const Fr& o) const {
  Fr r;
  mont::mul<4>(r.v_.limbs, v_.limbs, o.v_.limbs, kR, kC.inv);
  return r;
}
Fr Fr::operator-() const { return Fr() - *this; }
Fr Fr::square() const { return *this * *this; }

Fr Fr::inverse() const {
  Fr r = one();
  Fr t;  // intermediate powers of a possibly secret value: wiped below
  for (int i = 3; i >= 0; --i) {
    for (int b = 63; b >= 0; --b) {
      r = r.square();
      t = r * *this;
      u64 mask = 0 - ((kRMinus2[i] >> b) & 1);
      for (int j = 0; j < 4; ++j) {
        r.v_.limbs[j] = (r.v_.limbs[j] & ~mask) | (t.v_.limbs[j] & mask);
      }
    }
  }
  t.wipe();
  return r;
}

bool Fr::is_zero() const {
  u64 acc = 0;
  for (auto l : v_.limbs) acc |= l;
  return acc == 0;
}

bool Fr::operator==(const Fr& o) const {
  u64 acc = 0;
  for (int i = 0; i < 4; ++i) acc |= v_.limbs[i] ^ o.v_.limbs[i];
  return acc == 0;
}

void Fr::wipe() { secure_wipe(v_.limbs, sizeof(v_.limbs)); }

}  // namespace hc::bls12_381
