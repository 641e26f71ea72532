// G2: group operations and scalar multiplication.
#include "common/secure_bytes.h"
#include "crypto/bls12_381/fr_internal.h"
#include "crypto/bls12_381/points.h"
#include "crypto/bls12_381/scalar_mul.h"
#include "crypto/bls12_381/scalar_mul_gls4.h"

namespace hc::bls12_381 {

G2::G2() {
  const Proj<Fp2> id = proj_identity<Fp2>();
  std::memcpy(&p_, &id, sizeof(p_));
}
G2 G2::identity() { return G2(); }

G2 G2::generator() {
  static const G2 g = to_g2(Proj<Fp2>{
      Fp2{fp_from_hex("024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8"),
          fp_from_hex("13e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e")},
      Fp2{fp_from_hex("0ce5d527727d6e118cc9cdc6da2e351aadfd9baa8cbdd3a76d429a695160d12c923ac9cc3baca289e193548608b82801"),
          fp_from_hex("0606c4a02ea734cc32acd2b02bc28b99cb3e287e85a763af267492ab572e99ab3f370d275cec1da1aaa9075ff05f79be")},
      fp2_one()});
  return g;
}

G2 G2::operator+(const G2& o) const { return to_g2(proj_add(to_proj(*this), to_proj(o))); }
G2 G2::operator-(const G2& o) const {
  return to_g2(proj_add(to_proj(*this), proj_neg(to_proj(o))));
}
G2 G2::operator-() const { return to_g2(proj_neg(to_proj(*this))); }
G2 G2::dbl() const { return to_g2(proj_dbl(to_proj(*this))); }

// Window width of the constant-time multiplication (scalar_mul_gls4.h): 5 gives 60
// doublings and 51 additions with four 16-entry tables, against 64 and 67 with 8 entries
// for 4 (docs/bls12_381.md, "Benchmarks").
constexpr int kG2SecretWindow = 5;

G2 G2::mul_secret(const Fr& k) const {
  std::uint64_t limbs[4];
  fr_detail::to_canonical(k, limbs);
  G2 r = to_g2(mul_ct_gls4<kG2SecretWindow>(to_proj(*this), limbs, g2_psi, g2_psi2));
  secure_wipe(limbs, sizeof(limbs));
  return r;
}

G2 G2::mul_public(const Fr& k) const {
  std::uint64_t limbs[4];
  fr_detail::to_canonical(k, limbs);
  return to_g2(mul_vartime_endo(to_proj(*this), limbs, kXSquared, g2_psi2));
}

bool G2::is_identity() const { return proj_is_identity(to_proj(*this)); }
bool G2::operator==(const G2& o) const { return proj_eq(to_proj(*this), to_proj(o)); }

}  // namespace hc::bls12_381
