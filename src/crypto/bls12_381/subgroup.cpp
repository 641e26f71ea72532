// Endomorphisms of G1 and G2 and the subgroup checks built on them.
#include "common/check.h"
#include "crypto/bls12_381/fr_internal.h"
#include "crypto/bls12_381/jacobian.h"
#include "crypto/bls12_381/points.h"
#include "crypto/bls12_381/scalar_mul.h"

namespace hc::bls12_381 {

namespace {

Fp find_beta() {
  // A primitive cube root of unity: g^((p-1)/3) for a non-cube g.
  std::uint64_t e[6];
  for (int i = 0; i < 6; ++i) e[i] = fp_modulus()[i];
  e[0] -= 1;
  std::uint64_t rem = 0;
  for (int i = 5; i >= 0; --i) {
    unsigned __int128 cur = (static_cast<unsigned __int128>(rem) << 64) | e[i];
    e[i] = static_cast<std::uint64_t>(cur / 3);
    rem = static_cast<std::uint64_t>(cur % 3);
  }
  Fp beta = fp_one();
  for (std::uint64_t g = 2; fp_eq(beta, fp_one()); ++g) beta = fp_pow(fp_from_u64(g), e, 6);
  // Pick the root whose endomorphism is multiplication by x^2 - 1 on G1.
  Proj<Fp> gen = to_proj(G1::generator());
  Proj<Fp> expect = proj_add(mul_by_abs_x(mul_by_abs_x(gen)), proj_neg(gen));  // [x^2 - 1]
  Proj<Fp> image{gen.x * beta, gen.y, gen.z};
  if (!proj_eq(image, expect)) beta = fp_sqr(beta);
  HC_CHECK(proj_eq(Proj<Fp>{gen.x * beta, gen.y, gen.z}, expect));
  return beta;
}

struct PsiConstants {
  Fp2 cx, cy;            // 1/xi^((p-1)/3), 1/xi^((p-1)/2)
  Fp cx_norm, cy_norm;  // cx conj(cx), cy conj(cy): psi^2's constants
};

const PsiConstants& psi_constants() {
  static const PsiConstants c = [] {
    const auto& g = fp12_frobenius_constants()[0];
    const Fp2 cx = fp2_inverse(g[2]);
    const Fp2 cy = fp2_inverse(g[3]);
    return PsiConstants{cx, cy, fp_sqr(cx.c0) + fp_sqr(cx.c1), fp_sqr(cy.c0) + fp_sqr(cy.c1)};
  }();
  return c;
}

}  // namespace

Proj<Fp> g1_phi(const Proj<Fp>& p) {
  static const Fp beta = find_beta();
  return Proj<Fp>{p.x * beta, p.y, p.z};
}

Proj<Fp2> g2_psi(const Proj<Fp2>& p) {
  const PsiConstants& c = psi_constants();
  return Proj<Fp2>{fp2_conj(p.x) * c.cx, fp2_conj(p.y) * c.cy, fp2_conj(p.z)};
}

Proj<Fp2> g2_psi2(const Proj<Fp2>& p) {
  const PsiConstants& c = psi_constants();
  return Proj<Fp2>{Fp2{p.x.c0 * c.cx_norm, p.x.c1 * c.cx_norm},
                   Fp2{p.y.c0 * c.cy_norm, p.y.c1 * c.cy_norm}, p.z};
}

// phi^2 (x, y) = (beta^2 x, y) acts on G1 as multiplication by lambda^2 = -x^2 mod r, so
// P in G1 implies [x^2]P == -phi^2(P) = (beta^2 X : -Y : Z); the converse holds on all of
// E(Fp) (docs/bls12_381.md, "Subgroup checks"). [x^2]P = [|x|]([|x|]P) is computed in
// Jacobian coordinates (126 doublings, 10 additions) and compared by cross-multiplication,
// without an inversion and without the final addition of the phi(P) == [x^2 - 1]P form.
// The additions are incomplete: for P of order r none of them meets an exceptional case
// (the partial multiples [k]P, [k |x|]P with 1 < k < |x| are never +-P, +-[|x|]P or O), so
// one that does proves P outside G1. Constant time in P (masks, no branch on it).
bool g1_in_subgroup(const Proj<Fp>& p) {
  static const Fp beta2 = fp_sqr(find_beta());
  std::uint64_t exceptional = 0;
  const Jac<Fp> xp = jac_mul_by_abs_x(jac_from_proj(p), exceptional);
  const Jac<Fp> x2p = jac_mul_by_abs_x(xp, exceptional);
  // -phi^2(P) is not the identity: an identity x2p (Z = 0) is no match.
  const std::uint64_t same =
      jac_eq_proj_mask(x2p, Proj<Fp>{p.x * beta2, -p.y, p.z}) & ~f_zero_mask(x2p.z);
  // The identity (Z = 0 on the curve) is in G1; it raises the flag, so it is answered apart.
  return ((f_zero_mask(p.z)) | (same & ~exceptional)) != 0;
}

// psi(Q) == [x]Q = -[|x|]Q, i.e. [|x|]Q == -psi(Q): the same Jacobian chain over Fp2, with
// the same argument for its exceptional cases.
bool g2_in_subgroup(const Proj<Fp2>& q) {
  std::uint64_t exceptional = 0;
  const Jac<Fp2> xq = jac_mul_by_abs_x(jac_from_proj(q), exceptional);
  const std::uint64_t same = jac_eq_proj_mask(xq, proj_neg(g2_psi(q))) & ~f_zero_mask(xq.z);
  return ((f_zero_mask(q.z)) | (same & ~exceptional)) != 0;
}

bool g1_in_subgroup_slow(const Proj<Fp>& p) {
  return proj_is_identity(mul_vartime(p, fr_detail::kR, 4));
}

bool g2_in_subgroup_slow(const Proj<Fp2>& q) {
  return proj_is_identity(mul_vartime(q, fr_detail::kR, 4));
}

}  // namespace hc::bls12_381
