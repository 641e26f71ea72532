// G1: group operations and scalar multiplication.
#include "common/secure_bytes.h"
#include "crypto/bls12_381/fr_internal.h"
#include "crypto/bls12_381/points.h"
#include "crypto/bls12_381/scalar_mul.h"

namespace hc::bls12_381 {

G1::G1() {
  const Proj<Fp> id = proj_identity<Fp>();
  std::memcpy(&p_, &id, sizeof(p_));
}
G1 G1::identity() { return G1(); }

G1 G1::generator() {
  static const G1 g = to_g1(Proj<Fp>{
      fp_from_hex("17f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb"),
      fp_from_hex("08b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e1"),
      fp_one()});
  return g;
}

G1 G1::operator+(const G1& o) const { return to_g1(proj_add(to_proj(*this), to_proj(o))); }
G1 G1::operator-(const G1& o) const {
  return to_g1(proj_add(to_proj(*this), proj_neg(to_proj(o))));
}
G1 G1::operator-() const { return to_g1(proj_neg(to_proj(*this))); }
G1 G1::dbl() const { return to_g1(proj_dbl(to_proj(*this))); }

G1 G1::mul_secret(const Fr& k) const {
  std::uint64_t limbs[4];
  fr_detail::to_canonical(k, limbs);
  G1 r = to_g1(mul_ct_endo(to_proj(*this), limbs, kLambda, g1_phi));
  secure_wipe(limbs, sizeof(limbs));
  return r;
}

G1 G1::mul_public(const Fr& k) const {
  std::uint64_t limbs[4];
  fr_detail::to_canonical(k, limbs);
  return to_g1(mul_vartime_endo(to_proj(*this), limbs, kLambda, g1_phi));
}

bool G1::is_identity() const { return proj_is_identity(to_proj(*this)); }
bool G1::operator==(const G1& o) const { return proj_eq(to_proj(*this), to_proj(o)); }

}  // namespace hc::bls12_381
